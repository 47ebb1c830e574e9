"""The world map of beneficiary countries: an inline SVG drawn on the server.

The geometry is programmes/content/world-paths.json, built once from Natural
Earth (public domain) by tools/map/build_world_paths.py: no tiles, no request
to another site, no JavaScript. The markup is built only from that committed
file and from escaped country names and addresses (format_html).

Accessibility: the highlighted countries are links, so the SVG cannot be
role="img" (an image's content is presentational: the links would vanish for
screen reader users, while still taking keyboard focus). Nor is it hidden with
aria-hidden, which would leave focusable links with no name. The SVG is a named
group (role="group", aria-labelledby its <title>, aria-describedby its <desc>)
holding ordinary links, each named by its <title> child (also the tooltip for
mouse users), in alphabetical order like the list of countries that follows the
map as its text equivalent. That list also meets the minimum target size
(WCAG 2.5.8) for small countries, whose dots on the map are too small.
"""

import functools
import json
import re
from pathlib import Path

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django_countries.fields import Country

from programmes.languages import sort_key

WORLD_PATHS = Path(__file__).resolve().parent.parent / "content" / "world-paths.json"
MARKER_RADIUS = 5  # viewBox units (about 0.4 % of the map's width)
# Around a region's map: room for the markers and a little of the neighbours.
REGION_MARGIN = 20
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@functools.cache
def world_paths():
    """The committed geometry, read once per process (not once per request)."""
    return json.loads(WORLD_PATHS.read_text(encoding="utf-8"))


def has_shape(code):
    paths = world_paths()
    return code in paths["countries"] or code in paths["markers"]


def points(path):
    """The points of a committed path: "M x y" then relative "l dx dy" pairs,
    "z" closing a ring (the only commands tools/map writes)."""
    for ring in path.split("M")[1:]:
        start, *moves = ring.rstrip("z").split("l")
        x, y = (float(n) for n in NUMBER.findall(start)[:2])
        yield x, y
        for move in moves:
            numbers = [float(n) for n in NUMBER.findall(move)]
            for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
                x, y = x + dx, y + dy
                yield x, y


@functools.lru_cache(maxsize=256)
def view_box_around(codes):
    """A viewBox framing the countries `codes` (a region's own map), or None
    when none of them has a shape or marker."""
    paths = world_paths()
    found = []
    for code in codes:
        if code in paths["countries"]:
            found.extend(points(paths["countries"][code]))
        elif code in paths["markers"]:
            found.append(tuple(paths["markers"][code]))
    if not found:
        return None
    _x, _y, world_width, world_height = (float(n) for n in paths["viewBox"].split())
    left = max(0, min(x for x, _y in found) - REGION_MARGIN)
    top = max(0, min(y for _x, y in found) - REGION_MARGIN)
    right = min(world_width, max(x for x, _y in found) + REGION_MARGIN)
    bottom = min(world_height, max(y for _x, y in found) + REGION_MARGIN)
    return f"{left:g} {top:g} {right - left:g} {bottom - top:g}"


def world_map_svg(
    urls, language, title, description, id_prefix="world-map", members=()
):
    """The map with the countries of `urls` ({alpha-2 code: address}) as links.

    Country names are in `language`; `title` and `description` name and
    describe the map for screen readers. With `members` (a region's
    countries), the map frames them and shades those that are not links.
    Returns a SafeString.
    """
    return cached_world_map_svg(
        tuple(urls.items()),
        language,
        str(title),
        str(description),
        id_prefix,
        tuple(sorted(members)),
    )


# The markup depends only on its arguments and on the committed geometry: a
# page drawing the same map again (every visit to a programme page that the
# page cache does not answer) gets it without escaping the world's outlines.
@functools.lru_cache(maxsize=256)
def cached_world_map_svg(url_items, language, title, description, id_prefix, members):
    urls = dict(url_items)
    paths = world_paths()
    view_box = (members and view_box_around(members)) or paths["viewBox"]
    with translation.override(language):
        links = sorted(
            ((Country(code).name, code, url) for code, url in urls.items()),
            key=lambda link: sort_key(str(link[0])),
        )
    # Every other country, and the shapes with no ISO code, in one path; the
    # region's other members in another.
    background = "".join(
        [
            d
            for code, d in paths["countries"].items()
            if code not in urls and code not in members
        ]
        + paths["unassigned"]
    )
    shaded = "".join(
        paths["countries"][code]
        for code in members
        if code not in urls and code in paths["countries"]
    )
    width, height = view_box.split()[2:]
    return format_html(
        '<svg class="world-map" viewBox="{}" width="{}" height="{}" role="group" '
        'aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<path class="world-map__land" d="{}"/>{}{}</svg>',
        view_box,
        width,
        height,
        id_prefix,
        id_prefix,
        id_prefix,
        title,
        id_prefix,
        description,
        background,
        format_html('<path class="world-map__member" d="{}"/>', shaded)
        if shaded
        else "",
        format_html_join(
            "", "{}", ((country_link(code, url, name),) for name, code, url in links)
        ),
    )


def country_link(code, url, name):
    paths = world_paths()
    shape = paths["countries"].get(code)
    marker = paths["markers"].get(code)
    return format_html(
        '<a href="{}"><title>{}</title>{}{}</a>',
        url,
        name,
        format_html('<path d="{}"/>', shape) if shape else "",
        (
            format_html(
                '<circle class="world-map__marker" cx="{}" cy="{}" r="{}"/>',
                *marker,
                MARKER_RADIUS,
            )
            if marker
            else ""
        ),
    )
