"""Plain functions that turn models into the API's JSON-ready dicts.

Text people read comes in every language at once, as the site shows it:
{"fr": "…", "en": "…"}. A language with no text of its own shows another
language's text, and the object then says so: "fallback": {"fr": "en"} means
the French value is the English text. Links are absolute URLs.

Plain functions rather than Django REST framework: the API is read-only, four
resources and a few dozen lines of mapping; DRF would add a dependency, its
own settings, renderers and pagination classes to learn, and still need custom
fields for the bilingual shape and the fallback flags.
"""

from django.urls import reverse
from django.utils import translation
from django_countries.fields import Country
from modeltranslation.utils import build_localized_fieldname, resolution_order

from programmes.content.models import Participation
from programmes.content.rich_text import plain_text, render
from programmes.languages import language_codes


def rich_text(obj, field_name):
    """A rich-text field as plain text, and as the HTML its page shows.

    `description` stays plain text, paragraphs separated by a blank line, as
    it always was; `description_html` is the sanitised HTML (rich_text.py).
    """
    return {
        field_name: translated(obj, field_name, plain_text),
        f"{field_name}_html": translated(obj, field_name, render),
    }


def translated(obj, field_name, convert=None):
    """The value of a translated field in every language, marking fallbacks.

    Follows modeltranslation's fallback order, like the pages do. `convert`,
    if given, turns each value into what the API shows.
    """
    values, fallback = {}, {}
    for code in language_codes():
        values[code] = ""
        for source in resolution_order(code):
            value = getattr(obj, build_localized_fieldname(field_name, source))
            if value:
                values[code] = str(convert(value)) if convert else value
                if source != code:
                    fallback[code] = source
                break
    if fallback:
        values["fallback"] = fallback
    return values


def in_each_language(function):
    """{"fr": function() in French, "en": function() in English}."""
    values = {}
    for code in language_codes():
        with translation.override(code):
            values[code] = str(function())
    return values


# Names of countries and labels of choices never change while the process
# runs: a list of 2,000 programmes asks for the same few hundred again and again.
_labels = {}


def label_in_each_language(key, function):
    """in_each_language(function), worked out once per `key` and set of languages."""
    key = (key, tuple(language_codes()))
    if key not in _labels:
        _labels[key] = in_each_language(function)
    return _labels[key]


def absolute(request, path):
    return request.build_absolute_uri(path)


def api_url(request, name, **kwargs):
    return absolute(request, reverse(f"api:{name}", kwargs=kwargs))


def html_url(request, obj):
    return in_each_language(lambda: absolute(request, obj.get_absolute_url()))


def country_html_url(request, code):
    return in_each_language(
        lambda: absolute(
            request, reverse("programmes:country_detail", kwargs={"code": code})
        )
    )


def timestamp(value):
    return value.isoformat(timespec="seconds")


# --- Links: the short form of a resource inside another one -------------------


def programme_link(programme, request):
    return {
        "id": programme.pk,
        "url": api_url(request, "programme_detail", pk=programme.pk),
        "acronym": programme.acronym,
        "name": translated(programme, "name"),
    }


def organisation_link(organisation, request):
    return {
        "id": organisation.pk,
        "url": api_url(request, "organisation_detail", pk=organisation.pk),
        "acronym": translated(organisation, "acronym"),
        "name": translated(organisation, "name"),
    }


def region_link(region, request):
    return {
        "id": region.pk,
        "url": api_url(request, "region_detail", pk=region.pk),
        "name": translated(region, "name"),
    }


def country_names(code):
    """{"fr": …, "en": …}: the country's name (`code` lowercase) in each language."""
    return label_in_each_language(("country", code), lambda: Country(code.upper()).name)


def role_labels(role):
    """{"fr": …, "en": …}: a participation's role as the site names it."""
    return label_in_each_language(
        ("role", role), lambda: dict(Participation.Role.choices).get(role, role)
    )


def country_link(code, request, has_resource=True):
    """`code` is lowercase; a country no published programme names has no URL."""
    return {
        "code": code,
        "url": api_url(request, "country_detail", code=code) if has_resource else None,
        "name": country_names(code),
    }


def role(participation):
    return {
        "role": participation.role,
        "role_label": role_labels(participation.role),
        "note": translated(participation, "note"),
    }


# --- Resources ----------------------------------------------------------------


def key_fact_data(fact, numbers):
    """A figure with its date, status and the number of its source."""
    value = {"kind": fact.kind}
    if fact.kind in (fact.Kind.NUMBER, fact.Kind.MONEY):
        value["number"] = str(fact.number)
    if fact.kind == fact.Kind.MONEY:
        value["currency"] = fact.currency
    if fact.kind == fact.Kind.PERIOD:
        value |= {"first_year": fact.first_year, "last_year": fact.last_year}
    if fact.kind == fact.Kind.TEXT:
        value["text"] = translated(fact, "text")
    return {
        "label": translated(fact, "label"),
        "measure": fact.measure,
        "value": value,
        "display": in_each_language(fact.value_display),
        "as_of": fact.as_of.isoformat() if fact.as_of else None,
        "status": fact.status,
        "source": numbers.get(fact.source_id),
    }


