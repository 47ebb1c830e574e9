"""/favicon.ico at the site's root, where browsers and crawlers look for it.

The file is static/img/favicon.ico (drawn by tools/icons/make_icons.py). It is
served here rather than redirected: one request, and no hashed static address
to compute when the manifest is missing.
"""

from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

FAVICON = "img/favicon.ico"


@cache
def favicon_bytes():
    return Path(finders.find(FAVICON)).read_bytes()


# A day, not a year: the plain name keeps its address when the mark changes.
@cache_control(public=True, max_age=86_400)
@require_safe
def favicon(request):
    return HttpResponse(favicon_bytes(), content_type="image/vnd.microsoft.icon")
