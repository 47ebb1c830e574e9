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

On PostgreSQL, programmes and organisations are found by its full-text search
(the language's configuration, unaccent, ranking). Other databases (SQLite in
development and tests) fetch the candidate rows once, a few dozen at most, and
match them in Python. Regions and countries are always matched in Python:
there are a few dozen, and country names are not in the database.

Results are highlighted in Python for every database: the text is escaped
first, then the matching words are wrapped in <mark>.
"""

import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce

from django.db import connection
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from programmes.content.geography import Geography
from programmes.content.models import Organisation, Programme
from programmes.content.rich_text import plain_text
from programmes.countries import countries_sorted_by_name, naming_country
from programmes.languages import language_codes, sort_key

MAX_QUERY_LENGTH = 200
# Bounds the work per search, whatever is typed.
MAX_TERMS = 10
EXCERPT_LENGTH = 240
# Letters and digits: punctuation, underscores and symbols separate words, and
# nothing else can reach PostgreSQL's tsquery syntax.
WORD = re.compile(r"[^\W_]+")
# Skipped when the query has other words ("route de la cocaïne"), so that they
# do not highlight every "la..." of the page.
FRENCH_STOP_WORDS = "au aux de des du en et la le les un une"
ENGLISH_STOP_WORDS = "a an and for in of on the to"
STOP_WORDS = frozenset(f"{FRENCH_STOP_WORDS} {ENGLISH_STOP_WORDS}".split())
# PostgreSQL text search configurations; "simple" for any other language.
SEARCH_CONFIGURATIONS = {"fr": "french", "en": "english"}

# Fields searched, with their weight in the ranking (3 counts most).
PROGRAMME_FIELDS = {"name": 3, "acronym": 3, "summary": 2, "description": 1}
ORGANISATION_FIELDS = {"name": 3, "acronym": 3, "description": 1}
REGION_FIELDS = {"name": 3}
POSTGRES_WEIGHTS = {3: "A", 2: "B", 1: "C"}
# Matched in every language, not only the page's: visitors type the name or
# acronym they know, whatever the language of the page.
ANY_LANGUAGE_FIELDS = frozenset({"name", "acronym"})


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


def fold(text):
    """Lower case without accents: "Cocaïne" and "COCAINE" both give "cocaine"."""
    for ligature, letters in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE")):
        text = text.replace(ligature, letters)
    return sort_key(text)


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
    results: list = field(default_factory=list)


class SiteSearch:
    """One search of the site in the active language: `SiteSearch(request.GET["q"])`.

    The number of SQL queries does not depend on the amount of content: one per
    kind of result.
    """

    max_length = MAX_QUERY_LENGTH

    def __init__(self, raw_query):
        self.query, self.was_cut = clean_query(raw_query)
        self.terms = search_terms(self.query)
        self.matcher = Matcher(self.terms)
        self.groups = self._search() if self.terms else []

    @property
    def result_count(self):
        return sum(len(group.results) for group in self.groups)

    def query_for(self, language_code):
        """The query string of this page in `language_code` (see alternate_url)."""
        return {"q": self.query} if self.query else {}

    def _search(self):
        geography = Geography.published()
        regions = self._matching_in_python(geography.regions, REGION_FIELDS)
        countries = self._matching_countries()
        programmes = self._programmes(
            benefiting=benefiting(
                geography, regions, [country.code for country, _n in countries]
            )
        )
        groups = [
            ResultGroup("programmes", _("Programmes"), programmes),
            ResultGroup("organisations", _("Organisations"), self._organisations()),
            ResultGroup("regions", _("Regions"), self._regions(regions)),
            ResultGroup("countries", _("Countries"), self._countries(countries)),
        ]
        return [group for group in groups if group.results]

    def _programmes(self, benefiting):
        benefits = (
            ExpressionWrapper(benefiting, output_field=BooleanField())
            if benefiting
            else Value(False, output_field=BooleanField())
        )
        queryset = Programme.objects.published().annotate(benefits=benefits)
        return [
            SearchResult(
                url=programme.get_absolute_url(),
                title=self.matcher.highlight(programme.title),
                title_language=programme.language_of("name"),
                **self._excerpt(programme, ("summary", "description")),
            )
            for programme in self._find(queryset, PROGRAMME_FIELDS)
        ]

    def _organisations(self):
        results = []
        for organisation in self._find(
            Organisation.objects.published(), ORGANISATION_FIELDS
        ):
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

    def _regions(self, regions):
        return [
            SearchResult(
                url=region.get_absolute_url(),
                title=self.matcher.highlight(region.name),
                title_language=region.language_of("name"),
            )
            for region in regions
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

    def _find(self, queryset, fields):
        if connection.vendor == "postgresql":
            return full_text_search(queryset, fields, self.terms, get_language())
        return self._matching_in_python(queryset, fields)

    def _matching_in_python(self, queryset, fields):
        """The rows whose text has every term, best matches first.

        Rows annotated `benefits` (programmes of a country or region the query
        names) are kept too, after the matches, as full_text_search does.
        """
        wanted = set(self.terms)
        scored = []
        for position, obj in enumerate(queryset):
            found, score = set(), 0
            for name, weight in fields.items():
                in_field = set().union(
                    *(self.matcher.terms_in(text) for text in searched_texts(obj, name))
                )
                found |= in_field
                score += weight * len(in_field)
            if found == wanted or getattr(obj, "benefits", False):
                # The position keeps the model's order among equal scores
                # (and, being unique, spares comparing the objects).
                scored.append((-score, position, obj))
        return [obj for _score, _position, obj in sorted(scored)]


def benefiting(geography, regions, country_codes):
    """A filter on programmes: those that benefit one of the regions (the rule
    of programmes/content/geography.py) or whose beneficiary countries include
    one of the codes (an empty Q without any)."""
    condition = Q()
    for region in regions:
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


def translated_columns(model, field_name):
    """The field's column in every language, or [] when it is not translated."""
    if field_name not in translator.get_options_for_model(model).get_field_names():
        return []
    return [build_localized_fieldname(field_name, code) for code in language_codes()]


