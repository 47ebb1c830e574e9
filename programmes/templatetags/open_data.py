"""Links to the open data (CSV and JSON) of a list page, with its date and licence."""

from django import template
from django.conf import settings
from django.urls import reverse

from programmes.api.responses import data_stamp
from programmes.content.version import read_version

register = template.Library()

# When the data last changed, for the content version it was read in: every
# change of content makes a new version (programmes/content/version.py), and
# data_stamp() reads every table of the site.
UPDATED = {}

# The `kind` a list page passes, and the API's name for one item of it.
KINDS = {
    "programmes": "programme",
    "organisations": "organisation",
    "regions": "region",
    "countries": "country",
}


def data_updated():
    """When the public data last changed: one query per content version."""
    version = read_version()
    if UPDATED.get("version") != version:
        UPDATED.update(updated=data_stamp().last_modified, version=version)
    return UPDATED["updated"]


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
