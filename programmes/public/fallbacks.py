"""Text shown in another language than the page's, and hreflang languages.

When a field has no text in the visitor's language, modeltranslation shows the
other language's; the page marks that text with its `lang` and says so, in the
page's language, next to it (templatetags/fallbacks.py). Search engines are
only told about the languages a page is complete in (hreflang), in the page's
<head> and in the sitemap alike.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from programmes.languages import language_codes, language_in_sentence


def fallback_fields(obj, field_names):
    """Those of `field_names` whose shown text is in another language."""
    current = get_language()
    return [
        name
        for name in field_names
        if getattr(obj, name, None) and obj.language_of(name) != current
    ]


def fallback_notice_text():
    """The notice, in the page's language, naming the page's language."""
    return _("This text is not yet available in %(language)s.") % {
        "language": language_in_sentence(get_language())
    }


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
