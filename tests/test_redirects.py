"""Links that never break: former slugs answer 301, archived pages 410."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from programmes.content.loading import DEFAULT_CONTENT_FILE
from programmes.content.version import bump_content_version
from programmes.editing.history.revisions import Snapshot, recover, restore
from programmes.models import Organisation, Programme, Region, SlugRedirect

from .factories import make_organisation, make_programme, make_region
from .helpers import checker_or_skip, nu_html_messages, parse, sitemap_pages
from .hostile import form_data

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]
FACTORIES = {
    "programme": make_programme,
    "organisation": make_organisation,
    "region": make_region,
}
KINDS = list(FACTORIES)
OTHER = {"fr": "en", "en": "fr"}
HEADINGS = {"fr": "Page retirée", "en": "Page removed"}


def url(kind, language, slug):
    with translation.override(language):
        return reverse(f"programmes:{kind}_detail", kwargs={"slug": slug})


def rename(obj, language, slug):
    setattr(obj, f"slug_{language}", slug)
    obj.save()


def redirects_of(obj):
    return SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )


def assert_one_hop(client, address, expected):
    response = client.get(address)
    assert response.status_code == 301, address
    assert response["Location"] == expected
    assert client.get(expected).status_code == 200, expected


# --- Recording ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_object_records_nothing(kind):
    FACTORIES[kind]()
    assert not SlugRedirect.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_save_without_a_slug_change_records_nothing(kind):
    obj = FACTORIES[kind]()
    obj.name_en = "Another name"
    obj.save()
    obj.save(update_fields=["name_fr"])
    assert not SlugRedirect.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_slug_change_records_the_old_slug_in_its_language_only(kind):
    obj = FACTORIES[kind](slug_fr="ancien", slug_en="old")
    rename(obj, "fr", "nouveau")

    (redirect,) = redirects_of(obj)
    assert (redirect.language, redirect.old_slug) == ("fr", "ancien")
    assert redirect.target == obj


@pytest.mark.parametrize("kind", KINDS)
def test_both_languages_changed_in_one_save_record_both(kind):
    obj = FACTORIES[kind](slug_fr="ancien", slug_en="old")
    obj.slug_fr, obj.slug_en = "nouveau", "new"
    obj.save()

    assert set(redirects_of(obj).values_list("language", "old_slug")) == {
        ("fr", "ancien"),
        ("en", "old"),
    }


def test_kinds_do_not_share_redirects():
    region = make_region(slug_en="caribbean")
    programme = make_programme(slug_en="caribbean-programme")
    rename(region, "en", "caribbean-region")
    # A programme taking the region's former slug does not remove the
    # region's redirect: their addresses differ.
    rename(programme, "en", "caribbean")

    assert redirects_of(region).filter(old_slug="caribbean").exists()


def test_a_history_restore_records_like_any_save(client):
    programme = make_programme(slug_en="first")
    first = programme.history.first()
    rename(programme, "en", "second")

    (snapshot,) = Snapshot.of_records(Programme, [first])
    restore(programme, snapshot)

    programme.refresh_from_db()
    assert programme.slug_en == "first"
    assert list(redirects_of(programme).values_list("old_slug", flat=True)) == [
        "second"
    ]
    assert_one_hop(client, "/en/programmes/second/", "/en/programmes/first/")


def test_a_new_object_with_a_former_slug_takes_it(client):
    renamed = make_programme(slug_en="wanted")
    rename(renamed, "en", "renamed")

    newcomer = make_programme(slug_en="wanted")

    assert not SlugRedirect.objects.filter(old_slug="wanted").exists()
    assert client.get("/en/programmes/wanted/").context["object"] == newcomer


def test_a_recovered_object_gets_its_former_addresses_back(client):
    programme = make_programme(slug_en="old")
    rename(programme, "en", "new")
    pk = programme.pk
    programme.delete()
    assert client.get("/en/programmes/old/").status_code == 404

    recovered, _left_out = recover(Programme, pk)
    recovered.status = "published"
    recovered.save()

    assert_one_hop(client, "/en/programmes/old/", "/en/programmes/new/")


def test_a_slug_changed_by_load_content_redirects(client, tmp_path):
    call_command("load_content", verbosity=0)
    original = DEFAULT_CONTENT_FILE.read_text()
    assert original.count('slug_en = "aircop"') == 1
    changed = tmp_path / "content.toml"
    changed.write_text(
        original.replace('slug_en = "aircop"', 'slug_en = "airport-communication"')
    )

    call_command("load_content", "--file", str(changed), verbosity=0)

    assert_one_hop(
        client, "/en/programmes/aircop/", "/en/programmes/airport-communication/"
    )
    assert client.get("/fr/programmes/aircop/").status_code == 200


# --- Serving --------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_renamed_page_answers_301_from_its_old_address(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "old-slug"})
    rename(obj, language, "new-slug")

    assert_one_hop(
        client, url(kind, language, "old-slug"), url(kind, language, "new-slug")
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_renamed_twice_every_old_address_is_one_hop_away(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "first"})
    rename(obj, language, "second")
    rename(obj, language, "third")

    newest = url(kind, language, "third")
    assert_one_hop(client, url(kind, language, "first"), newest)
    assert_one_hop(client, url(kind, language, "second"), newest)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_renamed_back_the_old_slug_is_the_page_again(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "first"})
    rename(obj, language, "second")
    rename(obj, language, "first")

    response = client.get(url(kind, language, "first"))
    assert response.status_code == 200
    assert response.context["object"] == obj
    assert not SlugRedirect.objects.filter(old_slug="first").exists()
    assert_one_hop(client, url(kind, language, "second"), url(kind, language, "first"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_former_slug_taken_by_another_page_serves_that_page(client, kind, language):
    renamed = FACTORIES[kind](**{f"slug_{language}": "wanted"})
    rename(renamed, language, "moved")
    taker = FACTORIES[kind]()
    rename(taker, language, "wanted")

    response = client.get(url(kind, language, "wanted"))
    assert response.status_code == 200
    assert response.context["object"] == taker
    assert not SlugRedirect.objects.filter(old_slug="wanted").exists()
    # The taker's own former slug now leads to it.
    (redirect,) = redirects_of(taker)
    assert_one_hop(
        client,
        url(kind, language, redirect.old_slug),
        url(kind, language, "wanted"),
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_slug_another_page_used_to_have_leads_to_its_last_owner(
    client, kind, language
):
    first = FACTORIES[kind](**{f"slug_{language}": "passed-on"})
    rename(first, language, "first-now")
    second = FACTORIES[kind]()
    rename(second, language, "passed-on")
    rename(second, language, "second-now")

    assert_one_hop(
        client, url(kind, language, "passed-on"), url(kind, language, "second-now")
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_an_old_slug_under_the_other_language_is_404(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": f"only-{language}"})
    rename(obj, language, f"renamed-{language}")

    other = OTHER[language]
    assert client.get(url(kind, other, f"only-{language}")).status_code == 404
    # ... and the current slug of one language is no redirect in the other.
    assert client.get(url(kind, other, f"renamed-{language}")).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_query_string_is_kept(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "old"})
    rename(obj, language, "new")

    response = client.get(url(kind, language, "old") + "?utm_source=news&page=2")

    assert response.status_code == 301
    assert (
        response["Location"] == url(kind, language, "new") + "?utm_source=news&page=2"
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_head_answers_as_get(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "old"})
    rename(obj, language, "new")

    response = client.head(url(kind, language, "old"))
    assert response.status_code == 301
    assert response["Location"] == url(kind, language, "new")

    obj.status = "archived"
    obj.save()
    assert client.head(url(kind, language, "old")).status_code == 410
    assert client.head(url(kind, language, "new")).status_code == 410
    assert client.post(url(kind, language, "old")).status_code == 405


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_an_archived_page_is_gone_at_its_current_and_old_addresses(
    client, kind, language
):
    obj = FACTORIES[kind](**{f"slug_{language}": "old"})
    rename(obj, language, "new")
    obj.status = "archived"
    obj.save()

    for slug in ("old", "new"):
        response = client.get(url(kind, language, slug))
        assert response.status_code == 410
        assert HEADINGS[language] in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_is_404_at_its_current_and_old_addresses(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "old"})
    rename(obj, language, "new")
    obj.status = "draft"
    obj.save()

    assert client.get(url(kind, language, "old")).status_code == 404
    assert client.get(url(kind, language, "new")).status_code == 404
    assert client.head(url(kind, language, "old")).status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_scheduled_page_is_404_until_its_time_comes(client, kind, language):
    obj = FACTORIES[kind](**{f"slug_{language}": "old"})
    rename(obj, language, "new")
    obj.published_at = timezone.now() + timedelta(days=1)
    obj.save()

    assert client.get(url(kind, language, "old")).status_code == 404
    assert client.get(url(kind, language, "new")).status_code == 404

    type(obj).objects.filter(pk=obj.pk).update(
        published_at=timezone.now() - timedelta(minutes=1)
    )
    # queryset.update() sends no signal: tell the page cache (page_cache.py).
    bump_content_version()
    assert_one_hop(client, url(kind, language, "old"), url(kind, language, "new"))


@pytest.mark.parametrize("kind", KINDS)
def test_a_deleted_page_old_address_is_404(client, kind):
    obj = FACTORIES[kind](slug_en="old")
    rename(obj, "en", "new")
    obj.delete()

    assert client.get(url(kind, "en", "old")).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_slug_is_still_404(client, kind):
    FACTORIES[kind]()
    for language in LANGUAGES:
        assert client.get(url(kind, language, "never-was")).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_a_public_page_does_not_look_up_redirects(client, kind):
    obj = FACTORIES[kind](slug_en="kept")
    rename(obj, "en", "renamed")
    rename(obj, "en", "kept")

    # The lookups run only for addresses that would otherwise be 404.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(kind, "en", "kept")).status_code == 200
    assert not [q for q in queries if SlugRedirect._meta.db_table in q["sql"]]


def test_a_preview_of_a_draft_at_another_slug_is_unaffected(admin_client):
    programme = make_programme(slug_en="old")
    rename(programme, "en", "new")
    programme.status = "draft"
    programme.save()

    preview = reverse("admin:programmes_programme_preview", args=[programme.pk, "en"])
    assert admin_client.get(preview).status_code == 200


# --- The 410 page ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gone_page_is_in_the_visitors_language(client, language):
    make_programme(**{f"slug_{language}": "archived-page", "status": "archived"})

    response = client.get(url("programme", language, "archived-page"))

    assert response.status_code == 410
    tree = parse(response)
    assert tree.get("lang") == language
    assert tree.find(".//h1").text == HEADINGS[language]
    assert tree.find(".//meta[@name='robots']").get("content") == "noindex"
    assert tree.find(".//link[@rel='canonical']") is None
    # The switcher leads to the other language's home, not to another 410.
    switcher = tree.find(".//nav[@class='language-switcher']//a")
    other = OTHER[language]
    assert switcher.get("href") == f"/{other}/"
    assert switcher.get("hreflang") == other
    assert "private" not in response.get("Cache-Control", "")


@pytest.mark.slow  # the Nu HTML Checker, in Java
def test_the_gone_page_is_valid_html(client, tmp_path):
    checker_or_skip()
    for language in LANGUAGES:
        make_region(**{f"slug_{language}": f"gone-{language}", "status": "archived"})
        response = client.get(url("region", language, f"gone-{language}"))
        assert response.status_code == 410
        (tmp_path / f"gone-{language}.html").write_bytes(response.content)
    messages = nu_html_messages(tmp_path)
    assert [m for m in messages if m["type"] == "error" or m.get("subType")] == []


# --- Admin ----------------------------------------------------------------------------


NO_FORMER_ADDRESS = {
    "fr": "Aucune. Si vous modifiez le slug, l’ancienne adresse",
    "en": "None. When you change the slug, the old address",
}


@pytest.mark.parametrize("admin_language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_the_change_form_lists_the_former_addresses(admin_client, kind, admin_language):
    obj = FACTORIES[kind](slug_fr="ancienne", slug_en="former")
    change = reverse(f"admin:programmes_{kind}_change", args=[obj.pk])
    headers = {"HTTP_ACCEPT_LANGUAGE": admin_language}
    page = admin_client.get(change, **headers).content.decode()
    assert NO_FORMER_ADDRESS[admin_language] in page

    rename(obj, "fr", "nouvelle")
    rename(obj, "en", "current")

    page = admin_client.get(change, **headers).content.decode()
    assert NO_FORMER_ADDRESS[admin_language] not in page
    assert f'<span lang="fr">{url(kind, "fr", "ancienne")}</span>' in page
    assert f'<span lang="en">{url(kind, "en", "former")}</span>' in page


@pytest.mark.parametrize("kind", KINDS)
def test_an_admin_save_with_a_new_slug_redirects_the_old_one(admin_client, kind):
    obj = FACTORIES[kind](slug_en="before-admin")
    change = reverse(f"admin:programmes_{kind}_change", args=[obj.pk])
    data = form_data(admin_client.get(change), f"{kind}_form")
    data["slug_en"] = "after-admin"

    response = admin_client.post(change, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert_one_hop(
        admin_client, url(kind, "en", "before-admin"), url(kind, "en", "after-admin")
    )


# --- Sitemap --------------------------------------------------------------------------


def test_the_sitemap_lists_current_addresses_only(client):
    programme = make_programme(slug_fr="ancien-programme", slug_en="old-programme")
    rename(programme, "fr", "programme-actuel")
    rename(programme, "en", "current-programme")

    sitemap = "".join(
        etree.tostring(page, encoding="unicode") for page in sitemap_pages(client)
    )

    assert "/fr/programmes/programme-actuel/" in sitemap
    assert "/en/programmes/current-programme/" in sitemap
    assert "ancien-programme" not in sitemap
    assert "old-programme" not in sitemap


# --- No chain, no loop, whatever the renames ------------------------------------------

SLUGS = ["alpha", "beta", "gamma", "delta"]
MODELS = {"programme": Programme, "organisation": Organisation, "region": Region}


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(KINDS),
    renames=st.lists(
        st.tuples(
            st.integers(0, 2), st.sampled_from(LANGUAGES), st.sampled_from(SLUGS)
        ),
        max_size=12,
    ),
)
def test_no_sequence_of_renames_makes_a_chain_or_a_loop(db, kind, renames):
    with transaction.atomic():
        objects = [
            FACTORIES[kind](slug_fr=f"fr-start-{i}", slug_en=f"en-start-{i}")
            for i in range(3)
        ]
        for index, language, slug in renames:
            obj = objects[index]
            field = f"slug_{language}"
            taken = type(obj).objects.filter(**{field: slug}).exclude(pk=obj.pk)
            if taken.exists():
                continue  # the unique constraint refuses it, as the admin would
            rename(obj, language, slug)
        check_one_hop_everywhere(MODELS[kind], kind)
        transaction.set_rollback(True)


def check_one_hop_everywhere(model, kind):
    client = Client()
    content_type = ContentType.objects.get_for_model(model)
    for language in LANGUAGES:
        field = f"slug_{language}"
        live = set(model.objects.values_list(field, flat=True))
        redirects = SlugRedirect.objects.filter(
            content_type=content_type, language=language
        )
        # A slug in use is never also a redirect: no loop can start.
        assert not live & set(redirects.values_list("old_slug", flat=True))
        for redirect in redirects:
            target = model.objects.get(pk=redirect.object_id)
            expected = url(kind, language, getattr(target, field))
            assert_one_hop(client, url(kind, language, redirect.old_slug), expected)
        for slug in live:
            assert client.get(url(kind, language, slug)).status_code == 200
