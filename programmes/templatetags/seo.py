"""Page metadata for search engines and sharing (see programmes/public/metadata.py)."""

from django import template
from django.utils.translation import get_language

from programmes.public import metadata

from .language_urls import alternate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def page_metadata(context):
    """Usage: {% page_metadata as page_meta %}, from the view's context."""
    obj = context.get("object")
    return metadata.page_metadata(
        context["request"],
        # The canonical address, as includes/alternates.html gives it.
        url=alternate_url(context, get_language(), obj, absolute=True),
        obj=obj,
        home_page=context.get("home_page"),
        country=context.get("country"),
        filters=context.get("filters"),
        overview=context.get("overview"),
    )


@register.filter
def json_ld(data):
    """Usage: {{ data|json_ld }} prints a <script type="application/ld+json">."""
    return metadata.json_ld_script(data)
