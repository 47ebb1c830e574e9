import html5lib
import pytest
from django.urls import reverse

from interpol_drugs.sessions import SessionStore
from programmes.models import HomePage, Organisation, Programme, Region

from .factories import make_organisation, make_programme, make_region
from .helpers import programme_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Programme, Organisation, Region, HomePage])
def test_every_model_has_a_working_list_and_add_or_change_page(
    admin_client, content, model
):
    changelist = reverse(f"admin:programmes_{model._meta.model_name}_changelist")
    change = reverse(
        f"admin:programmes_{model._meta.model_name}_change",
        args=[model.objects.first().pk],
    )

    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(change).status_code == 200


def test_change_form_has_a_tab_per_language_with_local_jquery_ui(admin_client, content):
    programme = Programme.objects.get(acronym="AIRCOP")
    page = admin_client.get(
        reverse("admin:programmes_programme_change", args=[programme.pk])
    ).content.decode()

    for code in ("fr", "en"):
        assert f'name="name_{code}"' in page
        assert f"mt-field-name-{code}" in page
        assert f"mt-field-description-{code}" in page
    assert "modeltranslation/js/tabbed_translation_fields.js" in page
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in page
    assert "googleapis" not in page
    # Organisations with their role, and sources, are edited inline.
    assert 'name="participations-0-role"' in page
    assert 'name="participations-0-note_en"' in page
    assert 'name="sources-0-url"' in page


def test_inline_controls_are_named_for_screen_readers(admin_client, content):
    programme = Programme.objects.get(acronym="AIRCOP")
    response = admin_client.get(
        reverse("admin:programmes_programme_change", args=[programme.pk]),
        headers={"accept-language": "en"},
    )
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)

    def label_of(name):
        return tree.find(f".//*[@name='{name}']").get("aria-label")

    assert label_of("participations-0-role") == "Role"
    assert label_of("participations-0-note_en") == "Note [en]"
    assert label_of("sources-0-DELETE") == "Delete"


def test_list_shows_which_languages_are_complete(admin_client, content):
    page = admin_client.get(
        reverse("admin:programmes_organisation_changelist") + "?q=AMERIPOL"
    ).content.decode()

    # French, the admin's default language: the field as its form names it.
    assert "translation-status--missing" in page and 'title="Nom"' in page
    assert "FR ✗" in page and "EN ✓" in page


@pytest.mark.parametrize("query", ["douanes", "Customs"])
def test_search_covers_both_languages(admin_client, content, query):
    response = admin_client.get(
        reverse("admin:programmes_organisation_changelist"), {"q": query}
    )

    assert [o.acronym_en for o in response.context["cl"].result_list] == ["WCO"]


