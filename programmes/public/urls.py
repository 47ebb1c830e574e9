from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import views
from .feeds import LatestProgrammesFeed

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
    # One translated segment: /fr/pays/gh/, /en/countries/gh/.
    path(
        _("countries/"),
        include(
            [
                path("", views.country_list, name="country_list"),
                path("<str:code>/", views.country_detail, name="country_detail"),
            ]
        ),
    ),
    # Share cards (og:image): /fr/partage/programme/aircop.png, /en/share/home.png
    path(
        _("share/"),
        include(
            [
                path("home.png", views.share_card, name="share_card_home"),
                *(
                    path(
                        f"{kind}/<slug:slug>.png",
                        views.share_card,
                        {"kind": kind},
                        name=f"share_card_{kind}",
                    )
                    for kind in views.SHARED_MODELS
                ),
            ]
        ),
    ),
    # /fr/recherche/?q=douane, /en/search/?q=customs
    path(_("search/"), views.search, name="search"),
    # /fr/flux/, /en/feed/: programmes recently published or updated.
    # GET and HEAD only, like every public page.
    path(_("feed/"), require_safe(LatestProgrammesFeed()), name="feed"),
]
