"""French typography in the French text saved before issue 16.

From now on TranslatableModel gives French text its typography on save
(programmes/content/text.py: narrow no-break spaces inside guillemets and
before ; : ! ?, typographic apostrophes). This applies it to the rows saved
before, to their history's copies (so that the next save shows no difference
against the last revision) and to the French copies the translation states
keep (so that no English translation becomes outdated by it). The content
file (site.toml, the seed) keeps its words as written.

Written with queryset.update(): no revision, no translation state, no
"last changed" date moves. Reversing it leaves the text as it is.
"""

import re

from django.db import migrations

# The fields people read as text when this migration was written.
TYPESET_FIELDS = {
    "homepage": ["title", "heading", "introduction", "summary"],
    "programme": ["name", "summary", "description", "facts_note", "image_alt"],
    "organisation": ["name", "acronym", "description", "image_alt"],
    "region": ["name"],
    "participation": ["note"],
    "source": ["title"],
}

# programmes/content/text.py's french_typography, as of this migration.
NARROW_NBSP = "\u202f"
MARKUP = re.compile(r"(<[^>]*>|&#?\w+;|\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+)")
FRENCH_RULES = [
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NARROW_NBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NARROW_NBSP + "»"),
    (re.compile(r"[ \u00a0](?=[;:!?](?:\s|$|[»)\]]))"), NARROW_NBSP),
    (re.compile(r"(?<=[^\W\d_]|[»)\]])(?=[;:!?](?:\s|$))"), NARROW_NBSP),
]


def french_typography(text):
    parts = MARKUP.split(text)
    for index in range(0, len(parts), 2):
        for pattern, replacement in FRENCH_RULES:
            parts[index] = pattern.sub(replacement, parts[index])
    return "".join(parts)


def typeset_rows(model, columns):
    for row in model._base_manager.values("pk", *columns).iterator():
        changed = {
            column: french_typography(row[column])
            for column in columns
            if isinstance(row[column], str)
            and french_typography(row[column]) != row[column]
        }
        if changed:
            model._base_manager.filter(pk=row["pk"]).update(**changed)


def typeset_french(apps, schema_editor):
    for model_name, fields in TYPESET_FIELDS.items():
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("programmes", name)
            existing = {field.name for field in model._meta.concrete_fields}
            columns = [f"{field}_fr" for field in fields if f"{field}_fr" in existing]
            typeset_rows(model, columns)
    TranslationState = apps.get_model("programmes", "TranslationState")
    for state in TranslationState.objects.iterator():
        french = state.source_texts.get("fr")
        if isinstance(french, str) and french_typography(french) != french:
            texts = {**state.source_texts, "fr": french_typography(french)}
            TranslationState.objects.filter(pk=state.pk).update(source_texts=texts)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0019_programme_pictogram"),
    ]

    operations = [
        migrations.RunPython(typeset_french, migrations.RunPython.noop, elidable=True)
    ]
