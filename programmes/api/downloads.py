"""CSV downloads of the API's lists: one row per record, a column per language.

Rows are built from the API's own dicts, so the CSV and the JSON agree, and
written as they are read: the response streams, the records are read from the
database a thousand at a time, and memory stays bounded whatever their number. A
record's own text columns hold only that language's text: an empty cell means
the record has no text in that language (the JSON says which language the
site shows instead). Names of related records are shown as the site shows
them.
"""

import csv

from django.http import StreamingHttpResponse

from programmes.languages import language_codes

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


def key_figure_columns(measure):
    def figure(item):
        return item["key_figures"][measure] or {}

    def source(item):
        number = figure(item).get("source")
        found = [s for s in item["sources"] if s["number"] == number]
        if not found:
            return None
        return found[0]["url"] or next(iter(found[0]["title"].values()), None)

    return [
        (f"{measure}_as_of", lambda item: figure(item).get("as_of")),
        (f"{measure}_status", lambda item: figure(item).get("status")),
        (f"{measure}_source", source),
    ]


PROGRAMME_COLUMNS = [
    *value("id"),
    *value("acronym"),
    *own_text("name"),
    *own_text("summary"),
    *own_text("description"),
    *value("start_year"),
    *value("end_year"),
    *value("stage"),
    ("budget_amount", lambda item: item["budget"] and item["budget"]["amount"]),
    ("budget_currency", lambda item: item["budget"] and item["budget"]["currency"]),
    *value("stated_country_count"),
    *codes("countries"),
    *names("countries"),
    *names("regions"),
    *names("organisations", with_role=True),
    *own_text("facts_note"),
    *own_text("website"),
    *links(),
    *value("updated_at"),
    # Added after the first columns (whose names and order are a contract):
    # the date, status and source of start_year/end_year, budget and
    # stated_country_count.
    *key_figure_columns("period"),
    *key_figure_columns("budget"),
    *key_figure_columns("stated_countries"),
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
