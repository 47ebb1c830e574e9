"""Links to the open data (CSV and JSON) of a list page, with its date and licence."""

from django import template
from django.conf import settings
from django.urls import reverse

from programmes.api.responses import data_stamp

register = template.Library()

# The `kind` a list page passes, and the API's name for one item of it.
KINDS = {
    "programmes": "programme",
    "organisations": "organisation",
    "regions": "region",
    "countries": "country",
}


@register.simple_tag
def open_data(kind):
    """{csv_url, json_url, openapi_url, updated, licence} for `kind`. One query."""
    name = KINDS[kind]
    return {
        "csv_url": reverse(f"api:{name}_csv"),
        "json_url": reverse(f"api:{name}_list"),
        "openapi_url": reverse("api:openapi"),
        "updated": data_stamp().last_modified,
        "licence": settings.OPEN_DATA_LICENCE,
    }
