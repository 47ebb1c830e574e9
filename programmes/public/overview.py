"""The home page's "at a glance": key figures from published data, and the
map of beneficiary countries shaded by how many programmes benefit each.

Computed in two queries whatever the number of programmes
(tests/test_queries.py), from the published programmes' queryset: all of them,
whatever part of them the page lists as cards.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import get_language, ngettext, npgettext
from django_countries.fields import Country

from programmes.content.bases import published_q
from programmes.content.models import Participation, Programme
from programmes.content.version import per_version
from programmes.languages import sort_key

# The map's shades, light to dark (site.css, section 20: .world-map__level-N).
MAP_LEVELS = 4


@dataclass
class KeyFigure:
    number: int
    label: str
    url: str


@dataclass
class LegendEntry:
    level: int
    low: int
    high: int

    @property
    def label(self):
        if self.low == self.high:
            return ngettext("%(count)s programme", "%(count)s programmes", self.low) % {
                "count": self.low
            }
        return ngettext(
            "%(low)s to %(count)s programme",
            "%(low)s to %(count)s programmes",
            self.high,
        ) % {"low": self.low, "count": self.high}


@dataclass
class Overview:
    figures: list = field(default_factory=list)
    # [(Country, number of programmes)], by name in the active language.
    countries: list = field(default_factory=list)
    levels: dict = field(default_factory=dict)
    legend: list = field(default_factory=list)

    @property
    def map_countries(self):
        return [country for country, _count in self.countries]

    @cached_property
    def country_items(self):
        """The map as a list: an <li> per country, its page and its number of
        programmes (up to some 250: made once per Overview, not per page)."""
        return format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}</li>',
            (
                (
                    reverse(
                        "programmes:country_detail",
                        kwargs={"code": country.code.lower()},
                    ),
                    country.name,
                    ngettext("%(counter)s programme", "%(counter)s programmes", count)
                    % {"counter": count},
                )
                for country, count in self.countries
            ),
        )


def published_overview():
    """The Overview of the published programmes: made once per content version
    and language (it reads every published programme and participation), so
    that the home page's work does not grow with the site."""
    return overview_in(get_language())


@per_version
def overview_in(language):
    return programme_overview(Programme.objects.published())


def shade_levels(counts):
    """{code: level} for {code: number of programmes}, and the legend.

    One level per number while the numbers fit in MAP_LEVELS; otherwise
    MAP_LEVELS equal ranges of numbers. With fewer levels than shades, the
    shades spread out so that the highest level is always the darkest and
    the levels stay far apart.
    """
    highest = max(counts.values(), default=0)
    if highest <= MAP_LEVELS:
        ranges = [(n, n) for n in range(1, highest + 1)]
    else:
        step = highest / MAP_LEVELS
        bounds = [round(step * i) for i in range(MAP_LEVELS + 1)]
        ranges = [(bounds[i] + 1, bounds[i + 1]) for i in range(MAP_LEVELS)]
    shades = [round(i * MAP_LEVELS / len(ranges)) for i in range(1, len(ranges) + 1)]
    levels = {
        code: next(
            shade
            for shade, (low, high) in zip(shades, ranges, strict=True)
            if low <= n <= high
        )
        for code, n in counts.items()
    }
    legend = [
        LegendEntry(shade, low, high)
        for shade, (low, high) in zip(shades, ranges, strict=True)
    ]
    return levels, legend


def programme_overview(programmes):
    """The Overview of `programmes`, the published programmes' queryset."""
    rows = list(programmes.values_list("beneficiary_countries", flat=True))
    counts = Counter(code for codes in rows for code in codes.split(",") if code)
    partners, funders = set(), set()
    roles = (
        Participation.objects.filter(programme__in=programmes)
        .filter(published_q("organisation__"))
        .values_list("organisation", "role")
        .distinct()
    )
    for organisation, role in roles:
        (funders if role == Participation.Role.FUNDER else partners).add(organisation)
    organisations_url = reverse("programmes:organisation_list")
    figures = [
        KeyFigure(
            len(rows),
            npgettext("key figure", "programme", "programmes", len(rows)),
            reverse("programmes:programme_list"),
        ),
        KeyFigure(
            len(counts),
            npgettext(
                "key figure",
                "beneficiary country named",
                "beneficiary countries named",
                len(counts),
            ),
            reverse("programmes:country_list"),
        ),
        KeyFigure(
            len(partners),
            npgettext(
                "key figure",
                "partner organisation",
                "partner organisations",
                len(partners),
            ),
            organisations_url,
        ),
        KeyFigure(
            len(funders),
            npgettext("key figure", "funder", "funders", len(funders)),
            organisations_url,
        ),
    ]
    countries = sorted(
        ((Country(code), n) for code, n in counts.items()),
        key=lambda item: sort_key(item[0].name),
    )
    levels, legend = shade_levels(counts)
    return Overview(figures, countries, levels, legend)
