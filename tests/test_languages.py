"""Every configured language works end to end (issue 19).

Written for whatever LANGUAGES holds. The normal run checks French and
English; CI runs this file again with DJANGO_LANGUAGES=fr,en,es,ar (`make
test-languages`): Spanish and Arabic configured and not yet translated, the
state of the site the day it gains a language. Tests about such an optional
language skip when none is configured.
"""

import os
import re
import shutil
import subprocess
import sys
from io import StringIO
from urllib.parse import urlsplit

import html5lib
import pytest
from django.contrib import admin
from django.core.management import call_command
from django.template import loader
from django.urls import reverse
from django.utils import translation
from lxml import etree

from programmes.editing.roles import EDITORS, TRANSLATORS
from programmes.languages import (
    default_language,
    interface_language,
    language_codes,
    language_in_sentence,
    open_graph_locale,
    required_languages,
    text_direction,
)
from programmes.models import Organisation, Programme, Region
from programmes.translating.status import Status, object_statuses, states_by_key

from .factories import add_participation, make_organisation, make_programme
from .helpers import (
    BASE_DIR,
    parse,
    project_copy,
    settings_value,
    sitemap_pages,
    staff_member,
)
from .hostile import form_data

pytestmark = pytest.mark.django_db

LANGUAGES = language_codes()
OPTIONAL = [code for code in LANGUAGES if code not in required_languages()]
# A right-to-left language when one is configured, else any optional one.
OPTIONAL_LANGUAGE = next(
    (code for code in OPTIONAL if text_direction(code) == "rtl"),
    OPTIONAL[0] if OPTIONAL else None,
)
needs_an_optional_language = pytest.mark.skipif(
    OPTIONAL_LANGUAGE is None,
    reason="no optional language configured (make test-languages adds es and ar)",
)
XLIFF = "urn:oasis:names:tc:xliff:document:1.2"


def internal_links(response, language):
    """The page's links to this site's pages in `language` and to its API."""
    found = set()
    for element in parse(response).iter():
        href = element.get("href") if element.tag in ("a", "link") else None
        if not href or element.get("rel") in ("stylesheet", "icon", "preload"):
            continue
        address = urlsplit(href)
        if address.netloc not in ("", "testserver"):
            continue  # another site's page, e.g. interpol.int/fr/...
        path = address.path
        if path.startswith((f"/{language}/", "/api/")):
            found.add(path.split("#")[0])
    return found


# --- Settings -------------------------------------------------------------------------


def test_the_languages_and_those_publishing_needs_are_settings():
    # Fallbacks list the configured languages, the default first.
    codes = "MODELTRANSLATION_FALLBACK_LANGUAGES['default']"
    assert settings_value(codes) == "('fr', 'en')"
    assert settings_value(codes, DJANGO_LANGUAGES="fr,en,es,ar") == (
        "('fr', 'en', 'es', 'ar')"
    )
    assert settings_value("REQUIRED_LANGUAGES") == "['fr', 'en']"


@pytest.mark.parametrize(
    "environment, message",
    [
        ({"DJANGO_LANGUAGES": "en,fr"}, "must start with fr"),
        ({"DJANGO_LANGUAGES": "fr,en,xx"}, "knows no language 'xx'"),
        ({"DJANGO_REQUIRED_LANGUAGES": "fr,es"}, "configured languages only"),
    ],
)
def test_a_wrong_language_setting_stops_the_site_with_a_message(environment, message):
    with pytest.raises(subprocess.CalledProcessError) as error:
        settings_value("LANGUAGES", **environment)
    assert message in error.value.stderr


