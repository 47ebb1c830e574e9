"""A translator's round trip through the admin, in Chromium: download, upload, apply."""

import pytest
from playwright.sync_api import expect
from translate.storage import xliff

from programmes.models import Programme

from .helpers import COLLECT_VIOLATIONS, describe, log_in, run_axe

pytestmark = pytest.mark.django_db(transaction=True)


def no_violation(page, axe_source):
    # The page's own violations, before axe: on the export form's two-pane
    # record picker, axe itself adds an inline <style> the policy blocks.
    assert page.evaluate("window.cspViolations") == []
    results = run_axe(page, axe_source)
    assert results["violations"] == [], describe(results["violations"])
    page.evaluate("window.cspViolations = []")


def picker_groups(page, box):
    """{group heading: [choices]} of one list of the two-pane picker."""
    return page.evaluate(
        """id => Object.fromEntries(Array.from(
            document.querySelectorAll(`#${id} optgroup`),
            group => [group.label, Array.from(group.children, o => o.textContent)]
        ))""",
        box,
    )


def test_export_translate_import_and_apply(
    site,
    page,
    translator_user,
    axe_source,
    tmp_path,
    screenshots,
):
    page.add_init_script(COLLECT_VIOLATIONS)
    programme = Programme.objects.get(slug_en="mayag")
    programme.summary_fr += " Une phrase ajoutée en français."
    programme.save()
    user, password = translator_user
    log_in(page, site, user.username, password)

    page.goto(site + "/admin/translations/export/")
    no_violation(page, axe_source)

    # The record picker keeps its kinds of record as group headings while one
    # searches and chooses (Django's own script flattens them).
    page.locator("#id_records_input").press_sequentially("mayag")
    available = picker_groups(page, "id_records_from")
    assert {"Programmes", "Key facts", "Sources"} <= set(available)
    assert "Project MAYAG" in available["Programmes"]
    assert all(
        "mayag" in choice.lower()
        for choices in available.values()
        for choice in choices
    )
    page.select_option("#id_records_from", f"programme.{programme.pk}")
    page.click("#id_records_add")
    assert picker_groups(page, "id_records_to") == {"Programmes": ["Project MAYAG"]}
    assert "Programmes" not in picker_groups(page, "id_records_from")
    no_violation(page, axe_source)
    page.screenshot(path=screenshots / "translation-files-picker.png", full_page=True)
    page.goto(site + "/admin/translations/export/")
    page.select_option("#id_target", "en")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name.startswith("interpol-drugs-en-to-do-")

    store = xliff.xlifffile.parsestring(exported.read_bytes())
    (unit,) = store.units
    assert unit.xmlelement.get("id") == f"programme.{programme.pk}.summary"
    unit.target = "x" * 401
    # Confirmed in the tool: a unit still marked for review is not checked.
    unit.set_state_n(unit.S_TRANSLATED)
    too_long = tmp_path / "too-long.xlf"
    too_long.write_bytes(bytes(store))
    unit.target = programme.summary_en + " A sentence added in English."
    translated = tmp_path / "mayag-en.xlf"
    translated.write_bytes(bytes(store))

    page.get_by_role("link", name="Import translations").click()
    no_violation(page, axe_source)
    page.set_input_files("#id_file", too_long)
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".errornote")).to_contain_text("too-long.xlf was refused")
    expect(page.locator("table.translation-files-table")).to_contain_text(
        "The translation is 401 characters long"
    )
    no_violation(page, axe_source)
    page.set_input_files("#id_file", translated)
    page.get_by_role("button", name="Check the file").click()

    preview = page.locator("table.translation-files-changes")
    expect(preview.locator("ins")).to_contain_text("A sentence added in English.")
    no_violation(page, axe_source)
    page.screenshot(path=screenshots / "translation-import-preview.png", full_page=True)
    page.get_by_role("button", name="Apply these changes").click()

    expect(page.locator(".messagelist .success")).to_contain_text(
        "Imported mayag-en.xlf: 1 translation changed in 1 record"
    )
    programme.refresh_from_db()
    assert programme.summary_en.endswith(" A sentence added in English.")
