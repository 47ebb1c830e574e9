"""Which regions a programme benefits: one rule, worked out from the data.

A region is a grouping of countries (Region.countries). Regions nest through
their countries: region A lies within region B when A's countries are some,
not all, of B's (West Africa within Africa). Nobody records the nesting by
hand, so it cannot disagree with the countries.

A programme names beneficiary countries and, where its text names them,
regions. It benefits a region R when

1. it names R;
2. it names a region that R lies within (a programme for Africa is for West
   Africa too);
3. it names a region that lies within R (working in West Africa is working
   in Africa);
4. one of its beneficiary countries is a member of R.

A region with no member countries (Worldwide) nests in nothing and holds
nothing: a programme benefits it only by naming it, and a global programme is
not repeated on every region's page. Country pages list the programmes that
name the country, never those that name only a region: a source naming a
region does not say that each of its countries takes part.

Only published regions count. Every page, filter, search, the sitemap, the
API and the CSV ask this module (or ProgrammeQuerySet.benefiting, which asks
it), so they agree; tests/test_consistency.py checks that they do.
"""

import copy

from django.apps import apps
from django.db.models import Aggregate, OuterRef, Q, Subquery, TextField

from programmes.countries import naming_country

from .version import read_version

# The published regions as last read, and the content version they belong to.
LOADED = {}


class JoinedIds(Aggregate):
    """The ids of a group as text, "3,17": SQLite's GROUP_CONCAT, PostgreSQL's
    STRING_AGG."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def member_codes(region):
    return frozenset(str(country.code) for country in region.countries)


class Geography:
    """The published regions, how they nest, and who benefits where."""

    def __init__(self, rows):
        """`rows`: regions, each annotated `naming_programmes`, the pks of the
        programmes naming it as text ("3,17"; None for none)."""
        self.regions, self.named = list(rows), {}
        for region in self.regions:
            for pk in (getattr(region, "naming_programmes", None) or "").split(","):
                if pk:
                    self.named.setdefault(int(pk), set()).add(region.pk)
        self.members = {region.pk: member_codes(region) for region in self.regions}
        # {region pk: pks of the region and those it lies within or holds},
        # worked out once per region: pages ask for every pair.
        self._related, self._codes = {}, {}

    @classmethod
    def published(cls):
        """Every published region and the programmes naming it.

        One query per content version and process (version.py: any write to
        the content makes a new version), so that pages keep their query
        budget. Each call gets its own copies of the regions, which callers
        may annotate. Programmes need no prefetch of their regions: `benefits`
        asks `named`, which leaves out the regions that are not published.
        """
        version = read_version()
        if LOADED.get("version") != version:
            # By name: models.py builds on this module, not the other way round.
            region_model = apps.get_model("programmes", "Region")
            naming = region_model.programmes.through.objects.filter(
                region=OuterRef("pk")
            )
            loaded = cls(
                region_model.objects.published().annotate(
                    naming_programmes=Subquery(
                        naming.order_by()
                        .values("region")
                        .annotate(pks=JoinedIds("programme_id"))
                        .values("pks")
                    )
                )
            )
            # Each caller gets copies of the regions only (a programme's
            # benefited_regions asks for a Geography). A row per region and
            # naming programme, each a Region parsing its countries, cost
            # 0.15 s at 2,000 programmes; their pks joined in one text, 2 ms.
            LOADED["loaded"], LOADED["version"] = loaded, version
        loaded = LOADED["loaded"]
        geography = cls.__new__(cls)
        geography.regions = [copy.copy(region) for region in loaded.regions]
        # Shared by every copy, as they depend on the version only: who names
        # which region, each region's countries (parsing them cost as much
        # again) and the regions related to each (filled as asked).
        geography.named, geography.members = loaded.named, loaded.members
        geography._related, geography._codes = loaded._related, {}
        return geography

    # --- Nesting --------------------------------------------------------------

    def lies_within(self, inner, outer):
        """True when `inner`'s countries are some, not all, of `outer`'s."""
        inside, outside = self.members_of(inner), self.members_of(outer)
        return bool(inside) and inside < outside

    def members_of(self, region):
        """The codes of the region's countries (a previewed draft's too)."""
        if region.pk in self.members:
            return self.members[region.pk]
        return member_codes(region)

    def wider(self, region):
        """The regions `region` lies within, at every level."""
        return [
            other
            for other in self.regions
            if other.pk != region.pk and self.lies_within(region, other)
        ]

    def narrower(self, region):
        """The regions lying within `region`, at every level."""
        return [
            other
            for other in self.regions
            if other.pk != region.pk and self.lies_within(other, region)
        ]

    def parents(self, region):
        """The smallest regions `region` lies within (Africa for West Africa)."""
        wider = self.wider(region)
        return [
            parent
            for parent in wider
            if not any(self.lies_within(other, parent) for other in wider)
        ]

    def children(self, region):
        """The largest regions lying within `region` (West Africa for Africa)."""
        narrower = self.narrower(region)
        return [
            child
            for child in narrower
            if not any(self.lies_within(child, other) for other in narrower)
        ]

    def related(self, region):
        """The region and every region it lies within or holds: naming any of
        them benefits it (rules 1 to 3)."""
        return [region, *self.wider(region), *self.narrower(region)]

    def containing(self, code):
        """The regions of which the country (ISO code) is a member."""
        code = str(code).upper()
        return [region for region in self.regions if code in self.members[region.pk]]

    # --- The rule -------------------------------------------------------------

    def codes_of(self, programme):
        key = (programme.pk, id(programme))
        if key not in self._codes:
            self._codes[key] = {
                str(country.code) for country in programme.beneficiary_countries
            }
        return self._codes[key]

    def related_pks(self, region):
        if region.pk not in self._related:
            self._related[region.pk] = {other.pk for other in self.related(region)}
        return self._related[region.pk]

    def benefits(self, programme, region):
        """The rule, for any programme (a draft being previewed too)."""
        return self.benefited(programme.pk, self.codes_of(programme), region)

    def benefited(self, pk, codes, region):
        """The rule for the programme `pk` naming the countries `codes` (a set
        of uppercase ISO codes), for callers that read no model instance."""
        named = self.named.get(pk, set())
        return bool(named & self.related_pks(region)) or bool(
            codes & self.members_of(region)
        )

    def regions_of(self, programme):
        """The published regions the programme benefits, in display order."""
        return [region for region in self.regions if self.benefits(programme, region)]

    def annotate(self, programmes):
        """Set `benefited_regions` on each programme, sparing each a query;
        returns them as a list."""
        programmes = list(programmes)
        for programme in programmes:
            programme.benefited_regions = self.regions_of(programme)
        return programmes

    def with_programme_counts(self, programmes):
        """The regions, each with `programme_count`: how many of `programmes`
        benefit it."""
        programmes = list(programmes)
        for region in self.regions:
            region.programme_count = len(self.programmes_of(region, programmes))
        return self.regions

    def programmes_of(self, region, programmes):
        """The programmes that benefit `region`."""
        return [
            programme for programme in programmes if self.benefits(programme, region)
        ]

    def benefiting_q(self, region):
        """The rule as a filter on programmes (ProgrammeQuerySet.benefiting)."""
        programme_model = apps.get_model("programmes", "Programme")
        naming = programme_model.beneficiary_regions.through.objects.filter(
            region__in=[other.pk for other in self.related(region)]
        )
        condition = Q(pk__in=naming.values("programme_id"))
        for code in sorted(self.members_of(region)):
            condition |= naming_country("beneficiary_countries", code)
        return condition
