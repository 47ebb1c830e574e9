"""The API's OpenAPI 3.1 description, written by hand.

tests/test_api.py validates this document and checks every real response of
every endpoint against the schema given here: change both together. The
language keys follow settings.LANGUAGES, so adding a language updates it.
"""

from django.conf import settings
from django.urls import reverse

from programmes.content.facts import FactStatus, KeyFact, Result
from programmes.content.models import OrganisationKind, Participation, ProgrammeStage
from programmes.languages import language_codes

from .responses import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE, READ_METHODS

DESCRIPTION = f"""\
Read-only open data about INTERPOL's programmes against drug trafficking: the
published programmes, the organisations that run and fund them, and the
regions and countries that benefit.

**Languages.** Every response carries all the site's languages
({", ".join(language_codes())}). Text people read is an object with one key per
language, holding the text the site shows in that language. When a record has
no text of its own in a language, the site shows another language's text: the
object then has a `fallback` member mapping that language to the language the
text really is in. `{{"fr": "AMERIPOL", "en": "AMERIPOL", "fallback": {{"fr":
"en"}}}}` means there is no French text: the French value is the English one.

**Descriptions.** `description` is plain text, paragraphs separated by a
blank line. `description_html` is the same text as the web page shows it:
HTML limited to the elements `p`, `h2` to `h4`, `ul`, `ol`, `li`, `a` (with
`href` and `title`; `rel="noopener"` on links to other sites), `strong`,
`em`, `abbr` (with `title`) and `br`.

**Identifiers.** Programmes, organisations and regions are identified by their
number (`id`), which never changes; their per-language `slug`s are the last
part of their web pages' addresses and may be edited. Countries are identified
by their lowercase ISO 3166-1 alpha-2 code, and listed in the order of their
codes. Only countries named by a published programme have a country resource.

**Lists** are paginated: `page` (from 1 to {MAX_PAGE:,}) and `page_size`
(default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}). Unknown query parameters
are ignored; a bad value of a known one answers 400 naming the parameter.

**Caching.** Responses carry `ETag` and `Last-Modified` (the last change to the
public data); send `If-None-Match` or `If-Modified-Since` to get 304 Not
Modified when nothing changed.

**Errors** are JSON: `{{"error": {{"status": 404, "message": "…"}}}}`, but for
414: the servers refuse a request line (method, address and query string)
over {settings.REQUEST_LINE_LIMIT} bytes before the API sees it.

**CORS.** Any origin may read the API (`Access-Control-Allow-Origin: *`). It
answers {READ_METHODS} only; other methods answer 405.

**CSV.** Each list is also a CSV file (UTF-8 with a byte order mark, one column
per language, an empty cell where a record has no text in that language).
"""

LICENCE_NOT_SPECIFIED = (
    "\n**Licence.** The publisher has not yet specified the licence of this data."
)

JSON = "application/json"


