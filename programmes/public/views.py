from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_countries import countries
from django_countries.fields import Country

from programmes.content.bases import with_slug
from programmes.content.facts import Result, figures_of
from programmes.content.geography import Geography
from programmes.content.models import (
    HomePage,
    Organisation,
    Participation,
    Programme,
    Region,
)
from programmes.editing.redirects import RedirectFormerSlugMixin
from programmes.languages import sort_key

from .filters import ProgrammeFilters
from .metadata import SITE_NAME
from .overview import published_overview
from .pagination import OneQueryPaginator
from .search import SiteSearch
from .share_cards import card_for, render_card

# The home page shows the first programmes in the editors' order, and links to
# the full list: its size stays the same however many are published.
HOME_PROGRAMME_COUNT = 12
# Cards of programmes on a region's or a country's page; entries of an
# organisation's list of programmes.
CARDS_PER_PAGE = 24
ENTRIES_PER_PAGE = 50


def paginated(request, items, per_page, name):
    """The context of one page of `items`, as a ListView gives it: `name` holds
    the page's items. ?page=N out of range, or not a number, is a 404."""
    paginator = Paginator(items, per_page)
    try:
        page_obj = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404 from None
    return {
        name: page_obj.object_list,
        "page_obj": page_obj,
        "paginator": paginator,
        "is_paginated": page_obj.has_other_pages(),
    }


# Public pages only read: function views answer 405 to POST, PUT, DELETE...
# as the generic views do, rather than render the page for any method.
@require_safe
def home(request):
    published = Programme.objects.published()
    # One more than shown: whether the full list has others.
    programmes = list(published.with_related()[: HOME_PROGRAMME_COUNT + 1])
    return render(
        request,
        "programmes/home.html",
        {
            "home_page": HomePage.load(),
            # The cards and the timeline: the first programmes in display
            # order. The overview counts them all.
            "programmes": programmes[:HOME_PROGRAMME_COUNT],
            "more_programmes": len(programmes) > HOME_PROGRAMME_COUNT,
            "overview": published_overview(),
        },
    )


class ProgrammeListView(ListView):
    paginate_by = 20

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filters = ProgrammeFilters(request.GET)

    def get_queryset(self):
        return self.filters.apply(Programme.objects.published())

    def get_paginator(self, queryset, per_page, **kwargs):
        # The page's programmes get their period and budget (key facts) in
        # the same query; choosing and counting them reads none.
        return OneQueryPaginator(
            queryset,
            per_page,
            page_rows=lambda rows: rows.with_key_figures(),
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        # alternate_query: the switcher and hreflang links keep the filters,
        # translated into the other language.
        context = super().get_context_data(
            filters=self.filters, alternate_query=self.filters, **kwargs
        )
        # The cards and the comparison table: this page's programmes, with
        # their regions and organisations (within the query budget).
        self.filters.attach_related(list(context["programme_list"]))
        return context


class PublicDetailView(DetailView):
    """A published object's page, or a staff preview of any object's.

    The admin's preview (programmes/editing/publishing.py) passes `preview_pk`: the
    page is then built from the object whatever its status, and says so.
    """

    preview_pk = None
    preview_edit_url = None

    def all_objects(self):
        raise NotImplementedError

    def get_queryset(self):
        if self.preview_pk is not None:
            return self.all_objects().filter(pk=self.preview_pk)
        return self.all_objects().published()

    def get_object(self, queryset=None):
        if self.preview_pk is not None:
            return get_object_or_404(self.get_queryset())
        found = with_slug(
            self.get_queryset() if queryset is None else queryset,
            self.kwargs[self.slug_url_kwarg],
            get_language(),
        ).first()
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=self.preview_pk is not None,
            preview_edit_url=self.preview_edit_url,
            **kwargs,
        )


class ProgrammeDetailView(RedirectFormerSlugMixin, PublicDetailView):
    def all_objects(self):
        return Programme.objects.with_related().with_sources()

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=figures_of(self.object), **kwargs)


class OrganisationListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.published()

    def get_context_data(self, **kwargs):
        """Counts the programmes of the page's organisations only (one query):
        an annotation on the list would count every organisation's."""
        context = super().get_context_data(**kwargs)
        page = list(context["object_list"])
        counts = dict(
            Participation.objects.of_published_programmes()
            .filter(organisation__in=page)
            .order_by()  # Participation's ordering would split the groups
            .values("organisation")
            .annotate(count=Count("programme", distinct=True))
            .values_list("organisation", "count")
        )
        for organisation in page:
            organisation.programme_count = counts.get(organisation.pk, 0)
        context["object_list"] = context["organisation_list"] = page
        if context["page_obj"] is not None:
            context["page_obj"].object_list = page
        return context


