"""History in the admin: revisions, comparison, restore and recovery (issue 3)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse

from programmes.content.history import LOADED_REASON
from programmes.editing.history.diff import word_diff
from programmes.editing.roles import EDITORS, TRANSLATORS
from programmes.models import (
    HomePage,
    Organisation,
    Participation,
    Programme,
    Region,
    Source,
)

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import parse, staff_member
from .hostile import form_data, nothing_changes

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]


def admin_url(obj_or_model, name, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:programmes_{opts.model_name}_{name}", args=args)


def history_url(obj):
    return admin_url(obj, "history", obj.pk)


def restore_url(obj, record):
    return admin_url(obj, "history_restore", obj.pk, record.history_id)


def compare_url(obj, old, new):
    return admin_url(obj, "history_compare", obj.pk) + (
        f"?old={old.history_id}&new={new.history_id}"
    )


def staff(client, username, *codenames):
    # Hand-picked permissions, for the one test about a permission no group of
    # programmes/editing/roles.py has alone (a home page's change without the rest).
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return user


def member(client, group, username):
    user = staff_member(group, username)
    client.force_login(user)
    return user


def editor(client, username="editor"):
    return member(client, EDITORS, username)


def translator(client, username="translator"):
    return member(client, TRANSLATORS, username)


def save_in_admin(client, obj, **changes):
    """Open the change form, change some fields, save: what an editor does."""
    change = admin_url(obj, "change", obj.pk)
    data = form_data(client.get(change), f"{obj._meta.model_name}_form")
    response = client.post(change, data | changes)
    assert response.status_code == 302, response.content.decode()[:3000]


def revisions(obj):
    return list(obj.history.order_by("-history_date", "-history_id"))


# --- Revisions ---------------------------------------------------------------------


def test_every_admin_save_is_one_revision_with_its_user(client):
    user = editor(client)
    region = make_region()
    programme = make_programme()
    before = programme.history.count()

    save_in_admin(
        client,
        programme,
        summary_en="A new summary.",
        beneficiary_regions=[str(region.pk)],
    )

    latest = revisions(programme)[0]
    assert programme.history.count() == before + 1
    assert latest.history_user == user
    assert latest.history_type == "~"
    assert latest.summary_en == "A new summary."
    # The revision holds the regions chosen in the same save.
    assert list(latest.beneficiary_regions.values_list("region_id", flat=True)) == [
        region.pk
    ]


def test_content_loaded_from_the_file_says_so(content):
    programme = Programme.objects.get(acronym="AIRCOP")
    record = revisions(programme)[0]
    assert record.history_change_reason == LOADED_REASON
    assert record.history_user is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Name (French), Summary (English), Beneficiary regions"),
        ("fr", "Nom (français), Résumé (anglais), Régions bénéficiaires"),
    ],
)
def test_history_lists_revisions_newest_first_with_what_changed(
    client, language, expected
):
    user = editor(client)
    programme = make_programme()
    save_in_admin(
        client,
        programme,
        summary_en="Changed.",
        name_fr="Nom changé",
        beneficiary_regions=[str(make_region().pk)],
    )
    save_in_admin(client, programme, description_fr="Autre description.")

    response = client.get(history_url(programme), HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    parse(response)
    rows = response.context["revisions"]
    assert [r.record.history_id for r in rows] == [
        r.history_id for r in revisions(programme)
    ]
    assert rows[0].summary.startswith(
        "Description (French)" if language == "en" else "Description (français)"
    )
    assert rows[1].summary == expected
    assert rows[1].record.history_user == user
    assert rows[-1].kind == "created"
    page = response.content.decode()
    assert expected in page
    assert str(user) in page


@pytest.mark.parametrize("model", [Programme, Organisation, Region, HomePage])
def test_history_pages_answer_for_editors_and_translators(client, model, content):
    obj = model.objects.first()
    for who in (editor, translator):
        who(client, f"{who.__name__}-{model.__name__}")
        response = client.get(history_url(obj))
        assert response.status_code == 200
        parse(response)
        assert response.context["revisions"]


def test_the_change_form_history_button_leads_to_the_revisions(admin_client):
    programme = make_programme()
    page = admin_client.get(admin_url(programme, "change", programme.pk))
    assert history_url(programme) in page.content.decode()
    assert "revisions" in admin_client.get(history_url(programme)).context


# --- Compare -----------------------------------------------------------------------


def word_diff_html(old, new):
    return tuple(str(part) for part in word_diff(old, new))


def test_word_diff_marks_words_and_escapes_text():
    old, new = word_diff_html("Fight <b>drugs</b> at sea", "Fight <b>drugs</b> by air")

    assert "&lt;b&gt;drugs&lt;/b&gt;" in old
    assert "<b>" not in old + new
    assert old.count("<del>") == 1 and "at sea" in old.split("<del>")[1]
    assert new.count("<ins>") == 1 and "by air" in new.split("<ins>")[1]


@pytest.mark.parametrize(
    ("language", "summary_label", "name_label"),
    [
        ("en", "Summary — English", "Name — French"),
        ("fr", "Résumé — anglais", "Nom — français"),
    ],
)
def test_compare_shows_each_changed_field_in_each_language(
    client, language, summary_label, name_label
):
    editor(client)
    programme = make_programme(summary_en="Fights trafficking at sea.")
    save_in_admin(
        client,
        programme,
        summary_en="Fights <script>trafficking</script> by air.",
        name_fr="Nouveau nom",
    )
    new, old = revisions(programme)[:2]

    response = client.get(
        compare_url(programme, new, old), HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 200
    parse(response)
    rows = {row.label: row for row in response.context["rows"]}
    assert set(rows) == {summary_label, name_label}
    assert "<del>" in rows[summary_label].old and "at sea." in rows[summary_label].old
    assert "<ins>" in rows[summary_label].new and "by air." in rows[summary_label].new
    assert "&lt;script&gt;" in rows[summary_label].new
    assert "<script>trafficking" not in response.content.decode()
    # Older revision on the left, whichever order they were chosen in.
    assert response.context["old"] == old


def test_compare_shows_participations_and_sources_as_they_were(admin_client):
    programme = make_programme()
    save_in_admin(admin_client, programme, summary_en="First.")
    add_participation(
        programme,
        make_organisation(acronym_fr="ONUDC", acronym_en="UNODC"),
        role="lead",
    )
    Source.objects.create(
        programme=programme, title_en="A report", url="https://example.org/"
    )
    save_in_admin(admin_client, programme, summary_en="Second.")
    new, old = revisions(programme)[:2]

    response = admin_client.get(
        compare_url(programme, old, new), HTTP_ACCEPT_LANGUAGE="en"
    )

    rows = {row.label: row for row in response.context["rows"]}
    assert "UNODC: lead organisation" in rows["Participating organisations"].new
    assert "A report" in rows["Sources"].new
    assert rows["Sources"].old == ""


def test_compare_without_two_revisions_goes_back_to_the_history(admin_client):
    programme = make_programme()
    record = revisions(programme)[0]
    for query in ("", f"?old={record.history_id}&new={record.history_id}", "?old=x"):
        url = admin_url(programme, "history_compare", programme.pk) + query
        response = admin_client.get(url)
        assert response.status_code == 302
        assert response["Location"] == history_url(programme)


def test_compare_refuses_revisions_of_another_object(admin_client):
    programme, other = make_programme(), make_programme()
    response = admin_client.get(
        compare_url(programme, revisions(programme)[0], revisions(other)[0])
    )
    assert response.status_code == 302


# --- Restore -----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_restore_brings_back_every_language_and_the_regions(client, language):
    user = editor(client)
    region, other_region = make_region(), make_region()
    programme = make_programme(summary_fr="Ancien résumé.", summary_en="Old summary.")
    programme.beneficiary_regions.set([region])
    save_in_admin(client, programme, summary_en="Old summary.")
    earlier = revisions(programme)[0]
    save_in_admin(
        client,
        programme,
        summary_fr="Nouveau résumé.",
        summary_en="New summary.",
        beneficiary_regions=[str(other_region.pk)],
    )

    page = client.get(restore_url(programme, earlier), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    parse(page)
    assert {row.label for row in page.context["rows"]} >= {
        "Summary — English" if language == "en" else "Résumé — anglais"
    }
    response = client.post(
        restore_url(programme, earlier), HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.summary_fr == "Ancien résumé."
    assert programme.summary_en == "Old summary."
    assert list(programme.beneficiary_regions.all()) == [region]
    latest = revisions(programme)[0]
    assert latest.history_user == user
    assert latest.history_change_reason.startswith("Restored revision of ")
    assert latest.history_change_reason.endswith(f"by {user}")
    history = client.get(history_url(programme), HTTP_ACCEPT_LANGUAGE=language)
    assert history.context["revisions"][0].kind == "restored"
    restored = "Restored the revision of" if language == "en" else "rétablie"
    assert restored in history.content.decode()


def test_restore_keeps_the_current_status_and_publication_date(admin_client):
    programme = make_programme(status="draft", summary_en="Draft text.")
    draft = revisions(programme)[0]
    save_in_admin(admin_client, programme, status="published", summary_en="Live.")
    programme.refresh_from_db()
    published_at = programme.published_at

    page = admin_client.get(restore_url(programme, draft), HTTP_ACCEPT_LANGUAGE="en")
    assert "does not publish or unpublish" in page.content.decode()
    admin_client.post(restore_url(programme, draft))

    programme.refresh_from_db()
    assert programme.summary_en == "Draft text."
    assert programme.status == "published"
    assert programme.published_at == published_at


def test_a_restore_breaking_todays_rules_is_refused_and_changes_nothing(admin_client):
    programme = make_programme(slug_en="old-address")
    earlier = revisions(programme)[0]
    save_in_admin(admin_client, programme, slug_en="new-address")
    make_programme(slug_en="old-address")  # Another page took the old address.

    with nothing_changes():
        response = admin_client.post(
            restore_url(programme, earlier), HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 400
    parse(response)
    assert "Slug (English)" in " ".join(response.context["errors"])


def test_a_restore_breaking_the_publication_rules_is_refused(admin_client):
    programme = make_programme(status="draft", summary_en="")
    earlier = revisions(programme)[0]
    save_in_admin(admin_client, programme, summary_en="Ready.", status="published")

    with nothing_changes():
        response = admin_client.post(
            restore_url(programme, earlier), HTTP_ACCEPT_LANGUAGE="fr"
        )

    assert response.status_code == 400
    assert "anglais" in " ".join(response.context["errors"])


def test_translators_cannot_restore(client):
    translator(client)
    programme = make_programme(summary_en="First.")
    earlier = revisions(programme)[0]
    programme.summary_en = "Second."
    programme.save()

    assert client.get(restore_url(programme, earlier)).status_code == 403
    with nothing_changes():
        assert client.post(restore_url(programme, earlier)).status_code == 403
    history = client.get(history_url(programme))
    assert not any(r.restore_url for r in history.context["revisions"])


def test_the_home_page_restores_with_its_change_permission(client):
    staff(client, "writer", "view_homepage", "change_homepage")
    home = HomePage.objects.create(
        title_fr="Accueil",
        title_en="Home",
        heading_fr="Titre",
        heading_en="Heading",
        introduction_fr="Intro.",
        introduction_en="Intro.",
        summary_fr="Résumé.",
        summary_en="Summary.",
    )
    earlier = revisions(home)[0]
    home.heading_en = "Another heading"
    home.save()

    assert client.post(restore_url(home, earlier)).status_code == 302
    home.refresh_from_db()
    assert home.heading_en == "Heading"


# --- Deleted objects ---------------------------------------------------------------


def test_a_deleted_programme_comes_back_with_its_participations_and_sources(
    admin_client,
):
    region = make_region()
    organisation = make_organisation()
    programme = make_programme(name_en="Lost programme")
    programme.beneficiary_regions.set([region])
    removed_earlier = add_participation(programme, make_organisation(), role="funder")
    # Removed in the admin before the deletion: it stays removed.
    save_in_admin(
        admin_client,
        programme,
        summary_en="Last text.",
        **{"participations-0-DELETE": "on"},
    )
    assert not Participation.objects.filter(pk=removed_earlier.pk).exists()
    kept = add_participation(programme, organisation, role="lead", note_en="Leads.")
    source = Source.objects.create(
        programme=programme, title_en="Report", url="https://example.org/"
    )
    pk = programme.pk
    programme.delete()

    recover_list = admin_client.get(
        admin_url(Programme, "recover_list"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert recover_list.status_code == 200
    parse(recover_list)
    assert "Lost programme" in recover_list.content.decode()
    confirm = admin_client.get(admin_url(Programme, "recover", pk))
    assert confirm.status_code == 200
    parse(confirm)
    response = admin_client.post(admin_url(Programme, "recover", pk))

    assert response.status_code == 302
    programme = Programme.objects.get(pk=pk)
    assert programme.summary_en == "Last text."
    assert programme.status == "draft"
    assert list(programme.beneficiary_regions.all()) == [region]
    assert [(p.pk, p.note_en) for p in programme.participations.all()] == [
        (kept.pk, "Leads.")
    ]
    assert [s.pk for s in programme.sources.all()] == [source.pk]
    assert not Participation.objects.filter(pk=removed_earlier.pk).exists()
    assert revisions(programme)[0].history_change_reason == "Recovered after deletion"
    assert (
        admin_client.get(admin_url(Programme, "recover_list")).context["deletions"]
        == []
    )


def test_the_changelist_links_to_recovery_for_those_who_may_recover(client):
    editor(client)
    changelist = client.get(admin_url(Programme, "changelist"))
    assert admin_url(Programme, "recover_list") in changelist.content.decode()
    translator(client, "someone")
    changelist = client.get(admin_url(Programme, "changelist"))
    assert admin_url(Programme, "recover_list") not in changelist.content.decode()
    assert client.get(admin_url(Programme, "recover_list")).status_code == 403


def test_a_recovery_whose_address_was_taken_is_refused(admin_client):
    organisation = make_organisation(slug_en="taken")
    pk = organisation.pk
    organisation.delete()
    make_organisation(slug_en="taken")

    with nothing_changes():
        response = admin_client.post(admin_url(Organisation, "recover", pk))

    assert response.status_code == 400
    assert not Organisation.objects.filter(pk=pk).exists()


def test_recovering_an_object_that_exists_is_not_found(admin_client):
    region = make_region()
    assert admin_client.post(admin_url(Region, "recover", region.pk)).status_code == 404
    assert admin_client.post(admin_url(Region, "recover", 999999)).status_code == 404


def test_load_content_records_a_revision_per_record(db):
    call_command("load_content", verbosity=0)
    assert Programme.history.filter(history_change_reason=LOADED_REASON).exists()
    assert Programme.history.exclude(history_change_reason=LOADED_REASON).count() == 0


@pytest.mark.parametrize(
    ("group", "may_restore"), [("Editors", True), ("Translators", False)]
)
def test_the_roles_decide_who_restores(client, group, may_restore):
    member(client, group, "member")
    programme = make_programme(summary_en="First.")
    earlier = revisions(programme)[0]
    programme.summary_en = "Second."
    programme.save()

    assert client.get(history_url(programme)).status_code == 200
    response = client.post(restore_url(programme, earlier))

    assert response.status_code == (302 if may_restore else 403)
    programme.refresh_from_db()
    assert programme.summary_en == ("First." if may_restore else "Second.")


def test_forged_revision_and_object_ids_find_nothing(admin_client):
    programme = make_programme()
    huge = "9" * 30
    compare = admin_url(programme, "history_compare", programme.pk)
    for query in (f"?old={huge}&new={huge}1", "?old=-1&new=0", "?old=%00&new=1"):
        assert admin_client.get(compare + query).status_code == 302
    url = reverse(
        "admin:programmes_programme_history_restore", args=[programme.pk, int(huge)]
    )
    with nothing_changes():
        assert admin_client.post(url).status_code == 404
        assert (
            admin_client.post(admin_url(Programme, "recover", int(huge))).status_code
            == 404
        )
