"""The reference of `make bench`: a bare Django app serving a page with cache_page.

Settings and URLs in one module (DJANGO_SETTINGS_MODULE=bench.reference), as
`django-admin startproject` makes them (its middlewares, local memory cache),
with one view, decorated with Django's cache_page, that answers /<name> with
the bytes of that file of the folder BENCH_REFERENCE_ROOT (where the bench
writes the pages the site served): after the first request, every request is
a cache_page hit of the same bytes.
`make bench` runs it under gunicorn beside the site (bench/run.py).
"""

import os
from pathlib import Path

from django.http import Http404, HttpResponse
from django.urls import re_path
from django.views.decorators.cache import cache_page

DEBUG = False
SECRET_KEY = "bench-reference-only"  # noqa: S105 (serves a file, signs nothing)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]
# startproject's list, in its order.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
DATABASES = {}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
USE_TZ = True


@cache_page(60 * 60)
def page(request, name):
    path = Path(os.environ["BENCH_REFERENCE_ROOT"]) / name
    if "/" in name or not path.is_file():
        raise Http404(name)
    return HttpResponse(path.read_bytes(), content_type="text/html; charset=utf-8")


urlpatterns = [re_path(r"^(?P<name>[^/]+)$", page)]
