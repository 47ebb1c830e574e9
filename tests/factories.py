"""Bilingual test objects with unique slugs."""

from datetime import date
from itertools import count

from programmes.models import (
    KeyFact,
    Organisation,
    Participation,
    Programme,
    Region,
    Result,
    Source,
)

_numbers = count(1)


def make_region(**overrides):
    number = next(_numbers)
    values = {
        "name_fr": f"Région {number}",
        "name_en": f"Region {number}",
        "slug_fr": f"region-fr-{number}",
        "slug_en": f"region-en-{number}",
        "status": "published",
    }
    return Region.objects.create(**(values | overrides))


def make_organisation(**overrides):
    number = next(_numbers)
    values = {
        "name_fr": f"Organisation {number}",
        "name_en": f"Organisation {number} (en)",
        "acronym_fr": f"ORG{number}",
        "acronym_en": f"ORG{number}",
        "slug_fr": f"organisation-fr-{number}",
        "slug_en": f"organisation-en-{number}",
        "kind": "intergovernmental",
        "description_fr": "Une organisation.",
        "description_en": "An organisation.",
        "status": "published",
    }
    return Organisation.objects.create(**(values | overrides))


def make_programme(**overrides):
    number = next(_numbers)
    values = {
        "name_fr": f"Programme {number}",
        "name_en": f"Programme {number} (en)",
        "acronym": f"P{number}",
        "slug_fr": f"programme-fr-{number}",
        "slug_en": f"programme-en-{number}",
        "summary_fr": "Un résumé.",
        "summary_en": "A summary.",
        "description_fr": "Une description.",
        "description_en": "A description.",
        "status": "published",
        "display_order": number,
    }
    figures = {
        name: overrides.pop(name)
        for name in list(overrides)
        if name in FORMER_FIGURE_FIELDS
    }
    programme = Programme.objects.create(**(values | overrides))
    if figures:
        add_key_figures(programme, **figures)
    return programme


# The programme's former undated fields, now key facts measuring them:
# make_programme(start_year=2016) gives it a dated, sourced period.
FORMER_FIGURE_FIELDS = {
    "start_year",
    "end_year",
    "budget_amount",
    "budget_currency",
    "stated_country_count",
}


def add_key_figures(
    programme,
    start_year=None,
    end_year=None,
    budget_amount=None,
    budget_currency="EUR",
    stated_country_count=None,
    source=None,
):
    source = source or add_source(programme, title="Key figures")
    if start_year or end_year:
        add_key_fact(
            programme,
            source,
            label_fr="Période",
            label_en="Period",
            measure="period",
            kind="period",
            number=None,
            first_year=start_year,
            last_year=end_year,
        )
    if budget_amount is not None:
        add_key_fact(
            programme,
            source,
            label_fr="Budget",
            label_en="Budget",
            measure="budget",
            kind="money",
            number=budget_amount,
            currency=budget_currency,
        )
    if stated_country_count is not None:
        add_key_fact(
            programme,
            source,
            label_fr="Pays bénéficiaires",
            label_en="Beneficiary countries",
            measure="stated_countries",
            number=stated_country_count,
        )


def add_participation(programme, organisation, role="partner", **overrides):
    return Participation.objects.create(
        programme=programme, organisation=organisation, role=role, **overrides
    )


def add_source(programme, **overrides):
    values = {"title": "A source", "url": "https://example.org/source"}
    return Source.objects.create(programme=programme, **(values | overrides))


def add_key_fact(programme, source, **overrides):
    values = {
        "label_fr": "Pays",
        "label_en": "Countries",
        "kind": KeyFact.Kind.NUMBER,
        "number": 12,
        "as_of": date(2026, 11, 27),
    }
    return KeyFact.objects.create(
        programme=programme, source=source, **(values | overrides)
    )


def add_result(programme, source, **overrides):
    values = {
        "title_fr": "Une opération",
        "title_en": "An operation",
        "summary_fr": "Ce qui s’est passé.",
        "summary_en": "What happened.",
        "start_date": date(2024, 7, 22),
    }
    return Result.objects.create(
        programme=programme, source=source, **(values | overrides)
    )
