"""The sitemap: every public page in every language, with hreflang alternates.

/sitemap.xml is an index (django.contrib.sitemaps.views.index) naming one
sitemap per section, /sitemap-programmes.xml and so on, each cut into pages of
LIMIT addresses (?p=2, as Django's index names them). Whatever the amount of
content, an answer costs one page of records: the index counts them and reads
each section's newest change with one aggregate, and a section page reads its
slice of records only. Addresses are built without one reverse() per record
and language: the pattern is reversed once per language with a stand-in slug
(content/addresses.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Count, Max, Value
from django.urls import reverse
from django.utils.functional import cached_property

from programmes.content.addresses import STAND_IN_SLUG, AddressPattern
from programmes.content.geography import Geography
from programmes.content.models import HomePage, Organisation, Programme, Region

from .fallbacks import hreflang_alternates, hreflang_languages


def newest_changes():
    """{model: when its newest published object changed}, in one query.

    One aggregate per model, joined by UNION ALL: the sitemap stays within the
    page query budget (tests/test_queries.py) whatever the amount of content.
    """
    models = [Programme, Organisation, Region]
    parts = [
        # Value() adds no GROUP BY: one row per model, even with nothing published.
        model.objects.published()
        .order_by()
        .annotate(part=Value(index))
        .values("part")
        .annotate(newest=Max("updated_at"))
        for index, model in enumerate(models)
    ]
    rows = parts[0].union(*parts[1:], all=True)
    return {models[row["part"]]: row["newest"] for row in rows}


# Addresses (every language counted) a sitemap page lists: well under the
# protocol's 50,000 and 50 MB, so a page stays a few hundred kilobytes and
# is made in under 200 ms (2,000 took 350 ms of CPU).
LIMIT = 1000


class InEachLanguage:
    """The (item, language) pairs Django's i18n sitemaps paginate, lazily.

    Django builds the list of every pair (every record of the section) to
    count them and cut one page. This sequence counts with one COUNT query and
    reads a page's slice of records only.
    """

    def __init__(self, items, languages, count):
        self.items = items
        self.languages = list(languages)
        self.count = count  # the records': a function, called when needed

    def __len__(self):
        if not hasattr(self, "_count"):
            self._count = self.count() * len(self.languages)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        size = len(self.languages)
        first, last = start // size, -(-stop // size)
        pairs = [
            (item, language)
            for item in self.items[first:last]
            for language in self.languages
        ]
        return pairs[start - first * size : stop - first * size]


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = LIMIT

    @cached_property
    def paginator(self):
        # Once per answer: the index reads the count, then the page number.
        return Paginator(self._items(), self.limit)

    def get_urls(self, page=1, site=None, protocol=None):
        """Django's URLs, with x-default as the pages themselves give it.

        Django makes x-default the default language's address without its
        prefix. Only "/" negotiates a language; /organisations/onudc/ would
        send an English reader to a French slug under /en/, a 404. So, like
        includes/alternates.html, x-default is "/" for the home page and the
        default language's page otherwise.
        """
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            by_language = {a["lang_code"]: a for a in url["alternates"]}
            x_default = by_language.get("x-default")
            if x_default and urlsplit(x_default["location"]).path != "/":
                x_default["location"] = by_language[settings.LANGUAGE_CODE]["location"]
            # Like the pages' <head>: hreflang names complete languages only.
            url["alternates"] = hreflang_alternates(
                url["alternates"], self.hreflang_languages(url["item"][0])
            )
        return urls

    def hreflang_languages(self, item):
        """The languages `item`'s page is complete in (fallbacks.py)."""
        return hreflang_languages(item)


class TranslatedSlugSitemap(I18nSitemap):
    """Objects' pages: one per language, at the language's slug or, in a
    language without one, at the default language's (content.bases.with_slug).
    """

    model = None
    url_name = ""

    def __init__(self):
        self.address = AddressPattern(self.url_name, "slug", STAND_IN_SLUG)

    def items(self):
        return self.model.objects.published().order_by("pk")

    @cached_property
    def summary(self):
        """How many records, and their newest change: one query for the index."""
        return self.items().aggregate(count=Count("pk"), newest=Max("updated_at"))

    @cached_property
    def paginator(self):
        pairs = InEachLanguage(
            self.items(), self._languages(), lambda: self.summary["count"]
        )
        return Paginator(pairs, self.limit)

    def location(self, item):
        # item.slug: modeltranslation's value in the active language, with
        # its fallback, as get_absolute_url() reads it.
        return self.address(item.slug)

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the index: the section's newest change, in one query."""
        return self.summary["newest"]


class IndexSitemap(I18nSitemap):
    """The home page and the lists; each last changed when what it shows did."""

    @cached_property
    def entries(self):
        self.home_page = HomePage.load()
        newest = newest_changes()
        return [
            ("home", newest.get(Programme)),
            ("programmes:programme_list", newest.get(Programme)),
            ("programmes:organisation_list", newest.get(Organisation)),
            ("programmes:region_list", newest.get(Region)),
            ("programmes:country_list", newest.get(Programme)),
        ]

    def items(self):
        return self.entries

    def location(self, item):
        return reverse(item[0])

    def hreflang_languages(self, item):
        # The lists' text is the interface's, complete in every language; the
        # home page's is the HomePage record's.
        return hreflang_languages(self.home_page if item[0] == "home" else None)

    def lastmod(self, item):
        return item[1]


class ProgrammeSitemap(TranslatedSlugSitemap):
    model = Programme
    url_name = "programmes:programme_detail"


class OrganisationSitemap(TranslatedSlugSitemap):
    model = Organisation
    url_name = "programmes:organisation_detail"


class RegionSitemap(TranslatedSlugSitemap):
    url_name = "programmes:region_detail"

    def items(self):
        # The published regions as geography.py reads them (once per content
        # version): the same regions every page and the API know. A few
        # dozen at most: a list, paginated by Django.
        return Geography.published().regions

    @cached_property
    def paginator(self):
        return Paginator(self._items(), self.limit)  # a list: Django's pairs

    def get_latest_lastmod(self):
        return max((region.updated_at for region in self.items()), default=None)


class CountrySitemap(I18nSitemap):
    """The countries published programmes name, each last changed with them."""

    def items(self):
        return self.entries

    @cached_property
    def entries(self):
        newest = {}
        rows = Programme.objects.published().values_list(
            "beneficiary_countries", "updated_at"
        )
        for codes, updated_at in rows:
            for code in codes.split(",") if codes else []:
                newest[code] = max(updated_at, newest.get(code, updated_at))
        return sorted(newest.items())

    def __init__(self):
        self.address = AddressPattern(
            "programmes:country_detail", "code", STAND_IN_SLUG
        )

    def location(self, item):
        return self.address(item[0].lower())

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "pages": IndexSitemap,
    "programmes": ProgrammeSitemap,
    "organisations": OrganisationSitemap,
    "regions": RegionSitemap,
    "countries": CountrySitemap,
}


def sitemap_index(request):
    """/sitemap.xml: Django's index of the sections' pages, leaving out the
    sections with nothing published (an empty <urlset> is not a valid sitemap)."""
    sections = {}
    for name, section in SITEMAPS.items():
        sitemap = section()
        if sitemap.paginator.count:
            sections[name] = sitemap
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap_section")
