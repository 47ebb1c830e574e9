"""axe-core on the error pages: 500 and 503 need no live server; 410 does."""

import pytest
from django.template import loader

from programmes.models import Programme

from .helpers import describe, run_axe


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_error_page_has_no_wcag_aa_violation(page, axe_source, template):
    page.set_content(loader.render_to_string(template))

    results = run_axe(page, axe_source)

    assert results["violations"] == [], describe(results["violations"])
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("[lang=en] h2").count() == 1


@pytest.mark.parametrize("path", ["/fr/programmes/aircop/", "/en/programmes/aircop/"])
def test_gone_page_has_no_wcag_aa_violation(site, page, axe_source, path):
    Programme.objects.filter(acronym="AIRCOP").update(status="archived")

    assert page.goto(site + path).status == 410
    results = run_axe(page, axe_source)

    assert results["violations"] == [], describe(results["violations"])
    assert page.locator("html").get_attribute("lang") == path.split("/")[1]
