"""The identity in a browser: wordmark, dark mode, reduced motion and print."""

import pytest

from .conftest import ARTIFACTS
from .helpers import describe, run_axe

pytestmark = pytest.mark.django_db(transaction=True)

PROGRAMME = "/en/programmes/aircop/"
DARK_BG = "rgb(18, 20, 23)"  # --color-bg in the dark palette
BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def test_the_wordmark_link_is_named_by_the_site_name(site, page):
    page.goto(site + "/fr/programmes/")

    link = page.locator(".site-header").get_by_role(
        "link", name="Programmes d’INTERPOL contre le trafic de drogues", exact=True
    )
    assert link.get_attribute("href") == "/fr/"
    assert link.locator("svg").is_visible()


@pytest.mark.parametrize("path", ["/en/", "/fr/", PROGRAMME, "/fr/programmes/aircop/"])
def test_dark_mode_has_no_wcag_aa_violation(site, page, axe_source, screenshots, path):
    page.emulate_media(color_scheme="dark")
    page.goto(site + path)

    assert page.evaluate(BACKGROUND) == DARK_BG
    if page.locator(".world-map").count():
        land = page.locator(".world-map__land").first
        assert land.evaluate("e => getComputedStyle(e).fill") == "rgb(74, 82, 91)"
    name = "dark-" + path.strip("/").replace("/", "-")
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    results = run_axe(page, axe_source)
    assert results["violations"] == [], describe(results["violations"])


def test_light_mode_stays_the_default(site, page):
    page.emulate_media(color_scheme="light")
    page.goto(site + "/en/")

    assert page.evaluate(BACKGROUND) == "rgb(255, 255, 255)"


MOTION = """() => ({
    scroll: getComputedStyle(document.documentElement).scrollBehavior,
    transition: getComputedStyle(document.querySelector(".skip-link"))
        .transitionDuration,
})"""


def test_reduced_motion_turns_off_smooth_scrolling_and_transitions(site, page):
    page.emulate_media(reduced_motion="no-preference")
    page.goto(site + PROGRAMME)
    assert page.evaluate(MOTION) == {"scroll": "smooth", "transition": "0.15s"}

    page.emulate_media(reduced_motion="reduce")
    motion = page.evaluate(MOTION)
    assert motion["scroll"] == "auto"
    assert float(motion["transition"].removesuffix("s")) < 0.001


DISPLAY = "selector => getComputedStyle(document.querySelector(selector)).display"
AFTER = """link => getComputedStyle(link, "::after").content"""


def test_a_programme_page_prints_as_a_fact_sheet(site, page):
    # Dark on screen: paper still gets the light palette.
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(site + PROGRAMME)

    for hidden in (
        ".skip-link",
        ".site-nav",
        ".language-switcher",
        ".site-search",
        ".breadcrumbs",
        ".site-footer .inline-list",
    ):
        assert page.evaluate(DISPLAY, hidden) == "none", hidden
    assert page.locator(".site-name__text").is_visible()
    assert page.locator(".sources").is_visible()
    assert page.evaluate(BACKGROUND) != DARK_BG

    external = page.locator("#main-content a[href^='http']").first
    href = external.get_attribute("href")
    # Chromium resolves attr(href): the address itself, in parentheses.
    assert external.evaluate(AFTER) == f'" ({href})"'

    folder = ARTIFACTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "programme-en-print.png", full_page=True)
    page.pdf(path=folder / "programme-en.pdf", format="A4")
    assert (folder / "programme-en.pdf").stat().st_size > 1000
