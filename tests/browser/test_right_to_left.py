"""Arabic pages, right to left, with French text not yet translated (issue 19).

Runs where a right-to-left language is configured: `make test-languages`
(DJANGO_LANGUAGES=fr,en,es,ar). Screenshots go to test-artifacts/screenshots/.
"""

import pytest
from django.utils import translation

from programmes.languages import language_codes, text_direction
from programmes.models import Programme

from .helpers import SCROLLS_SIDEWAYS, TIMELINE_TEXT_OUTSIDE, describe, run_axe

RIGHT_TO_LEFT = [code for code in language_codes() if text_direction(code) == "rtl"]
pytestmark = pytest.mark.skipif(
    not RIGHT_TO_LEFT,
    reason="no right-to-left language configured (make test-languages adds Arabic)",
)
WIDTHS = (320, 1280)


@pytest.mark.parametrize("page_name", ["home", "programme"])
def test_right_to_left_pages_with_a_french_fallback(
    site, page, axe_source, screenshots, page_name
):
    code = RIGHT_TO_LEFT[0]
    with translation.override(code):
        path = (
            f"/{code}/"
            if page_name == "home"
            else Programme.objects.get(acronym="AIRCOP").get_absolute_url()
        )
    page.goto(site + path)

    assert page.locator("html").get_attribute("dir") == "rtl"
    fallback = page.locator("main [lang=fr][dir=ltr]").first
    assert fallback.count() == 1
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(
            path=screenshots / f"{page_name}-{code}-{width}.png", full_page=True
        )
        assert not page.evaluate(SCROLLS_SIDEWAYS), f"{path} scrolls at {width} px"
        assert page.evaluate(TIMELINE_TEXT_OUTSIDE) == [], f"{path} at {width} px"
        results = run_axe(page, axe_source)
        assert results["violations"] == [], describe(results["violations"])
