"""A source language per record (issue 18) and stored translation statuses
(issue 20).

Existing records get the source the old rule used: French when the record has
French text, else the first language with text (the rule then was per field,
the default language first). Their TranslationStates are kept as they are: they
hold texts, not verdicts. The languages and translated fields are those of the
tables at this point (their `<field>_<code>` columns), not today's settings.
The stored statuses are computed after migrate by status.rebuild_if_stale
(today's tracked fields and languages decide them).
"""

import re

import django.db.models.deletion
from django.db import migrations, models

TRANSLATED = [
    "homepage",
    "programme",
    "organisation",
    "region",
    "participation",
    "keyfact",
    "result",
    "source",
]
# The site's default language when this migration was written: the source.
DEFAULT = "fr"
# Citations, in the cited page's language: never the record's language.
NOT_TRANSLATED = {"source": {"title"}}
CODE = re.compile(r"^(?P<field>.+)_(?P<code>[a-z]{2}(?:_[a-z]+)?)$")


def translated_columns(model, untracked):
    """{language code: [its columns of translated text]}, in the table's order."""
    names = {field.name for field in model._meta.fields}
    columns = {}
    for field in model._meta.fields:
        match = CODE.match(field.name)
        if (
            match
            and match["field"] in names
            and match["field"] not in untracked
            and isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.SlugField, models.URLField))
        ):
            columns.setdefault(match["code"], []).append(field.name)
    return columns


def choose_sources(apps, schema_editor):
    for name in TRANSLATED:
        model = apps.get_model("programmes", name)
        columns = translated_columns(model, NOT_TRANSLATED.get(name, ()))
        codes = sorted(columns, key=lambda code: code != DEFAULT)
        every = [column for code in codes for column in columns[code]]
        for row in model.objects.values("pk", *every).iterator():
            source = next(
                (c for c in codes if any(row[column] for column in columns[c])), ""
            )
            if source:
                model.objects.filter(pk=row["pk"]).update(source_language=source)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0024_search_index_per_language"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoredStatusRules",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("digest", models.CharField(max_length=64)),
            ],
        ),
        migrations.AddField(
            model_name="historicalhomepage",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalkeyfact",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalorganisation",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalparticipation",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalprogramme",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalregion",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalresult",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="homepage",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="keyfact",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="participation",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="result",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="source_language",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The language this record is written in: a change to its text marks the other languages outdated; a change to a translation flags nothing.",
                max_length=10,
                verbose_name="source language",
            ),
        ),
        migrations.CreateModel(
            name="StoredStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField(verbose_name="object id")),
                ("field", models.CharField(max_length=50, verbose_name="field")),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("missing", "missing"),
                            ("outdated", "outdated"),
                            ("up_to_date", "up to date"),
                        ],
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                (
                    "source",
                    models.CharField(max_length=10, verbose_name="translated from"),
                ),
                ("kind", models.PositiveSmallIntegerField()),
                ("field_position", models.PositiveSmallIntegerField()),
                ("language_position", models.PositiveSmallIntegerField()),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="contenttypes.contenttype",
                        verbose_name="kind of record",
                    ),
                ),
            ],
            options={
                "verbose_name": "stored translation status",
                "verbose_name_plural": "stored translation statuses",
                "indexes": [
                    models.Index(
                        fields=[
                            "kind",
                            "object_id",
                            "field_position",
                            "language_position",
                        ],
                        name="storedstatus_dashboard_order",
                    ),
                    models.Index(
                        fields=["language", "status"], name="storedstatus_counts"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id", "field", "language"),
                        name="storedstatus_one_per_field_and_language",
                    )
                ],
            },
        ),
        migrations.RunPython(choose_sources, migrations.RunPython.noop),
    ]
