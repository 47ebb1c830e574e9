"""The sitemap: every public page in every language, with hreflang alternates."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Value
from django.urls import reverse

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


class I18nSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

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

    def lastmod(self, item):
        return item.updated_at


class IndexSitemap(I18nSitemap):
    """The home page and the lists; each last changed when what it shows did."""

    def items(self):
        self.home_page = HomePage.load()
        newest = newest_changes()
        return [
            ("home", newest.get(Programme)),
            ("programmes:programme_list", newest.get(Programme)),
            ("programmes:organisation_list", newest.get(Organisation)),
            ("programmes:region_list", newest.get(Region)),
            ("programmes:country_list", newest.get(Programme)),
        ]

    def location(self, item):
        return reverse(item[0])

    def hreflang_languages(self, item):
        # The lists' text is the interface's, complete in every language; the
        # home page's is the HomePage record's.
        return hreflang_languages(self.home_page if item[0] == "home" else None)

    def lastmod(self, item):
        return item[1]


class ProgrammeSitemap(TranslatedSlugSitemap):
    def items(self):
        return Programme.objects.published()


class OrganisationSitemap(TranslatedSlugSitemap):
    def items(self):
        return Organisation.objects.published()


class RegionSitemap(TranslatedSlugSitemap):
    def items(self):
        # The published regions as geography.py reads them (once per content
        # version): the same regions every page and the API know.
        return Geography.published().regions


class CountrySitemap(I18nSitemap):
    """The countries published programmes name, each last changed with them."""

    def items(self):
        newest = {}
        rows = Programme.objects.published().values_list(
            "beneficiary_countries", "updated_at"
        )
        for codes, updated_at in rows:
            for code in codes.split(",") if codes else []:
                newest[code] = max(updated_at, newest.get(code, updated_at))
        return sorted(newest.items())

    def location(self, item):
        return reverse("programmes:country_detail", args=[item[0].lower()])

    def lastmod(self, item):
        return item[1]


SITEMAPS = {
    "pages": IndexSitemap,
    "programmes": ProgrammeSitemap,
    "organisations": OrganisationSitemap,
    "regions": RegionSitemap,
    "countries": CountrySitemap,
}
