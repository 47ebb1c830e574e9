"""What the API publishes: published programmes only, and only their relations."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from programmes.content.bases import published_q
from programmes.content.facts import Result
from programmes.content.geography import Geography
from programmes.content.models import Organisation, Participation, Programme, Region


def programmes():
    """Published programmes for lists and the CSV: figures are in each
    programme's own answer (programme_with_figures), within the query budget."""
    return Programme.objects.published().with_related().with_sources()


def programme_values(*fields, **expressions):
    """The published programmes' `fields` (and `expressions`) as dicts, in
    display order (the CSV)."""
    return Programme.objects.published().values(*fields, **expressions)


def organisations_of(programme_ids, *fields):
    """{programme id: [dict of the published organisation's `fields` and the
    participation's role]}, in the order a programme's page lists them."""
    by_programme = {pk: [] for pk in programme_ids}
    rows = (
        Participation.objects.filter(
            published_q("organisation__"), programme_id__in=by_programme
        )
        .order_by("display_order", "pk")
        .values("programme_id", "role", *(f"organisation__{name}" for name in fields))
    )
    for row in rows:
        by_programme[row["programme_id"]].append(row)
    return by_programme


def programme_with_figures(pk):
    return (
        Programme.objects.published().with_related().with_sources().filter(pk=pk)
    ).first()


def organisations():
    # to_attr: the name says the list holds published programmes only.
    return Organisation.objects.published().prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.of_published_programmes()
            .select_related("programme")
            .order_by("programme__display_order", "programme__pk", "display_order"),
            to_attr="published_participations",
        )
    )


def regions():
    """The published regions, each with the programmes benefiting it
    (`published_programmes`) and the regions it lies within and includes."""
    geography = Geography.published()
    published = list(Programme.objects.published())
    for region in geography.regions:
        region.published_programmes = geography.programmes_of(region, published)
        region.parents = geography.parents(region)
        region.children = geography.children(region)
    return geography.regions


def region(pk):
    return next((region for region in regions() if region.pk == pk), None)


def beneficiary_codes():
    """The codes of the countries that have a country resource (one query)."""
    return {
        country.code
        for country, _count in Programme.objects.published().beneficiary_countries()
    }


@dataclass
class BeneficiaryCountry:
    """A country named by published programmes; `code` is lowercase ISO 3166."""

    code: str
    programmes: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    results: list = field(default_factory=list)


def countries():
    """Every beneficiary country by code, with its programmes and regions.

    Two queries whatever the number of programmes: the codes are stored as
    text on each programme, so the grouping is done here.
    """
    by_code = {}
    for programme in Programme.objects.published():
        for country in programme.beneficiary_countries:
            by_code.setdefault(
                country.code, BeneficiaryCountry(country.code.lower())
            ).programmes.append(programme)
    for region in Region.objects.published():
        for country in region.countries:
            if country.code in by_code:
                by_code[country.code].regions.append(region)
    for result in Result.objects.of_published_programmes().select_related(
        "programme", "source"
    ):
        for country in result.countries:
            if country.code in by_code:
                by_code[country.code].results.append(result)
    return [by_code[code] for code in sorted(by_code)]


def is_country_code(code):
    """Two lowercase ASCII letters, the form of the API's country addresses.

    Checked before any lookup: other text (e.g. "h,") could match part of the
    stored "GH,NG".
    """
    return len(code) == 2 and code.isascii() and code.isalpha() and code.islower()


def country(code):
    """The beneficiary country with this lowercase code, or None."""
    if not is_country_code(code):
        return None
    programmes = list(Programme.objects.published().for_country(code))
    if not programmes:
        return None
    return BeneficiaryCountry(
        code,
        programmes,
        list(Region.objects.published().containing(code)),
        list(Result.objects.of_published_programmes().involving(code)),
    )
