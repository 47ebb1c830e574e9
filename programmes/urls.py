from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path(
        "programmes/<slug:slug>/",
        views.ProgrammeDetailView.as_view(),
        name="programme_detail",
    ),
    path(
        "organisations/",
        views.OrganisationListView.as_view(),
        name="organisation_list",
    ),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path(
        "regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region_detail"
    ),
]
