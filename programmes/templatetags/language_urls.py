"""Links between the language versions of a page, and lang marks for fallbacks."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.html import format_html

from programmes.languages import (
    interface_language,
    language_codes,
    list_separator,
    other_language_attributes,
    text_direction,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_url(context, language_code, obj=None, absolute=False):
    """The address of this page in `language_code`.

    Objects are re-reversed in the target language, because their slug differs
    per language (translate_url would keep the current slug). Other pages go
    through the resolver; a page that does not resolve (a 404) leads to the
    target language's home page.
    """
    request = context["request"]
    if language_code == "x-default":
        # The home page's x-default is the language-negotiating root "/";
        # other pages default to the site's default language.
        if request.resolver_match and request.resolver_match.url_name == "home":
            return request.build_absolute_uri("/") if absolute else "/"
        language_code = settings.LANGUAGE_CODE
    if obj is not None and hasattr(obj, "get_absolute_url"):
        with translation.override(language_code):
            path = obj.get_absolute_url()
    elif context.get("language_links_to_home"):
        # An error page for an address that resolves (a page gone): its
        # address in the other language would be the same error.
        with translation.override(language_code):
            path = reverse("home")
    else:
        path = _translated_path(request.path, language_code)
    # A page whose query string has meaning (filters, a search) puts an
    # `alternate_query` in its context: its query_for(language_code) gives the
    # parameters in that language (a region's slug differs per language).
    query = {}
    alternate_query = context.get("alternate_query")
    if alternate_query is not None:
        query.update(alternate_query.query_for(language_code))
    page = request.GET.get("page")
    if page and page.isdigit() and page != "1":
        query["page"] = page
    if query:
        path = f"{path}?{urlencode(query)}"
    return request.build_absolute_uri(path) if absolute else path


def _translated_path(path, language_code):
    # Resolve in the page's own language, reverse in the target one.
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    with translation.override(language_code):
        if match is not None:
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass  # an unnamed view, e.g. the admin's catch-all 404
        return reverse("home")


@register.simple_tag
def other_languages():
    """The site's languages other than the active one: [(code, local name)]."""
    current = translation.get_language()
    return [
        (code, translation.get_language_info(code)["name_local"])
        for code in language_codes()
        if code != current
    ]


@register.filter
def lang_attr(obj, field_name):
    """` lang="xx"` (and its dir) when the shown value of `field_name` is
    another language's.

    Usage: <p{{ programme|lang_attr:"summary" }}>{{ programme.summary }}</p>
    """
    code = obj.language_of(field_name)
    if code == translation.get_language():
        return ""
    return other_language_attributes(code)


@register.filter
def lang_if_other(code):
    """` lang="xx"` (and its dir) when `code` differs from the active language."""
    if not code or code == translation.get_language():
        return ""
    return other_language_attributes(code)


register.simple_tag(list_separator)


@register.filter(is_safe=True)
def interface_text(text):
    """Interface text, marked with its lang (and dir) when the page language's
    catalogue lacks it and Django showed another language's.

    Usage: {% filter interface_text %}{% translate "…" %}{% endfilter %}
    """
    code = interface_language(text)
    if code == translation.get_language():
        return text
    return format_html("<span{}>{}</span>", other_language_attributes(code), text)


@register.simple_tag
def site_languages():
    """Every configured language, the default first: [{code, dir}]. Reads no
    database (the 500 and 503 pages use it)."""
    return [{"code": code, "dir": text_direction(code)} for code in language_codes()]
