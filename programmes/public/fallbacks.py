"""Text shown in another language than the page's, and hreflang languages.

When a field has no text in the visitor's language, modeltranslation shows the
other language's; the page marks that text with its `lang` and says so, in the
page's language, next to it (templatetags/fallbacks.py). Search engines are
only told about the languages a page is complete in (hreflang), in the page's
<head> and in the sitemap alike.
"""

from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from programmes.languages import (
    interface_language,
    language_codes,
    language_in_sentence,
    other_language_attributes,
)


def fallback_fields(obj, field_names):
    """Those of `field_names` whose shown text is in another language."""
    current = get_language()
    return [
        name
        for name in field_names
        if getattr(obj, name, None) and obj.language_of(name) != current
    ]


def fallback_notice():
    """(text, language) of the notice naming the page's language.

    In the page's language; in the language Django falls back to while the
    page language's catalogue lacks it, the language's name included.
    """
    page_language = get_language()
    message = _("This text is not yet available in %(language)s.")
    notice_language = interface_language(message)
    with override(notice_language):
        name = language_in_sentence(page_language)
    return message % {"language": name}, notice_language


def fallback_notice_text():
    return fallback_notice()[0]


def fallback_notice_attributes():
    """` lang` and ` dir` of the notice, when not the page's language."""
    code = fallback_notice()[1]
    return "" if code == get_language() else other_language_attributes(code)


def hreflang_languages(obj=None):
    """The languages to name in hreflang alternates for a page about `obj`.

    An object's page names the languages it is complete in; pages without one
    (lists, whose text is the interface's) are complete in every language.
    """
    if obj is None or not hasattr(obj, "complete_languages"):
        return language_codes()
    return obj.complete_languages()


def hreflang_alternates(alternates, languages):
    """A sitemap entry's alternates, but for languages the page is incomplete in.

    x-default stays: it is the default language's page, a choice of address
    rather than a claim about its text.
    """
    return [
        alternate
        for alternate in alternates
        if alternate["lang_code"] == "x-default" or alternate["lang_code"] in languages
    ]
