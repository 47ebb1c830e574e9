"""Site search: programmes, organisations, regions and countries.

A search looks at the text shown in the page's language (with
modeltranslation's fallbacks), ignoring case and accents. Names and acronyms
match in every language, as visitors type them ("UNODC" on the French site
finds the ONUDC, "Équateur" on the English site finds Ecuador); results are
shown in the page's language. A query naming a country or a region also finds
the programmes that benefit it. Each word of the
query matches the words that start with it, after a plural "s" is dropped:
"douane" finds "douanes", "customs" finds "customs" and "custom". Every word of
the query must match somewhere in a result.

Programmes, organisations and regions are found through the search index
(programmes/content/search_index.py: the folded words of each object in each
language, written when it is saved), with SQLite's FTS5, PostgreSQL's
full-text search or, without either, LIKE; results are ranked and paginated.
Countries are matched here: their names are not in the database.

Results are highlighted in Python for every database: the text is escaped
first, then the matching words are wrapped in <mark>.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from programmes.content.geography import Geography
from programmes.content.models import Organisation, Programme, Region
from programmes.content.rich_text import plain_text
from programmes.content.search_index import (
    DOCUMENT,
    FTS_TABLE,
    WORD,
    SearchEntry,
    document_vector,
    fold,
    has_fts5,
    text_search_configuration,
)
from programmes.countries import countries_sorted_by_name, naming_country
from programmes.languages import language_codes

MAX_QUERY_LENGTH = 200
# Bounds the work per search, whatever is typed.
MAX_TERMS = 10
EXCERPT_LENGTH = 240
# Skipped when the query has other words ("route de la cocaïne"), so that they
# do not highlight every "la..." of the page.
FRENCH_STOP_WORDS = "au aux de des du en et la le les un une"
ENGLISH_STOP_WORDS = "a an and for in of on the to"
STOP_WORDS = frozenset(f"{FRENCH_STOP_WORDS} {ENGLISH_STOP_WORDS}".split())
RESULTS_PER_PAGE = 20
# The kinds the index holds, in the order of the page's groups.
KINDS = ("programme", "organisation", "region")
# (kind, HTML id, heading) of each group, in the page's order.
GROUPS = (
    ("programme", "programmes", _("Programmes")),
    ("organisation", "organisations", _("Organisations")),
    ("region", "regions", _("Regions")),
    ("country", "countries", _("Countries")),
)


def clean_query(raw):
    """The query as searched and shown, and whether it had to be cut.

    Control and invisible format characters (NUL...) become spaces, runs of
    spaces one space, and the query is cut to MAX_QUERY_LENGTH characters.
    """
    text = "".join(
        " " if unicodedata.category(char).startswith("C") else char for char in raw
    )
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].rstrip(), len(text) > MAX_QUERY_LENGTH


BREAKING_SPACES = re.compile(r"[^\S\u00a0\u202f]+")


def stem(word):
    """The start every matching word must have: the word without a plural mark."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if len(word) > 4 and word.endswith(("eaux", "eux")):  # réseaux, feux
        return word[:-1]
    return word


def search_terms(query):
    """The folded, stemmed words to look for; [] when there is nothing to search.

    Single letters (the "l" of "l’Ouest") are skipped, and so are stop words
    unless the query has nothing else.
    """
    words = [word for word in WORD.findall(fold(query)) if len(word) > 1]
    meaningful = [word for word in words if word not in STOP_WORDS]
    terms = []
    for word in meaningful or words:
        term = stem(word)
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


