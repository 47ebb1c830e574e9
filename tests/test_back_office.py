"""The admin as a new editor or translator meets it: forms that open where the
work is, errors naming their language, previews at the top, lists that say what
they filter, French wording (programmes/editing/change_form.py, publishing.py)."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from programmes.models import GlossaryTerm, Participation

from .factories import make_organisation, make_programme
from .helpers import parse, programme_form, text_of

pytestmark = pytest.mark.django_db

ADD = reverse("admin:programmes_programme_add")


def change_url(obj):
    return reverse("admin:programmes_programme_change", args=[obj.pk])


def form_language(response):
    script = parse(response).find(".//*[@id='form-language']")
    return json.loads(script.text)


def field_errors(response):
    return [
        " ".join(item.itertext())
        for item in parse(response).iterfind(".//ul[@class='errorlist']/li")
    ]


@pytest.mark.parametrize(
    ("interface", "expected"),
    [
        ("en", ["Name in French: This field is required."]),
        ("fr", ["Nom en français\u202f: Ce champ est obligatoire."]),
    ],
)
def test_an_error_names_field_and_language_and_the_form_opens_on_it(
    editor_client, interface, expected
):
    # Typed in the English tab only: the draft needs a French name.
    data = programme_form(name_fr="", slug_fr="ok-fr", status="draft")

    response = editor_client.post(ADD, data, HTTP_ACCEPT_LANGUAGE=interface)

    assert response.status_code == 200
    assert field_errors(response) == expected
    assert form_language(response) == "fr"


@pytest.mark.parametrize("interface", ["en", "fr"])
def test_a_form_without_errors_opens_on_the_interface_language(
    editor_client, interface
):
    programme = make_programme()

    for url in (ADD, change_url(programme)):
        response = editor_client.get(url, HTTP_ACCEPT_LANGUAGE=interface)
        assert form_language(response) == interface


def test_an_inline_rows_error_names_its_language_too(editor_client):
    programme = make_programme()
    data = programme_form(
        **{
            "version": programme.version,
            "edit_version": programme.version,
            "sources-TOTAL_FORMS": "1",
            "sources-0-title_fr": "Une page",
            "sources-0-title_en": "x" * 400,
            "sources-0-url": "https://example.org/",
            "sources-0-language": "en",
            "sources-0-display_order": "0",
        }
    )

    response = editor_client.post(
        change_url(programme), data, HTTP_ACCEPT_LANGUAGE="en"
    )

    errors = field_errors(response)
    assert any(error.startswith("Title in English: ") for error in errors), errors
    assert form_language(response) == "en", errors


def test_previews_sit_above_the_form_and_view_on_site_previews_a_draft(
    editor_client,
):
    draft = make_programme(status="draft")
    public = make_programme()

    response = editor_client.get(change_url(draft), HTTP_ACCEPT_LANGUAGE="en")
    tree = parse(response)
    content = tree.find(".//*[@id='content']")
    top = content.find(".//p[@class='preview-links']")
    links = [link.get("href") for link in top.iterfind(".//a")]
    view_on_site = tree.find(".//a[@class='viewsitelink']").get("href")
    public_view_on_site = (
        parse(editor_client.get(change_url(public)))
        .find(".//a[@class='viewsitelink']")
        .get("href")
    )

    order = [
        element
        for element in content.iter()
        if element is top or (element.tag == "form")
    ]
    assert order[0] is top
    assert links == [
        reverse("admin:programmes_programme_preview", args=[draft.pk, code])
        for code in ("fr", "en")
    ]
    assert view_on_site == links[1]
    assert editor_client.get(view_on_site).status_code == 200
    assert "/preview/" not in public_view_on_site
    assert "Save a draft first" in text_of(
        editor_client.get(ADD, HTTP_ACCEPT_LANGUAGE="en")
    )


def test_a_new_programme_is_placed_last(editor_client):
    make_programme(display_order=40)
    make_programme(display_order=7)

    response = editor_client.get(ADD)

    assert response.context["adminform"].form.initial["display_order"] == 50


def test_the_list_filters_say_what_they_filter(editor_client, content):
    changelist = reverse("admin:programmes_programme_changelist")

    english = editor_client.get(changelist, HTTP_ACCEPT_LANGUAGE="en")
    french = editor_client.get(changelist, HTTP_ACCEPT_LANGUAGE="fr")

    titles = [
        " ".join(title.itertext()).strip()
        for title in parse(english).iterfind(".//*[@id='changelist-filter']//summary")
    ]
    assert titles == [
        "By publication status",
        "By programme status",
        "By beneficiary regions",
    ]
    filters = parse(english).find(".//*[@id='changelist-filter']")
    choices = [" ".join(a.itertext()).strip() for a in filters.iterfind(".//li/a")]
    assert "-" not in choices
    assert "no region" in choices
    assert "aucune région" in text_of(french)
    breadcrumbs = " ".join(parse(english).find(".//*[@class='breadcrumbs']").itertext())
    assert "Programmes › Programmes" not in " ".join(breadcrumbs.split())
    assert "Site content" in breadcrumbs


def test_editors_find_a_programme_by_its_acronym(editor_client, content):
    changelist = reverse("admin:programmes_programme_changelist")

    response = editor_client.get(changelist, {"q": "aircop"}, HTTP_ACCEPT_LANGUAGE="en")

    assert [p.acronym for p in response.context["cl"].result_list] == ["AIRCOP"]
    assert "AIRCOP" in text_of(response)


def test_french_admin_wording(administrator_client, content, first_glossary_terms):
    glossary = administrator_client.get(
        reverse("admin:programmes_glossaryterm_changelist"), HTTP_ACCEPT_LANGUAGE="fr"
    )
    index = text_of(administrator_client.get("/admin/?all", HTTP_ACCEPT_LANGUAGE="fr"))

    assert "Supprimer les termes du glossaire sélectionnés" in text_of(glossary)
    assert f"{GlossaryTerm.objects.count()} termes du glossaire" in text_of(glossary)
    assert "Tentatives de connexion et blocages" in index
    assert "Appareils de validation en deux étapes" in index
    for bare_label in ("Axes", "AXES", "Otp_Totp", "OTP_TOTP"):
        assert bare_label not in index


def test_a_participation_reads_with_the_french_colon():
    programme = make_programme()
    organisation = make_organisation(acronym_fr="ONUDC", acronym_en="UNODC")
    participation = Participation.objects.create(
        programme=programme, organisation=organisation, role="partner"
    )
    with translation.override("fr"):
        assert str(participation) == "ONUDC\u202f: partenaire"
    with translation.override("en"):
        assert str(participation) == "UNODC: partner"
