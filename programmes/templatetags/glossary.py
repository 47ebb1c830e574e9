"""Acronyms expanded on pages: {% load glossary %} {{ text|abbreviations }}."""

from django import template
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from programmes.glossary import abbreviate

register = template.Library()


@register.filter(needs_autoescape=True)
def abbreviations(value, autoescape=True):
    """The text (escaped unless already safe HTML) with its acronyms in <abbr>."""
    if not value:
        return value
    text = conditional_escape(value) if autoescape else value
    return abbreviate(text, get_language())
