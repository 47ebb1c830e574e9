"""Descriptions as HTML: {% load rich_text %} {{ programme.description|rich_text }}."""

from django import template

from programmes.content import rich_text as rich_text_module

register = template.Library()


@register.filter
def rich_text(value):
    """Sanitised HTML in paragraphs, from plain text or rich text (see rich_text.py)."""
    return rich_text_module.render(value)
