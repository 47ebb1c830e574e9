"""More checked pairs from shared/FACTS.md §7: the seed's vocabulary.

Phrases with no acronym: they reach translators through export notes, and an
import warns when the other language's form is used.
"""

from django.db import migrations


# (English term, French term, English expansion, French expansion)
TERMS = [
    ("inter-regional cooperation", "coopération interrégionale", "", ""),
    ("institutional integrity", "intégrité institutionnelle", "", ""),
    ("donor", "donateur", "", ""),
    ("timeline", "calendrier", "", ""),
]


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("programmes", "GlossaryTerm")
    for term_en, term_fr, expansion_en, expansion_fr in TERMS:
        GlossaryTerm.objects.get_or_create(
            term_en=term_en,
            defaults={
                "term": term_fr,
                "term_fr": term_fr,
                "expansion": expansion_fr,
                "expansion_fr": expansion_fr,
                "expansion_en": expansion_en,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0013_glossary_terms")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
