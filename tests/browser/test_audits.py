"""axe-core on every public page type in both languages and on the admin pages."""

import pytest

from programmes.models import Organisation, Programme

from ..pages import PUBLIC_PAGES
from .helpers import ADMIN_PAGES, describe, run_axe


@pytest.mark.parametrize(
    ("name", "path"), PUBLIC_PAGES, ids=[n for n, _p in PUBLIC_PAGES]
)
def test_public_page_has_no_wcag_aa_violation(site, page, axe_source, name, path):
    page.goto(site + path)

    results = run_axe(page, axe_source)

    assert results["violations"] == [], describe(results["violations"])
    assert len(results["passes"]) > 10  # axe really ran its rules


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
