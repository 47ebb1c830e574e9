"""Publication: status and date decide what the public sees; previews; edit lock."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from programmes.content.version import bump_content_version
from programmes.models import HomePage, Organisation, Programme, Region

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import empty_inline_forms, preview_url
from .hostile import form_data

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]


def public_url(obj, language):
    with translation.override(language):
        return obj.get_absolute_url()


def change_url(obj):
    return reverse(f"admin:programmes_{obj._meta.model_name}_change", args=[obj.pk])


def change_form(client, obj):
    response = client.get(change_url(obj))
    assert response.status_code == 200
    return form_data(response, f"{obj._meta.model_name}_form")


def pages_listing_programmes(language):
    with translation.override(language):
        return [
            reverse("home"),
            reverse("programmes:programme_list"),
            reverse("programmes:search") + "?q=Hidden",
            reverse("programmes:feed"),
            "/sitemap.xml",
            "/api/v1/programmes/",
        ]


# --- One rule decides what is public ------------------------------------------


@pytest.mark.parametrize(
    ("status", "published_at", "public"),
    [
        ("draft", None, False),
        ("archived", timedelta(days=-1), False),
        ("published", timedelta(days=-1), True),
        ("published", timedelta(days=1), False),  # scheduled
    ],
)
def test_published_decides_on_status_and_time(status, published_at, public):
    when = timezone.now() + published_at if published_at is not None else None
    for model_factory in (make_programme, make_organisation, make_region):
        obj = model_factory()
        type(obj).objects.filter(pk=obj.pk).update(status=status, published_at=when)
        obj.refresh_from_db()
        assert obj.is_public is public
        assert type(obj).objects.published().filter(pk=obj.pk).exists() is public


def test_publishing_without_a_date_sets_it_to_now():
    programme = make_programme(status="draft")
    assert programme.published_at is None
    programme.status = "published"
    programme.save()
    assert timezone.now() - programme.published_at < timedelta(minutes=1)
    assert programme.is_public


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_programme_is_nowhere_in_public(client, language):
    draft = make_programme(
        status="draft", name_fr="Hidden FR", name_en="Hidden", acronym="HIDDEN"
    )
    draft.beneficiary_regions.add(region := make_region())
    add_participation(draft, organisation := make_organisation())

    assert client.get(public_url(draft, language)).status_code == 404
    for url in pages_listing_programmes(language):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"HIDDEN" not in response.content, url
        assert draft.slug_en.encode() not in response.content, url
    for page in (public_url(region, language), public_url(organisation, language)):
        assert b"HIDDEN" not in client.get(page).content


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_scheduled_programme_appears_when_its_time_comes(client, language):
    programme = make_programme(status="published", acronym="SOON")
    later = timezone.now() + timedelta(hours=2)
    Programme.objects.filter(pk=programme.pk).update(published_at=later)
    url = public_url(programme, language)
    assert client.get(url).status_code == 404
    assert b"SOON" not in client.get(reverse("home")).content

    Programme.objects.filter(pk=programme.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    # queryset.update() sends no signal: tell the page cache (page_cache.py).
    bump_content_version()
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_draft_organisation_or_region_is_not_named_on_programme_pages(
    client, language
):
    programme = make_programme()
    organisation = make_organisation(status="draft", acronym_en="DRAFTORG")
    organisation.acronym_fr = "DRAFTORG"
    organisation.save()
    add_participation(programme, organisation, role="funder")
    region = make_region(status="draft", name_fr="Région brouillon")
    region.name_en = "Draft region"
    region.save()
    programme.beneficiary_regions.add(region)

    page = client.get(public_url(programme, language)).content.decode()
    assert "DRAFTORG" not in page
    assert "Région brouillon" not in page and "Draft region" not in page
    assert client.get(public_url(organisation, language)).status_code == 404
    assert client.get(public_url(region, language)).status_code == 404
    with translation.override(language):
        organisations = client.get(reverse("programmes:organisation_list"))
        regions = client.get(reverse("programmes:region_list"))
    assert "DRAFTORG" not in organisations.content.decode()
    assert "Draft region" not in regions.content.decode()
    assert "Région brouillon" not in regions.content.decode()


# --- Publishing needs both languages; a draft does not --------------------------


def new_programme_data(**overrides):
    return (
        {
            "name_fr": "Nouveau programme",
            "slug_fr": "nouveau-programme",
            "status": "draft",
            "display_order": "0",
        }
        | empty_inline_forms()
        | overrides
    )


def test_a_draft_saves_with_a_french_name_and_address_only(admin_client):
    response = admin_client.post(
        reverse("admin:programmes_programme_add"), new_programme_data()
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug_fr="nouveau-programme")
    assert programme.status == "draft"
    assert programme.published_at is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "La publication demande le champ «\u202frésumé\u202f» en anglais"),
        ("en", "Publishing needs the summary in English"),
    ],
)
def test_publishing_names_the_missing_field_and_language(
    admin_client, language, expected
):
    data = new_programme_data(
        status="published",
        name_en="New programme",
        slug_en="new-programme",
        summary_fr="Résumé.",
        description_fr="Description.",
        description_en="Description.",
    )
    response = admin_client.post(
        reverse("admin:programmes_programme_add"),
        data,
        headers={"accept-language": language},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["summary_en"]
    assert expected in errors["summary_en"][0]
    assert not Programme.objects.exists()


def test_publishing_an_organisation_needs_its_description_in_every_language(
    admin_client,
):
    organisation = make_organisation(status="draft", description_en="")
    data = change_form(admin_client, organisation) | {"status": "published"}
    response = admin_client.post(change_url(organisation), data)
    assert response.status_code == 200
    assert "description_en" in response.context["adminform"].form.errors
    organisation.refresh_from_db()
    assert organisation.status == "draft"


# --- Preview --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("factory", [make_programme, make_organisation, make_region])
def test_staff_preview_a_draft_as_the_public_will_see_it(
    admin_client, language, factory
):
    draft = factory(status="draft")
    name = getattr(draft, f"name_{language}")

    response = admin_client.get(preview_url(draft, language))

    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert name in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert 'class="preview-banner"' in page
    assert change_url(draft) in page
    # The public still gets nothing.
    assert Client().get(public_url(draft, language)).status_code == 404


def test_preview_says_when_a_page_is_scheduled(admin_client):
    programme = make_programme()
    Programme.objects.filter(pk=programme.pk).update(
        published_at=timezone.now() + timedelta(days=3)
    )
    page = admin_client.get(preview_url(programme, "en")).content.decode()
    assert "This page is scheduled" in page


def test_the_change_form_links_to_the_previews(admin_client):
    programme = make_programme(status="draft")
    page = admin_client.get(change_url(programme)).content.decode()
    assert preview_url(programme, "fr") in page
    assert preview_url(programme, "en") in page


def test_preview_is_for_staff_only(client):
    draft = make_programme(status="draft")
    response = client.get(preview_url(draft, "fr"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    # Staff in no group: the preview needs a permission, not just is_staff.
    staff = User.objects.create_user("nobody", is_staff=True)
    client.force_login(staff)
    assert client.get(preview_url(draft, "fr")).status_code == 403


def test_preview_of_an_unknown_language_or_object_is_not_found(admin_client):
    draft = make_programme(status="draft")
    assert admin_client.get(preview_url(draft, "fr")[:-3] + "de/").status_code == 404
    missing = reverse("admin:programmes_programme_preview", args=[9999, "fr"])
    assert admin_client.get(missing).status_code == 404


# --- Publish, archive and draft actions -----------------------------------------


def run_action(client, model, action, objects):
    url = reverse(f"admin:programmes_{model._meta.model_name}_changelist")
    return client.post(
        url,
        {"action": action, "_selected_action": [str(obj.pk) for obj in objects]},
        follow=True,
    )


def test_publish_action_publishes_complete_items_and_names_the_others(admin_client):
    complete = make_programme(status="draft")
    incomplete = make_programme(status="draft", summary_en="")

    response = run_action(
        admin_client, Programme, "publish_selected", [complete, incomplete]
    )

    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.status == "published"
    assert incomplete.status == "draft"
    page = response.content.decode()
    assert "1 élément publié" in page or "1 item published" in page
    assert str(incomplete) in page


@pytest.mark.parametrize("model", [Programme, Organisation, Region])
def test_archive_and_draft_actions(admin_client, model):
    factory = {
        Programme: make_programme,
        Organisation: make_organisation,
        Region: make_region,
    }[model]
    obj = factory()
    revisions = obj.history.count()

    run_action(admin_client, model, "archive_selected", [obj])
    obj.refresh_from_db()
    assert obj.status == "archived"
    assert obj.history.count() == revisions + 1

    run_action(admin_client, model, "return_to_draft", [obj])
    obj.refresh_from_db()
    assert obj.status == "draft"


def test_status_actions_need_the_publish_permission(client):
    # Hand-picked: change without publish_programme, the boundary under test,
    # whatever the groups of programmes/editing/roles.py come to hold.
    user = User.objects.create_user("writer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_programme", "change_programme"])
    )
    client.force_login(user)
    programme = make_programme()
    changelist = client.get(reverse("admin:programmes_programme_changelist"))
    assert b"archive_selected" not in changelist.content

    run_action(client, Programme, "archive_selected", [programme])

    programme.refresh_from_db()
    assert programme.status == "published"


# --- Two editors on one record --------------------------------------------------


def test_a_save_from_a_form_opened_before_another_save_is_refused(admin_client):
    programme = make_programme(summary_en="First.")
    stale = change_form(admin_client, programme)
    # Someone else saves in the meantime.
    programme.summary_en = "Someone else's summary."
    programme.save()

    response = admin_client.post(
        change_url(programme), stale | {"summary_en": "My summary."}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert "after you opened it" in errors[0] or "après votre ouverture" in errors[0]
    programme.refresh_from_db()
    assert programme.summary_en == "Someone else's summary."


def test_the_refusal_names_who_saved(admin_client, admin_user):
    programme = make_programme()
    stale = change_form(admin_client, programme)
    fresh = change_form(admin_client, programme)
    other = Client()
    other.force_login(User.objects.create_superuser("colleague"))
    assert other.post(change_url(programme), fresh).status_code == 302

    response = admin_client.post(change_url(programme), stale)

    assert "colleague" in response.content.decode()


def test_a_form_reopened_after_the_other_save_saves(admin_client):
    programme = make_programme()
    programme.save()
    fresh = change_form(admin_client, programme)
    response = admin_client.post(change_url(programme), fresh | {"summary_en": "Ok."})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.summary_en == "Ok."


def test_a_form_without_its_version_is_refused(admin_client):
    programme = make_programme(summary_en="Kept.")
    data = change_form(admin_client, programme)
    del data["edit_version"]
    response = admin_client.post(change_url(programme), data | {"summary_en": "X"})
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.summary_en == "Kept."


def test_every_save_counts_a_version():
    region = make_region()
    first = region.version
    region.save()
    assert region.version == first + 1


def test_a_missing_address_is_reported_on_the_translator_s_address_field(
    translator_client,
):
    # A published programme whose English address went missing (written
    # outside the admin): translators give addresses too (issue 19).
    client = translator_client
    programme = make_programme(summary_en="Before.")
    Programme.objects.filter(pk=programme.pk).update(slug_en=None)
    data = change_form(client, programme)
    assert not data["slug_en"]

    response = client.post(change_url(programme), data | {"summary_en": "After."})

    assert response.status_code == 200
    assert "slug_en" in response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert programme.summary_en == "Before."


def test_two_editors_on_the_home_page(admin_client, content):
    home = HomePage.load()
    url = reverse("admin:programmes_homepage_change", args=[home.pk])
    stale = form_data(admin_client.get(url), "homepage_form")
    assert "edit_version" in stale
    home.heading_en = "Someone else's heading"
    home.save()

    response = admin_client.post(url, stale | {"heading_en": "My heading"})

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    home.refresh_from_db()
    assert home.heading_en == "Someone else's heading"
    fresh = form_data(admin_client.get(url), "homepage_form")
    assert admin_client.post(url, fresh | {"heading_en": "Mine"}).status_code == 302


def test_a_french_only_draft_previews_in_english_marked_as_french(admin_client):
    draft = Programme.objects.create(
        name_fr="Brouillon", slug_fr="brouillon", status="draft"
    )
    response = admin_client.get(preview_url(draft, "en"))
    assert response.status_code == 200
    assert '<h1 lang="fr">Brouillon</h1>' in response.content.decode()
