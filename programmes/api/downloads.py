"""CSV downloads of the API's lists: one row per record, a column per language.

The programmes' rows, the largest, are made straight from the database's
values (a dict of columns per programme, the names of its organisations, its
regions from the Geography), with the API's own rules for fallbacks, names and
addresses: tests/test_csv.py checks them against the API's dicts. The other
lists' rows are built from the API's own dicts. All are written as they are
read: the response streams, the records are read from the database a thousand
at a time, and memory stays bounded whatever their number. A
record's own text columns hold only that language's text: an empty cell means
the record has no text in that language (the JSON says which language the
site shows instead). Names of related records are shown as the site shows
them.
"""

import csv
from dataclasses import dataclass
from itertools import islice

from django.db.models import F
from django.http import StreamingHttpResponse
from modeltranslation.utils import resolution_order

from programmes.content.addresses import STAND_IN_PK, STAND_IN_SLUG, AddressPattern
from programmes.content.facts import (
    MEASURES,
    KeyFact,
    figure_annotation,
    key_figure_annotations,
    row_from_json,
)
from programmes.content.rich_text import plain_text
from programmes.languages import language_codes

from . import queries
from .serializers import country_names, role_labels, timestamp, translated

# A spreadsheet runs a cell starting with one of these as a formula
# (OWASP "CSV injection"): such text is prefixed with an apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def value(key):
    return [(key, lambda item: item[key])]


def own_text(key):
    """key_fr, key_en: the record's text in each language, without fallbacks."""
    return [
        (
            f"{key}_{code}",
            lambda item, code=code: (
                "" if code in item[key].get("fallback", {}) else item[key][code]
            ),
        )
        for code in language_codes()
    ]


def per_language(column, get):
    return [
        (f"{column}_{code}", lambda item, code=code: get(item)[code])
        for code in language_codes()
    ]


def names(key, with_role=False):
    """key_fr, key_en: the linked records' names, separated by semicolons."""

    def in_language(item, code):
        return "; ".join(
            f"{link['name'][code]} ({link['role_label'][code]})"
            if with_role
            else link["name"][code]
            for link in item[key]
        )

    return [
        (f"{key}_{code}", lambda item, code=code: in_language(item, code))
        for code in language_codes()
    ]


def codes(key):
    return [(key, lambda item: " ".join(link["code"] for link in item[key]))]


def links():
    return [
        *per_language("page", lambda item: item["html_url"]),
        ("api_url", lambda item: item["url"]),
    ]


ORGANISATION_COLUMNS = [
    *value("id"),
    *own_text("acronym"),
    *own_text("name"),
    *value("kind"),
    *per_language("kind_label", lambda item: item["kind_label"]),
    *own_text("description"),
    *value("website"),
    *names("programmes", with_role=True),
    *links(),
    *value("updated_at"),
]

REGION_COLUMNS = [
    *value("id"),
    *own_text("name"),
    *codes("countries"),
    *names("within"),
    *names("includes"),
    *names("programmes"),
    *links(),
    *value("updated_at"),
]

COUNTRY_COLUMNS = [
    *value("code"),
    *per_language("name", lambda item: item["name"]),
    *names("programmes"),
    *names("regions"),
    *links(),
]


# --- Programmes, from the database's values ------------------------------------


@dataclass
class ProgrammeRow:
    values: dict  # the programme's columns (queries.programme_values)
    organisations: list  # dicts: role and the organisation's names
    countries: list  # uppercase codes, in the stored order
    regions: list  # {code: name} of each region it benefits
    figures: dict  # {measure: KeyFact or None}, with source_url and source titles
    pages: dict  # {code: address of its page}
    api_url: str


def stored(row, field, code, convert=None):
    """The record's own text in `code` ("" when it has none), as own_text."""
    value = row[f"{field}_{code}"]
    if not value:
        return ""
    return str(convert(value)) if convert else value


def shown(row, field, code, prefix=""):
    """The text the site shows in `code`: modeltranslation's fallback order,
    as serializers.translated and the models' own attributes follow it."""
    for source in resolution_order(code):
        if value := row[f"{prefix}{field}_{source}"]:
            return value
    return ""


def own(name, convert=None):
    return [
        (
            f"{name}_{code}",
            lambda row, code=code: stored(row.values, name, code, convert),
        )
        for code in language_codes()
    ]


def field(name, convert=None):
    return [
        (
            name,
            lambda row: convert(row.values[name]) if convert else row.values[name],
        )
    ]


def country_codes(row):
    """The API's lowercase codes, from the column as stored ("GH,NG")."""
    return [code.lower() for code in row.countries]


def per_code(column, get):
    return [
        (f"{column}_{code}", lambda row, code=code: get(row, code))
        for code in language_codes()
    ]


def figure_value(measure, read):
    """A figure's value (None when the programme has no key fact measuring it)."""

    def get(row):
        figure = row.figures[measure]
        return None if figure is None else read(figure)

    return get


def figure_source(figure):
    """The address of the figure's source, else its title as the site shows it."""
    if figure.source_id is None:
        return None
    default = language_codes()[0]
    titles = (
        getattr(figure, f"source_title_{code}") for code in resolution_order(default)
    )
    return figure.source_url or next(filter(None, titles), None)


def key_figure_columns(measure):
    return [
        (
            f"{measure}_as_of",
            figure_value(measure, lambda f: f.as_of and f.as_of.isoformat()),
        ),
        (f"{measure}_status", figure_value(measure, lambda f: f.status)),
        (f"{measure}_source", figure_value(measure, figure_source)),
    ]


