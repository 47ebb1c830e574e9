"""A new editor and a new translator in the admin (issue 18), in Chromium:
forms that open on the right language, errors naming it, previews at the top,
1280 and 768 px; the translation view from the dashboard. Screenshots of each
step go to test-artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from programmes.models import Programme
from programmes.translating.status import Status, all_statuses

from .helpers import describe, log_in, run_axe, show_language_tabs

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def layout(page):
    return page.evaluate(
        """() => ({
            width: document.documentElement.scrollWidth,
            language: document.getElementById("modeltranslation-main-switch")
                ?.selectedOptions[0]?.textContent,
            timezoneNotes: document.querySelectorAll(".timezonewarning").length,
        })"""
    )


def assert_no_violation(page, axe_source):
    violations = run_axe(page, axe_source)["violations"]
    assert violations == [], describe(violations)


def test_an_editor_creates_a_programme_starting_in_english(
    site, browser, staff_user, axe_source, screenshots
):
    user, password = staff_user
    # A browser an hour behind the server (Europe/Paris): Django's time-zone note.
    context = browser.new_context(
        locale="en-GB", timezone_id="UTC", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, site, user.username, password)
    shot = 0

    def step(name):
        nonlocal shot
        shot += 1
        page.screenshot(
            path=screenshots / f"editor-journey-{shot}-{name}.png", full_page=True
        )

    page.goto(site + "/admin/programmes/programme/add/")
    assert layout(page)["language"] == "en"
    step("add-form-in-english")
    page.fill("#id_name_en", "Test programme in English")
    page.click("input[name=_save]")
    expect(page.locator(".errornote")).to_be_visible()
    # The French name is missing: the error says so, and its tab is open.
    expect(page.get_by_text("Name in French: This field is required.")).to_be_visible()
    assert layout(page)["language"] == "fr"
    assert_no_violation(page, axe_source)
    step("french-name-missing")
    page.fill("#id_name_fr", "Programme d’essai")
    page.fill("#id_slug_fr", "programme-d-essai")
    page.click("input[name=_continue]")
    programme = Programme.objects.get(name_en="Test programme in English")
    assert programme.display_order > 0

    # The saved draft: previews at the top, View on site previews it too.
    page.wait_for_load_state("load")
    previews = page.locator("p.preview-links a")
    expect(previews).to_have_count(2)
    assert (
        page.locator(".viewsitelink")
        .get_attribute("href")
        .endswith(f"/{programme.pk}/preview/en/")
    )
    facts = layout(page)
    assert facts["width"] <= 1280
    assert facts["timezoneNotes"] == 1
    assert_no_violation(page, axe_source)
    step("draft-saved")
    previews.nth(1).click()
    expect(
        page.get_by_role("heading", name="Test programme in English")
    ).to_be_visible()
    step("preview-in-english")

    # Publishing needs the texts in every language: the errors say which.
    page.goto(f"{site}/admin/programmes/programme/{programme.pk}/change/")
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    expect(
        page.get_by_text("Publishing needs the summary in French.", exact=False)
    ).to_be_visible()
    assert layout(page)["language"] == "fr"
    step("publishing-needs-french")
    for code, summary, description in [
        ("fr", "Un résumé.", "Une description."),
        ("en", "A summary.", "A description."),
    ]:
        show_language_tabs(page, code)
        page.fill(f"#id_summary_{code}", summary)
        page.fill(f"#id_description_{code}", description)
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    programme.refresh_from_db()
    assert programme.is_public
    step("published")

    # A programme with participations and sources fits, at 1280 and 768 px.
    aircop = Programme.objects.get(acronym="AIRCOP")
    for width in (1280, 768):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}/admin/programmes/programme/{aircop.pk}/change/")
        page.wait_for_timeout(100)
        assert layout(page)["width"] <= width
        assert layout(page)["timezoneNotes"] == 1
        step(f"aircop-{width}")
    context.close()


def test_a_translator_works_through_the_translation_view(
    site, browser, translator_user, axe_source, screenshots
):
    programme = Programme.objects.get(acronym="MAYAG")
    programme.summary_fr += " Une phrase ajoutée en français."
    programme.save()
    user, password = translator_user
    context = browser.new_context(
        locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    log_in(page, site, user.username, password)

    page.goto(site + "/admin/translations/")
    page.locator("a.translate-beside").first.click()
    expect(page.locator("#field-summary .translate-text")).to_contain_text(
        "Une phrase ajoutée en français."
    )
    assert_no_violation(page, axe_source)
    page.screenshot(path=screenshots / "translator-view.png", full_page=True)
    page.get_by_role("link", name="Premier champ à traduire : résumé").click()
    page.fill("#id_summary_en", programme.summary_en + " A sentence added in French.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("enregistré en anglais")

    assert [
        status
        for status in all_statuses(objects=[programme])
        if status.field == "summary" and status.status != Status.UP_TO_DATE
    ] == []
    expect(page.locator("#field-summary")).to_contain_text("à jour")
    page.screenshot(path=screenshots / "translator-view-saved.png", full_page=True)
    context.close()
