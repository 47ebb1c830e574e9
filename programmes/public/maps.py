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
from django.utils.safestring import mark_safe
from django_countries.fields import Country

from programmes.languages import sort_key

WORLD_PATHS = Path(__file__).resolve().parent.parent / "content" / "world-paths.json"
MARKER_RADIUS = 5  # viewBox units (about 0.4 % of the map's width)
# A zoomed map shows at least this much of the world's width (viewBox
# units: about the width of West Africa), and is never taller than wide
# relative to this ratio, so that it keeps the shape of a map on a phone.
ZOOM_MIN_WIDTH = 180
ZOOM_ASPECT = 1.6  # width / height
ZOOM_MARGIN = 0.08  # of the box's size, on each side
# Borders and focus rings keep their width in screen pixels however far a map
# zooms in (an attribute: the stylesheet's validator knows no vector-effect).
NON_SCALING = mark_safe(' vector-effect="non-scaling-stroke"')


@functools.cache
def world_paths():
    """The committed geometry, read once per process (not once per request)."""
    return json.loads(WORLD_PATHS.read_text(encoding="utf-8"))


def has_shape(code):
    paths = world_paths()
    return code in paths["countries"] or code in paths["markers"]


@functools.cache
def shape_box(code):
    """(min x, min y, max x, max y) of a country's shape or marker, or None.

    The paths are "M x y" followed by relative "l dx dy ..." lines and "z"
    (tools/map/build_world_paths.py writes nothing else).
    """
    paths = world_paths()
    points = []
    if d := paths["countries"].get(code):
        for command, numbers in re.findall(r"([Mlz])([^Mlz]*)", d):
            values = [float(n) for n in re.findall(r"-?[\d.]+", numbers)]
            pairs = list(zip(values[::2], values[1::2], strict=True))
            if command == "M":
                x, y = pairs[0]
                points.append((x, y))
                pairs = pairs[1:]
            for dx, dy in pairs:
                x, y = x + dx, y + dy
                points.append((x, y))
    if marker := paths["markers"].get(code):
        points.append(tuple(marker))
    if not points:
        return None
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def zoomed_view_box(codes):
    """A viewBox framing the countries of `codes`, within the world's box.

    Legible on a phone: a programme's West African countries fill the width
    instead of a tenth of it. Returns (x, y, width, height).
    """
    world = [float(n) for n in world_paths()["viewBox"].split()]
    boxes = [box for code in codes if (box := shape_box(code))]
    if not boxes:
        return tuple(world)
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[2] for b in boxes)
    bottom = max(b[3] for b in boxes)
    width = max(right - left, ZOOM_MIN_WIDTH) * (1 + 2 * ZOOM_MARGIN)
    height = max(bottom - top, width / ZOOM_ASPECT) * (1 + 2 * ZOOM_MARGIN)
    width = max(width, height * ZOOM_ASPECT * 0.75)
    width, height = min(width, world[2]), min(height, world[3])
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    x = min(max(centre_x - width / 2, 0), world[2] - width)
    y = min(max(centre_y - height / 2, 0), world[3] - height)
    return tuple(round(value) for value in (x, y, width, height))


def world_map_svg(
    urls,
    language,
    title,
    description,
    id_prefix="world-map",
    levels=None,
    zoom=False,
    members=(),
):
    """The map with the countries of `urls` ({alpha-2 code: address}) as links.

    Country names are in `language`; `title` and `description` name and
    describe the map for screen readers. `levels` ({code: 1..4}) shades each
    country by a level, for a map of how many programmes benefit each;
    `zoom` frames the map on the linked countries. With `members` (a region's
    countries), the map frames them instead and shades those that are not
    links. Returns a SafeString.
    """
    return cached_world_map_svg(
        tuple(urls.items()),
        language,
        str(title),
        str(description),
        id_prefix,
        tuple(sorted((levels or {}).items())),
        zoom,
        tuple(sorted(members)),
    )


# The markup depends only on its arguments and on the committed geometry: a
# page drawing the same map again (every visit to a programme page that the
# page cache does not answer) gets it without escaping the world's outlines.
@functools.lru_cache(maxsize=256)
def cached_world_map_svg(
    url_items, language, title, description, id_prefix, level_items, zoom, members
):
    urls = dict(url_items)
    levels = dict(level_items)
    paths = world_paths()
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
    framed = members or (urls if zoom else ())
    if framed:
        view_box = zoomed_view_box(framed)
        # Dots keep the same size on screen however far the map zooms in.
        scale = view_box[2] / float(paths["viewBox"].split()[2])
        view_box = " ".join(str(value) for value in view_box)
    else:
        view_box, scale = paths["viewBox"], 1
    zoom = bool(framed)
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
        '<path class="world-map__land" d="{}"{}/>{}{}</svg>',
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
        NON_SCALING if zoom else "",
        format_html('<path class="world-map__member" d="{}"{}/>', shaded, NON_SCALING)
        if shaded
        else "",
        format_html_join(
            "",
            "{}",
            (
                (country_link(code, url, name, levels.get(code), scale, zoom),)
                for name, code, url in links
            ),
        ),
    )


def country_link(code, url, name, level=None, scale=1, zoom=False):
    paths = world_paths()
    shape = paths["countries"].get(code)
    marker = paths["markers"].get(code)
    return format_html(
        '<a href="{}"{}><title>{}</title>{}{}</a>',
        url,
        format_html(' class="world-map__level-{}"', level) if level else "",
        name,
        format_html('<path d="{}"{}/>', shape, NON_SCALING if zoom else "")
        if shape
        else "",
        (
            format_html(
                '<circle class="world-map__marker" cx="{}" cy="{}" r="{}"{}/>',
                *marker,
                round(MARKER_RADIUS * scale, 1),
                NON_SCALING if zoom else "",
            )
            if marker
            else ""
        ),
    )
