"""From the translators' dashboard to the field, in its language's tab."""

import pytest
from playwright.sync_api import expect

from programmes.models import Participation, Programme

from .helpers import COLLECT_VIOLATIONS, describe, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def outdate_mayag_summary():
    programme = Programme.objects.get(slug_en="mayag")
    programme.summary_fr += " Une phrase ajoutée en français."
    programme.save()
    return programme


@pytest.fixture
def french_page(browser):
    # A French admin opens the French tabs first: the link has to switch.
    context = browser.new_context(locale="fr-FR")
    yield context.new_page()
    context.close()


def test_a_dashboard_link_opens_the_english_tab_with_the_field_focused(
    site, french_page, translator_user
):
    page = french_page
    programme = outdate_mayag_summary()
    user, password = translator_user

    log_in(page, site, user.username, password)

    # The translators' home page.
    expect(page).to_have_url(site + "/admin/translations/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    row = page.locator("table.translation-fields tbody tr", has_text=programme.name_fr)
    expect(row).to_have_count(1)
    # The word diff, readable on demand.
    row.locator("details summary").click()
    expect(row.locator("ins")).to_contain_text("Une phrase ajoutée en français.")

    row.locator("a[href$='#id_summary_en']").click()

    expect(page).to_have_url(
        f"{site}/admin/programmes/programme/{programme.pk}/change/#id_summary_en"
    )
    field = page.locator("#id_summary_en")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    expect(page.locator("#id_summary_fr")).to_be_hidden()
    expect(
        page.locator("[role=tab][aria-controls='tab_id_summary_en']")
    ).to_have_attribute("aria-selected", "true")
    # Every field group shows English, as the language switch does.
    expect(page.locator("#id_name_en")).to_be_visible()
    expect(page.locator("#modeltranslation-main-switch")).to_have_value("1")


def test_a_participation_note_link_opens_its_row_in_english(
    site, french_page, translator_user
):
    page = french_page
    participation = (
        Participation.objects.filter(programme__slug_en="mayag")
        .order_by("display_order", "pk")
        .last()
    )
    participation.note_fr = "Une note à traduire."
    participation.note_en = ""
    participation.save()
    user, password = translator_user
    log_in(page, site, user.username, password)

    page.goto(site + "/admin/translations/?model=participation&status=missing")
    page.locator("table.translation-fields a[href*='note_en']").first.click()

    field = page.locator("[id^='id_participations-'][id$='-note_en']").and_(
        page.locator(":focus")
    )
    expect(field).to_be_visible()
    expect(field).to_be_in_viewport()
    expect(field).to_be_empty()


def test_without_javascript_the_link_scrolls_to_the_field(
    site, browser, translator_user
):
    programme = outdate_mayag_summary()
    user, password = translator_user
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site, user.username, password)

    page.locator("table.translation-fields a[href$='#id_summary_en']").click()

    expect(page).to_have_url(
        f"{site}/admin/programmes/programme/{programme.pk}/change/#id_summary_en"
    )
    expect(page.locator("#id_summary_en")).to_be_in_viewport()
    context.close()


def test_mark_as_checked_from_the_dashboard(site, french_page, translator_user):
    page = french_page
    programme = outdate_mayag_summary()
    user, password = translator_user
    log_in(page, site, user.username, password)

    row = page.locator("table.translation-fields tbody tr", has_text=programme.name_fr)
    row.locator("form.translation-check button").click()

    expect(page).to_have_url(site + "/admin/translations/")
    expect(page.locator(".messagelist .success")).to_contain_text(programme.name_fr)
    expect(
        page.locator("table.translation-fields tbody tr", has_text=programme.name_fr)
    ).to_have_count(0)


def test_the_change_forms_panel_links_to_the_field_on_the_same_page(
    site, french_page, translator_user
):
    page = french_page
    programme = outdate_mayag_summary()
    user, password = translator_user
    log_in(page, site, user.username, password)
    url = f"{site}/admin/programmes/programme/{programme.pk}/change/"
    page.goto(url)
    expect(page.locator("#id_summary_en")).to_be_hidden()

    page.locator(".translation-work a[href$='#id_summary_en']").click()

    expect(page).to_have_url(url + "#id_summary_en")
    expect(page.locator("#id_summary_en")).to_be_focused()
    expect(page.locator("#id_summary_en")).to_be_visible()


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_dashboard_and_panel_pass_axe_and_the_policy(
    site, browser, translator_user, request, locale
):
    axe = request.getfixturevalue("axe_source")
    programme = outdate_mayag_summary()
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.add_init_script(COLLECT_VIOLATIONS)
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            # The favicon's 404 is no problem of these pages.
            if message.type == "error" and "status of 404" not in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico")
            else None
        ),
    )
    user, password = translator_user
    log_in(page, site, user.username, password)

    failures = {}
    for path in (
        "/admin/translations/",
        "/admin/translations/?status=all",
        f"/admin/programmes/programme/{programme.pk}/change/",
    ):
        page.goto(site + path)
        page.locator("details.translation-diff").first.locator("summary").click()
        page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")
        # Before axe, whose own inline styles the policy refuses.
        assert page.evaluate("window.cspViolations") == [], path
        assert errors == [], path
        violations = run_axe(page, axe)["violations"]
        errors.clear()
        if violations:
            failures[path] = describe(violations)
    context.close()

    assert failures == {}
