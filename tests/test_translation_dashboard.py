"""The translators' dashboard, its "mark as checked", the status chips in the
admin's lists and the translation status on change forms."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.editing.roles import EDITORS, TRANSLATORS
from programmes.models import Participation, Programme, TranslationState
from programmes.translating import dashboard as translation_dashboard
from programmes.translating.dashboard import language_summaries
from programmes.translating.status import Status, all_statuses, mark_as_checked

from .factories import (
    add_key_fact,
    add_participation,
    add_result,
    add_source,
    make_organisation,
    make_programme,
    make_region,
)
from .helpers import logged_in, parse, staff_member

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/translations/"
MARK = "/admin/translations/mark-as-checked/"


# --- Users and records --------------------------------------------------------------


@pytest.fixture
def staff_client(db):
    """Staff who may see programmes, but not the translations' dashboard.

    Hand-picked on purpose: no group of programmes/editing/roles.py stops there, and
    the test is about that boundary."""
    user = User.objects.create_user("sam", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_programme"))
    return logged_in(user)


def edit(obj, **values):
    obj = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def outdated_programme(**overrides):
    """A programme whose French summary changed after its English translation."""
    programme = make_programme(
        summary_fr="Le programme forme les douaniers.",
        summary_en="The programme trains customs officers.",
        **overrides,
    )
    return edit(programme, summary_fr="Le programme forme les policiers et douaniers.")


def table_rows(response):
    """The dashboard's rows as (record, field, language, status) texts."""
    tree = parse(response)
    rows = []
    for row in tree.findall(".//table[@class='translation-fields']/tbody/tr"):
        cells = [" ".join("".join(cell.itertext()).split()) for cell in row]
        link = row.find("./td[2]/a")
        rows.append(
            {
                "record": cells[0],
                "field": link.text.strip(),
                "language": cells[2],
                "status": cells[3],
                "link": link.get("href"),
                "by": cells[4],
                "change": cells[5],
            }
        )
    return rows


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Who may see it -----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client):
    for response in (client.get(DASHBOARD), client.post(MARK)):
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_permission_are_refused(staff_client):
    programme = outdated_programme()

    assert staff_client.get(DASHBOARD).status_code == 403
    response = staff_client.post(
        MARK, {"unit": f"programme.{programme.pk}.summary", "language": "en"}
    )
    assert response.status_code == 403
    assert not TranslationState.objects.filter(checked=True).exists()


@pytest.mark.parametrize("who", ["translator_client", "editor_client", "admin_client"])
def test_translators_editors_and_superusers_see_the_dashboard(request, who):
    client = request.getfixturevalue(who)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    parse(response)  # Valid HTML, or html5lib's strict parser raises.


def test_the_user_tools_link_to_the_dashboard_for_those_allowed(
    translator_client, editor_client, staff_client
):
    link = f'<a href="{DASHBOARD}">'
    for client in (translator_client, editor_client):
        assert link in client.get("/admin/?all").content.decode()
    programmes = reverse("admin:programmes_programme_changelist")
    assert link not in staff_client.get(programmes).content.decode()


# --- The translators' home page -----------------------------------------------------


def test_a_translator_opening_the_admin_lands_on_the_dashboard(translator_client):
    response = translator_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    # The dashboard leads back to every kind of content, which stays reachable.
    assert 'href="/admin/?all"' in translator_client.get(DASHBOARD).content.decode()
    index = translator_client.get("/admin/?all")
    assert index.status_code == 200
    assert reverse("admin:programmes_programme_changelist") in index.content.decode()


def test_editors_and_superusers_keep_the_index(editor_client, admin_client):
    assert editor_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/").status_code == 200
    # A translator who may also publish is an editor first.
    both = staff_member(TRANSLATORS, "both")
    both.groups.add(Group.objects.get(name=EDITORS))
    assert logged_in(both).get("/admin/").status_code == 200


# --- Percentages and counts ---------------------------------------------------------


