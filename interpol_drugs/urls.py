from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from programmes import views
from programmes.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    # One sitemap for both languages: every entry lists its hreflang alternates.
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(
            template_name="robots.txt", content_type="text/plain; charset=utf-8"
        ),
        name="robots",
    ),
    # Open data: JSON and CSV with both languages in one response.
    path("api/v1/", include("programmes.api.urls")),
]

# Every public page lives under /fr/ or /en/; "/" is redirected by
# LocaleMiddleware from the browser's Accept-Language (French by default).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("programmes.urls")),
)
