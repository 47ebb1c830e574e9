from django.db.models import Count, Q
from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import HomePage, Organisation, Programme, Region


def home(request):
    return render(
        request,
        "programmes/home.html",
        {
            "home_page": HomePage.load(),
            "programmes": Programme.objects.published(),
        },
    )


class ProgrammeListView(ListView):
    paginate_by = 20

    def get_queryset(self):
        return Programme.objects.published()


class ProgrammeDetailView(DetailView):
    def get_queryset(self):
        return Programme.objects.published().with_related().prefetch_related("sources")


class OrganisationListView(ListView):
    paginate_by = 50

    def get_queryset(self):
        return Organisation.objects.annotate(
            programme_count=Count(
                "participations__programme",
                filter=Q(participations__programme__is_published=True),
                distinct=True,
            )
        )


class OrganisationDetailView(DetailView):
    model = Organisation

    def get_context_data(self, **kwargs):
        participations = (
            self.object.participations.of_published_programmes()
            .select_related("programme")
            .order_by("programme__display_order", "programme__pk", "display_order")
        )
        return super().get_context_data(participations=participations, **kwargs)


class RegionListView(ListView):
    def get_queryset(self):
        return Region.objects.annotate(
            programme_count=Count("programmes", filter=Q(programmes__is_published=True))
        )


class RegionDetailView(DetailView):
    model = Region

    def get_context_data(self, **kwargs):
        programmes = Programme.objects.published().for_region(self.object)
        return super().get_context_data(programmes=programmes, **kwargs)