def whole(number):
    return None if number is None else int(number)


PROGRAMME_COLUMNS = [
    *field("id"),
    *field("acronym"),
    *own("name"),
    *own("summary"),
    *own("description", plain_text),
    # start_year ... stated_country_count: the key facts measuring them.
    ("start_year", figure_value("period", lambda f: f.first_year)),
    ("end_year", figure_value("period", lambda f: f.last_year)),
    ("stage", lambda row: row.values["stage"] or None),
    (
        "budget_amount",
        figure_value("budget", lambda f: None if f.number is None else str(f.number)),
    ),
    (
        "budget_currency",
        figure_value("budget", lambda f: None if f.number is None else f.currency),
    ),
    (
        "stated_country_count",
        figure_value("stated_countries", lambda f: whole(f.number)),
    ),
    ("countries", lambda row: " ".join(country_codes(row))),
    *per_code(
        "countries",
        lambda row, code: "; ".join(
            country_names(country)[code] for country in country_codes(row)
        ),
    ),
    *per_code(
        "regions", lambda row, code: "; ".join(names[code] for names in row.regions)
    ),
    *per_code(
        "organisations",
        lambda row, code: "; ".join(
            f"{shown(link, 'name', code, 'organisation__')} "
            f"({role_labels(link['role'])[code]})"
            for link in row.organisations
        ),
    ),
    *own("facts_note"),
    *own("website"),
    *per_code("page", lambda row, code: row.pages[code]),
    ("api_url", lambda row: row.api_url),
    *field("updated_at", timestamp),
    # Added after the first columns (whose names and order are a contract):
    # the date, status and source of start_year/end_year, budget and
    # stated_country_count.
    *key_figure_columns("period"),
    *key_figure_columns("budget"),
    *key_figure_columns("stated_countries"),
]


def address_maker(request, name, language=None, **placeholder):
    """address(value): the absolute address of `name` with `value` for its one
    argument, as request.build_absolute_uri(reverse(...)) gives it, with one
    reverse() (placeholder: argument=stand-in, content/addresses.py): three
    reverse() per programme made the CSV a third slower."""
    ((argument, stand_in),) = placeholder.items()
    pattern = AddressPattern(name, argument, stand_in)
    origin = request.build_absolute_uri("/")[:-1]
    return lambda value: origin + pattern(value, language)


def stored_codes(value):
    """A multiple CountryField's column as values() gives it: "GH,NG" (or a list)."""
    if isinstance(value, str):
        return [code for code in value.split(",") if code]
    return [getattr(country, "code", country) for country in value]


def programme_rows(request):
    """The ProgrammeRow of each published programme, read a chunk at a time."""
    codes = language_codes()
    every = sorted({source for code in codes for source in resolution_order(code)})
    translated_fields = [
        f"{name}_{code}"
        for name in ("name", "summary", "description", "facts_note", "website", "slug")
        for code in every
    ]
    # Each programme's key figures, with their source's address and titles.
    figures = key_figure_annotations(
        source_url=F("source__url"),
        **{f"source_title_{code}": F(f"source__title_{code}") for code in every},
    )
    values = queries.programme_values(
        "id",
        "acronym",
        "stage",
        "beneficiary_countries",
        "updated_at",
        *translated_fields,
        **figures,
    ).iterator(chunk_size=CHUNK_SIZE)
    geography = queries.Geography.published()
    region_names = {
        region.pk: translated(region, "name") for region in geography.regions
    }
    pages = {
        code: address_maker(
            request, "programmes:programme_detail", code, slug=STAND_IN_SLUG
        )
        for code in codes
    }
    api_url = address_maker(request, "api:programme_detail", pk=STAND_IN_PK)
    organisation_fields = [f"name_{code}" for code in every]
    while chunk := list(islice(values, CHUNK_SIZE)):
        organisations = queries.organisations_of(
            [row["id"] for row in chunk], *organisation_fields
        )
        for row in chunk:
            countries = [
                str(code) for code in stored_codes(row["beneficiary_countries"])
            ]
            yield ProgrammeRow(
                values=row,
                organisations=organisations[row["id"]],
                countries=countries,
                figures={
                    measure: row_from_json(KeyFact, row[figure_annotation(measure)])
                    for measure in MEASURES
                },
                regions=[
                    region_names[region.pk]
                    for region in geography.regions
                    if geography.benefited(row["id"], set(countries), region)
                ],
                pages={
                    code: make(shown(row, "slug", code)) for code, make in pages.items()
                },
                api_url=api_url(row["id"]),
            )


def cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


# Records read from the database at a time (their related records with them):
# memory holds this many, and the queries grow by one set per this many.
CHUNK_SIZE = 1000


class Line:
    """A file for csv.writer whose write() gives the line back."""

    def write(self, line):
        return line


def csv_response(filename, records, columns, data):
    """The CSV of `records` (a queryset, or a list), `data(record)` giving each
    one's dict."""
    if hasattr(records, "iterator"):
        records = records.iterator(chunk_size=CHUNK_SIZE)

    def lines():
        writer = csv.writer(Line())
        # A byte order mark makes spreadsheets read the file as UTF-8 (accents).
        yield "\ufeff" + writer.writerow([name for name, _get in columns])
        for record in records:
            item = data(record)
            yield writer.writerow([cell(get(item)) for _name, get in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
