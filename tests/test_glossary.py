"""The bilingual glossary: acronyms in <abbr> on pages, notes and warnings."""

import html5lib
import pytest
from django.urls import reverse
from django.utils import translation

from programmes.glossary import (
    abbreviate,
    notes_for,
    warnings_for,
    wrong_language_terms,
)
from programmes.models import GlossaryTerm, Programme
from programmes.roles import EDITORS, TRANSLATORS

from .factories import make_programme
from .helpers import staff_member
from .hostile import form_data

pytestmark = pytest.mark.django_db


def abbrs(response):
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return {
        (element.text, element.get("title"))
        for element in tree.iter("abbr")
        if element.get("title")
    }


def public_url(obj, language):
    with translation.override(language):
        return obj.get_absolute_url()


def test_the_checked_pairs_are_in_the_glossary():
    pairs = {(t.term_en, t.term_fr) for t in GlossaryTerm.objects.all()}

    assert {
        ("UNODC", "ONUDC"),
        ("WCO", "OMD"),
        ("EU", "UE"),
        ("JAITF", "CAAT"),
    } <= pairs
    unodc = GlossaryTerm.objects.get(term_en="UNODC")
    assert unodc.expansion_fr == "Office des Nations Unies contre la drogue et le crime"
    assert unodc.expansion_en == "United Nations Office on Drugs and Crime"


@pytest.mark.parametrize(
    ("language", "acronym", "expansion"),
    [
        ("fr", "ONUDC", "Office des Nations Unies contre la drogue et le crime"),
        ("en", "UNODC", "United Nations Office on Drugs and Crime"),
    ],
)
def test_acronyms_are_expanded_on_the_programme_page(
    client, content, language, acronym, expansion
):
    aircop = Programme.objects.get(acronym="AIRCOP")

    response = client.get(public_url(aircop, language))

    assert (acronym, expansion) in abbrs(response)


def test_the_first_occurrence_only_and_never_inside_a_link_or_tag():
    text = (
        '<p>L’<a href="https://www.unodc.org/?q=ONUDC">ONUDC</a> et l’ONUDC,'
        " puis encore l’ONUDC.</p>"
    )
    with translation.override("fr"):
        result = abbreviate(text, "fr")

    assert result.count("<abbr") == 1
    assert '<a href="https://www.unodc.org/?q=ONUDC">ONUDC</a>' in result
    assert 'et l’<abbr title="Office des Nations Unies' in result


def test_whole_words_only_and_plurals():
    with translation.override("en"):
        result = abbreviate("EUR 10 from the EU-funded EUROPOL; three JAITFs.", "en")

    assert result == (
        'EUR 10 from the EU-funded EUROPOL; three <abbr title="Joint Airport'
        ' Interdiction Task Force">JAITF</abbr>s.'
    )


def test_hostile_text_stays_escaped(client):
    programme = make_programme(
        start_year=2020,
        facts_note_fr="Une note.",
        facts_note_en='<script>alert("UNODC")</script> UNODC & "EU"',
    )

    response = client.get(public_url(programme, "en"))

    body = response.content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;" in body
    assert '<abbr title="United Nations Office on Drugs and Crime">UNODC</abbr>' in body


def test_an_edited_expansion_shows_on_the_next_request(client, content):
    aircop = Programme.objects.get(acronym="AIRCOP")
    url = public_url(aircop, "en")
    client.get(url)
    term = GlossaryTerm.objects.get(term_en="UNODC")
    term.expansion_en = "The United Nations Office on Drugs and Crime"
    term.save()

    assert ("UNODC", "The United Nations Office on Drugs and Crime") in abbrs(
        client.get(url)
    )


def test_fallback_text_is_expanded_in_its_own_language(client):
    programme = make_programme(
        summary_en="", description_fr="L’ONUDC dirige.", description_en=""
    )

    response = client.get(public_url(programme, "en"))

    assert ("ONUDC", "Office des Nations Unies contre la drogue et le crime") in abbrs(
        response
    )


def test_notes_and_warnings():
    assert set(notes_for("L’ONUDC et l’UE.", "fr", "en")) == {
        "Glossary: ONUDC → UNODC (United Nations Office on Drugs and Crime)",
        "Glossary: UE → EU (European Union)",
    }
    assert wrong_language_terms("The ONUDC leads it.", "en") == [("ONUDC", "UNODC")]
    assert wrong_language_terms("The UNODC leads it; EUR 5.", "en") == []
    # Phrases are found in any case; acronyms only as written.
    assert wrong_language_terms("Fighting Drogues de synthèse.", "en") == [
        ("drogues de synthèse", "synthetic drugs")
    ]
    assert wrong_language_terms("The onudc.", "en") == []


def test_warnings_for_a_record_name_field_and_language():
    programme = make_programme(summary_en="The ONUDC leads it.")

    assert warnings_for(programme) == [("summary", "en", "ONUDC", "UNODC")]


@pytest.mark.parametrize("group", [EDITORS, TRANSLATORS])
def test_editors_and_translators_keep_the_glossary(client, group):
    client.force_login(staff_member(group, "someone"))

    response = client.post(
        reverse("admin:programmes_glossaryterm_add"),
        {
            "term_fr": "GAFI",
            "term_en": "FATF",
            "expansion_fr": "Groupe d’action financière",
            "expansion_en": "Financial Action Task Force",
        },
    )

    assert response.status_code == 302
    assert GlossaryTerm.objects.filter(term_en="FATF", term_fr="GAFI").exists()


def test_saving_a_record_warns_about_the_other_languages_term(admin_client):
    programme = make_programme()
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(admin_client.get(url), "programme_form")

    response = admin_client.post(
        url,
        {**data, "summary_en": "The ONUDC leads it.", "_continue": "1"},
        follow=True,
    )

    warnings = [str(message) for message in response.context["messages"]]
    assert any("ONUDC" in warning and "UNODC" in warning for warning in warnings)
    programme.refresh_from_db()
    assert programme.summary_en == "The ONUDC leads it."
