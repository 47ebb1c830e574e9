"""Draw the site's mark and write its icon files into static/img/.

Run by hand after changing the mark (not at build time); commit what it writes:

    .venv/bin/python tools/icons/make_icons.py

The mark is the site's own, no organisation's emblem: a gold diamond outline
around a gold diamond, on the header's navy (site.css, section 1:
--color-brand #0b2d4f, --color-accent #f2c94c, 8.81:1). favicon.svg draws the
same shapes on the same 32-unit grid.
"""

from pathlib import Path

from PIL import Image, ImageDraw

IMG = Path(__file__).resolve().parents[2] / "static" / "img"
BRAND = "#0b2d4f"
ACCENT = "#f2c94c"
GRID = 32  # favicon.svg's viewBox
SUPERSAMPLE = 8  # drawn large, then scaled down: smooth edges


def diamond(centre, radius):
    x, y = centre
    return [(x, y - radius), (x + radius, y), (x, y + radius), (x - radius, y)]


def draw_mark(size, *, corner=6, bleed=False):
    """The mark as a square RGBA image of `size` pixels.

    bleed: fill the whole square (apple-touch-icon: iOS rounds the corners).
    """
    big = size * SUPERSAMPLE
    unit = big / GRID
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if bleed:
        draw.rectangle((0, 0, big, big), fill=BRAND)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), corner * unit, fill=BRAND)
    centre = (16 * unit, 16 * unit)
    # Outline: the ring between two diamonds (radius 12.5 and 9.5 units).
    draw.polygon(diamond(centre, 12.5 * unit), fill=ACCENT)
    draw.polygon(diamond(centre, 9.5 * unit), fill=BRAND)
    draw.polygon(diamond(centre, 5 * unit), fill=ACCENT)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    IMG.mkdir(parents=True, exist_ok=True)
    # favicon.ico: 16, 32 and 48 px, scaled from one 256 px drawing.
    draw_mark(256).save(IMG / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    touch = draw_mark(180, bleed=True).convert("RGB")
    touch.save(IMG / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
