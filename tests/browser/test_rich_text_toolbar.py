"""The description toolbar in the admin: buttons, keyboard, and the saved page."""

import pytest
from playwright.sync_api import expect

from programmes.models import Programme

from .helpers import COLLECT_VIOLATIONS, log_in, show_language_tabs

pytestmark = pytest.mark.django_db(transaction=True)


def test_editor_formats_a_description_with_the_toolbar(site, page, staff_user):
    page.add_init_script(COLLECT_VIOLATIONS)
    user, password = staff_user
    log_in(page, site, user.username, password)
    programme = Programme.objects.get(acronym="AIRCOP")
    page.goto(site + f"/admin/programmes/programme/{programme.pk}/change/")
    show_language_tabs(page, "en")

    textarea = page.locator("#id_description_en")
    toolbar = page.get_by_role("group", name="Formatting").filter(
        has=page.locator("[aria-controls=id_description_en]")
    )
    expect(toolbar.get_by_role("button")).to_have_text(
        ["Bold", "Italic", "Heading", "Subheading", "Bulleted list", "Link"]
    )

    textarea.fill("Intro words.")
    # Select "words" and make it bold with the mouse...
    textarea.evaluate("t => t.setSelectionRange(6, 11)")
    toolbar.get_by_role("button", name="Bold", exact=True).click()
    expect(textarea).to_have_value("Intro <strong>words</strong>.")

    # ...then add a heading at the end with the keyboard only.
    textarea.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Shift+Tab")  # back from the textarea to the toolbar
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Heading", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(textarea).to_be_focused()
    page.keyboard.type("Aims")
    expect(textarea).to_have_value("Intro <strong>words</strong>.\n\n<h2>Aims</h2>")

    # A link asks for its address.
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nSee ")
    page.once("dialog", lambda dialog: dialog.accept("https://www.unodc.org/"))
    toolbar.get_by_role("button", name="Link").click()
    expect(textarea).to_have_value(
        "Intro <strong>words</strong>.\n\n<h2>Aims</h2>\n\n"
        'See <a href="https://www.unodc.org/">https://www.unodc.org/</a>'
    )
    assert page.evaluate("window.cspViolations") == []

    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_be_visible()
    page.goto(site + "/en/programmes/aircop/")
    prose = page.locator(".prose")
    expect(prose.get_by_role("heading", level=2, name="Aims")).to_be_visible()
    expect(prose.locator("strong")).to_have_text("words")
    expect(prose.get_by_role("link", name="https://www.unodc.org/")).to_have_attribute(
        "rel", "noopener"
    )
