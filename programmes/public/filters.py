"""The programme list's filters: ?region=<slug>&country=gh&partner=<slug>&funder=<slug>.

Slugs are those of the page's language; the country is a lower-case ISO 3166
code. A value that names nothing (a mistyped or outdated shared link) is kept
and reported on the page, which then lists no programme: the list itself exists,
so it answers 200 with a message and the form to choose again, rather than a
404 that would leave the visitor at a dead end.
"""

import unicodedata
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, F, Q, When
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext_lazy
from django_countries import countries
from django_countries.fields import Country

from programmes.content.bases import published_q
from programmes.content.geography import Geography
from programmes.content.models import (
    Organisation,
    Participation,
    Programme,
)
from programmes.content.version import read_version
from programmes.languages import list_separator, other_language_attributes, sort_key

FILTER_NAMES = ("region", "country", "partner", "funder")
# Partners and funders offered in each list: those with the most programmes.
# A link naming another one (?partner=<slug>) still filters, and keeps it chosen.
MAX_ORGANISATION_OPTIONS = 50
# Longer values name nothing; shown back on the page, they stay short.
MAX_VALUE_LENGTH = 100

PART_LABELS = {
    "region": "%(name)s",
    "country": "%(name)s",
    "partner": pgettext_lazy("programme list filter", "partner: %(name)s"),
    "funder": pgettext_lazy("programme list filter", "funder: %(name)s"),
}


def clean_value(value):
    """The value as looked up and shown back: no control characters, short."""
    value = "".join(
        char for char in value if not unicodedata.category(char).startswith("C")
    )
    return value.strip()[:MAX_VALUE_LENGTH]


# What the options are made of, for the content version it was counted in.
FACETS = {}


def ranked_organisations(chosen):
    """The organisations with the most roles in published programmes (two
    lists' worth), then those whose slug is in `chosen`, each annotated with
    `partner_roles` and `funder_roles`. One query, whatever their number."""
    funder = Participation.Role.FUNDER
    published = published_q("participations__programme__")
    return list(
        Organisation.objects.published()
        .annotate(
            partner_roles=Count(
                "participations", filter=published & ~Q(participations__role=funder)
            ),
            funder_roles=Count(
                "participations", filter=published & Q(participations__role=funder)
            ),
            is_chosen=Case(When(slug__in=chosen, then=1), default=0),
        )
        .order_by("-is_chosen", F("partner_roles") * -1 - F("funder_roles"), "pk")[
            : 2 * MAX_ORGANISATION_OPTIONS + len(chosen)
        ]
    )


def facets(chosen):
    """(counts, organisations): the counts behind the options, and the
    organisations offered or chosen when counting read them (else None).

    counts = {"version", "regions": {pk: programmes benefiting it},
    "countries": [codes published programmes name], "roles": {organisation
    pk: (partner roles, funder roles)} of the best-ranked organisations}.
    Counting reads every published programme and ranks every organisation:
    done once per content version and process (version.py: any change of
    content makes a new version), like Geography.published, so that other
    requests' work is bounded by their options, not by the site.
    """
    version = read_version()
    if FACETS.get("version") == version:
        return FACETS, None
    organisations = ranked_organisations(chosen)
    codes = named_codes(Programme.objects.published())
    geography = Geography.published()
    FACETS.clear()
    FACETS.update(
        regions={
            region.pk: sum(
                geography.benefited(pk, named, region) for pk, named in codes.items()
            )
            for region in geography.regions
        },
        countries=sorted(set().union(*codes.values())),
        roles={
            organisation.pk: (organisation.partner_roles, organisation.funder_roles)
            for organisation in organisations
            if organisation.partner_roles or organisation.funder_roles
        },
        version=version,
    )
    return FACETS, organisations


def named_codes(programmes):
    """{pk: the set of country codes it names} for `programmes`, read as the
    column's text: 2,000 programmes' lists of Country objects cost 100 ms."""
    rows = programmes.annotate(
        codes=Cast("beneficiary_countries", CharField())
    ).values_list("pk", "codes")
    return {pk: frozenset(filter(None, text.split(","))) for pk, text in rows}


@dataclass(frozen=True)
class CountryOption:
    code: str  # upper case, as Country's
    name: str  # in the active language


