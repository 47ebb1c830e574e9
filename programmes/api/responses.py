"""The API's HTTP side: read-only methods, CORS, JSON errors, pages, caching."""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Value
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition

from programmes.content.models import LoadedRecord, Organisation, Programme, Region
from programmes.languages import language_codes

# Part of every ETag: bump it when the shape of the responses changes, so that
# cached copies in the old shape are not revalidated.
FORMAT_VERSION = "3"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# The largest page number asked for: the longest that nine digits write, so
# that a longer number is refused before int() spends time on it. The
# OpenAPI document states it (openapi.py).
MAX_PAGE = 999_999_999
READ_METHODS = "GET, HEAD, OPTIONS"
JSON_OPTIONS = {"ensure_ascii": False}


class ApiError(Exception):
    def __init__(self, status, message, parameter=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter

    def response(self):
        error = {"status": self.status, "message": self.message}
        if self.parameter:
            error["parameter"] = self.parameter
        return JsonResponse(
            {"error": error}, status=self.status, json_dumps_params=JSON_OPTIONS
        )


def json_response(data):
    return JsonResponse(data, json_dumps_params=JSON_OPTIONS)


# --- When the data last changed -----------------------------------------------


@dataclass(frozen=True)
class DataStamp:
    last_modified: datetime | None
    etag: str
    subject_exists: bool


def _changes(queryset, part, field_name="updated_at"):
    # Value() adds no GROUP BY: one row per table, even an empty one.
    return (
        queryset.order_by()
        .annotate(part=Value(part))
        .values("part")
        .annotate(latest=Max(field_name), total=Count("pk"))
    )


def data_stamp(subject=None):
    """When the public data last changed, and a fingerprint of it: one query.

    Programmes (published or not: unpublishing is a change too), organisations
    and regions have updated_at. Participations and sources have none, but the
    admin saves their programme with them and load_content records each of its
    writes in LoadedRecord. Counts change when a record is deleted.
    `subject`, a queryset, tells whether the requested resource exists.
    """
    parts = [
        _changes(Programme.objects.all(), 0),
        _changes(Organisation.objects.all(), 1),
        _changes(Region.objects.all(), 2),
        _changes(LoadedRecord.objects.all(), 3, "loaded_at"),
        # A scheduled publication changes what is public without a write:
        # the number of public rows changes when its time comes.
        _changes(Programme.objects.published(), 5),
        _changes(Organisation.objects.published(), 6),
        _changes(Region.objects.published(), 7),
    ]
    if subject is not None:
        parts.append(_changes(subject, 4))
    rows = {
        row["part"]: (row["latest"], row["total"])
        for row in parts[0].union(*parts[1:], all=True)
    }
    # An empty subject (.none()) is left out of the union: no row 4.
    subject_exists = subject is None or rows.get(4, (None, 0))[1] > 0
    fingerprint = repr([FORMAT_VERSION, sorted(rows.items())])
    return DataStamp(
        last_modified=max(
            (latest for latest, _total in rows.values() if latest), default=None
        ),
        etag=hashlib.sha256(fingerprint.encode()).hexdigest()[:32],
        subject_exists=subject_exists,
    )


def conditional(subject=None):
    """Django's condition() with ETag and Last-Modified from data_stamp().

    Computed before the view runs, so a 304 costs one query. A missing
    resource gets no validators, hence never a 304: the view answers 404.
    """

    def stamp(request, kwargs):
        if not hasattr(request, "data_stamp"):
            request.data_stamp = data_stamp(subject(**kwargs) if subject else None)
        return request.data_stamp

    def etag(request, *args, **kwargs):
        found = stamp(request, kwargs)
        return found.etag if found.subject_exists else None

    def last_modified(request, *args, **kwargs):
        found = stamp(request, kwargs)
        return found.last_modified if found.subject_exists else None

    return condition(etag_func=etag, last_modified_func=last_modified)


# --- Read-only, CORS and errors -----------------------------------------------


def api_view(view=None, *, subject=None, paginated=False, cached=True):
    """Make `view` an API endpoint.

    GET and HEAD reach the view, through conditional() when `cached`; when
    `paginated`, the page parameters are checked first, so that a bad one
    always answers 400, never 304. OPTIONS answers a CORS preflight; other
    methods answer 405. Every answer allows any origin: the data is public,
    read-only and needs no cookie, so any web page may read it. A decorator
    rather than django-cors-headers: a few headers on one URL prefix do not
    need a dependency, a middleware and its settings.
    """
    if view is None:
        return lambda view: api_view(
            view, subject=subject, paginated=paginated, cached=cached
        )
    inner = conditional(subject)(view) if cached else view

    # Nothing here changes data, so there is nothing for CSRF to protect; the
    # exemption lets POST reach the view and get the JSON 405.
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = READ_METHODS
            response["Access-Control-Allow-Headers"] = (
                "If-None-Match, If-Modified-Since"
            )
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = ApiError(
                405, f"This API is read-only: use GET, not {request.method}."
            ).response()
        else:
            try:
                if paginated:
                    page_parameters(request)
                response = inner(request, *args, **kwargs)
            except ApiError as error:
                response = error.response()
        if response.status_code >= 400:
            # An error is not a version of the resource to revalidate later.
            del response["ETag"]
            del response["Last-Modified"]
        if licence_url := settings.OPEN_DATA_LICENCE["url"]:
            response["Link"] = f'<{licence_url}>; rel="license"'
        # Every language is in the response (LocaleMiddleware would name one).
        response["Content-Language"] = ", ".join(language_codes())
        response["Allow"] = READ_METHODS
        response["Access-Control-Allow-Origin"] = "*"
        # Scripts on other sites may read these (they are not safelisted).
        response["Access-Control-Expose-Headers"] = "ETag, Link, Content-Disposition"
        return response

    return wrapper


# --- Pages --------------------------------------------------------------------

DIGITS = re.compile(f"[0-9]{{1,{len(str(MAX_PAGE))}}}")


def positive_integer(query, name, default, maximum):
    value = query.get(name)
    if value is None:
        return default
    # ASCII digits only: int() also accepts " 2", "+2" and "٢".
    if not DIGITS.fullmatch(value) or not 1 <= int(value) <= maximum:
        raise ApiError(400, f"{name} must be a whole number from 1 to {maximum}.", name)
    return int(value)


def page_parameters(request):
    """(page, page_size) from the query string; unknown parameters are ignored."""
    page = positive_integer(request.GET, "page", 1, MAX_PAGE)
    page_size = positive_integer(
        request.GET, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
    )
    return page, page_size


def page_url(request, number, page_size):
    query = {}
    if number > 1:
        query["page"] = number
    if "page_size" in request.GET:
        query["page_size"] = page_size
    path = f"{request.path}?{urlencode(query)}" if query else request.path
    return request.build_absolute_uri(path)


def paginated_response(request, items, serialize):
    """One page of `items` as {"count", "next", "previous", "results"}."""
    number, page_size = page_parameters(request)
    paginator = Paginator(items, page_size)
    if number > paginator.num_pages:
        raise ApiError(
            404,
            f"There is no page {number}: the last page is {paginator.num_pages}.",
            "page",
        )
    page = paginator.page(number)
    return json_response(
        {
            "count": paginator.count,
            "next": page_url(request, number + 1, page_size)
            if page.has_next()
            else None,
            "previous": page_url(request, number - 1, page_size)
            if page.has_previous()
            else None,
            "results": [serialize(item) for item in page],
        }
    )