# --- Public pages -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_two_clicks_from_the_home_page_resolves(client, content, language):
    """Lists, cards, details, countries, feeds, the switcher and hreflang:
    no link of the site leads to a 404, whatever the language."""
    home = client.get(f"/{language}/")
    assert home.status_code == 200
    html_element = parse(home)
    assert html_element.get("lang") == language
    assert html_element.get("dir") == text_direction(language)

    seen, broken = {f"/{language}/"}, []
    to_visit = sorted(internal_links(home, language))
    for depth in (1, 2):
        next_round = set()
        for path in to_visit:
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code != 200:
                broken.append((path, response.status_code))
            elif depth == 1 and "html" in response.get("Content-Type", ""):
                next_round |= internal_links(response, language)
        to_visit = sorted(next_round - seen)
    assert broken == []
    with translation.override(language):
        for obj in (
            Programme.objects.get(acronym="AIRCOP"),
            Organisation.objects.published().first(),
            Region.objects.published().first(),
        ):
            assert obj.get_absolute_url() in seen
        assert reverse("programmes:country_list") in seen


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_and_hreflang_links_of_a_programme_page_resolve(
    client, content, language
):
    with translation.override(language):
        page = Programme.objects.get(acronym="AIRCOP").get_absolute_url()
    tree = parse(client.get(page))
    switcher = tree.findall(".//nav[@class='language-switcher']//a")
    alternates = tree.findall(".//link[@rel='alternate'][@hreflang]")

    assert {a.get("hreflang") for a in switcher} == set(LANGUAGES) - {language}
    for link in switcher + alternates:
        assert client.get(urlsplit(link.get("href")).path).status_code == 200
    for a in switcher:
        # Each language's name is marked with its language and direction.
        assert a.get("lang") == a.get("hreflang")
        expected_dir = text_direction(a.get("lang"))
        assert (a.get("dir") or text_direction(language)) == expected_dir
    assert tree.find(".//meta[@property='og:locale']").get(
        "content"
    ) == open_graph_locale(language)


def test_every_sitemap_address_resolves(client, content):
    addresses = {
        element.get("href") or element.text
        for sitemap in sitemap_pages(client)
        for element in sitemap.iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc",
            "{http://www.w3.org/1999/xhtml}link",
        )
    }
    prefixes = {urlsplit(address).path.split("/")[1] for address in addresses}

    assert set(LANGUAGES) <= prefixes
    # "/" (x-default of the home page) redirects to the visitor's language.
    broken = [
        address
        for address in sorted(addresses)
        if client.get(urlsplit(address).path).status_code
        != (302 if urlsplit(address).path == "/" else 200)
    ]
    assert broken == []


def test_every_api_html_url_resolves_and_csv_has_every_language(client, content):
    programmes = client.get("/api/v1/programmes/").json()
    urls = [url for item in programmes["results"] for url in item["html_url"].values()]

    assert set(programmes["results"][0]["html_url"]) == set(LANGUAGES)
    assert [u for u in urls if client.get(urlsplit(u).path).status_code != 200] == []
    csv_header = (
        client.get("/api/v1/programmes.csv").getvalue().decode().splitlines()[0]
    )
    for code in LANGUAGES:
        assert f"name_{code}" in csv_header


def test_a_note_in_another_language_leaves_the_comma_to_the_page(client, db):
    programme = make_programme()
    add_participation(programme, make_organisation(), note_en="through a fund")
    with translation.override("fr"):
        page = client.get(programme.get_absolute_url()).content.decode()

    # The separator is the page's (the catalogue's "list separator"), outside
    # the English note, so that it is not laid out with the English text.
    assert re.search(r', <span class="role-note" lang="en">through a fund</span>', page)


# --- A language added, not yet translated --------------------------------------------


@needs_an_optional_language
def test_text_not_yet_translated_is_marked_with_its_language_and_direction(
    client, content
):
    with translation.override(OPTIONAL_LANGUAGE):
        page = client.get(Programme.objects.get(acronym="AIRCOP").get_absolute_url())
    summary = parse(page).find(".//main//*[@lang='fr']")

    assert page.status_code == 200
    assert summary is not None
    if text_direction(OPTIONAL_LANGUAGE) != text_direction(default_language()):
        assert summary.get("dir") == text_direction(default_language())
    notice = parse(page).find(".//p[@class='fallback-notice']")
    assert notice is not None
    if has_no_catalogue(OPTIONAL_LANGUAGE):
        # The notice in French, marked, naming the language in French.
        assert notice.get("lang") == default_language()
        with translation.override(default_language()):
            assert language_in_sentence(OPTIONAL_LANGUAGE) in notice.text


