"""A translator's whole path, from a French edit to the English page (issue 4)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from programmes.editing.roles import EDITORS, TRANSLATORS
from programmes.models import Programme

from .helpers import staff_member
from .hostile import form_data

pytestmark = pytest.mark.django_db

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
NEW_FRENCH = (
    "AIRCOP renforce la coopération entre aéroports d’Afrique, d’Amérique latine,"
    " des Caraïbes, du Moyen-Orient et d’Asie."
)
NEW_ENGLISH = (
    "AIRCOP strengthens cooperation between airports in Africa, Latin America,"
    " the Caribbean, the Middle East and Asia."
)


def edit_in_admin(client, programme, **changes):
    """Post the programme's change form as a browser would, with `changes`."""
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(client.get(url), "programme_form")
    return client.post(url, {**data, **changes, "_save": "Save"})


def test_a_french_edit_reaches_the_english_page_through_an_xliff_file(
    client, content, tmp_path
):
    programme = Programme.objects.get(acronym="AIRCOP")
    editor = staff_member(EDITORS, "edith")
    translator = staff_member(TRANSLATORS, "tina")

    # 1. An editor rewrites the French summary: the English one is now outdated.
    client.force_login(editor)
    response = edit_in_admin(client, programme, summary_fr=NEW_FRENCH)
    assert response.status_code == 302
    client.logout()

    # 2. The translator's dashboard shows exactly that field.
    client.force_login(translator)
    dashboard = client.get(reverse("admin:translations"), {"language": "en"})
    assert dashboard.status_code == 200
    rows = dashboard.context["rows"]
    assert [(row.unit_id, row.status) for row in rows] == [
        (f"programme.{programme.pk}.summary", "outdated")
    ]
    assert "<ins" in dashboard.content.decode()

    # 3. The export of what is outdated holds exactly that unit.
    exported = tmp_path / "aircop-en.xlf"
    call_command(
        "export_translations",
        target="en",
        file_format="xliff",
        only_outdated=True,
        output=str(exported),
        verbosity=0,
    )
    tree = etree.parse(str(exported))
    units = tree.findall(f".//{{{XLIFF}}}trans-unit")
    assert [unit.get("id") for unit in units] == [f"programme.{programme.pk}.summary"]
    assert units[0].findtext(f"{{{XLIFF}}}source") == NEW_FRENCH

    # 4. The translator's tool fills the target and, once the translator
    # confirms it, marks it translated (a unit left "needs review" is not
    # imported); the file imports.
    target = units[0].find(f"{{{XLIFF}}}target")
    target.text = NEW_ENGLISH
    target.set("state", "translated")
    translated = tmp_path / "aircop-en-translated.xlf"
    tree.write(str(translated), xml_declaration=True, encoding="utf-8")
    call_command("import_translations", str(translated), user="tina", verbosity=0)

    # 5. The English page shows the new text; nothing is left to do.
    client.logout()
    english_page = client.get(f"/en/programmes/{programme.slug_en}/")
    assert NEW_ENGLISH in english_page.content.decode()
    programme.refresh_from_db()
    assert programme.summary_en == NEW_ENGLISH
    revision = programme.history.latest()
    assert revision.history_user.username == "tina"

    client.force_login(translator)
    dashboard = client.get(reverse("admin:translations"), {"language": "en"})
    assert list(dashboard.context["rows"]) == []