def searched_texts(obj, field_name):
    """The texts of a field a search looks at: the shown text and, for names
    and acronyms, the text in every language."""
    texts = [shown_text(obj, field_name)]
    if field_name in ANY_LANGUAGE_FIELDS:
        texts += [
            getattr(obj, column) or ""
            for column in translated_columns(type(obj), field_name)
        ]
    return texts


def shown_text(obj, field_name):
    """A field's text as read on the page: rich text without its markup."""
    value = getattr(obj, field_name) or ""
    if field_name in getattr(obj, "rich_text_fields", ()):
        return plain_text(value)
    return value


class Unaccent(Func):
    function = "unaccent"
    output_field = TextField()


def shown_value(model, field_name, language):
    """The value modeltranslation shows for `field_name` in `language`, in SQL.

    The field in that language, else in its fallback languages, as the pages
    show it (AMERIPOL has no French name: French pages show the English one).
    """
    if field_name not in translator.get_options_for_model(model).get_field_names():
        return F(field_name)
    columns = [
        NullIf(F(build_localized_fieldname(field_name, code)), Value(""))
        for code in resolution_order(language)
    ]
    # The columns are distinct (modeltranslation) fields: name the result's type.
    if len(columns) > 1:
        return Coalesce(*columns, output_field=TextField())
    return columns[0]


def full_text_search(queryset, fields, terms, language):
    """PostgreSQL full-text search of `fields` (name: weight), best ranked first.

    Each term is a prefix (`douane:*`) and the language's configuration stems
    both sides, so "douane" finds "douanes". Names and acronyms are searched in
    every language too (as searched_texts does on other databases), with the
    page language's configuration. Rows annotated `benefits` are kept, ranked
    after the matches. Terms hold only letters and digits
    (see WORD), so they cannot break the tsquery syntax. Rich text is searched
    as stored: PostgreSQL's parser reads its tags (with their attributes) and
    entities as tokens of their own, which the french, english and simple
    configurations do not index, so "strong" or "href" find nothing.
    """
    # Imported here: django.contrib.postgres needs psycopg, which SQLite
    # installations do not have.
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    config = SEARCH_CONFIGURATIONS.get(language, "simple")
    model = queryset.model
    vector = reduce(
        operator.add,
        [
            SearchVector(Unaccent(text), config=config, weight=POSTGRES_WEIGHTS[weight])
            for name, weight in fields.items()
            for text in [
                shown_value(model, name, language),
                *(
                    F(column)
                    for column in translated_columns(model, name)
                    if name in ANY_LANGUAGE_FIELDS
                ),
            ]
        ],
    )
    query = SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config=config
    )
    found = Q(search=query)
    if "benefits" in queryset.query.annotations:
        found |= Q(benefits=True)
    return (
        queryset.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(found)
        .order_by("-rank", *queryset.model._meta.ordering)
    )
