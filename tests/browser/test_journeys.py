"""What visitors, editors and translators do, in a real browser."""

import pytest
from playwright.sync_api import expect

from programmes.models import Programme

from .helpers import log_in, show_language_tabs

pytestmark = pytest.mark.django_db(transaction=True)


def switch_language(page, name):
    page.locator(".language-switcher").get_by_role(
        "link", name=name, exact=True
    ).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_visitor_goes_from_home_to_programme_partner_and_region_in_both_languages(
    site, browser, javascript
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(site + "/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    page.get_by_role(
        "link", name="Projet de communication aéroportuaire (AIRCOP)"
    ).click()
    expect(page).to_have_url(site + "/fr/programmes/aircop/")
    switch_language(page, "English")
    expect(page).to_have_url(site + "/en/programmes/aircop/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.go_back()
    expect(page).to_have_url(site + "/fr/programmes/aircop/")

    page.get_by_role(
        "link", name="Office des Nations Unies contre la drogue et le crime (ONUDC)"
    ).click()
    expect(page).to_have_url(site + "/fr/organisations/onudc/")
    switch_language(page, "English")
    expect(page).to_have_url(site + "/en/organisations/unodc/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "United Nations Office on Drugs and Crime"
    )
    page.go_back()
    page.go_back()
    expect(page).to_have_url(site + "/fr/programmes/aircop/")

    page.get_by_role("link", name="Caraïbes", exact=True).click()
    expect(page).to_have_url(site + "/fr/regions/caraibes/")
    switch_language(page, "English")
    expect(page).to_have_url(site + "/en/regions/caribbean/")
    switch_language(page, "Français")
    expect(page).to_have_url(site + "/fr/regions/caraibes/")
    page.get_by_role("link", name="Projet CRIMJUST").click()
    expect(page).to_have_url(site + "/fr/programmes/crimjust/")
    context.close()


def test_editor_creates_and_publishes_a_programme_in_both_languages(
    site, page, staff_user
):
    user, password = staff_user
    log_in(page, site, user.username, password)

    page.goto(site + "/admin/programmes/programme/add/")
    show_language_tabs(page, "fr")
    page.locator("#id_name_fr").press_sequentially("Programme d’essai")
    # The address is filled in from the name as the editor types.
    expect(page.locator("#id_slug_fr")).to_have_value("programme-dessai")
    page.fill("#id_summary_fr", "Un résumé en français.")
    page.fill("#id_description_fr", "Premier paragraphe.\n\nSecond paragraphe.")
    show_language_tabs(page, "en")
    expect(page.locator("#id_name_en")).to_be_visible()
    page.locator("#id_name_en").press_sequentially("Trial programme")
    expect(page.locator("#id_slug_en")).to_have_value("trial-programme")
    page.fill("#id_summary_en", "A summary in English.")
    page.fill("#id_description_en", "First paragraph.\n\nSecond paragraph.")
    page.fill("#id_acronym", "TP")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    # A draft: the editor previews it in English, then publishes it.
    programme = Programme.objects.get(slug_en="trial-programme")
    assert programme.status == "draft"
    page.goto(site + f"/admin/programmes/programme/{programme.pk}/change/")
    page.get_by_role("link", name="Preview in English").click()
    expect(page.locator(".preview-banner")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trial programme (TP)")
    page.go_back()
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(site + "/en/")
    page.get_by_role("link", name="Trial programme (TP)").click()
    expect(page).to_have_url(site + "/en/programmes/trial-programme/")
    expect(page.locator(".prose p")).to_have_count(2)
    switch_language(page, "Français")
    expect(page).to_have_url(site + "/fr/programmes/programme-dessai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme d’essai (TP)")

    # The editor renames the English address; the new one serves the page.
    page.goto(site + f"/admin/programmes/programme/{programme.pk}/change/")
    show_language_tabs(page, "en")
    page.fill("#id_slug_en", "pilot-programme")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert page.goto(site + "/en/programmes/pilot-programme/").status == 200
    # The old address leads to the new one.
    page.goto(site + "/en/programmes/trial-programme/")
    expect(page).to_have_url(site + "/en/programmes/pilot-programme/")


def test_translator_finds_a_missing_english_text_and_fills_it(
    site, page, translator_user
):
    Programme.objects.filter(slug_en="mayag").update(summary_en="")
    user, password = translator_user
    log_in(page, site, user.username, password)

    page.goto(site + "/admin/programmes/programme/")
    missing = page.locator("tr", has=page.locator(".translation-status--missing"))
    expect(missing).to_have_count(1)
    expect(missing.locator(".translation-status--missing")).to_have_attribute(
        "title", "Summary"
    )
    missing.get_by_role("link").first.click()
    show_language_tabs(page, "en")
    page.fill("#id_summary_en", "MAYAG fights synthetic drugs, as translated today.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(site + "/en/")
    expect(page.locator(".card", has_text="Project MAYAG")).to_contain_text(
        "MAYAG fights synthetic drugs, as translated today."
    )
