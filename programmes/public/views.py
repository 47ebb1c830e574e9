from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_countries import countries
from django_countries.fields import Country

from programmes.content.bases import published_q
from programmes.content.models import HomePage, Organisation, Programme, Region
from programmes.editing.redirects import RedirectFormerSlugMixin

from .filters import ProgrammeFilters
from .search import SiteSearch

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
    programmes = list(Programme.objects.published()[: HOME_PROGRAMME_COUNT + 1])
    return render(
        request,
        "programmes/home.html",
        {
            "home_page": HomePage.load(),
            "programmes": programmes[:HOME_PROGRAMME_COUNT],
            # One more than shown: whether the full list has others.
            "more_programmes": len(programmes) > HOME_PROGRAMME_COUNT,
        },
    )


class ProgrammeListView(ListView):
    paginate_by = 20

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.filters = ProgrammeFilters(request.GET)

    def get_queryset(self):
        return self.filters.apply(Programme.objects.published())

    def get_context_data(self, **kwargs):
        # alternate_query: the switcher and hreflang links keep the filters,
        # translated into the other language.
        return super().get_context_data(
            filters=self.filters, alternate_query=self.filters, **kwargs
        )


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
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            preview=self.preview_pk is not None,
            preview_edit_url=self.preview_edit_url,
            **kwargs,
        )


class ProgrammeDetailView(RedirectFormerSlugMixin, PublicDetailView):
    def all_objects(self):
        return Programme.objects.with_related().prefetch_related("sources")


class OrganisationListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.published().annotate(
            programme_count=Count(
                "participations__programme",
                filter=published_q("participations__programme__"),
                distinct=True,
            )
        )


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
    def get_queryset(self):
        return Region.objects.published().annotate(
            programme_count=Count("programmes", filter=published_q("programmes__"))
        )


class RegionDetailView(RedirectFormerSlugMixin, PublicDetailView):
    def all_objects(self):
        return Region.objects.all()

    def get_context_data(self, **kwargs):
        programmes = Programme.objects.published().for_region(self.object)
        # For the map: every country these programmes name, in or out of the region.
        countries = [country for country, _count in programmes.beneficiary_countries()]
        return super().get_context_data(
            countries=countries,
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
        Programme.objects.published().for_country(code),
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


def page_not_found(request, exception):
    """The 404 page, whose language switcher leads to the other home page.

    /fr/programmes/nothing/ resolves, so the switcher would otherwise offer
    /en/programmes/nothing/: the same error in the other language.
    """
    return render(request, "404.html", {"language_links_to_home": True}, status=404)