def test_percentages_count_each_languages_fields():
    outdated_programme()
    make_programme(facts_note_fr="Une note.", facts_note_en="")

    summaries = {
        summary["code"]: summary for summary in language_summaries(all_statuses())
    }

    # Two programmes: name, slug, summary, description, and one facts note.
    del summaries["fr"]["name"]
    assert summaries["fr"] == {
        "code": "fr",
        "percent": 100,
        "missing": 0,
        "outdated": 0,
        "up_to_date": 9,
    }
    assert summaries["en"]["percent"] == 78  # 7 of 9
    assert (summaries["en"]["missing"], summaries["en"]["outdated"]) == (1, 1)


def test_the_dashboard_shows_each_languages_progress(translator_client):
    outdated_programme()
    make_programme(facts_note_fr="Une note.", facts_note_en="")

    tree = parse(translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en"))

    progress = {
        row.find("th").text: [
            " ".join("".join(cell.itertext()).split()) for cell in row.findall("td")
        ]
        for row in tree.findall(".//section[@class='module translation-progress']//tr")
        if row.find("th[@scope='row']") is not None
    }
    assert progress == {
        "French": ["100%", "0", "0", "9"],
        "English": ["78%", "1", "1", "7"],
    }


# --- The list and its filters -------------------------------------------------------


@pytest.fixture
def three_statuses():
    """An outdated English summary, a missing English note, the rest up to date."""
    programme = outdated_programme()
    other = make_programme(facts_note_fr="Une note.", facts_note_en="")
    region = make_region()
    return programme, other, region


def test_by_default_the_list_holds_the_work_to_do(translator_client, three_statuses):
    programme, other, _region = three_statuses

    rows = table_rows(translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en"))

    assert [
        (row["record"], row["field"], row["language"], row["status"]) for row in rows
    ] == [
        (f"Programme: {programme.name_en}", "Summary", "English", "! outdated"),
        (
            f"Programme: {other.name_en}",
            "Note on the key facts",
            "English",
            "✗ missing",
        ),
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "outdated"}, {("programme", "summary", "en")}),
        ({"status": "missing"}, {("programme", "facts_note", "en")}),
        ({"language": "fr"}, set()),
        ({"language": "en", "model": "region"}, set()),
        (
            {"model": "programme", "status": "to_do"},
            {
                ("programme", "summary", "en"),
                ("programme", "facts_note", "en"),
            },
        ),
    ],
)
def test_filters_by_language_kind_and_status(
    translator_client, three_statuses, query, expected
):
    response = translator_client.get(DASHBOARD, query)

    assert {
        (row["link"].split("/")[3], *field_and_language(row["link"]))
        for row in table_rows(response)
    } == expected


def field_and_language(link):
    # "#id_summary_en" -> ("summary", "en")
    name = link.rsplit("#id_", 1)[1]
    field, _underscore, language = name.rpartition("_")
    return field, language


def test_up_to_date_and_all_statuses(translator_client, three_statuses):
    _programme, _other, region = three_statuses

    up_to_date = table_rows(
        translator_client.get(DASHBOARD, {"status": "up_to_date", "model": "region"})
    )
    every = table_rows(translator_client.get(DASHBOARD, {"status": "all"}))

    assert {row["link"] for row in up_to_date} == {
        f"/admin/programmes/region/{region.pk}/change/#id_name_fr",
        f"/admin/programmes/region/{region.pk}/change/#id_name_en",
        f"/admin/programmes/region/{region.pk}/change/#id_slug_fr",
        f"/admin/programmes/region/{region.pk}/change/#id_slug_en",
    }
    # 2 programmes x 4 fields (slug included) x 2 languages, 1 note in 2
    # languages, 1 region's name and slug x 2.
    assert len(every) == 22


def test_a_forged_filter_is_shown_as_an_error_and_the_default_applies(
    translator_client, three_statuses
):
    response = translator_client.get(
        DASHBOARD,
        {"status": "<b>", "language": "xx", "model": "\x00", "page": "\x00"},
    )

    assert response.status_code == 200
    assert len(table_rows(response)) == 2
    assert 'class="errorlist"' in response.content.decode()
    assert "<b>" not in response.content.decode()


def test_the_filters_work_without_javascript_as_a_get_form(translator_client):
    tree = parse(translator_client.get(DASHBOARD))

    form = tree.find(".//form[@class='translation-filters']")
    assert form.get("method") == "get" and form.get("action") is None
    assert {select.get("name") for select in form.iter("select")} == {
        "language",
        "model",
        "status",
    }
    assert form.find(".//button[@type='submit']") is not None