def result_data(result, request, numbers=None):
    """A dated result or operation; `source` is its number in the programme's
    sources, or (outside a programme) the source itself."""
    return {
        "title": translated(result, "title"),
        "summary": translated(result, "summary"),
        "start_date": result.start_date.isoformat(),
        "end_date": result.end_date.isoformat() if result.end_date else None,
        "date_precision": result.date_precision,
        "status": result.status,
        "countries": [
            country_link(str(country.code).lower(), request, has_resource=False)
            for country in result.countries
        ],
        "source": numbers.get(result.source_id)
        if numbers is not None
        else {
            "title": translated(result.source, "title"),
            "url": result.source.url or None,
            "checked_on": result.source.checked_on.isoformat()
            if result.source.checked_on
            else None,
        },
    }


def programme_data(programme, request, geography=None, figures=None):
    """`geography` (content/geography.py) spares a query per programme in lists.

    Key facts and results come with `figures` (a programme's own answer:
    facts.figures_of); lists give null there. `key_figures` (period, budget,
    stated countries) come in every answer, read with the programme.
    """
    numbers = {
        source.pk: number
        for number, source in enumerate(programme.sources.all(), start=1)
    }
    budget = None
    if programme.budget_amount is not None:
        # A string keeps the decimal amount exact.
        budget = {
            "amount": str(programme.budget_amount),
            "currency": programme.budget_currency,
        }
    return {
        "id": programme.pk,
        "url": api_url(request, "programme_detail", pk=programme.pk),
        "html_url": html_url(request, programme),
        "slug": translated(programme, "slug"),
        "acronym": programme.acronym,
        "name": translated(programme, "name"),
        "summary": translated(programme, "summary"),
        **rich_text(programme, "description"),
        "website": translated(programme, "website"),
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "stage": programme.stage or None,
        "stage_label": (
            label_in_each_language(
                ("stage", programme.stage), programme.get_stage_display
            )
            if programme.stage
            else None
        ),
        "budget": budget,
        "stated_country_count": programme.stated_country_count,
        # Where start_year, end_year, budget and stated_country_count come
        # from: the key facts measuring them, with their date and source.
        "key_figures": {
            measure: key_fact_data(figure, numbers) if figure else None
            for measure, figure in programme.key_figures.items()
        },
        "facts_note": translated(programme, "facts_note"),
        "organisations": [
            organisation_link(participation.organisation, request) | role(participation)
            for participation in programme.participations.all()
        ],
        "regions": [
            region_link(region, request)
            for region in (
                geography.regions_of(programme)
                if geography
                else programme.benefited_regions
            )
        ],
        "countries": [
            country_link(country.code.lower(), request)
            for country in programme.beneficiary_countries
        ],
        "sources": [
            {
                "number": number,
                "title": translated(source, "title"),
                "url": source.url or None,
                "address_note": translated(source, "address_note")
                if not source.url
                else None,
                "language": source.language or None,
                "checked_on": source.checked_on.isoformat()
                if source.checked_on
                else None,
            }
            for number, source in enumerate(programme.sources.all(), start=1)
        ],
        "key_facts": [key_fact_data(fact, numbers) for fact in figures.key_facts]
        if figures
        else None,
        "results": [result_data(result, request, numbers) for result in figures.results]
        if figures
        else None,
        "updated_at": timestamp(programme.updated_at),
    }


def organisation_data(organisation, request):
    return {
        "id": organisation.pk,
        "url": api_url(request, "organisation_detail", pk=organisation.pk),
        "html_url": html_url(request, organisation),
        "slug": translated(organisation, "slug"),
        "acronym": translated(organisation, "acronym"),
        "name": translated(organisation, "name"),
        "kind": organisation.kind,
        "kind_label": label_in_each_language(
            ("kind", organisation.kind), organisation.get_kind_display
        ),
        **rich_text(organisation, "description"),
        "website": organisation.website or None,
        "programmes": [
            programme_link(participation.programme, request) | role(participation)
            for participation in organisation.published_participations
        ],
        "updated_at": timestamp(organisation.updated_at),
    }


def region_data(region, request, beneficiary_codes):
    return {
        "id": region.pk,
        "url": api_url(request, "region_detail", pk=region.pk),
        "html_url": html_url(request, region),
        "slug": translated(region, "slug"),
        "name": translated(region, "name"),
        "countries": [
            country_link(
                country.code.lower(), request, country.code in beneficiary_codes
            )
            for country in region.countries
        ],
        "programmes": [
            programme_link(programme, request)
            for programme in region.published_programmes
        ],
        "within": [region_link(parent, request) for parent in region.parents],
        "includes": [region_link(child, request) for child in region.children],
        "updated_at": timestamp(region.updated_at),
    }


def country_data(country, request):
    """`country` is a queries.BeneficiaryCountry."""
    return country_link(country.code, request) | {
        "html_url": country_html_url(request, country.code),
        "programmes": [
            programme_link(programme, request) for programme in country.programmes
        ],
        "regions": [region_link(region, request) for region in country.regions],
        "results": [
            programme_link(result.programme, request)
            | {"result": result_data(result, request)}
            for result in country.results
        ],
    }
