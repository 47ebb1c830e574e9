"""axe-core on every public page type in both languages and on the admin pages."""

import os
from pathlib import Path

import pytest

from programmes.models import Organisation, Programme

from ..pages import PUBLIC_PAGES

AXE = (
    Path(__file__).resolve().parents[2] / "tools" / "a11y" / "node_modules" / "axe-core"
)
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="session")
def axe_source():
    script = AXE / "axe.min.js"
    if not script.exists():
        message = "axe-core is missing: npm ci --prefix tools/a11y (make test does it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return script.read_text()


def run_axe(page, axe_source):
    page.evaluate(axe_source)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_AA_TAGS,
    )


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    )


@pytest.mark.parametrize(
    ("name", "path"), PUBLIC_PAGES, ids=[n for n, _p in PUBLIC_PAGES]
)
def test_public_page_has_no_wcag_aa_violation(site, page, axe_source, name, path):
    page.goto(site + path)

    results = run_axe(page, axe_source)

    assert results["violations"] == [], describe(results["violations"])
    assert len(results["passes"]) > 10  # axe really ran its rules


ADMIN_PAGES = [
    "/admin/",
    "/admin/programmes/programme/",
    "/admin/programmes/programme/add/",
    "/admin/programmes/programme/{aircop}/change/",
    "/admin/programmes/organisation/",
    "/admin/programmes/organisation/{unodc}/change/",
    "/admin/programmes/region/",
    "/admin/programmes/region/add/",
    "/admin/programmes/homepage/1/change/",
]


def test_admin_pages_have_no_wcag_aa_violation(site, page, axe_source, admin_user):
    page.goto(site + "/admin/login/")
    assert run_axe(page, axe_source)["violations"] == []
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")

    ids = {
        "aircop": Programme.objects.get(acronym="AIRCOP").pk,
        "unodc": Organisation.objects.get(acronym_en="UNODC").pk,
    }
    pages = {}
    for path in (template.format(**ids) for template in ADMIN_PAGES):
        assert page.goto(site + path).status == 200, path
        pages[path] = run_axe(page, axe_source)

    failures = {
        path: describe(r["violations"]) for path, r in pages.items() if r["violations"]
    }
    assert failures == {}, "\n".join(f"{p}: {d}" for p, d in failures.items())
