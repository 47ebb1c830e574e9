"""The open data API, unprefixed: /api/v1/… answers in every language at once."""

from django.urls import path, re_path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes.csv", views.programme_csv, name="programme_csv"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path(
        "organisations/<int:pk>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path("organisations.csv", views.organisation_csv, name="organisation_csv"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("regions.csv", views.region_csv, name="region_csv"),
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("countries.csv", views.country_csv, name="country_csv"),
    # Any other address ending in a slash is a JSON 404, not the site's HTML
    # page; one without a slash is first redirected here by APPEND_SLASH.
    re_path(r"^.*/$", views.unknown_address),
]
