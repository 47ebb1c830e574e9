"""The glossary's first terms: the pairs checked in shared/FACTS.md (§6, §7).

Written once; editors and translators keep the glossary in the admin after.
"""

from django.db import migrations

NBSP = "\u00a0"
# (English term, French term, English expansion, French expansion)
TERMS = [
    (
        "UNODC",
        "ONUDC",
        "United Nations Office on Drugs and Crime",
        "Office des Nations Unies contre la drogue et le crime",
    ),
    ("WCO", "OMD", "World Customs Organization", "Organisation mondiale des douanes"),
    ("EU", "UE", "European Union", "Union européenne"),
    (
        "JAITF",
        "CAAT",
        "Joint Airport Interdiction Task Force",
        "Cellule aéroportuaire anti-trafics",
    ),
    ("KNPA", "KNPA", "Korean National Police Agency", "Police nationale coréenne"),
    # INTERPOL's network keeps its name in every language; nothing to expand.
    ("I-24/7", "I-24/7", "", ""),
    ("Airport Communication Project", "Projet de communication aéroportuaire", "", ""),
    ("Cocaine Route Programme", f"Programme «{NBSP}Route de la cocaïne{NBSP}»", "", ""),
    (
        "Global Illicit Flows Programme",
        "Programme sur les flux illicites globaux",
        "",
        "",
    ),
    (
        "Instrument contributing to Stability and Peace",
        "Instrument contribuant à la stabilité et à la paix",
        "",
        "",
    ),
    ("synthetic drugs", "drogues de synthèse", "", ""),
    ("capacity building", "renforcement des capacités", "", ""),
    ("drug trafficking", "trafic de stupéfiants", "", ""),
]


def add_terms(apps, schema_editor):
    write_terms(apps, TERMS)


def write_terms(apps, terms):
    """Adds the terms the glossary lacks; leaves the others as editors made them."""
    GlossaryTerm = apps.get_model("programmes", "GlossaryTerm")
    for term_en, term_fr, expansion_en, expansion_fr in terms:
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
    dependencies = [("programmes", "0012_translation_state_baseline")]

    operations = [migrations.RunPython(add_terms, migrations.RunPython.noop)]