def test_long_lists_are_paginated(translator_client, monkeypatch):
    for _ in range(3):
        make_programme(facts_note_fr="Une note.", facts_note_en="")
    monkeypatch.setattr(translation_dashboard, "ROWS_PER_PAGE", 2)

    first = translator_client.get(DASHBOARD, {"status": "missing"})
    second = translator_client.get(DASHBOARD, {"status": "missing", "page": 2})

    assert len(table_rows(first)) == 2 and len(table_rows(second)) == 1
    # The next page keeps the filters.
    assert 'href="?status=missing&amp;page=2"' in first.content.decode()


# --- Links to the right tab of the right form ---------------------------------------


def test_each_row_links_to_the_field_in_its_language(translator_client, three_statuses):
    programme, other, _region = three_statuses

    rows = table_rows(translator_client.get(DASHBOARD))

    assert [row["link"] for row in rows] == [
        f"/admin/programmes/programme/{programme.pk}/change/#id_summary_en",
        f"/admin/programmes/programme/{other.pk}/change/#id_facts_note_en",
    ]
    form = translator_client.get(rows[0]["link"].split("#")[0]).content.decode()
    assert 'id="id_summary_en"' in form


def test_a_participation_note_links_to_its_row_of_the_programme_form(
    translator_client,
):
    programme = make_programme()
    # Rows in the inline's order: display order, then creation.
    add_participation(programme, make_organisation(), display_order=2, note_fr="B")
    first = add_participation(
        programme, make_organisation(), display_order=1, note_fr="A"
    )
    add_participation(make_programme(), make_organisation(), note_fr="Autre")
    second = Participation.objects.get(note_fr="B")

    rows = table_rows(
        translator_client.get(
            DASHBOARD, {"model": "participation"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    )

    url = f"/admin/programmes/programme/{programme.pk}/change/"
    links = {
        row["record"].rpartition(" — ")[2]: row["link"]
        for row in rows
        if row["record"].startswith(f"Participating organisation: {programme.name_en}")
    }
    row_of = f"{url}#id_participations-{{}}-note_en".format
    assert links == {
        f"{first.organisation.acronym_en}: partner": row_of(0),
        f"{second.organisation.acronym_en}: partner": row_of(1),
    }
    assert len(rows) == 3
    # The field it names exists on the form, in the right row.
    tree = parse(translator_client.get(url))
    row = tree.find(".//*[@id='id_participations-1-id']")
    assert row.get("value") == str(second.pk)
    assert tree.find(".//*[@id='id_participations-1-note_en']") is not None


def test_figures_and_address_notes_link_to_their_row_of_the_programme_form(
    translator_client,
):
    programme = make_programme()
    printed = add_source(programme, url="", address_note_fr="Imprimé.")
    add_source(programme, title="Web", display_order=1)
    # Results are listed newest first: the 2019 one is the inline's first row.
    add_result(
        programme, printed, title_fr="2017", title_en="", start_date=date(2017, 1, 1)
    )
    add_result(
        programme, printed, title_fr="2019", title_en="", start_date=date(2019, 6, 26)
    )
    add_key_fact(programme, printed, label_fr="Budget", label_en="")

    response = translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")

    url = f"/admin/programmes/programme/{programme.pk}/change/"
    links = {
        (row["field"], row["link"])
        for row in table_rows(response)
        if row["link"].startswith(url)
    }
    assert links == {
        ("Why there is no address", f"{url}#id_sources-0-address_note_en"),
        ("Title", f"{url}#id_results-0-title_en"),
        ("Title", f"{url}#id_results-1-title_en"),
        ("Label", f"{url}#id_key_facts-0-label_en"),
    }
    # The fields they name exist on the form, in the right rows.
    tree = parse(translator_client.get(url))
    newest = tree.find(".//*[@id='id_results-0-title_fr']")
    assert newest.get("value") == "2019"
    for _field, link in links:
        assert tree.find(f".//*[@id='{link.partition('#')[2]}']") is not None


# --- What changed in the source -----------------------------------------------------


def test_an_outdated_row_shows_the_word_diff_of_its_source(translator_client):
    outdated_programme()

    tree = parse(translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en"))

    details = tree.find(".//details[@class='translation-diff']")
    assert "".join(details.find("summary").itertext()) == (
        "What changed in the French text"
    )
    then, now = details.findall(".//dd")
    assert then.get("lang") == now.get("lang") == "fr"
    assert "".join(then.itertext()) == "Le programme forme les douaniers."
    added = now.find("ins")
    assert "".join(added.itertext()) == "added: policiers et "
    assert "".join(now.itertext()) == (
        "Le programme forme les added: policiers et douaniers."
    )


def test_a_replaced_word_is_deleted_then_inserted_and_escaped(translator_client):
    programme = make_programme(summary_fr="Saisies <en mer>.", summary_en="Sea.")
    edit(programme, summary_fr="Saisies <en route>.")

    page = translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")

    text = page.content.decode()
    assert '<del><span class="visually-hidden">removed: </span>mer&gt;.</del>' in text
    assert '<ins><span class="visually-hidden">added: </span>route&gt;.</ins>' in text
    assert "<en" not in text


def test_missing_and_up_to_date_rows_have_no_diff_nor_button(translator_client):
    make_programme(facts_note_fr="Une note.", facts_note_en="")

    rows = table_rows(translator_client.get(DASHBOARD, {"status": "all"}))

    assert rows and all(row["change"] == "—" for row in rows)


# --- Mark as checked ----------------------------------------------------------------


def test_mark_as_checked_makes_it_up_to_date_without_touching_the_text(
    translator_client, translator
):
    programme = outdated_programme()
    revisions = programme.history.count()
    unit = f"programme.{programme.pk}.summary"

    response = translator_client.post(
        MARK,
        {"unit": unit, "language": "en", "next": DASHBOARD + "?language=en"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD + "?language=en"
    assert messages_of(response) == [
        f"“{programme.name_en}”, summary (English): marked as checked."
    ]
    programme.refresh_from_db()
    assert programme.summary_en == "The programme trains customs officers."
    assert programme.summary_fr == "Le programme forme les policiers et douaniers."
    assert programme.history.count() == revisions
    state = TranslationState.objects.get(
        object_id=programme.pk, field="summary", language="en"
    )
    assert state.checked and state.updated_by == translator
    statuses = all_statuses(objects=[programme])
    assert {s.status for s in statuses if s.language == "en"} == {Status.UP_TO_DATE}
    # Gone from the work to do; listed as up to date, by the translator.
    page = translator_client.get(
        DASHBOARD, {"status": "all", "language": "en"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    row = next(r for r in table_rows(page) if r["link"].endswith("#id_summary_en"))
    assert row["status"] == "✓ up to date"
    assert row["by"].startswith(f"{translator.username} ")


def test_the_message_is_in_the_users_language(translator_client):
    programme = outdated_programme()

    response = translator_client.post(
        MARK,
        {"unit": f"programme.{programme.pk}.summary", "language": "en"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response["Location"] == DASHBOARD
    assert messages_of(response) == [
        f"«\u202f{programme.name_fr}\u202f», résumé (anglais)\u202f: "
        "traduction marquée comme vérifiée."
    ]


@pytest.mark.parametrize("field, language", [("summary", "fr"), ("facts_note", "en")])
def test_only_an_outdated_translation_can_be_marked_as_checked(
    translator_client, field, language
):
    # The French summary is the source (up to date); the English note is missing.
    programme = outdated_programme(facts_note_fr="Une note.", facts_note_en="")
    states = list(TranslationState.objects.values())

    response = translator_client.post(
        MARK,
        {"unit": f"programme.{programme.pk}.{field}", "language": language},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    (message,) = messages_of(response)
    assert "is not outdated: there is nothing to mark as checked." in message
    assert list(TranslationState.objects.values()) == states


@pytest.mark.parametrize(
    "unit, language",
    [
        ("programme.999.summary", "en"),
        ("programme.{pk}.status", "en"),
        ("programme.{pk}.summary", "de"),
        ("source.{pk}.title", "en"),
        ("programme.x.summary", "en"),
        ("programme.².summary", "en"),
        ("programme.99999999999999999999999.summary", "en"),
        ("programme.{pk}.summary\x00", "en"),
        ("", ""),
    ],
)
def test_an_unknown_field_is_not_found(translator_client, unit, language):
    programme = outdated_programme()

    response = translator_client.post(
        MARK, {"unit": unit.format(pk=programme.pk), "language": language}
    )

    assert response.status_code == 404


def test_marking_needs_a_post_with_a_csrf_token(translator):
    programme = outdated_programme()
    data = {"unit": f"programme.{programme.pk}.summary", "language": "en"}
    client = Client(enforce_csrf_checks=True)
    client.force_login(translator)

    assert client.get(MARK, data).status_code == 405
    assert client.post(MARK, data).status_code == 403
    assert not TranslationState.objects.filter(checked=True).exists()


def test_the_return_address_stays_on_this_site(translator_client):
    programme = outdated_programme()

    response = translator_client.post(
        MARK,
        {
            "unit": f"programme.{programme.pk}.summary",
            "language": "en",
            "next": "https://evil.example/",
        },
    )

    assert response["Location"] == DASHBOARD


def test_the_dashboards_buttons_post_what_the_view_expects(translator_client):
    programme = outdated_programme()
    tree = parse(translator_client.get(DASHBOARD + "?language=en"))

    form = tree.find(".//form[@class='translation-check']")
    data = {field.get("name"): field.get("value") for field in form.iter("input")}

    assert form.get("action") == MARK and form.get("method") == "post"
    assert data["csrfmiddlewaretoken"]
    assert data["unit"] == f"programme.{programme.pk}.summary"
    assert data["language"] == "en"
    assert data["next"] == DASHBOARD + "?language=en"
    assert translator_client.post(MARK, data)["Location"] == DASHBOARD + "?language=en"


# --- Status chips in the admin's lists ----------------------------------------------


def chips(response):
    """{record name: {language: chip text}} of a changelist."""
    tree = parse(response)
    result = {}
    for row in tree.findall(".//table[@id='result_list']/tbody/tr"):
        name = "".join(row.find("./th").itertext()).strip()
        result[name] = [
            (chip.get("class"), " ".join("".join(chip.itertext()).split()))
            for chip in row.findall(".//span[@class]")
            if chip.get("class").startswith("translation-status ")
        ]
    return result


def chip_titles(response):
    """{record name: [chip tooltip]} of a changelist."""
    tree = parse(response)
    return {
        "".join(row.find("./th").itertext()).strip(): [
            chip.get("title")
            for chip in row.findall(".//span[@class]")
            if chip.get("class").startswith("translation-status ")
        ]
        for row in tree.findall(".//table[@id='result_list']/tbody/tr")
    }


def test_list_chips_show_missing_outdated_and_up_to_date(admin_client):
    outdated_programme(name_en="Outdated")
    make_programme(name_en="Missing", facts_note_fr="Une note.", facts_note_en="")
    make_programme(name_en="Current")

    response = admin_client.get(
        reverse("admin:programmes_programme_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    )

    text = response.content.decode()
    # The tooltip names the fields as the change form does.
    assert 'title="Summary">EN !<span class="visually-hidden"> outdated</span>' in text
    assert (
        'title="Note on the key facts">EN ✗<span class="visually-hidden"> missing'
        "</span>"
    ) in text
    chip = "translation-status translation-status--"
    assert chips(response) == {
        "Outdated": [
            (chip + "up_to_date", "FR ✓ up to date"),
            (chip + "outdated", "EN ! outdated"),
        ],
        "Missing": [
            (chip + "up_to_date", "FR ✓ up to date"),
            (chip + "missing", "EN ✗ missing"),
        ],
        "Current": [
            (chip + "up_to_date", "FR ✓ up to date"),
            (chip + "up_to_date", "EN ✓ up to date"),
        ],
    }


def test_list_chips_in_french(admin_client):
    outdated_programme(name_fr="Périmé")

    response = admin_client.get(
        reverse("admin:programmes_programme_changelist"), HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert [text for _class, text in chips(response)["Périmé"]] == [
        "FR ✓ à jour",
        "EN ! à mettre à jour",
    ]
    assert chip_titles(response)["Périmé"] == ["à jour", "Résumé"]


def test_list_chip_titles_name_each_missing_field(admin_client):
    programme = make_programme(
        name_fr="Deux manquants", facts_note_fr="Une note.", facts_note_en=""
    )
    # A later edit, as an import could: no slug nor note in English.
    Programme.objects.filter(pk=programme.pk).update(slug_en=None)

    response = admin_client.get(
        reverse("admin:programmes_programme_changelist"), HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert chip_titles(response)["Deux manquants"] == [
        "à jour",
        "Identifiant d’adresse (slug), Note sur les chiffres clés",
    ]


@pytest.mark.parametrize(
    "model", ["programme", "organisation", "region"], ids=lambda name: name
)
def test_list_chips_cost_the_same_queries_for_3_and_30_records(admin_client, model):
    make = {
        "programme": outdated_programme,
        "organisation": lambda: edit(make_organisation(), description_fr="Autre."),
        "region": lambda: edit(make_region(), name_fr="Autre nom"),
    }[model]
    url = reverse(f"admin:programmes_{model}_changelist")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return len(captured), response.content.decode().count("EN !")

    for _ in range(3):
        make()
    few, outdated_few = queries()
    for _ in range(27):
        make()
    many, outdated_many = queries()

    assert (outdated_few, outdated_many) == (3, 30)
    assert many == few


# --- The change form's translation status -------------------------------------------


def test_a_change_form_lists_its_outdated_and_missing_fields(translator_client):
    programme = outdated_programme()
    add_participation(programme, make_organisation(), note_fr="Note", note_en="")
    url = reverse("admin:programmes_programme_change", args=[programme.pk])

    response = translator_client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    tree = parse(response)
    panel = tree.find(".//details[@class='module translation-work']")
    assert " ".join("".join(panel.find("summary").itertext()).split()) == (
        "Translation status (fields missing or outdated: 2)"
    )
    rows = table_rows(response)
    assert [(row["field"], row["status"]) for row in rows] == [
        ("Summary", "! outdated"),
        ("Note", "✗ missing"),
    ]
    assert rows[0]["link"] == f"{url}#id_summary_en"
    assert rows[1]["link"] == f"{url}#id_participations-0-note_en"
    assert "policiers et" in rows[0]["change"]
    # Outside the change form: its buttons are forms of their own.
    change_form = tree.find(".//form[@id='programme_form']")
    assert change_form.find(".//details") is None
    button = panel.find(".//form[@class='translation-check']")
    data = {field.get("name"): field.get("value") for field in button.iter("input")}
    assert data["next"] == url
    response = translator_client.post(MARK, data)
    assert response["Location"] == url


def test_a_programme_form_lists_its_figures_and_sources_work(translator_client):
    programme = make_programme()
    source = add_source(programme, url="", address_note_fr="Imprimé.")
    add_key_fact(programme, source, label_en="")
    add_result(programme, source, summary_en="")
    url = reverse("admin:programmes_programme_change", args=[programme.pk])

    rows = table_rows(translator_client.get(url, HTTP_ACCEPT_LANGUAGE="en"))

    assert {row["link"] for row in rows} == {
        f"{url}#id_sources-0-address_note_en",
        f"{url}#id_key_facts-0-label_en",
        f"{url}#id_results-0-summary_en",
    }


def test_an_up_to_date_change_form_has_no_translation_panel(admin_client):
    programme = make_programme()
    region = edit(make_region(), name_fr="Autre nom")

    programme_form = admin_client.get(
        reverse("admin:programmes_programme_change", args=[programme.pk])
    )
    region_form = admin_client.get(
        reverse("admin:programmes_region_change", args=[region.pk])
    )

    assert "translation-work" not in programme_form.content.decode()
    assert "translation-work" in region_form.content.decode()
    parse(region_form)


def test_staff_without_the_permission_see_no_translation_panel(db):
    # Hand-picked: staff who see programmes but hold no translation permission.
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_programme"))
    programme = outdated_programme()

    response = logged_in(user).get(
        reverse("admin:programmes_programme_change", args=[programme.pk])
    )

    assert response.status_code == 200
    assert "translation-work" not in response.content.decode()


def test_a_refused_save_shows_the_stored_status_not_the_typed_text(translator_client):
    from .hostile import form_data

    programme = outdated_programme()
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(translator_client.get(url), "programme_form")

    # The English summary typed, but the name emptied: refused.
    response = translator_client.post(
        url, data | {"summary_en": "New.", "name_fr": "", "name_en": ""}
    )

    assert response.status_code == 200
    assert "policiers et" in response.content.decode()
    assert Programme.objects.get(pk=programme.pk).summary_en != "New."


# --- Bounded queries ----------------------------------------------------------------


def build_work(count, users):
    """`count` programmes, each with an outdated English summary last checked
    by one of `users`, and a missing English note."""
    for number in range(count):
        programme = outdated_programme()
        mark_as_checked(programme, "summary", "en", users[number % len(users)])
        edit(programme, summary_fr=f"Encore changé {number}.")
        add_participation(programme, make_organisation(), note_fr="Une note.")


def test_the_dashboard_costs_the_same_queries_for_3_and_30_programmes(
    translator_client,
):
    users = [User.objects.create_user(f"user{number}") for number in range(30)]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return len(captured), len(table_rows(response))

    build_work(3, users)
    few, few_rows = queries()
    build_work(27, users)
    many, many_rows = queries()

    assert (few_rows, many_rows) == (6, 60)
    assert many == few
    assert few <= 15


def test_the_dashboard_names_who_last_translated(translator_client):
    users = [User.objects.create_user("uma")]
    build_work(1, users)

    rows = table_rows(translator_client.get(DASHBOARD, {"status": "outdated"}))

    assert rows[0]["by"].startswith("uma ")


# --- Both languages of the interface ------------------------------------------------


def test_the_dashboard_in_french(translator_client):
    outdated_programme()

    response = translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="fr")

    text = response.content.decode()
    assert '<html lang="fr"' in text
    assert "<title>Traductions" in text
    assert "Avancement par langue" in text
    assert "Ce qui a changé dans le texte français" in text
    assert "Marquer comme vérifiée" in text
    assert re.search(r"100\xa0%", text)
    rows = table_rows(response)
    assert [(row["field"], row["language"], row["status"]) for row in rows] == [
        ("Résumé", "Anglais", "! à mettre à jour")
    ]


# Words of the dashboard and of the change form's panel that only English has.
ENGLISH = [
    "All content",
    "Progress per language",
    "Percentage up to date",
    "Missing fields",
    "Outdated fields",
    "Fields up to date",
    "All languages",
    "Kind of record",
    "All kinds of record",
    "Work to do",
    "All statuses",
    "Filter the fields",
    ">Show<",
    "Fields listed",
    "Record<",
    "Last translated",
    "Change in the source",
    "What changed",
    "When last translated",
    "Mark as checked",
    "Translation status",
    "All the translations to do",
    "No field matches",
    "Select a valid choice",
]


def test_no_english_is_left_on_the_french_pages(translator_client):
    programme = outdated_programme(facts_note_fr="Une note.", facts_note_en="")
    form = reverse("admin:programmes_programme_change", args=[programme.pk])

    pages = [
        translator_client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        for url in (
            DASHBOARD,
            DASHBOARD + "?model=region",
            DASHBOARD + "?status=nothing",
            form,
        )
    ]

    left = {words for words in ENGLISH if any(words in page for page in pages)}
    assert left == set()


def test_the_refusal_is_in_french_too(translator_client):
    programme = outdated_programme()

    response = translator_client.post(
        MARK,
        {"unit": f"programme.{programme.pk}.name", "language": "en"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert messages_of(response) == [
        f"«\u202f{programme.name_fr}\u202f», nom (anglais) n’est pas à mettre à "
        "jour\u202f: il n’y a rien à marquer comme vérifié."
    ]


def test_the_dashboard_in_english(translator_client):
    outdated_programme()

    response = translator_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")

    text = response.content.decode()
    assert '<html lang="en"' in text
    assert "<title>Translations" in text
    assert "What changed in the French text" in text