class OrganisationDetailView(RedirectFormerSlugMixin, PublicDetailView):
    def all_objects(self):
        return Organisation.objects.all()

    def get_context_data(self, **kwargs):
        participations = (
            self.object.participations.of_published_programmes()
            .select_related("programme")
            .order_by("programme__display_order", "programme__pk", "display_order")
        )
        return super().get_context_data(
            **paginated(
                self.request, participations, ENTRIES_PER_PAGE, "participations"
            ),
            **kwargs,
        )


class RegionListView(ListView):
    # A list, not a queryset: the counts follow geography.py's rule.
    template_name = "programmes/region_list.html"
    context_object_name = "region_list"

    def get_queryset(self):
        return Geography.published().with_programme_counts(
            Programme.objects.published()
        )


class RegionDetailView(RedirectFormerSlugMixin, PublicDetailView):
    def all_objects(self):
        return Region.objects.all()

    def get_context_data(self, **kwargs):
        geography = Geography.published()
        region = self.object
        programmes = (
            Programme.objects.published().for_region(region, geography).with_related()
        )
        # The region's own map: its member countries, those with a page (named
        # by a published programme) highlighted and linked.
        members = geography.members_of(region)
        with_page = Programme.objects.published().naming(members)
        return super().get_context_data(
            parents=geography.parents(region),
            children=geography.children(region),
            member_codes=sorted(members),
            countries=sorted(
                (Country(code) for code in members & with_page),
                key=lambda country: sort_key(country.name),
            ),
            **paginated(self.request, programmes, CARDS_PER_PAGE, "programmes"),
            **kwargs,
        )


@require_safe
def country_list(request):
    return render(
        request,
        "programmes/country_list.html",
        {"countries": Programme.objects.published().beneficiary_countries()},
    )


@require_safe
def country_detail(request, code):
    """A country named by published programmes; `code` is its ISO 3166 alpha-2 code."""
    # Checked first: any other text is a 404, not a redirect to its lower case.
    if code.upper() not in countries:
        raise Http404
    # One address per country: /gh/, never /GH/ or /Gh/.
    if code != code.lower():
        return redirect("programmes:country_detail", code=code.lower(), permanent=True)
    context = paginated(
        request,
        Programme.objects.published().for_country(code).with_related(),
        CARDS_PER_PAGE,
        "programmes",
    )
    # A valid code that no published programme names has no page either.
    if not context["paginator"].count:
        raise Http404
    return render(
        request,
        "programmes/country_detail.html",
        {
            "country": Country(code.upper()),
            "regions": Region.objects.published().containing(code),
            "results": Result.objects.of_published_programmes().involving(code),
            **context,
        },
    )


@require_safe
def search(request):
    site_search = SiteSearch(request.GET.get("q", ""), request.GET.get("page"))
    page_obj = site_search.page_obj
    return render(
        request,
        "programmes/search.html",
        {
            "search": site_search,
            "alternate_query": site_search,
            # For includes/pagination.html, as a ListView gives them.
            "page_obj": page_obj,
            "is_paginated": page_obj is not None and page_obj.paginator.num_pages > 1,
        },
    )


SHARED_MODELS = {
    "programme": Programme,
    "organisation": Organisation,
    "region": Region,
}


@require_safe
def share_card(request, kind=None, slug=None):
    """The PNG a social network shows for a published page (og:image).

    Drawn on request; the page cache keeps it like a page, and the address's
    ?v= fingerprint (metadata.py) changes when what the card shows does.
    """
    if kind is None:
        countries = [
            str(country.code)
            for country, _count in Programme.objects.published().beneficiary_countries()
        ]
        card = card_for(SITE_NAME, home_page=HomePage.load(), countries=countries)
    else:
        published = SHARED_MODELS[kind].objects.published()
        if kind == "programme":
            # Its period (a key fact) in the same query.
            published = published.with_key_figures()
        # The page's own lookup: a language without its own slug uses the
        # fallback language's, as the page's address does.
        obj = with_slug(published, slug, get_language()).first()
        if obj is None:
            raise Http404
        card = card_for(SITE_NAME, obj)
    return HttpResponse(render_card(card), content_type="image/png")


def page_not_found(request, exception):
    """The 404 page, whose language switcher leads to the other home page.

    /fr/programmes/nothing/ resolves, so the switcher would otherwise offer
    /en/programmes/nothing/: the same error in the other language.
    """
    return render(request, "404.html", {"language_links_to_home": True}, status=404)