def test_adding_a_programme_with_an_organisation_role(admin_client, db):
    organisation = make_organisation()
    data = programme_form(
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-organisation": str(organisation.pk),
            "participations-0-role": "funder",
            "participations-0-note_fr": "par un fonds",
            "participations-0-note_en": "through a fund",
            "participations-0-display_order": "0",
        }
    )

    response = admin_client.post(reverse("admin:programmes_programme_add"), data)

    assert response.status_code == 302
    programme = Programme.objects.get(slug_en="new-programme")
    assert programme.funders[0].organisation == organisation
    assert programme.funders[0].note_en == "through a fund"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The last year cannot be before the first."),
        ("fr", "La dernière année ne peut pas précéder la première."),
    ],
)
def test_invalid_input_is_explained_in_the_editors_language_and_nothing_is_saved(
    admin_client, db, language, message
):
    # The programme's period is a key fact (measure "period"), inline.
    data = programme_form(
        **{
            "key_facts-TOTAL_FORMS": "1",
            "key_facts-0-label_fr": "Période",
            "key_facts-0-label_en": "Period",
            "key_facts-0-measure": "period",
            "key_facts-0-kind": "period",
            "key_facts-0-status": "confirmed",
            "key_facts-0-first_year": "2020",
            "key_facts-0-last_year": "2010",
            "key_facts-0-as_of": "2026-11-27",
            "key_facts-0-display_order": "0",
        }
    )

    response = admin_client.post(
        reverse("admin:programmes_programme_add"),
        data,
        headers={"accept-language": language},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Programme.objects.exists()


def test_a_duplicate_slug_in_one_language_is_refused(admin_client, db):
    make_programme(slug_en="new-programme")

    response = admin_client.post(
        reverse("admin:programmes_programme_add"),
        programme_form(),
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Programme.objects.count() == 1


def test_the_same_role_twice_is_refused_and_nothing_half_saved(admin_client, db):
    organisation = make_organisation()
    duplicate_rows = {}
    for index in (0, 1):
        duplicate_rows |= {
            f"participations-{index}-organisation": str(organisation.pk),
            f"participations-{index}-role": "partner",
            f"participations-{index}-display_order": "0",
        }
    data = programme_form(**{"participations-TOTAL_FORMS": "2"}, **duplicate_rows)

    response = admin_client.post(
        reverse("admin:programmes_programme_add"),
        data,
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()
    assert not Programme.objects.exists()


def test_a_required_translation_missing_names_the_language(admin_client, db):
    data = programme_form(summary_en="")

    response = admin_client.post(
        reverse("admin:programmes_programme_add"),
        data,
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["summary_en"]
    assert not Programme.objects.exists()


def test_the_home_page_cannot_be_added_twice_or_deleted(admin_client, content):
    home = HomePage.load()

    assert admin_client.get(reverse("admin:programmes_homepage_add")).status_code == 403
    assert (
        admin_client.get(
            reverse("admin:programmes_homepage_delete", args=[home.pk])
        ).status_code
        == 403
    )


def test_region_change_saves_both_languages(admin_client, db):
    region = make_region()
    data = {
        "name_fr": "Caraïbes",
        "name_en": "Caribbean",
        "slug_fr": "caraibes",
        "slug_en": "caribbean",
        "display_order": "3",
        "status": "published",
        "edit_version": str(region.version),
    }

    response = admin_client.post(
        reverse("admin:programmes_region_change", args=[region.pk]), data
    )

    assert response.status_code == 302
    region.refresh_from_db()
    assert (region.name_fr, region.name_en, region.slug_en) == (
        "Caraïbes",
        "Caribbean",
        "caribbean",
    )


# --- Forged input (tests/test_hostile_input.py tries many more) ---------------


def test_a_nul_character_in_a_list_filter_is_a_400(admin_client, db):
    # PostgreSQL would answer the query with an error (a 500).
    url = reverse("admin:programmes_programme_changelist")

    assert admin_client.get(url, {"stage__exact": "\x00"}).status_code == 400
    assert admin_client.get(url, {"stage__exact": "ongoing"}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"app_label": "programmes", "model_name": "participation"}
        | {"field_name": "organisation"},
        {"app_label": "auth", "model_name": "user", "field_name": "groups"},
    ],
)
def test_a_nul_character_in_an_autocomplete_search_is_a_space(admin_client, db, query):
    # PostgreSQL would answer the query with an error (a 500).
    make_organisation(name_en="Customs")
    url = reverse("admin:autocomplete")

    response = admin_client.get(url, query | {"term": "\x00"})

    assert response.status_code == 200
    assert response.json() == admin_client.get(url, query | {"term": " "}).json()


@pytest.mark.parametrize("value", ["abc", "2\x00", "1 OR 1=1"])
def test_a_forged_organisation_in_a_participation_is_a_form_error(
    admin_client, db, value
):
    programme = make_programme()
    organisation = make_organisation()
    data = programme_form(
        **{
            "participations-TOTAL_FORMS": "1",
            "participations-0-organisation": value,
            "participations-0-role": "partner",
            "participations-0-display_order": "1",
        }
    )

    response = admin_client.post(
        reverse("admin:programmes_programme_change", args=[programme.pk]), data
    )

    # The form again with its error, never a 500 while redisplaying it.
    assert response.status_code == 200
    assert "participations-0-organisation" in response.content.decode()
    assert not programme.participations.exists()
    assert organisation.participations.count() == 0


def test_an_unknown_admin_address_is_a_404_for_staff(admin_client, db):
    # The 404 page's language links once failed on the admin's unnamed
    # catch-all view.
    response = admin_client.get(reverse("admin:index") + "no-such-page/")

    assert response.status_code == 404


@pytest.mark.parametrize("session_key", ['"abcdefgh\\000ijkl"', "ABCDEFGH-ijkl"])
def test_a_session_cookie_django_cannot_have_issued_is_no_session(
    admin_client, client, db, session_key
):
    # A quoted cookie's octal escape becomes a NUL, which PostgreSQL refuses.
    response = client.get(
        reverse("admin:index"), headers={"cookie": f"sessionid={session_key}"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert SessionStore("abcdefgh\x00ijkl").session_key is None