# --- Schema helpers -----------------------------------------------------------


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties, description=None):
    """A closed object: every property required, no other allowed."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def per_language(value_schema, description):
    return obj(dict.fromkeys(language_codes(), value_schema), description)


STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
ID = {"type": "integer", "minimum": 1}
YEAR = nullable({"type": "integer"})
TIMESTAMP = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}


def schemas():
    languages = language_codes()
    translated_text = per_language(
        STRING,
        "A text in every language, as the site shows it. `fallback` is present "
        "only when a language has no text of its own: it maps that language to "
        "the language whose text is given instead.",
    )
    translated_text["properties"]["fallback"] = {
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"enum": languages},
        "additionalProperties": {"enum": languages},
    }
    translated_text["examples"] = [
        {"fr": "AMERIPOL", "en": "AMERIPOL", "fallback": {"fr": "en"}}
    ]
    role = {
        "role": {"enum": list(Participation.Role.values)},
        "role_label": ref("Label"),
        "note": ref("TranslatedText"),
    }
    programme_link = {
        "id": ID,
        "url": URI,
        "acronym": STRING,
        "name": ref("TranslatedText"),
    }
    organisation_link = {
        "id": ID,
        "url": URI,
        "acronym": ref("TranslatedText"),
        "name": ref("TranslatedText"),
    }
    region_link = {"id": ID, "url": URI, "name": ref("TranslatedText")}
    country_link = {
        "code": ref("CountryCode"),
        "url": nullable(URI),
        "name": ref("Label"),
    }
    return {
        "TranslatedText": translated_text,
        "Label": per_language(STRING, "An interface label in every language."),
        "PageUrls": per_language(URI, "The public web page in each language."),
        "CountryCode": {
            "type": "string",
            "pattern": "^[a-z]{2}$",
            "description": "ISO 3166-1 alpha-2 code, lowercase.",
        },
        "FactStatus": {
            "enum": list(FactStatus.values),
            "description": "confirmed; stated by the programme but not "
            "independently confirmed; or unsourced (a value kept from before "
            "figures were sourced: no date, no source, not to be taken as "
            "fact).",
        },
        "KeyFact": obj(
            {
                "label": ref("TranslatedText"),
                "measure": {
                    "enum": list(KeyFact.Measure.values),
                    "description": "What it measures: the programme's period, "
                    "budget or stated number of beneficiary countries (one key "
                    "fact each, giving start_year, end_year, budget and "
                    "stated_country_count), or another figure.",
                },
                "value": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {
                        "kind": {"enum": list(KeyFact.Kind.values)},
                        "number": {
                            "type": "string",
                            "description": "A decimal number, as text.",
                        },
                        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "first_year": {"type": "integer"},
                        "last_year": YEAR,
                        "text": ref("TranslatedText"),
                    },
                    "additionalProperties": False,
                },
                "display": ref("Label"),
                "as_of": nullable(DATE),
                "status": ref("FactStatus"),
                "source": nullable(
                    {
                        "type": "integer",
                        "description": "The `number` of its source in the "
                        "programme's sources.",
                    }
                ),
            },
            "A dated, sourced figure.",
        ),
        "Result": obj(
            {
                "title": ref("TranslatedText"),
                "summary": ref("TranslatedText"),
                "start_date": DATE,
                "end_date": nullable(DATE),
                "date_precision": {"enum": list(Result.Precision.values)},
                "status": ref("FactStatus"),
                "countries": {"type": "array", "items": ref("CountryLink")},
                "source": {
                    "anyOf": [
                        {"type": "integer"},
                        obj(
                            {
                                "title": ref("TranslatedText"),
                                "url": nullable(URI),
                                "checked_on": nullable(DATE),
                            }
                        ),
                        {"type": "null"},
                    ],
                    "description": "In a programme, the `number` of its source; "
                    "in a country, the source itself.",
                },
            },
            "A dated result or operation, newest first.",
        ),
        "ProgrammeLink": obj(programme_link),
        "OrganisationLink": obj(organisation_link),
        "RegionLink": obj(region_link),
        "CountryLink": obj(
            country_link,
            "`url` is null for a country no published programme names.",
        ),
        "Programme": obj(
            {
                "id": ID,
                "url": URI,
                "html_url": ref("PageUrls"),
                "slug": ref("TranslatedText"),
                "acronym": STRING,
                "name": ref("TranslatedText"),
                "summary": ref("TranslatedText"),
                "description": ref("TranslatedText"),
                "description_html": ref("TranslatedText"),
                "website": ref("TranslatedText"),
                "start_year": YEAR,
                "end_year": YEAR,
                "stage": nullable({"enum": list(ProgrammeStage.values)}),
                "stage_label": nullable(ref("Label")),
                "budget": nullable(
                    obj(
                        {
                            "amount": {
                                "type": "string",
                                "pattern": r"^[0-9]+(\.[0-9]+)?$",
                                "description": "A decimal number, as text.",
                            },
                            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        }
                    )
                ),
                "stated_country_count": nullable({"type": "integer"}),
                "key_figures": obj(
                    {
                        measure: nullable(ref("KeyFact"))
                        for measure in KeyFact.Measure.values
                        if measure != KeyFact.Measure.OTHER
                    },
                    "The key facts that start_year and end_year (period), "
                    "budget and stated_country_count (stated_countries) come "
                    "from, each with its date, status and source; null when "
                    "none is published.",
                ),
                "facts_note": ref("TranslatedText"),
                "organisations": {
                    "type": "array",
                    "items": obj(organisation_link | role),
                    "description": "Each organisation's role in the programme.",
                },
                "regions": {
                    "type": "array",
                    "items": ref("RegionLink"),
                    "description": "The regions it benefits: those it names, "
                    "those they lie within or include, and those holding one of "
                    "its countries (the rule is in the README).",
                },
                "countries": {
                    "type": "array",
                    "items": ref("CountryLink"),
                    "description": "The beneficiary countries its sources name.",
                },
                "sources": {
                    "type": "array",
                    "items": obj(
                        {
                            "number": {"type": "integer", "minimum": 1},
                            "title": ref("TranslatedText"),
                            "url": nullable(URI),
                            "address_note": nullable(ref("TranslatedText")),
                            "language": nullable({"enum": languages}),
                            "checked_on": nullable(DATE),
                        }
                    ),
                    "description": "Numbered from 1: the notes that key facts "
                    "and results point to. A source without an address says why.",
                },
                "key_facts": nullable(
                    {
                        "type": "array",
                        "items": ref("KeyFact"),
                        "description": "In a programme's own answer; null in lists.",
                    }
                ),
                "results": nullable(
                    {
                        "type": "array",
                        "items": ref("Result"),
                        "description": "In a programme's own answer, newest "
                        "first; null in lists.",
                    }
                ),
                "updated_at": TIMESTAMP,
            },
            "A published programme.",
        ),
        "Organisation": obj(
            {
                "id": ID,
                "url": URI,
                "html_url": ref("PageUrls"),
                "slug": ref("TranslatedText"),
                "acronym": ref("TranslatedText"),
                "name": ref("TranslatedText"),
                "kind": {"enum": list(OrganisationKind.values)},
                "kind_label": ref("Label"),
                "description": ref("TranslatedText"),
                "description_html": ref("TranslatedText"),
                "website": nullable(URI),
                "programmes": {
                    "type": "array",
                    "items": obj(programme_link | role),
                    "description": "The published programmes it takes part in, "
                    "with its role in each.",
                },
                "updated_at": TIMESTAMP,
            }
        ),
        "Region": obj(
            {
                "id": ID,
                "url": URI,
                "html_url": ref("PageUrls"),
                "slug": ref("TranslatedText"),
                "name": ref("TranslatedText"),
                "countries": {
                    "type": "array",
                    "items": ref("CountryLink"),
                    "description": "The countries the region is made of.",
                },
                "programmes": {
                    "type": "array",
                    "items": ref("ProgrammeLink"),
                    "description": "The published programmes that benefit it "
                    "(the rule is in the README).",
                },
                "within": {
                    "type": "array",
                    "items": ref("RegionLink"),
                    "description": "The smallest regions whose countries include "
                    "all of its own (Africa for West Africa).",
                },
                "includes": {
                    "type": "array",
                    "items": ref("RegionLink"),
                    "description": "The largest regions made of some of its "
                    "countries (West Africa for Africa).",
                },
                "updated_at": TIMESTAMP,
            }
        ),
        "Country": obj(
            country_link
            | {
                "url": URI,
                "html_url": ref("PageUrls"),
                "programmes": {"type": "array", "items": ref("ProgrammeLink")},
                "regions": {
                    "type": "array",
                    "items": ref("RegionLink"),
                    "description": "The regions that contain it.",
                },
                "results": {
                    "type": "array",
                    "items": obj(programme_link | {"result": ref("Result")}),
                    "description": "The results and operations naming it.",
                },
            },
            "A country named by at least one published programme.",
        ),
        **{
            f"{name}Page": obj(
                {
                    "count": {"type": "integer", "minimum": 0},
                    "next": nullable(URI),
                    "previous": nullable(URI),
                    "results": {"type": "array", "items": ref(name)},
                }
            )
            for name in ("Programme", "Organisation", "Region", "Country")
        },
        "Index": obj(
            {
                "programmes": URI,
                "organisations": URI,
                "regions": URI,
                "countries": URI,
                "csv": obj(
                    {
                        "programmes": URI,
                        "organisations": URI,
                        "regions": URI,
                        "countries": URI,
                    }
                ),
                "openapi": URI,
            }
        ),
        "Error": obj(
            {
                "error": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "integer"},
                        "message": STRING,
                        "parameter": {
                            "type": "string",
                            "description": "The query parameter at fault.",
                        },
                    },
                    "required": ["status", "message"],
                    "additionalProperties": False,
                }
            }
        ),
    }


# --- Paths --------------------------------------------------------------------

VALIDATORS = {
    "ETag": {
        "description": "Changes whenever the public data changes.",
        "schema": STRING,
    },
    "Last-Modified": {
        "description": "When the public data last changed.",
        "schema": STRING,
    },
}


def json_content(schema):
    return {JSON: {"schema": schema}}


def error(description):
    return {"description": description, "content": json_content(ref("Error"))}


NOT_MODIFIED = {
    "description": "Not modified since the version named by If-None-Match or "
    "If-Modified-Since.",
    "headers": VALIDATORS,
}
CONDITIONAL_HEADERS = [
    {"name": "If-None-Match", "in": "header", "schema": STRING},
    {"name": "If-Modified-Since", "in": "header", "schema": STRING},
]
PAGE_PARAMETERS = [
    {
        "name": "page",
        "in": "query",
        "description": "Page number, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    {
        "name": "page_size",
        "in": "query",
        "description": "Items per page.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PAGE_SIZE,
            "default": DEFAULT_PAGE_SIZE,
        },
    },
]


def list_operation(name, plural, summary):
    return {
        "get": {
            "operationId": f"list{plural.capitalize()}",
            "summary": summary,
            "tags": [plural],
            "parameters": PAGE_PARAMETERS + CONDITIONAL_HEADERS,
            "responses": {
                "200": {
                    "description": f"A page of {plural}.",
                    "headers": VALIDATORS,
                    "content": json_content(ref(f"{name}Page")),
                },
                "304": NOT_MODIFIED,
                "400": error("A bad page or page_size (named in the error)."),
                "404": error("A page after the last one."),
            },
        }
    }


def detail_operation(name, plural, parameter, summary):
    return {
        "get": {
            "operationId": f"get{name}",
            "summary": summary,
            "tags": [plural],
            "parameters": [parameter] + CONDITIONAL_HEADERS,
            "responses": {
                "200": {
                    "description": f"One {name.lower()}.",
                    "headers": VALIDATORS,
                    "content": json_content(ref(name)),
                },
                "304": NOT_MODIFIED,
                "404": error(f"No such {name.lower()}."),
            },
        }
    }


def csv_operation(plural):
    return {
        "get": {
            "operationId": f"download{plural.capitalize()}",
            "summary": f"All the {plural} as CSV: a row each, a column per language.",
            "tags": [plural],
            "parameters": CONDITIONAL_HEADERS,
            "responses": {
                "200": {
                    "description": "A CSV file, UTF-8 with a byte order mark; "
                    "the first row names the columns.",
                    "headers": VALIDATORS
                    | {
                        "Content-Disposition": {
                            "schema": STRING,
                            "description": f"attachment; filename={plural}.csv",
                        }
                    },
                    "content": {"text/csv": {"schema": STRING}},
                },
                "304": NOT_MODIFIED,
            },
        }
    }


ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The record's number, which never changes.",
    "schema": ID,
}
CODE_PARAMETER = {
    "name": "code",
    "in": "path",
    "required": True,
    "description": "Lowercase ISO 3166-1 alpha-2 code.",
    "schema": ref("CountryCode"),
}


def paths():
    resources = [
        ("Programme", "programmes", "{id}", ID_PARAMETER),
        ("Organisation", "organisations", "{id}", ID_PARAMETER),
        ("Region", "regions", "{id}", ID_PARAMETER),
        ("Country", "countries", "{code}", CODE_PARAMETER),
    ]
    described = {
        "/": {
            "get": {
                "operationId": "index",
                "summary": "The addresses of every list and download.",
                "responses": {
                    "200": {
                        "description": "Links.",
                        "content": json_content(ref("Index")),
                    }
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description.",
                "responses": {
                    "200": {
                        "description": "The OpenAPI document.",
                        "content": json_content({"type": "object"}),
                    }
                },
            }
        },
    }
    for name, plural, key, parameter in resources:
        described[f"/{plural}/"] = list_operation(
            name,
            plural,
            f"The {'published ' if name == 'Programme' else ''}{plural}, in pages.",
        )
        described[f"/{plural}/{key}/"] = detail_operation(
            name, plural, parameter, f"One {name.lower()}."
        )
        described[f"/{plural}.csv"] = csv_operation(plural)
    for operations in described.values():
        operations["get"]["responses"]["414"] = request_line_too_long()
    return described


def request_line_too_long():
    # The server's own refusal (gunicorn, or nginx in front), not the API's:
    # its body is not JSON.
    return {
        "description": "URI Too Long: the request line (method, address and "
        f"query string) is over {settings.REQUEST_LINE_LIMIT} bytes.",
    }


def licence():
    """info.license, when the publisher has stated one (never assumed)."""
    name = settings.OPEN_DATA_LICENCE["name"]
    if not name:
        return None
    return {"name": name} | (
        {"url": settings.OPEN_DATA_LICENCE["url"]}
        if settings.OPEN_DATA_LICENCE["url"]
        else {}
    )


def document(request):
    info = {
        "title": "INTERPOL programmes against drug trafficking: open data",
        "version": "1.1.0",  # 1.1: key_figures, and the CSV columns after them
        "description": DESCRIPTION,
    }
    if licence_info := licence():
        info["license"] = licence_info
    else:
        info["description"] += LICENCE_NOT_SPECIFIED
    return {
        "openapi": "3.1.0",
        "info": info,
        "servers": [
            {"url": request.build_absolute_uri(reverse("api:index")).rstrip("/")}
        ],
        "paths": paths(),
        "components": {"schemas": schemas()},
    }
