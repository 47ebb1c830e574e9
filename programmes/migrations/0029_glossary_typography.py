"""French typography in the glossary's French terms and expansions.

The glossary's first terms (migration 0013) wrote « » with ordinary no-break
spaces (U+00A0), while French content has narrow ones (U+202F) since
migration 0020: "Programme « Route de la cocaïne »" was then never found in
a French text. GlossaryTerm now typesets on save like the content does
(programmes/translating/models.py); this applies the same rules, as
migration 0020 wrote them, to the terms saved before. Reversing it leaves
the text as it is.
"""

import importlib

from django.db import migrations

# The rules as of migration 0020 (not today's programmes/content/text.py).
typography = importlib.import_module("programmes.migrations.0020_french_typography")


def typeset_glossary(apps, schema_editor):
    GlossaryTerm = apps.get_model("programmes", "GlossaryTerm")
    existing = {field.name for field in GlossaryTerm._meta.concrete_fields}
    columns = [name for name in ("term_fr", "expansion_fr") if name in existing]
    typography.typeset_rows(GlossaryTerm, columns)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0028_remove_former_figure_fields"),
    ]

    operations = [
        migrations.RunPython(
            typeset_glossary, migrations.RunPython.noop, elidable=True
        )
    ]
