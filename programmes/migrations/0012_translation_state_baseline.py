"""Existing text counts as translated against what the other language says now.

Without this baseline, a later change of the French text would leave the
English unmarked, since nothing recorded what the English was written from.
"""

from django.db import migrations

# The site's languages when this migration was written: never today's
# settings.LANGUAGES, whose later languages have no column at this point.
LANGUAGES = ["fr", "en"]

# The translated text fields when this migration was written
# (programmes/translation_status.py works them out from the registrations).
TRACKED_FIELDS = {
    "homepage": ["title", "heading", "introduction", "summary"],
    "programme": ["name", "summary", "description", "facts_note", "image_alt"],
    "organisation": ["name", "acronym", "description", "image_alt"],
    "region": ["name"],
    "participation": ["note"],
}


def record_baseline(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    TranslationState = apps.get_model("programmes", "TranslationState")
    codes = LANGUAGES
    states = []
    for model_name, fields in TRACKED_FIELDS.items():
        model = apps.get_model("programmes", model_name)
        content_type, _created = ContentType.objects.get_or_create(
            app_label="programmes", model=model_name
        )
        columns = [f"{name}_{code}" for name in fields for code in codes]
        for row in model.objects.values("pk", *columns):
            for name in fields:
                values = {code: row[f"{name}_{code}"] or "" for code in codes}
                states.extend(
                    TranslationState(
                        content_type=content_type,
                        object_id=row["pk"],
                        field=name,
                        language=code,
                        source_texts={o: values[o] for o in codes if o != code},
                    )
                    for code in codes
                    if values[code]
                )
    TranslationState.objects.bulk_create(states, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0011_translation_status_and_glossary"),
    ]

    operations = [
        migrations.RunPython(record_baseline, migrations.RunPython.noop, elidable=True)
    ]
