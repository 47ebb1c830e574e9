"""The Content-Security-Policy in Chromium: no page breaks it, the admin still works."""

import pytest
from playwright.sync_api import expect

from programmes.models import Organisation, Programme, Region

from ..pages import PUBLIC_PAGES
from .helpers import ADMIN_PAGES, COLLECT_VIOLATIONS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def console(page):
    """Errors and warnings the browser reports, and the page's CSP violations."""
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(f"{message.type}: {message.text}")
            if message.type in {"error", "warning"}
            else None
        ),
    )
    page.add_init_script(COLLECT_VIOLATIONS)
    return messages


def reported(page, console):
    """Everything reported since the last call, then forgets it."""
    # Violation events are queued as tasks: let them run first.
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")
    problems = [
        *page.evaluate("window.cspViolations"),
        # A 404 page, or the missing favicon, is not a policy problem.
        *(message for message in console if "status of 404" not in message),
    ]
    page.evaluate("window.cspViolations = []")
    console.clear()
    return problems


def test_no_public_page_breaks_the_policy(site, page, console):
    failures = {}
    for name, path in PUBLIC_PAGES:
        response = page.goto(site + path)
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        if problems := reported(page, console):
            failures[name] = problems

    assert failures == {}


def test_the_json_ld_data_block_is_not_a_script_the_policy_blocks(site, page, console):
    page.goto(site + "/en/programmes/aircop/")

    data_blocks = page.locator('script[type="application/ld+json"]')
    assert data_blocks.count() >= 1
    assert reported(page, console) == []


PLANT_INLINE_STYLE_AND_SCRIPT = """() => {
    document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
    const script = document.createElement("script");
    script.textContent = "window.inlineScriptRan = true";
    document.body.append(script);
}"""


@pytest.mark.parametrize("path", ["/fr/", "/en/programmes/"])
def test_the_browser_refuses_inline_style_and_script(site, page, console, path):
    page.goto(site + path)
    page.evaluate(PLANT_INLINE_STYLE_AND_SCRIPT)

    problems = " ".join(reported(page, console))
    assert "style-src-attr" in problems
    assert "script-src-elem" in problems
    assert page.evaluate("window.inlineScriptRan") is None


@pytest.fixture
def admin_page(site, page, console, admin_user):
    page.goto(site + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_admin_pages_report_no_violation(site, admin_page, console):
    ids = {
        "aircop": Programme.objects.get(acronym="AIRCOP").pk,
        "unodc": Organisation.objects.get(acronym_en="UNODC").pk,
    }
    failures = {}
    for path in (template.format(**ids) for template in ADMIN_PAGES):
        response = admin_page.goto(site + path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        if problems := reported(admin_page, console):
            failures[path] = problems

    assert failures == {}


def test_admin_language_tabs_and_country_picker_work_under_the_policy(
    site, admin_page, console
):
    region = Region.objects.get(slug_en="caribbean")
    assert "IS" not in region.countries
    admin_page.goto(site + f"/admin/programmes/region/{region.pk}/change/")

    # modeltranslation's jQuery UI tabs: one language shown at a time.
    name_tabs = admin_page.locator(".ui-tabs", has=admin_page.locator("#id_name_fr"))
    for shown, hidden in [("fr", "en"), ("en", "fr")]:
        name_tabs.get_by_role("tab", name=shown).click()
        expect(admin_page.locator(f"#id_name_{shown}")).to_be_visible()
        expect(admin_page.locator(f"#id_name_{hidden}")).to_be_hidden()

    # The two-pane country picker: filter, choose, save.
    iceland = admin_page.locator("#id_countries_from option[value=IS]")
    admin_page.locator("#id_countries_input").press_sequentially(iceland.text_content())
    expect(admin_page.locator("#id_countries_from option")).to_have_count(1)
    admin_page.select_option("#id_countries_from", "IS")
    admin_page.click("#id_countries_add")
    expect(admin_page.locator("#id_countries_to option[value=IS]")).to_have_count(1)
    admin_page.click("input[name=_save]")
    expect(admin_page.locator(".messagelist .success")).to_be_visible()

    region.refresh_from_db()
    assert "IS" in region.countries
    assert reported(admin_page, console) == []


def test_the_admin_policy_is_as_strict_as_the_public_one(site, admin_page, console):
    admin_page.goto(site + "/admin/")
    admin_page.evaluate(PLANT_INLINE_STYLE_AND_SCRIPT)

    problems = " ".join(reported(admin_page, console))
    assert "style-src-attr" in problems
    assert "script-src-elem" in problems
    assert admin_page.evaluate("window.inlineScriptRan") is None


def test_admin_widgets_that_build_markup_work_under_the_policy(
    site, admin_page, console
):
    programme = Programme.objects.get(acronym="AIRCOP")
    admin_page.goto(site + f"/admin/programmes/programme/{programme.pk}/change/")

    # A new inline row, cloned from the empty form by inlines.js.
    rows = admin_page.locator("#participations-group tr.form-row:not(.empty-form)")
    count = rows.count()
    admin_page.locator("#participations-group .add-row a").click()
    expect(rows).to_have_count(count + 1)
    # Its organisation autocomplete (select2) opens and finds by name.
    rows.last.locator(".select2-selection").click()
    admin_page.locator(".select2-search__field").press_sequentially("UNODC")
    expect(admin_page.locator(".select2-results__option").first).to_contain_text(
        "UNODC"
    )
    admin_page.keyboard.press("Enter")
    expect(rows.last.locator(".select2-selection__rendered")).to_contain_text("UNODC")
    # The calendar of a source's date.
    sources = admin_page.locator("#sources-group tr.form-row:not(.empty-form)")
    sources.first.locator(".date-icon").click()
    expect(admin_page.locator(".calendarbox:visible")).to_have_count(1)

    assert reported(admin_page, console) == []