def country_options(counted, chosen):
    """The countries programmes name, and the chosen one, by name.

    Named and sorted once per content version and language (in `counted`,
    the facets): django-countries translates a name each time it is asked,
    and the list offers every country named, some 250."""
    language = translation.get_language()
    by_language = counted.setdefault("country_options", {})
    if language not in by_language:
        by_language[language] = sorted(
            (CountryOption(code, Country(code).name) for code in counted["countries"]),
            key=lambda option: sort_key(option.name),
        )
    options = by_language[language]
    if chosen and chosen.code not in counted["countries"]:
        options = sorted(
            [*options, CountryOption(chosen.code, chosen.name)],
            key=lambda option: sort_key(option.name),
        )
    return options


class ProgrammeFilters:
    """The filters of one request, their options and the objects they name.

    Bounded work whatever the amount of content: the counts behind the
    options come from facets() (made once per content version); a request
    then reads the hundred or so organisations offered and the chosen ones
    (one query) and the regions (cached per version too).
    """

    def __init__(self, query):
        self.values = {name: clean_value(query.get(name, "")) for name in FILTER_NAMES}
        # The organisations with the most roles in published programmes, and
        # the chosen ones (a shared link keeps its choice).
        chosen = [
            self.values[name] for name in ("partner", "funder") if self.values[name]
        ]
        counted, organisations = facets(chosen)
        if organisations is None:
            organisations = list(
                Organisation.objects.published().filter(
                    Q(pk__in=list(counted["roles"])) | Q(slug__in=chosen)
                )
            )
            for organisation in organisations:
                roles = counted["roles"].get(organisation.pk, (0, 0))
                organisation.partner_roles, organisation.funder_roles = roles
        self.geography = Geography.published()
        regions = self.geography.regions
        for region in regions:
            region.programme_count = counted["regions"].get(region.pk, 0)
        self.regions, self.organisations = regions, organisations
        self.region = self._named(regions, "region")
        self.partner = self._named(organisations, "partner")
        self.funder = self._named(organisations, "funder")
        code = self.values["country"].upper()
        self.country = Country(code) if code and code in countries else None

        # Options lead to at least one programme; a chosen value stays selected.
        self.region_options = [
            region
            for region in regions
            if region.programme_count or region == self.region
        ]
        self.partner_options = self._options(
            organisations, "partner_roles", self.partner
        )
        self.funder_options = self._options(organisations, "funder_roles", self.funder)
        self.country_options = country_options(counted, self.country)

    def attach_related(self, programmes):
        """Give `programmes` (one page of the list) their published regions and
        participations, as with_related() would, in one query instead of two
        (and one more when the page names organisations the options leave out).

        The regions and organisations are already loaded for the options; one
        query on the links joins both relations (a row per region and
        participation pair), and the rows fill each programme's prefetch
        cache, which beneficiary_regions.all() and participations.all() read.
        Their `benefited_regions` come from the Geography the options use (a
        programme would otherwise copy every region for its own).
        """
        self.geography.annotate(programmes)
        regions = {region.pk: region for region in self.regions}
        organisations = {o.pk: o for o in self.organisations}
        links = {p.pk: ({}, {}) for p in programmes}
        if not links:
            return
        rows = Programme.objects.filter(pk__in=list(links)).values_list(
            "pk",
            "beneficiary_regions",
            "participations",
            "participations__organisation",
            "participations__role",
            "participations__display_order",
        )
        rows = list(rows)
        # The page's programmes may name organisations that are not offered
        # (not among the best ranked): those are read too, a page's worth.
        missing = {row[3] for row in rows if row[3] is not None} - set(organisations)
        if missing:
            organisations |= {
                organisation.pk: organisation
                for organisation in Organisation.objects.published().filter(
                    pk__in=missing
                )
            }
        for pk, region, participation, organisation, role, order in rows:
            programme_regions, participations = links[pk]
            if region in regions:
                programme_regions[region] = regions[region]
            if organisation in organisations and participation not in participations:
                participations[participation] = Participation(
                    pk=participation,
                    programme_id=pk,
                    organisation=organisations[organisation],
                    role=role,
                    display_order=order,
                )
        region_order = {pk: index for index, pk in enumerate(regions)}
        for programme in programmes:
            programme_regions, participations = links[programme.pk]
            fill_prefetch_cache(
                programme,
                "beneficiary_regions",
                sorted(programme_regions.values(), key=lambda r: region_order[r.pk]),
            )
            fill_prefetch_cache(
                programme,
                "participations",
                sorted(participations.values(), key=lambda p: (p.display_order, p.pk)),
            )

    def _named(self, objects, name):
        slug = self.values[name]
        return next((obj for obj in objects if slug and obj.slug == slug), None)

    @staticmethod
    def _options(organisations, roles, chosen):
        """At most MAX_ORGANISATION_OPTIONS organisations with `roles`, those
        with the most first, and the chosen one; sorted by name."""
        ranked = sorted(
            (o for o in organisations if getattr(o, roles) and o != chosen),
            key=lambda o: -getattr(o, roles),
        )[:MAX_ORGANISATION_OPTIONS]
        if chosen:
            ranked.append(chosen)
        return sorted(ranked, key=lambda o: sort_key(o.short_name))

    # The <option>s of each list, as the template wrote them, made here: some
    # 350 options cost 10 ms through the template engine, 2 here.

    def region_option_tags(self):
        return option_tags(
            (
                region.slug,
                lang_attributes(region, "name"),
                region == self.region,
                region.name,
            )
            for region in self.region_options
        )

    def country_option_tags(self):
        chosen = self.country.code if self.country else None
        return option_tags(
            (option.code.lower(), "", option.code == chosen, option.name)
            for option in self.country_options
        )

    def partner_option_tags(self):
        return organisation_option_tags(self.partner_options, self.partner)

    def funder_option_tags(self):
        return organisation_option_tags(self.funder_options, self.funder)

    @property
    def is_active(self):
        return any(self.values.values())

    @property
    def unknown(self):
        """[(filter name, value)] for the values that name nothing."""
        return [
            (name, value)
            for name, value in self.values.items()
            if value and getattr(self, name) is None
        ]

    def apply(self, programmes):
        if self.unknown:
            return programmes.none()
        if self.region:
            programmes = programmes.for_region(self.region, self.geography)
        if self.country:
            programmes = programmes.for_country(self.country.code)
        if self.partner:
            programmes = programmes.with_partner(self.partner)
        if self.funder:
            programmes = programmes.with_funder(self.funder)
        return programmes

    def query_for(self, language_code):
        """These filters in `language_code`: slugs differ per language.

        Used by alternate_url for the language switcher, hreflang and canonical
        links. Unknown values are kept as they are.
        """
        query = {}
        with translation.override(language_code):
            for name, value in self.values.items():
                obj = getattr(self, name)
                if obj is None:
                    if value:
                        query[name] = value
                elif name == "country":
                    query[name] = obj.code.lower()
                else:
                    query[name] = obj.slug
        return query

    def parts(self):
        """[(filter name, shown name, language of that name)] of the known filters."""
        parts = []
        if self.region:
            parts.append(("region", self.region.name, self.region.language_of("name")))
        if self.country:
            parts.append(("country", self.country.name, translation.get_language()))
        for name in ("partner", "funder"):
            organisation = getattr(self, name)
            if organisation:
                field = "acronym" if organisation.acronym else "name"
                parts.append(
                    (name, organisation.short_name, organisation.language_of(field))
                )
        return parts

    def description(self):
        """The known filters as text for the page title: "Caraïbes, Ghana"."""
        return list_separator().join(
            str(PART_LABELS[name]) % {"name": shown}
            for name, shown, _lang in self.parts()
        )

    def description_html(self):
        """The same for the heading, names in another language marked with lang."""
        current = translation.get_language()
        parts = []
        for name, shown, language in self.parts():
            if language != current:
                shown = format_html(
                    "<span{}>{}</span>", other_language_attributes(language), shown
                )
            # Both the translated label and the name are escaped.
            parts.append(
                conditional_escape(str(PART_LABELS[name]))
                % {"name": conditional_escape(shown)}
            )
        return mark_safe(conditional_escape(list_separator()).join(parts))


def lang_attributes(obj, field_name):
    """` lang="xx"` (and dir) when the shown value of `field_name` is another
    language's (the lang_attr template filter)."""
    code = obj.language_of(field_name)
    if code == translation.get_language():
        return ""
    return other_language_attributes(code)


def option_tags(options):
    """<option>s from (value, attributes, selected, label), one a line."""
    return format_html_join(
        "",
        '<option value="{}"{}{}>{}</option>\n        ',
        (
            (value, attributes, " selected" if selected else "", label)
            for value, attributes, selected, label in options
        ),
    )


def organisation_option_tags(organisations, chosen):
    return option_tags(
        (
            organisation.slug,
            lang_attributes(
                organisation, "acronym" if organisation.acronym else "name"
            ),
            organisation == chosen,
            organisation.short_name,
        )
        for organisation in organisations
    )


def fill_prefetch_cache(instance, relation, objects):
    """What prefetch_related stores for `relation` (Django's prefetch_one_level):
    a queryset of the relation, already evaluated as `objects`."""
    queryset = getattr(instance, relation).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[relation] = queryset
