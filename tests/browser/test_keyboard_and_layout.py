"""Keyboard use, visible focus, and layout from 320 to 1280 px and at 200 % zoom."""

import pytest

from ..pages import PAGE_TYPES, PUBLIC_PAGES
from .helpers import SCROLLS_SIDEWAYS, TIMELINE_TEXT_OUTSIDE

pytestmark = pytest.mark.django_db(transaction=True)

TABBABLE = (
    "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), "
    "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])"
)
FOCUS_IS_VISIBLE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const width = parseFloat(style.outlineWidth);
    const outline = style.outlineStyle !== "none" && width >= 2;
    const box = element.getBoundingClientRect();
    return outline && box.width > 0 && box.height > 0;
}"""
ACTIVE = """() => {
    const element = document.activeElement;
    return element === document.body ? "body" : element.outerHTML.slice(0, 120);
}"""


@pytest.mark.parametrize(
    ("name", "path"), PUBLIC_PAGES, ids=[n for n, _p in PUBLIC_PAGES]
)
def test_every_control_is_reachable_by_keyboard_with_visible_focus(
    site, page, name, path
):
    page.goto(site + path)
    # What is shown: the contents of a closed <details> and the menu's
    # Search link (phones only) are not tabbable.
    expected = page.locator(TABBABLE).filter(visible=True).count()

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate(FOCUS_IS_VISIBLE)
    reached = [page.evaluate(ACTIVE)]
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE) == "body":
            break
        assert page.evaluate(FOCUS_IS_VISIBLE), f"focus not visible on {reached[-1]}"
        reached.append(page.evaluate(ACTIVE))

    # Every control was reached once, in order, and Tab then left the page:
    # nothing traps focus.
    assert len(reached) == expected
    assert page.evaluate(ACTIVE) == "body"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(ACTIVE) == reached[-1]


def test_skip_link_moves_focus_to_the_main_content(site, page):
    page.goto(site + "/en/programmes/aircop/")

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.getElementById('main-content').contains(document.activeElement)"
    )


WIDTHS = [320, 768, 1280]
# px: was 265 at 320 px and 188 at 768 px before the compact header.
COMPACT_HEADER = {320: 120, 768: 120}


def test_the_tablet_header_keeps_its_search_form_named_and_usable(site, page):
    """At 768 px the header is compact, yet its search form stays: the
    button shows a magnifier, and its text stays its accessible name."""
    for language, name, query, results in (
        ("fr", "Rechercher", "douane", "/fr/recherche/"),
        ("en", "Search", "customs", "/en/search/"),
    ):
        page.set_viewport_size({"width": 768, "height": 900})
        page.goto(f"{site}/{language}/")
        header = page.locator(".site-header")
        button = header.get_by_role("button", name=name, exact=True)
        assert button.is_visible()
        assert header.locator(".site-search__icon").is_visible()
        # The text is visually hidden (1 px, clipped), not removed.
        assert header.locator(".site-search__label").bounding_box()["width"] <= 1
        # Every menu link is on screen (none scrolled away), on one line.
        links = page.locator(".site-nav a:visible")
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1
        # Keyboard only: the field, then the button, submits the query.
        header.get_by_role("searchbox").focus()
        page.keyboard.type(query)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.type") == "submit"
        page.keyboard.press("Enter")
        page.wait_for_url(f"**{results}?q={query}")


# Whether the browser skips the section's contents (its first child's view).
SKIPPED = "e => !e.firstElementChild.checkVisibility({contentVisibilityAuto: true})"


def test_the_home_page_lays_out_its_lower_sections_when_they_come_near(site, page):
    """content-visibility: auto (site.css, .render-when-near): below a phone's
    first screen the timeline is not laid out yet, but reached and shown when
    scrolled to, and in print."""
    page.set_viewport_size({"width": 412, "height": 823})
    page.goto(f"{site}/fr/")
    timeline = page.locator("section.render-when-near").last
    assert timeline.evaluate(SKIPPED)
    # Still in the page: a keyboard user reaches its links.
    timeline.locator("summary").focus()
    assert not timeline.evaluate(SKIPPED)
    assert timeline.locator("svg").bounding_box()["height"] > 100
    page.goto(f"{site}/fr/")
    page.emulate_media(media="print")
    assert not page.locator("section.render-when-near").last.evaluate(SKIPPED)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_pages_fit_every_width_and_200_percent_zoom(site, page, screenshots, name):
    for path in PAGE_TYPES[name]:
        language = path.split("/")[1]
        page.goto(site + path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=screenshots / f"{name}-{language}-{width}.png", full_page=True
            )
            assert not page.evaluate(SCROLLS_SIDEWAYS), f"{path} scrolls at {width} px"
            assert page.evaluate(TIMELINE_TEXT_OUTSIDE) == [], f"{path} at {width} px"
            if width in COMPACT_HEADER:
                header = page.locator(".site-header").bounding_box()["height"]
                assert header <= COMPACT_HEADER[width], (
                    f"{path}: header {header} px at {width} px"
                )

        # The same widths in dark mode: the screenshots are the evidence
        # (before/after pairs in the closing notes), the layout the same.
        page.emulate_media(color_scheme="dark")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(
                path=screenshots / f"{name}-{language}-{width}-dark.png",
                full_page=True,
            )
        page.emulate_media(color_scheme="light")

        # Zooming a 1280 px window to 200 % leaves a 640 CSS px viewport.
        page.set_viewport_size({"width": 640, "height": 900})
        page.screenshot(
            path=screenshots / f"{name}-{language}-zoom200.png", full_page=True
        )
        assert not page.evaluate(SCROLLS_SIDEWAYS), f"{path} scrolls at 200 % zoom"
        body_text = page.evaluate(
            "parseFloat(getComputedStyle(document.body).fontSize)"
        )
        assert body_text >= 16


PICTURE_RULE = """() => {
    const rules = [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules]);
    const rule = rules.find((r) => r.selectorText === ".picture img");
    return rule && {
        display: rule.style.display,
        maxInlineSize: rule.style.maxInlineSize,
        blockSize: rule.style.blockSize,
    };
}"""
WIDE_PICTURE = """() => {
    const main = document.querySelector("main");
    main.insertAdjacentHTML(
        "beforeend",
        '<picture class="picture"><img width="3000" height="1000" alt=""></picture>'
    );
    const img = main.querySelector(".picture img");
    return {
        display: getComputedStyle(img).display,
        image: img.getBoundingClientRect().width,
        column: img.parentElement.getBoundingClientRect().width,
    };
}"""


def test_the_stylesheet_keeps_images_in_their_column(site, page):
    # The served stylesheet, as Chromium parses and applies it.
    page.goto(site + "/en/programmes/aircop/")

    assert page.evaluate(PICTURE_RULE) == {
        "display": "block",
        "maxInlineSize": "100%",
        "blockSize": "auto",
    }
    placed = page.evaluate(WIDE_PICTURE)
    assert placed["display"] == "block"
    assert 0 < placed["image"] <= placed["column"]
