"""Text written before issue 17 in the one stored form: \n line breaks, NFC.

From now on TranslatableModel stores every text field with \n line breaks and
composed characters (programmes/content/text.py). Rows saved before hold the
\r\n a browser sends: this converts them, the history's copies (so that the
next save shows no difference against the last revision) and the copies the
translation states keep (so that nothing becomes outdated by the conversion,
and a text flagged outdated only by its line breaks is up to date again).

Written with queryset.update(): no revision, no translation state, no
"last changed" date moves. Reversing it leaves the text as it is.
"""

import unicodedata

from django.db import migrations

# The site's languages when this migration was written: never today's
# settings.LANGUAGES (a later language's columns come with a later migration).
LANGUAGES = ["fr", "en"]

# The translated fields when this migration was written (programmes/translation.py).
TRANSLATED_FIELDS = {
    "homepage": ["title", "heading", "introduction", "summary"],
    "programme": [
        "name",
        "slug",
        "summary",
        "description",
        "facts_note",
        "website",
        "image_alt",
    ],
    "organisation": ["name", "acronym", "slug", "description", "image_alt"],
    "region": ["name", "slug"],
    "participation": ["note"],
    "source": ["title"],
}


def normalise(text):
    # programmes/content/text.py's normalise_text, as of this migration.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_columns(model, fields):
    """The base column and a column per language, of those `model` has.

    Historical models are not patched by modeltranslation: the language columns
    are named here, from the languages of this migration's time.
    """
    codes = LANGUAGES
    existing = {field.name for field in model._meta.concrete_fields}
    wanted = [
        column
        for name in fields
        for column in (name, *(f"{name}_{code}" for code in codes))
    ]
    return [column for column in wanted if column in existing]


def normalise_rows(model, columns):
    for row in model._base_manager.values("pk", *columns).iterator():
        changed = {
            column: normalise(row[column])
            for column in columns
            if isinstance(row[column], str) and normalise(row[column]) != row[column]
        }
        if changed:
            model._base_manager.filter(pk=row["pk"]).update(**changed)


def normalise_text(apps, schema_editor):
    for model_name, fields in TRANSLATED_FIELDS.items():
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("programmes", name)
            normalise_rows(model, text_columns(model, fields))
    TranslationState = apps.get_model("programmes", "TranslationState")
    for state in TranslationState.objects.iterator():
        texts = {
            code: normalise(text) if isinstance(text, str) else text
            for code, text in state.source_texts.items()
        }
        if texts != state.source_texts:
            TranslationState.objects.filter(pk=state.pk).update(source_texts=texts)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0014_more_glossary_terms"),
    ]

    operations = [
        migrations.RunPython(normalise_text, migrations.RunPython.noop, elidable=True)
    ]
