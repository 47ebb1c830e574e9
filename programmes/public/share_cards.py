"""Share cards: the 1200 × 630 PNG a social network shows for a shared link.

One per programme, organisation, region and the home page, in each language,
drawn with Pillow on request (share_card view) and kept by the page cache
like any page. The page's og:image address carries a fingerprint of what the
card shows (`card_fingerprint`): when the name, the pictogram or the countries
change, the address changes, and the card is drawn again.

What a card shows: the site's mark and name, the page's name (and acronym),
a line saying what it is, the programme's pictogram (the vendored Lucide
paths, drawn here: Pillow reads no SVG) and the countries on a small map
zoomed on them (the site's own geometry, world-paths.json).
"""

import functools
import hashlib
import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from programmes.content.models import Organisation, Programme, Region

from .maps import world_paths, zoomed_view_box
from .pictograms import icon_file_text, pictogram_name

WIDTH, HEIGHT = 1200, 630
CARD_VERSION = "1"  # part of every fingerprint: change it when the drawing changes
BRAND = (11, 45, 79)  # --color-brand
BRAND_ALT = (19, 61, 102)  # --color-brand-alt
ON_BRAND = (255, 255, 255)
ACCENT = (242, 201, 76)  # --color-accent
LAND = (48, 86, 125)
HIGHLIGHT = (242, 201, 76)
MUTED = (200, 214, 229)
FONT_FOLDERS = (Path("/usr/share/fonts/truetype/dejavu"),)