class Matcher:
    """Finds and highlights the words of a text that start with a search term."""

    def __init__(self, terms):
        self.terms = terms

    def terms_of(self, word):
        folded = fold(word)
        return {term for term in self.terms if folded.startswith(term)}

    def terms_in(self, text):
        found = set()
        for word in set(WORD.findall(unicodedata.normalize("NFC", text))):
            found |= self.terms_of(word)
        return found

    def highlight(self, text):
        """`text`, escaped, with each matching word wrapped in <mark>."""
        text = unicodedata.normalize("NFC", text)
        parts, position = [], 0
        for match in WORD.finditer(text):
            if self.terms_of(match.group()):
                parts.append(escape(text[position : match.start()]))
                parts.append(format_html("<mark>{}</mark>", match.group()))
                position = match.end()
        parts.append(escape(text[position:]))
        return mark_safe("".join(parts))  # every part was escaped above

    def excerpt(self, text, length=EXCERPT_LENGTH):
        """About `length` characters of `text` around its first match, highlighted."""
        # Runs of spaces become one, but a no-break space stays: French puts
        # one before "?" or ";" so that a line never starts with them.
        text = BREAKING_SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
        if len(text) <= length:
            return self.highlight(text)
        first = next(
            (m.start() for m in WORD.finditer(text) if self.terms_of(m.group())), 0
        )
        # Start a little before the match, at the beginning of a word.
        start = text.rfind(" ", 0, max(0, first - length // 3)) + 1
        end = start + length
        if end < len(text):
            end = text.rfind(" ", start, end) if " " in text[start:end] else end
        prefix = "… " if start else ""
        suffix = " …" if end < len(text) else ""
        return format_html("{}{}{}", prefix, self.highlight(text[start:end]), suffix)


@dataclass
class SearchResult:
    url: str
    title: str  # safe HTML, highlighted
    title_language: str = ""  # language of the title's text, when known
    excerpt: str = ""  # safe HTML, highlighted
    excerpt_language: str = ""
    detail: str = ""  # plain text shown under the result


@dataclass
class ResultGroup:
    kind: str  # programmes, organisations, regions, countries (HTML ids)
    heading: str
    results: list = field(default_factory=list)  # those of this page
    count: int = 0  # on every page


class SiteSearch:
    """One search of the site in the active language: `SiteSearch(request.GET["q"])`.

    The index (programmes/content/search_index.py) gives the matching
    programmes, organisations and regions, best first; countries are matched
    here, by name. Results come RESULTS_PER_PAGE at a time, in the order of the
    groups; only the page's objects are read and highlighted. The number of SQL
    queries does not depend on the amount of content (six at most).
    """

    max_length = MAX_QUERY_LENGTH
    per_page = RESULTS_PER_PAGE

    def __init__(self, raw_query, page_number=None):
        self.query, self.was_cut = clean_query(raw_query)
        self.terms = search_terms(self.query)
        self.matcher = Matcher(self.terms)
        self.groups, self.result_count, self.page_obj = [], 0, None
        if self.terms:
            self._search(page_number)

    def query_for(self, language_code):
        """The query string of this page in `language_code` (see alternate_url)."""
        return {"q": self.query} if self.query else {}

    def _search(self, page_number):
        hits = index_hits(self.terms, get_language())
        found = {
            kind: [pk for hit_kind, pk in hits if hit_kind == kind] for kind in KINDS
        }
        countries = self._matching_countries()
        found["programme"] += self._benefiting(
            found["programme"], found["region"], [c.code for c, _n in countries]
        )
        ordered = [(kind, pk) for kind in KINDS for pk in found[kind]]
        ordered += [("country", item) for item in countries]
        self.result_count = len(ordered)
        self.page_obj = Paginator(ordered, self.per_page).get_page(page_number)
        on_page = {kind: [] for kind in (*KINDS, "country")}
        for kind, item in self.page_obj:
            on_page[kind].append(item)
        results = {
            "programme": self._programmes(on_page["programme"]),
            "organisation": self._organisations(on_page["organisation"]),
            "region": self._regions(on_page["region"]),
            "country": self._countries(on_page["country"]),
        }
        counts = {kind: len(found[kind]) for kind in KINDS} | {
            "country": len(countries)
        }
        self.groups = [
            ResultGroup(html_id, heading, results[kind], counts[kind])
            for kind, html_id, heading in GROUPS
            if results[kind]
        ]

    @staticmethod
    def _benefiting(matching, region_ids, country_codes):
        """The published programmes of the regions or countries the query names,
        other than those its words already found, in the list's order."""
        if not (region_ids or country_codes):
            return []
        already = set(matching)
        linked = Programme.objects.published().filter(
            benefiting(region_ids, country_codes)
        )
        return [pk for pk in linked.values_list("pk", flat=True) if pk not in already]

    def _programmes(self, pks):
        if not pks:
            return []
        programmes = Programme.objects.published().in_bulk(pks)
        return [
            SearchResult(
                url=programme.get_absolute_url(),
                title=self.matcher.highlight(programme.title),
                title_language=programme.language_of("name"),
                **self._excerpt(programme, ("summary", "description")),
            )
            for programme in (programmes[pk] for pk in pks if pk in programmes)
        ]

    def _organisations(self, pks):
        if not pks:
            return []
        organisations = Organisation.objects.published().in_bulk(pks)
        results = []
        for organisation in (organisations[pk] for pk in pks if pk in organisations):
            title = self.matcher.highlight(organisation.name)
            if organisation.acronym:
                title = format_html(
                    "{} ({})", title, self.matcher.highlight(organisation.acronym)
                )
            results.append(
                SearchResult(
                    url=organisation.get_absolute_url(),
                    title=title,
                    title_language=organisation.language_of("name"),
                    detail=organisation.get_kind_display(),
                    **self._excerpt(organisation, ("description",)),
                )
            )
        return results

    def _regions(self, pks):
        if not pks:
            return []
        regions = Region.objects.published().in_bulk(pks)
        return [
            SearchResult(
                url=region.get_absolute_url(),
                title=self.matcher.highlight(region.name),
                title_language=region.language_of("name"),
            )
            for region in (regions[pk] for pk in pks if pk in regions)
        ]

    def _matching_countries(self):
        """[(country, number of programmes)] whose name, in any language, has
        every term. Only the countries of published programmes have a page."""
        wanted = set(self.terms)
        return [
            (country, count)
            for country, count in Programme.objects.published().beneficiary_countries()
            if set().union(
                *(self.matcher.terms_in(name) for name in country_names(country.code))
            )
            == wanted
        ]

    def _countries(self, countries):
        return [
            SearchResult(
                url=reverse(
                    "programmes:country_detail", kwargs={"code": country.code.lower()}
                ),
                title=self.matcher.highlight(country.name),
                title_language=get_language(),
                detail=ngettext(
                    "%(counter)s programme", "%(counter)s programmes", count
                )
                % {"counter": count},
            )
            for country, count in countries
        ]

    def _excerpt(self, obj, field_names):
        """The first field with a match (else the first field), as an excerpt."""
        for name in field_names:
            if self.matcher.terms_in(shown_text(obj, name)):
                break
        else:
            name = field_names[0]
        return {
            "excerpt": self.matcher.excerpt(shown_text(obj, name)),
            "excerpt_language": obj.language_of(name),
        }


def index_hits(terms, language):
    """[(kind, pk)] of the published objects whose entry in `language` has a
    word starting with each term, best ranked first (one query).

    Ranked by the columns the terms are in: names count most, then the
    summary, then the description. SQLite's FTS5 where the migration made its
    table, PostgreSQL's full-text search ('simple' and the language's own
    configuration: text_search_configuration), LIKE otherwise. The terms hold
    only letters and digits (WORD), so they cannot break a query's syntax.
    """
    published_sql, published_params = [], []
    for kind, model in zip(KINDS, (Programme, Organisation, Region), strict=True):
        sql, params = model.objects.published().values("pk").query.sql_with_params()
        published_sql.append(f"e.{kind}_id IN ({sql})")
        published_params += params
    published_sql = " OR ".join(published_sql)
    table = SearchEntry._meta.db_table
    if has_fts5():
        match = " AND ".join(f'"{term}"*' for term in terms)
        sql = (
            f"SELECT e.programme_id, e.organisation_id, e.region_id FROM {FTS_TABLE} "
            f"JOIN {table} e ON e.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND e.language = %s AND ({published_sql}) "
            f"ORDER BY bm25({FTS_TABLE}, 3.0, 2.0, 1.0), e.id"
        )
        params = [match, language, *published_params]
    elif connection.vendor == "postgresql":
        # Each term matches the words it starts ('simple': as typed) or, with
        # the language's stemmer, their other forms ("trafficked" finds
        # "trafficking"; the stemmer's stop words alone leave 'simple').
        configs = list(dict.fromkeys(["simple", text_search_configuration(language)]))
        term_query = " || ".join(
            f"to_tsquery('{config}'::regconfig, %s)" for config in configs
        )
        weighted = " || ".join(
            f"setweight({document_vector(language, f'e.{column}')}, '{weight}')"
            for column, weight in (("names", "A"), ("summary", "B"), ("body", "C"))
        )
        query = " && ".join(f"({term_query})" for _term in terms)
        sql = (
            f"SELECT e.programme_id, e.organisation_id, e.region_id FROM {table} e, "
            f"(SELECT {query} AS query) terms "
            # The expression and language of its partial index (search_index.py).
            f"WHERE ({document_vector(language, DOCUMENT)}) @@ terms.query "
            f"AND e.language = %s AND ({published_sql}) "
            f"ORDER BY ts_rank({weighted}, terms.query) DESC, e.id"
        )
        params = [
            *(f"{term}:*" for term in terms for _config in configs),
            language,
            *published_params,
        ]
    else:
        # Every word follows a space: ' ' || text LIKE '% term%' finds the
        # words starting with the term. The score counts the columns' weights.
        def has(column, term):
            return f"(' ' || e.{column} LIKE %s)"

        score = " + ".join(
            f"{weight} * {has(column, term)}"
            for term in terms
            for column, weight in (("names", 3), ("summary", 2), ("body", 1))
        )
        every_term = " AND ".join(
            "("
            + " OR ".join(has(column, term) for column in ("names", "summary", "body"))
            + ")"
            for term in terms
        )
        patterns = [f"% {term}%" for term in terms]
        sql = (
            f"SELECT e.programme_id, e.organisation_id, e.region_id FROM {table} e "
            f"WHERE {every_term} AND e.language = %s AND ({published_sql}) "
            f"ORDER BY {score} DESC, e.id"
        )
        params = [
            *(p for p in patterns for _column in range(3)),
            language,
            *published_params,
            *(p for p in patterns for _column in range(3)),
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (kind, pk)
            for row in cursor.fetchall()
            for kind, pk in zip(KINDS, row, strict=True)
            if pk is not None
        ]


def benefiting(region_ids, country_codes):
    """A filter on programmes: those that benefit one of the regions (the rule
    of programmes/content/geography.py) or whose beneficiary countries include
    one of the codes (an empty Q without any)."""
    condition = Q()
    if region_ids:
        geography = Geography.published()
        for region in geography.regions:
            if region.pk in region_ids:
                condition |= geography.benefiting_q(region)
    for code in country_codes:
        condition |= naming_country("beneficiary_countries", code)
    return condition


def country_names(code):
    """The country's name in every language of the site."""
    return [
        countries_sorted_by_name((code,), language)[0].name
        for language in language_codes()
    ]


def shown_text(obj, field_name):
    """A field's text as read on the page: rich text without its markup."""
    value = getattr(obj, field_name) or ""
    if field_name in getattr(obj, "rich_text_fields", ()):
        return plain_text(value)
    return value
