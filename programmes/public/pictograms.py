"""A programme's pictogram, inlined in the page as the vendored SVG file.

Inline rather than <img>: no request per card, and the icon takes the text's
colour (stroke="currentColor"), so it follows dark mode and forced colours.
The files are Lucide's, unchanged (static/vendor/lucide/, with the licence):
only the licence comment goes, and the root element gets the site's class and
aria-hidden (the pictogram is decoration: the programme's name says it all).
"""

import functools
import re

from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

from programmes.content.pictograms import ICON_DIRECTORY, Pictogram

DEFAULT = Pictogram.GLOBE


def pictogram_name(programme):
    return programme.pictogram or DEFAULT


@functools.cache
def icon_file_text(name):
    """The vendored file's text, read once per process."""
    path = finders.find(f"{ICON_DIRECTORY}/{Pictogram(name).value}.svg")
    with open(path, encoding="utf-8") as file:
        return file.read()


@functools.cache
def pictogram_svg(name, css_class="pictogram"):
    svg = icon_file_text(name)
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r'\s*class="[^"]*"', "", svg, count=1)
    svg = svg.replace(
        "<svg", f'<svg class="{css_class}" aria-hidden="true" focusable="false"', 1
    )
    # One line: the SVG sits inside headings and table cells.
    return mark_safe(" ".join(svg.split()).replace("> <", "><"))
