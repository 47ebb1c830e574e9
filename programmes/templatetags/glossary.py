"""Acronyms expanded on pages (programmes/translating/glossary.py).

Usage, the expansion in the language the text is written in (a fallback
keeps its own):

    {% load glossary %}
    {% with language=programme|text_language:"facts_note" %}
      <p{{ programme|lang_attr:"facts_note" }}>
        {{ programme.facts_note|abbreviations:language }}
      </p>
    {% endwith %}

Without an argument, the text is taken to be in the page's language.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from programmes.translating.glossary import abbreviate

register = template.Library()


@register.filter(needs_autoescape=True)
def abbreviations(value, language=None, autoescape=True):
    """The text (escaped unless already safe HTML) with its acronyms in <abbr>."""
    if not value:
        return value
    text = conditional_escape(value) if autoescape else value
    return abbreviate(text, language or get_language())


@register.filter
def text_language(obj, field_name):
    """The language the shown text of `field_name` is written in."""
    return obj.language_of(field_name)
