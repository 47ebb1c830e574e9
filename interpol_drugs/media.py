"""Uploaded images served by the application itself.

`make run` has no web server in front of gunicorn, so the site serves
MEDIA_URL here. Behind nginx or with object storage, set
DJANGO_SERVE_MEDIA=0 and let them do it.
"""

from django.conf import settings
from django.urls import re_path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def uploaded_file(request, path):
    # serve() refuses paths leaving MEDIA_ROOT and answers 404 for folders.
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Every upload and rendition gets a new name (programmes/editing/images/): a
    # file at an address never changes, so browsers may keep it for a year.
    patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    return response


def media_urlpatterns():
    if not settings.SERVE_MEDIA:
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    return [re_path(rf"^{prefix}(?P<path>.+)$", uploaded_file, name="media")]
