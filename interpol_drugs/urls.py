from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from programmes.public import views
from programmes.public.sitemaps import SITEMAPS, sitemap_index

from . import health, icons
from .media import media_urlpatterns

urlpatterns = [
    # DJANGO_ADMIN_PATH, "admin/" by default.
    path(settings.ADMIN_PATH, admin.site.urls),
    # One sitemap for both languages: every entry lists its hreflang alternates.
    # /sitemap.xml is the index of the sections' sitemaps, each paginated
    # (?p=2; programmes/public/sitemaps.py). GET and HEAD only, like every
    # public page.
    path(
        "sitemap.xml",
        require_safe(sitemap_index),
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        require_safe(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(
            template_name="robots.txt",
            content_type="text/plain; charset=utf-8",
            # Only the well-known default admin address is named: a custom
            # DJANGO_ADMIN_PATH listed in a public file would no longer be hidden.
            extra_context={"admin_path_is_default": settings.ADMIN_PATH == "admin/"},
        ),
        name="robots",
    ),
    # Browsers and crawlers ask for it at the root, whatever the page links.
    path("favicon.ico", icons.favicon, name="favicon"),
    # Open data: JSON and CSV with both languages in one response.
    path("api/v1/", include("programmes.api.urls")),
    # Probes: the process is alive; the database and the cache answer.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

# Every public page lives under /fr/ or /en/; "/" is redirected by
# LocaleMiddleware from the browser's Accept-Language (French by default).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("programmes.public.urls")),
)

# Uploaded images (DJANGO_SERVE_MEDIA, on unless a web server or object
# storage serves them): interpol_drugs/media.py.
urlpatterns += media_urlpatterns()

handler404 = "programmes.public.views.page_not_found"
