"""The search index (programmes/content/search_index.py) and its full-text index.

On SQLite, an FTS5 table mirrors the entries through triggers (when this SQLite
has FTS5; otherwise the search reads the entries with LIKE). On PostgreSQL, a
GIN index covers the entries' full-text vector, as the search writes it. The
entries themselves are written after `migrate` (post_migrate), with the code of
the day.
"""

import django.db.models.deletion
from django.db import OperationalError, migrations, models

TABLE = "programmes_searchentry"
FTS = "programmes_searchentry_fts"
COLUMNS = "names, summary, body"
SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{TABLE}', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER {TABLE}_inserted AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) "
    "VALUES (new.id, new.names, new.summary, new.body); END",
    f"CREATE TRIGGER {TABLE}_deleted AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) "
    "VALUES ('delete', old.id, old.names, old.summary, old.body); END",
    f"CREATE TRIGGER {TABLE}_updated AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) "
    "VALUES ('delete', old.id, old.names, old.summary, old.body); "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) "
    "VALUES (new.id, new.names, new.summary, new.body); END",
]
SQLITE_UNDO = [
    f"DROP TRIGGER IF EXISTS {TABLE}_{event}"
    for event in ("inserted", "deleted", "updated")
] + [f"DROP TABLE IF EXISTS {FTS}"]
# The same expression as programmes/public/search.py's, so that it uses the index.
POSTGRESQL = [
    f"CREATE INDEX {TABLE}_document ON {TABLE} USING gin "
    "(to_tsvector('simple'::regconfig, names || ' ' || summary || ' ' || body))"
]
POSTGRESQL_UNDO = [f"DROP INDEX IF EXISTS {TABLE}_document"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return operation


def make_full_text_index(apps, schema_editor):
    try:
        run({"sqlite": SQLITE, "postgresql": POSTGRESQL})(apps, schema_editor)
    except OperationalError:
        # This SQLite lacks FTS5: the search reads the entries with LIKE.
        run({"sqlite": SQLITE_UNDO})(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0022_key_facts_and_results"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
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
                ("language", models.CharField(max_length=10)),
                ("names", models.TextField(blank=True)),
                ("summary", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programmes.organisation",
                    ),
                ),
                (
                    "programme",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programmes.programme",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="programmes.region",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language", "programme"),
                        name="search_entry_one_per_programme",
                    ),
                    models.UniqueConstraint(
                        fields=("language", "organisation"),
                        name="search_entry_one_per_organisation",
                    ),
                    models.UniqueConstraint(
                        fields=("language", "region"),
                        name="search_entry_one_per_region",
                    ),
                ],
            },
        ),
        migrations.RunPython(
            make_full_text_index,
            run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRESQL_UNDO}),
        ),
    ]