@dataclass
class ShareCard:
    title: str
    subtitle: str = ""
    site_name: str = ""
    pictogram: str = ""
    countries: list = field(default_factory=list)

    def fingerprint(self):
        text = "\x1f".join(
            [
                CARD_VERSION,
                self.title,
                self.subtitle,
                self.site_name,
                self.pictogram,
                ",".join(sorted(self.countries)),
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@functools.cache
def font(size, bold=False):
    """DejaVu Sans (Debian's fonts-dejavu-core) or Pillow's own font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_FOLDERS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def wrap(draw, text, typeface, width, max_lines):
    """`text` in lines of at most `width` pixels; the last one ends in "…"."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=typeface) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while draw.textlength(lines[-1] + " …", font=typeface) > width:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += " …"
    return lines


# --- Lucide's SVG, drawn as polylines -----------------------------------------

NUMBER = r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?"


def path_polylines(d):
    """The subpaths of an SVG path as lists of points (curves flattened)."""
    tokens = re.findall(rf"[MmLlHhVvCcSsQqAaZz]|{NUMBER}", d)
    polylines, points = [], []
    x = y = start_x = start_y = 0.0
    last_control = None
    command = None
    i = 0

    def take(n):
        nonlocal i
        values = [float(t) for t in tokens[i : i + n]]
        i += n
        return values

    while i < len(tokens):
        if re.fullmatch("[A-Za-z]", tokens[i]):
            command = tokens[i]
            i += 1
            if command in "Zz":
                points.append((start_x, start_y))
                x, y = start_x, start_y
                continue
        relative = command.islower()
        dx, dy = (x, y) if relative else (0.0, 0.0)
        kind = command.upper()
        if kind == "M":
            if len(points) > 1:
                polylines.append(points)
            px, py = take(2)
            x, y = px + dx, py + dy
            start_x, start_y = x, y
            points = [(x, y)]
            command = "l" if relative else "L"
        elif kind == "L":
            px, py = take(2)
            x, y = px + dx, py + dy
            points.append((x, y))
        elif kind == "H":
            (px,) = take(1)
            x = px + (dx if relative else 0)
            points.append((x, y))
        elif kind == "V":
            (py,) = take(1)
            y = py + (dy if relative else 0)
            points.append((x, y))
        elif kind in "CS":
            if kind == "C":
                x1, y1, x2, y2, ex, ey = take(6)
                c1 = (x1 + dx, y1 + dy)
            else:
                x2, y2, ex, ey = take(4)
                c1 = (
                    (2 * x - last_control[0], 2 * y - last_control[1])
                    if (last_control)
                    else (x, y)
                )
            c2, end = (x2 + dx, y2 + dy), (ex + dx, ey + dy)
            points += cubic((x, y), c1, c2, end)
            last_control = c2
            x, y = end
            continue
        elif kind == "Q":
            x1, y1, ex, ey = take(4)
            control, end = (x1 + dx, y1 + dy), (ex + dx, ey + dy)
            points += [
                (
                    (1 - t) ** 2 * x + 2 * (1 - t) * t * control[0] + t * t * end[0],
                    (1 - t) ** 2 * y + 2 * (1 - t) * t * control[1] + t * t * end[1],
                )
                for t in (n / 12 for n in range(1, 13))
            ]
            x, y = end
        elif kind == "A":
            rx, ry, rotation, large, sweep, ex, ey = take(7)
            end = (ex + dx, ey + dy)
            points += arc((x, y), end, rx, ry, rotation, large, sweep)
            x, y = end
        last_control = None
    if len(points) > 1:
        polylines.append(points)
    return polylines


def cubic(p0, p1, p2, p3, steps=16):
    return [
        tuple(
            (1 - t) ** 3 * a
            + 3 * (1 - t) ** 2 * t * b
            + 3 * (1 - t) * t * t * c
            + t**3 * e
            for a, b, c, e in zip(p0, p1, p2, p3, strict=True)
        )
        for t in (n / steps for n in range(1, steps + 1))
    ]


def arc(start, end, rx, ry, rotation, large, sweep, steps=24):
    """SVG's endpoint arc as points (SVG 1.1, appendix F.6)."""
    if rx == 0 or ry == 0 or start == end:
        return [end]
    phi = math.radians(rotation)
    cos, sin = math.cos(phi), math.sin(phi)
    x1p = cos * (start[0] - end[0]) / 2 + sin * (start[1] - end[1]) / 2
    y1p = -sin * (start[0] - end[0]) / 2 + cos * (start[1] - end[1]) / 2
    rx, ry = abs(rx), abs(ry)
    scale = x1p**2 / rx**2 + y1p**2 / ry**2
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    numerator = rx**2 * ry**2 - rx**2 * y1p**2 - ry**2 * x1p**2
    denominator = rx**2 * y1p**2 + ry**2 * x1p**2
    factor = math.sqrt(max(0, numerator / denominator))
    if large == sweep:
        factor = -factor
    cxp, cyp = factor * rx * y1p / ry, -factor * ry * x1p / rx
    cx = cos * cxp - sin * cyp + (start[0] + end[0]) / 2
    cy = sin * cxp + cos * cyp + (start[1] + end[1]) / 2

    def angle(ux, uy, vx, vy):
        return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)

    theta = angle(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry)
    delta = angle(
        (x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry
    )
    if not sweep and delta > 0:
        delta -= 2 * math.pi
    elif sweep and delta < 0:
        delta += 2 * math.pi
    points = []
    for n in range(1, steps + 1):
        t = theta + delta * n / steps
        px, py = rx * math.cos(t), ry * math.sin(t)
        points.append((cos * px - sin * py + cx, sin * px + cos * py + cy))
    return points


def rounded_rect(x, y, w, h, r):
    r = min(r, w / 2, h / 2)
    d = (
        f"M{x + r} {y}H{x + w - r}A{r} {r} 0 0 1 {x + w} {y + r}V{y + h - r}"
        f"A{r} {r} 0 0 1 {x + w - r} {y + h}H{x + r}A{r} {r} 0 0 1 {x} {y + h - r}"
        f"V{y + r}A{r} {r} 0 0 1 {x + r} {y}Z"
    )
    return path_polylines(d)


@functools.cache
def icon_polylines(name):
    """Every stroke of a vendored Lucide icon, in its 24 × 24 units."""
    root = ET.fromstring(re.sub(r"<!--.*?-->", "", icon_file_text(name), flags=re.S))
    strokes = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        a = {k: float(v) for k, v in element.attrib.items() if re.fullmatch(NUMBER, v)}
        if tag == "path":
            strokes += path_polylines(element.get("d"))
        elif tag == "circle":
            r = a["r"]
            strokes.append(
                [
                    (a["cx"] + r * math.cos(t), a["cy"] + r * math.sin(t))
                    for t in (2 * math.pi * n / 48 for n in range(49))
                ]
            )
        elif tag == "rect":
            strokes += rounded_rect(
                a.get("x", 0), a.get("y", 0), a["width"], a["height"], a.get("rx", 0)
            )
        elif tag == "line":
            strokes.append([(a["x1"], a["y1"]), (a["x2"], a["y2"])])
        elif tag == "polyline":
            values = [float(v) for v in re.findall(NUMBER, element.get("points"))]
            strokes.append(list(zip(values[::2], values[1::2], strict=True)))
    return strokes


def draw_icon(draw, name, left, top, size, colour):
    scale = size / 24
    width = max(2, round(2 * scale))
    for stroke in icon_polylines(name):
        points = [(left + x * scale, top + y * scale) for x, y in stroke]
        draw.line(points, fill=colour, width=width, joint="curve")
        for x, y in (points[0], points[-1]):  # round caps
            draw.ellipse(
                (x - width / 2, y - width / 2, x + width / 2, y + width / 2),
                fill=colour,
            )


# --- The map ------------------------------------------------------------------


@functools.cache
def country_polygons(code):
    """The country's rings as lists of points (world-paths.json units)."""
    d = world_paths()["countries"].get(code)
    return path_polylines(d) if d else []


def map_image(codes, width, height):
    """The countries of `codes` on a map zoomed on them, `width` × `height`."""
    image = Image.new("RGB", (width, height), BRAND_ALT)
    draw = ImageDraw.Draw(image)
    vx, vy, vw, vh = zoomed_view_box(codes)
    scale = max(width / vw, height / vh)  # fills the box; the edges are cropped
    ox = (width - vw * scale) / 2 - vx * scale
    oy = (height - vh * scale) / 2 - vy * scale

    def place(points):
        return [(ox + x * scale, oy + y * scale) for x, y in points]

    chosen = set(codes)
    for code in world_paths()["countries"]:
        colour = HIGHLIGHT if code in chosen else LAND
        for ring in country_polygons(code):
            if len(ring) > 2:
                draw.polygon(place(ring), fill=colour, outline=BRAND_ALT)
    for code in chosen:
        if not country_polygons(code) and (
            marker := world_paths()["markers"].get(code)
        ):
            (x, y), r = place([marker])[0], 6
            draw.ellipse((x - r, y - r, x + r, y + r), fill=HIGHLIGHT, outline=BRAND)
    return image


# --- The card -------------------------------------------------------------------


def site_mark(draw, left, top, size):
    """The site's mark: static/img/favicon.svg's nested diamonds."""
    centre_x, centre_y = left + size / 2, top + size / 2

    def diamond(radius):
        return [
            (centre_x, centre_y - radius),
            (centre_x + radius, centre_y),
            (centre_x, centre_y + radius),
            (centre_x - radius, centre_y),
        ]

    half = size / 2
    draw.polygon(diamond(half), fill=ACCENT)
    draw.polygon(diamond(half * 0.76), fill=BRAND)
    draw.polygon(diamond(half * 0.4), fill=ACCENT)


def render_card(card):
    """The PNG bytes of `card` (a ShareCard)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BRAND)
    draw = ImageDraw.Draw(image)
    margin = 64
    text_width = WIDTH - 2 * margin
    if card.countries:
        left, top, width, height = WIDTH - margin - 420, 164, 420, 402
        mask = Image.new("L", (width, height), 0)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, width, height), 12, fill=255)
        image.paste(map_image(card.countries, width, height), (left, top), mask)
        text_width = left - margin - 40

    site_mark(draw, margin, 52, 40)
    draw.text(
        (margin + 56, 58), card.site_name, font=font(26, bold=True), fill=ON_BRAND
    )
    draw.rectangle((margin, 124, WIDTH - margin, 128), fill=ACCENT)

    top = 170
    if card.pictogram:
        draw.ellipse((margin, top, margin + 96, top + 96), fill=BRAND_ALT)
        draw_icon(draw, card.pictogram, margin + 20, top + 20, 56, ON_BRAND)
        top += 124
    size = 60 if len(card.title) <= 24 else 44
    for line in wrap(draw, card.title, font(size, bold=True), text_width, 4):
        draw.text((margin, top), line, font=font(size, bold=True), fill=ON_BRAND)
        top += round(size * 1.25)
    if card.subtitle:
        top += 12
        for line in wrap(draw, card.subtitle, font(30), text_width, 2):
            draw.text((margin, top), line, font=font(30), fill=MUTED)
            top += 40
    output = io.BytesIO()
    # zlib's default level, not optimize=True: a card is drawn on request
    # (then cached) and 64 of them by every static export; optimize tried
    # every filter for 5 % fewer bytes (41 KB against 43) at 3.5× the time.
    image.save(output, format="PNG")
    return output.getvalue()


# --- What each page's card shows ------------------------------------------------


def card_for(site_name, obj=None, home_page=None, countries=()):
    """The ShareCard of a programme, organisation or region (`obj`), or of
    the home page (`home_page`, and the codes of every beneficiary country),
    in the active language; `site_name` heads every card."""
    site_name = str(site_name)
    if isinstance(obj, Programme):
        return ShareCard(
            title=obj.title,
            subtitle=obj.period_description(),
            site_name=site_name,
            pictogram=pictogram_name(obj),
            countries=[str(c.code) for c in obj.beneficiary_countries],
        )
    if isinstance(obj, Organisation):
        return ShareCard(
            title=str(obj),
            subtitle=obj.get_kind_display().capitalize(),
            site_name=site_name,
        )
    if isinstance(obj, Region):
        return ShareCard(
            title=obj.name,
            subtitle=gettext("Beneficiary region"),
            site_name=site_name,
            countries=[str(c.code) for c in obj.countries],
        )
    return ShareCard(
        title=home_page.heading if home_page else site_name,
        site_name=site_name,
        countries=sorted(countries),
    )
