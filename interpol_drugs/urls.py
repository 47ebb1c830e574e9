from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from programmes import views

urlpatterns = [
    path("admin/", admin.site.urls),
]

# Every public page lives under /fr/ or /en/; "/" is redirected by
# LocaleMiddleware from the browser's Accept-Language (French by default).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("programmes.urls")),
)
