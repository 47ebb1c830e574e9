"""Build programmes/content/world-paths.json, the world map's committed geometry.

The map on programme, region and country pages is an inline SVG drawn on the
server (programmes/public/maps.py): no tiles, no run-time download, no JavaScript. Its
geometry comes from Natural Earth (public domain) as redistributed by the npm
package world-atlas, pinned by tools/map/package-lock.json. This script turns
that TopoJSON into one SVG path per country, keyed by ISO 3166 alpha-2 code.

Rebuild (after changing the world-atlas version or a setting below), from the
repository's root:

    npm ci --prefix tools/map && .venv/bin/python tools/map/build_world_paths.py

What it does:

- countries-110m.json (1:110m) gives every shape; its ids are ISO 3166 numeric
  codes, turned into alpha-2 codes with django-countries' own table, so no
  code or name is typed by hand here;
- each TopoJSON arc is simplified once (Visvalingam, measured in map units), so
  neighbouring countries keep exactly the same border points;
- rings that cross the 180° meridian (Russia's Chukotka, Fiji) are cut in two;
- the Equal Earth projection (equal areas, compact) scaled to WIDTH units;
  Antarctica is dropped and the box is cropped to the remaining land;
- paths use whole numbers and relative lines ("M12 34l3-1 2 0z");
- countries whose largest island is too small to see or to click at this
  scale get a marker point (the renderer draws a dot there when the country is
  highlighted); island states missing from the 1:110m file (Barbados, Cabo
  Verde...) get only a marker, at the centre of their largest island in
  countries-50m.json;
- shapes with no ISO code in world-atlas (Kosovo, Northern Cyprus, Somaliland)
  are kept under "unassigned": drawn so the map has no holes, never linked.
"""

import json
import math
from itertools import pairwise
from pathlib import Path

from django_countries.data import ALT_CODES

ROOT = Path(__file__).resolve().parent.parent.parent
ATLAS = Path(__file__).resolve().parent / "node_modules" / "world-atlas"
OUTPUT = ROOT / "programmes" / "content" / "world-paths.json"

WIDTH = 1000  # map units from 180° W to 180° E along the equator
MIN_AREA = 1.5  # Visvalingam: drop points whose triangle is smaller (units²)
MARKER_BELOW = 60  # bounding-box area (units²) under which a country gets a dot
MARGIN = 4  # around the land: room for the dots and the focus ring
DROPPED = {"AQ"}  # Antarctica: no beneficiary, and many points

ALPHA2_BY_NUMERIC = {numeric: alpha2 for alpha2, (_, numeric) in ALT_CODES.items()}


def equal_earth(longitude, latitude):
    """Equal Earth projection (Šavrič, Patterson and Jenny, 2018), unscaled."""
    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    theta = math.asin(math.sqrt(3) / 2 * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * math.radians(longitude)
        * math.cos(theta)
        / (3 * (9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1))
    )
    y = theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
    return x, -y  # SVG's y axis points down


SCALE = WIDTH / (2 * equal_earth(180, 0)[0])


def project(point):
    x, y = equal_earth(*point)
    return x * SCALE, y * SCALE


def load(resolution):
    return json.loads((ATLAS / f"countries-{resolution}.json").read_text())


def alpha2(geometry):
    """None for the shapes world-atlas gives no ISO code."""
    if "id" not in geometry:
        return None
    return ALPHA2_BY_NUMERIC.get(int(geometry["id"]))


def decoded_arcs(topology):
    """Each arc as a list of (longitude, latitude): undo the delta encoding."""
    (scale_x, scale_y) = topology["transform"]["scale"]
    (shift_x, shift_y) = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def simplified(arc):
    """Visvalingam–Whyatt: drop the point of the smallest triangle, repeatedly.

    Areas are measured on the projected map; the points kept are the arc's own
    (longitude, latitude), so that shared borders stay shared.
    """
    projected = [project(point) for point in arc]
    kept = list(range(len(arc)))

    def area(i):
        (ax, ay), (bx, by), (cx, cy) = (projected[kept[j]] for j in (i - 1, i, i + 1))
        return abs((bx - ax) * (cy - ay) - (cx - ax) * (by - ay)) / 2

    while len(kept) > 2:
        smallest = min(range(1, len(kept) - 1), key=area)
        if area(smallest) >= MIN_AREA:
            break
        del kept[smallest]
    return [arc[i] for i in kept]


