"""More checked pairs from shared/FACTS.md §6-7: INTERPOL's full name, and
the seed's vocabulary.

The phrases have no acronym: they reach translators through export notes, and
an import warns when the other language's form is used.
"""

from importlib import import_module

from django.db import migrations


# (English term, French term, English expansion, French expansion)
TERMS = [
    (
        "INTERPOL",
        "INTERPOL",
        "International Criminal Police Organization",
        "Organisation internationale de police criminelle",
    ),
    ("inter-regional cooperation", "coopération interrégionale", "", ""),
    ("institutional integrity", "intégrité institutionnelle", "", ""),
    ("donor", "donateur", "", ""),
    ("timeline", "calendrier", "", ""),
]


def add_terms(apps, schema_editor):
    first_terms = import_module("programmes.migrations.0013_glossary_terms")
    first_terms.write_terms(apps, TERMS)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0013_glossary_terms")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
