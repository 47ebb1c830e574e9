"""Say so next to text shown in another language than the page's.

Usage, next to (never inside) the text block or heading it concerns:

    <h1{{ programme|lang_attr:"name" }}>{{ programme.title }}</h1>
    {% fallback_notice programme "name" %}

The notice shows when any of the named fields is a fallback; the text itself
keeps its `lang` through the lang_attr filter (language_urls).
"""

from django import template
from django.utils.html import format_html

from programmes.public.fallbacks import (
    fallback_fields,
    fallback_notice_attributes,
    fallback_notice_text,
    hreflang_languages,
)

register = template.Library()


@register.simple_tag
def fallback_notice(obj, *field_names):
    if obj is None or not fallback_fields(obj, field_names):
        return ""
    return format_html(
        '<p class="fallback-notice"{}>{}</p>',
        fallback_notice_attributes(),
        fallback_notice_text(),
    )


@register.simple_tag(takes_context=True)
def alternate_languages(context):
    """The language codes this page's hreflang alternates name.

    An object's page (its `object`, or the home page's text) is named only in
    the languages it is complete in.
    """
    obj = context.get("object")
    if not hasattr(obj, "complete_languages"):
        obj = context.get("home_page")
    return hreflang_languages(obj)
