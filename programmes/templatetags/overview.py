"""The home page's overview: {% pictogram programme %} and {% timeline programmes %}."""

from django import template
from django.utils.translation import gettext as _

from programmes.public.pictograms import pictogram_name, pictogram_svg
from programmes.public.timeline import timeline_rows, timeline_svg

register = template.Library()


@register.simple_tag
def pictogram(programme):
    """The programme's pictogram as inline SVG (decoration: aria-hidden)."""
    return pictogram_svg(pictogram_name(programme))


@register.inclusion_tag("includes/timeline.html")
def timeline(programmes):
    """The programmes' periods as an SVG chart and, after it, as a list."""
    rows, bounds = timeline_rows(list(programmes))
    return {
        "rows": rows,
        "svg": timeline_svg(
            rows,
            bounds,
            _("Timeline of the programmes’ periods"),
            described_by="timeline-text",
        ),
    }