@needs_an_optional_language
def test_a_slug_of_its_own_moves_the_page_with_a_redirect(client, content):
    programme = Programme.objects.get(acronym="AIRCOP")
    with translation.override(OPTIONAL_LANGUAGE):
        old_address = programme.get_absolute_url()
        setattr(programme, f"slug_{OPTIONAL_LANGUAGE}", "aircop-own")
        programme.save()
        new_address = programme.get_absolute_url()

    assert new_address != old_address
    assert client.get(new_address).status_code == 200
    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"] == new_address


# --- The admin ------------------------------------------------------------------------


def edit_in_admin(client, programme, **changes):
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(client.get(url), "programme_form")
    return client.post(url, {**data, **changes, "_save": "Save"})


def test_an_editor_saves_a_published_programme_as_it_is(client, content):
    client.force_login(staff_member(EDITORS, "edith"))
    programme = Programme.objects.get(acronym="AIRCOP")

    response = edit_in_admin(client, programme)

    assert response.status_code == 302, response.context["errors"]


@pytest.mark.parametrize("language", [c for c in LANGUAGES if c != default_language()])
def test_a_translator_saves_a_published_programme_in_each_language(
    client, content, language
):
    client.force_login(staff_member(TRANSLATORS, "tina"))
    programme = Programme.objects.get(acronym="AIRCOP")

    with translation.override(language):
        former_address = programme.get_absolute_url()

    # The page's address in that language is the translator's too.
    response = edit_in_admin(
        client,
        programme,
        **{
            f"summary_{language}": f"Summary ({language}).",
            f"slug_{language}": f"aircop-{language}",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    programme.refresh_from_db()
    assert getattr(programme, f"summary_{language}") == f"Summary ({language})."
    assert programme.status == "published"
    with translation.override(language):
        assert programme.get_absolute_url().endswith(f"/aircop-{language}/")
    assert client.get(former_address).status_code == 301


def test_the_admin_searches_names_in_every_language(admin_client, content):
    programme = Programme.objects.get(acronym="AIRCOP")
    language = LANGUAGES[-1]
    setattr(programme, f"name_{language}", "Nom-introuvable-ailleurs")
    programme.save()

    found = admin_client.get(
        reverse("admin:programmes_programme_changelist"),
        {"q": "Nom-introuvable-ailleurs"},
    )

    assert list(found.context["cl"].result_list) == [programme]
    for model in (Organisation, Region):
        search_fields = admin.site.get_model_admin(model).search_fields
        assert {f"name_{code}" for code in LANGUAGES} <= set(search_fields)


@needs_an_optional_language
def test_the_admin_writes_a_right_to_left_language_right_to_left(admin_client, content):
    programme = Programme.objects.get(acronym="AIRCOP")
    page = admin_client.get(
        reverse("admin:programmes_programme_change", args=[programme.pk])
    )
    tree = parse(page)
    for code in LANGUAGES:
        field = tree.find(f".//textarea[@name='summary_{code}']")
        assert field.get("lang") == code
        assert field.get("dir") == text_direction(code)


# --- Translation files and the static export ---------------------------------------


@pytest.mark.parametrize("language", [c for c in LANGUAGES if c != default_language()])
def test_a_translation_file_goes_out_and_back_in_each_language(
    client, content, tmp_path, language
):
    programme = Programme.objects.get(acronym="AIRCOP")
    exported = tmp_path / "out.xlf"
    call_command(
        "export_translations",
        target=language,
        file_format="xliff",
        ids=str(programme.pk),
        model=["programme"],
        output=str(exported),
        verbosity=0,
    )
    with translation.override(language):
        former_address = programme.get_absolute_url()
    tree = etree.parse(str(exported))
    translations = {
        "summary": f"Translated summary ({language}).",
        # The address: the default language's until the language has its own.
        "slug": f"aircop-{language}",
    }
    for field, text in translations.items():
        unit = tree.find(
            f".//{{{XLIFF}}}trans-unit[@id='programme.{programme.pk}.{field}']"
        )
        target = unit.find(f"{{{XLIFF}}}target")
        if target is None:
            target = etree.SubElement(unit, f"{{{XLIFF}}}target")
        target.text = text
        target.set("state", "translated")
    tree.write(str(exported), xml_declaration=True, encoding="utf-8")

    staff_member(TRANSLATORS, "tina")
    call_command(
        "import_translations", str(exported), user="tina", take_file=True, verbosity=0
    )

    programme.refresh_from_db()
    assert (
        getattr(programme, f"summary_{language}") == f"Translated summary ({language})."
    )
    with translation.override(language):
        page = client.get(programme.get_absolute_url())
    assert f"Translated summary ({language})." in page.content.decode()
    assert page.request["PATH_INFO"].endswith(f"/aircop-{language}/")
    moved = client.get(former_address)
    assert (moved.status_code, moved["Location"]) == (301, page.request["PATH_INFO"])


@needs_an_optional_language
def test_a_language_without_its_own_slugs_shows_them_as_work_to_do(content):
    programme = Programme.objects.get(acronym="AIRCOP")
    assert not getattr(programme, f"slug_{OPTIONAL_LANGUAGE}")

    statuses = {
        (status.field, status.language): status.status
        for status in object_statuses(programme, states_by_key([programme]))
    }

    assert statuses[("slug", OPTIONAL_LANGUAGE)] == Status.MISSING
    assert statuses[("slug", default_language())] == Status.UP_TO_DATE


@pytest.mark.slow  # writes the whole site to files
def test_the_static_export_has_every_language(content, tmp_path):
    call_command(
        "export_site",
        str(tmp_path / "site"),
        "--base-url",
        "https://drugs.example.org",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    programme = Programme.objects.get(acronym="AIRCOP")
    for code in LANGUAGES:
        with translation.override(code):
            page = programme.get_absolute_url()
        assert (tmp_path / "site" / page.strip("/") / "index.html").is_file(), page
        assert (tmp_path / "site" / code / "index.html").is_file()


# --- Error pages ----------------------------------------------------------------------


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_error_pages_speak_every_language(template):
    tree = html5lib.parse(
        loader.render_to_string(template), namespaceHTMLElements=False
    )

    sections = tree.findall(".//main/div[@lang]")
    assert [div.get("lang") for div in sections] == LANGUAGES
    assert [div.get("dir") for div in sections] == [
        text_direction(c) for c in LANGUAGES
    ]
    assert [a.get("href") for a in tree.findall(".//main//a")] == [
        f"/{code}/" for code in LANGUAGES
    ]
    assert len(tree.findall(".//h1")) == 1
    for div in sections:
        code = div.get("lang")
        marked = div.findall(".//p/span[@lang]")
        if has_no_catalogue(code):
            # Shown in the default language's words, and marked so.
            assert {span.get("lang") for span in marked} == {default_language()}
        else:
            assert marked == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_interface_text_in_another_language_is_marked_on_the_page(
    client, content, language
):
    with translation.override(language):
        programme_page = client.get(
            Programme.objects.get(acronym="AIRCOP").get_absolute_url()
        )
        home_page = client.get(reverse("home"))
    programme, home = parse(programme_page), parse(home_page)
    # Strings of this site only ("Home", "Search" and the skip link are in
    # Django's own catalogues of many languages, translated).
    interface = [
        # Header, navigation, footer: base.html.
        *home.findall(".//nav[@class='site-nav']//a")[1:5],
        home.find(".//span[@class='site-name__text']"),
        *home.findall(".//footer//a"),
        # Headings of the pages.
        programme.find(".//h2[@id='key-facts-heading']"),
        programme.find(".//h2[@id='sources-heading']"),
        home.find(".//h2[@id='programmes-heading']"),
    ]
    marks = [element.find("span[@lang]") for element in interface]

    if has_no_catalogue(language):
        # No catalogue yet: the default language's words, marked as such.
        assert [mark.get("lang") for mark in marks] == [default_language()] * len(marks)
        if text_direction(language) != text_direction(default_language()):
            assert {mark.get("dir") for mark in marks} == {
                text_direction(default_language())
            }
        with translation.override(default_language()):
            key_facts = translation.gettext("Key facts")
        assert "".join(marks[-3].itertext()) == key_facts
    else:
        assert marks == [None] * len(marks)
    # Never inside an attribute, and the page stays well-formed.
    assert "&lt;span" not in programme_page.content.decode()
    assert 'lang="' not in (programme.find(".//title").text or "")


def has_no_catalogue(code):
    return (
        code != default_language()
        and not code.startswith("en")
        and not (BASE_DIR / "locale" / code).exists()
    )


def test_interface_text_knows_its_language():
    with translation.override("fr"):
        assert interface_language(translation.gettext("Skip to main content")) == "fr"
        assert interface_language("Not a message of any catalogue") == "en"
    with translation.override("en"):
        assert interface_language("Skip to main content") == "en"


# --- The README's recipe, on a fresh database ----------------------------------------


RECIPE_CHECK = """
import sys
import django
django.setup()
from django.conf import settings
from django.test import Client
settings.ALLOWED_HOSTS = ["testserver"]
settings.STORAGES = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
for code in sys.argv[1:]:
    for page in ["", "programmes/", "programmes/aircop/", "organisations/onudc/",
                 "regions/caraibes/"]:
        print(f"/{code}/{page}", client.get(f"/{code}/{page}").status_code)
"""


@pytest.mark.slow  # a project copy, migrations from an empty database, processes
@pytest.mark.skipif(bool(OPTIONAL), reason="the normal run follows the recipe")
def test_the_readme_recipe_adds_spanish_then_arabic(tmp_path):
    """README.md, "Adding a language", followed in a copy of the project for
    Spanish, then for Arabic: the settings line, `makemigrations`, `migrate`
    (from an empty database, the first time), `load_content`, `make
    messages`; then the new languages' pages answer."""
    copy = project_copy(tmp_path)
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "recipe-test",
        "DJANGO_DATA_DIR": str(tmp_path / "var"),
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "interpol_drugs.settings",
    }

    def run(*arguments):
        return subprocess.run(
            [sys.executable, *arguments],
            cwd=copy,
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    settings_file = copy / "interpol_drugs" / "settings.py"
    languages = "fr,en"
    for code in ("es", "ar"):
        # 1. The language's code at the end of the default list.
        line = f'env_list("DJANGO_LANGUAGES", "{languages}")'
        assert settings_file.read_text().count(line) == 1, line
        languages = f"{languages},{code}"
        settings_file.write_text(
            settings_file.read_text().replace(
                line, f'env_list("DJANGO_LANGUAGES", "{languages}")'
            )
        )
        # 2. Its columns; 3. its catalogue.
        run("manage.py", "makemigrations", "programmes")
        run("manage.py", "migrate", "--no-input")
        run("manage.py", "load_content")
        if shutil.which("xgettext"):
            run("manage.py", "update_catalogues")
            assert (copy / "locale" / code / "LC_MESSAGES" / "django.po").is_file()
    new_migrations = [
        path.name
        for path in (copy / "programmes" / "migrations").glob("0*.py")
        if not (BASE_DIR / "programmes" / "migrations" / path.name).exists()
    ]
    assert len(new_migrations) == 2
    run("manage.py", "sync_roles")
    statuses = dict(
        line.split() for line in run("-c", RECIPE_CHECK, "es", "ar").splitlines()
    )
    assert len(statuses) == 10
    assert set(statuses.values()) == {"200"}, statuses