def rings(geometry):
    """The rings of a Polygon or MultiPolygon, as lists of arc indexes."""
    if geometry["type"] == "Polygon":
        return list(geometry["arcs"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["arcs"] for ring in polygon]
    return []


def ring_points(ring, arcs):
    """Stitch a ring's arcs; ~i means arc i reversed (TopoJSON)."""
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def split_at_antimeridian(points):
    """A ring that jumps between 180° E and 180° W, as one ring on each side.

    Longitudes are made continuous (Chukotka becomes 190° E), then the ring is
    clipped on each side of the meridian (Sutherland–Hodgman on a half-plane)
    and the far part is moved back by 360°.
    """
    if all(abs(b[0] - a[0]) <= 180 for a, b in pairwise(points)):
        return [points]
    continuous = [points[0]]
    for longitude, latitude in points[1:]:
        previous = continuous[-1][0]
        longitude += 360 * round((previous - longitude) / 360)
        continuous.append((longitude, latitude))
    edge = 180 if max(p[0] for p in continuous) > 180 else -180
    near = clipped(continuous, edge, keep_below=edge > 0)
    far = clipped(continuous, edge, keep_below=edge < 0)
    far = [(longitude - math.copysign(360, edge), lat) for longitude, lat in far]
    return [part for part in (near, far) if len(part) >= 3]


def clipped(points, meridian, keep_below):
    def inside(point):
        return point[0] <= meridian if keep_below else point[0] >= meridian

    def crossing(a, b):
        share = (meridian - a[0]) / (b[0] - a[0])
        return meridian, a[1] + share * (b[1] - a[1])

    result = []
    for previous, point in zip(points[-1:] + points[:-1], points, strict=True):
        if inside(point):
            if not inside(previous):
                result.append(crossing(previous, point))
            result.append(point)
        elif inside(previous):
            result.append(crossing(previous, point))
    return result


def projected_rings(geometry, arcs):
    """The geometry's rings on the map, in (unrounded) map units."""
    return [
        [project(point) for point in part]
        for ring in rings(geometry)
        for part in split_at_antimeridian(ring_points(ring, arcs))
    ]


def bounding_box(points):
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def area_of_box(box):
    return (box[2] - box[0]) * (box[3] - box[1])


def largest_island(point_rings):
    """The bounding box of the largest ring (holes are inside their island)."""
    return max((bounding_box(ring) for ring in point_rings), key=area_of_box)


def centre_of_largest_island(point_rings):
    x0, y0, x1, y1 = largest_island(point_rings)
    return (x0 + x1) / 2, (y0 + y1) / 2


def path_data(point_rings, shift):
    """'M x y l dx dy ... z' per ring, whole numbers, no needless separators."""
    parts = []
    for points in point_rings:
        rounded = [(round(x + shift[0]), round(y + shift[1])) for x, y in points]
        distinct = [p for before, p in pairwise([None, *rounded]) if p != before]
        if len(distinct) > 1 and distinct[-1] == distinct[0]:
            distinct.pop()
        if len(distinct) < 3:
            continue
        (x, y), text = distinct[0], [f"M{distinct[0][0]} {distinct[0][1]}l"]
        for next_x, next_y in distinct[1:]:
            for delta in (next_x - x, next_y - y):
                # A minus sign separates two numbers by itself.
                text.append(f"{delta}" if delta < 0 or len(text) == 1 else f" {delta}")
            x, y = next_x, next_y
        parts.append("".join(text) + "z")
    return "".join(parts)


def build():
    coarse = load("110m")
    exact_arcs = decoded_arcs(coarse)
    simple_arcs = [simplified(arc) for arc in exact_arcs]
    shapes, markers = [], {}
    for geometry in coarse["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code in DROPPED:
            continue
        shapes.append((code, projected_rings(geometry, simple_arcs)))
        exact = projected_rings(geometry, exact_arcs)
        if code and area_of_box(largest_island(exact)) < MARKER_BELOW:
            markers[code] = centre_of_largest_island(exact)

    fine = load("50m")
    fine_arcs = decoded_arcs(fine)
    drawn = {code for code, _ in shapes}
    for geometry in fine["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code and code not in drawn and code not in DROPPED:
            exact = projected_rings(geometry, fine_arcs)
            markers.setdefault(code, centre_of_largest_island(exact))

    left, top, right, bottom = bounding_box(
        [p for _, point_rings in shapes for r in point_rings for p in r]
        + list(markers.values())
    )
    shift = (MARGIN - left, MARGIN - top)
    countries, unassigned = {}, []
    for code, point_rings in shapes:
        d = path_data(point_rings, shift)
        if code is None:
            unassigned.append(d)
        elif d:
            countries[code] = d
        else:  # collapsed to nothing at this scale: the marker stands for it
            markers.setdefault(code, centre_of_largest_island(point_rings))

    version = json.loads((ATLAS / "package.json").read_text())["version"]
    width = math.ceil(right - left + 2 * MARGIN)
    height = math.ceil(bottom - top + 2 * MARGIN)
    return {
        "source": (
            f"world-atlas {version}: countries-110m.json, markers of the smallest "
            "countries from countries-50m.json (Natural Earth, public domain). "
            "Built by tools/map/build_world_paths.py; do not edit by hand."
        ),
        "projection": "Equal Earth",
        "viewBox": f"0 0 {width} {height}",
        "countries": dict(sorted(countries.items())),
        "markers": {
            code: [round(x + shift[0]), round(y + shift[1])]
            for code, (x, y) in sorted(markers.items())
        },
        "unassigned": unassigned,
    }


if __name__ == "__main__":
    data = build()
    OUTPUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
    print(
        f"{OUTPUT.relative_to(ROOT)}: {len(data['countries'])} countries, "
        f"{len(data['markers'])} markers, {OUTPUT.stat().st_size} bytes"
    )
