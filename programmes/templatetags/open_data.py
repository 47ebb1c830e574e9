"""Links to the open data (CSV and JSON) of a list page, with its date and licence."""

from django import template
from django.conf import settings
from django.urls import reverse

from programmes.api.responses import data_stamp
from programmes.content.version import per_version

register = template.Library()

# The `kind` a list page passes, and the API's name for one item of it.
KINDS = {
    "programmes": "programme",
    "organisations": "organisation",
    "regions": "region",
    "countries": "country",
}


@per_version
def data_updated():
    """When the public data last changed: data_stamp() reads every table of
    the site, once per content version."""
    return data_stamp().last_modified


@register.simple_tag
def open_data(kind):
    """{csv_url, json_url, openapi_url, updated, licence} for `kind`. At most
    one query."""
    name = KINDS[kind]
    return {
        "csv_url": reverse(f"api:{name}_csv"),
        "json_url": reverse(f"api:{name}_list"),
        "openapi_url": reverse("api:openapi"),
        "updated": data_updated(),
        "licence": settings.OPEN_DATA_LICENCE,
    }
