"""The bilingual glossary: acronyms in <abbr> on pages, notes and warnings."""

from importlib import import_module

import html5lib
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from programmes.content import version as content_version
from programmes.editing.roles import EDITORS, TRANSLATORS
from programmes.models import GlossaryTerm, Programme
from programmes.translating.glossary import (
    abbreviate,
    notes_for,
    warnings_for,
    wrong_language_terms,
)

from .factories import make_organisation, make_programme
from .helpers import FIRST_GLOSSARY_TERMS, staff_member
from .hostile import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("first_glossary_terms")]


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
    GlossaryTerm.objects.all().delete()
    for migration in ("0013_glossary_terms", "0014_more_glossary_terms"):
        import_module(f"programmes.migrations.{migration}").add_terms(apps, None)

    pairs = {(t.term_en, t.term_fr) for t in GlossaryTerm.objects.all()}

    assert {
        ("UNODC", "ONUDC"),
        ("WCO", "OMD"),
        ("EU", "UE"),
        ("JAITF", "CAAT"),
        ("inter-regional cooperation", "coopération interrégionale"),
        ("institutional integrity", "intégrité institutionnelle"),
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


@pytest.mark.parametrize(
    ("url", "expansion"),
    [
        ("/fr/", "Organisation internationale de police criminelle"),
        ("/en/", "International Criminal Police Organization"),
    ],
)
def test_interpol_is_expanded_in_the_home_pages_language(
    client, content, url, expansion
):
    assert ("INTERPOL", expansion) in abbrs(client.get(url))


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
    # Notes are written in the active language: the export's target.
    with translation.override("en"):
        notes = notes_for("L’ONUDC et l’UE.", "fr", "en")
    assert set(notes) == {
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
def test_editors_add_to_the_glossary_translators_do_not(client, group):
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

    added = GlossaryTerm.objects.filter(term_en="FATF", term_fr="GAFI").exists()
    assert (response.status_code, added) == (
        (302, True) if group == EDITORS else (403, False)
    )


def test_saving_a_record_warns_about_the_other_languages_term(admin_client):
    programme = make_programme()
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(admin_client.get(url), "programme_form")

    response = admin_client.post(
        url,
        {**data, "summary_en": "The ONUDC leads it.", "_continue": "1"},
        follow=True,
    )

    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    warnings = [
        "".join(item.itertext())
        for item in tree.iterfind(".//ul[@class='messagelist']/li")
    ]
    assert any("ONUDC" in warning and "UNODC" in warning for warning in warnings)
    programme.refresh_from_db()
    assert programme.summary_en == "The ONUDC leads it."


# --- Content ------------------------------------------------------------------


def test_the_glossary_holds_both_languages_of_every_term():
    terms = list(GlossaryTerm.objects.all())

    assert len(terms) == len(FIRST_GLOSSARY_TERMS)
    assert all(term.term_fr and term.term_en for term in terms)
    # An acronym's expansion is given in both languages or in neither.
    assert all(bool(term.expansion_fr) == bool(term.expansion_en) for term in terms)
    assert {t.term_en for t in terms if t.expansion_en} == {
        "UNODC",
        "WCO",
        "EU",
        "JAITF",
        "KNPA",
        "INTERPOL",
    }


def test_reloading_keeps_an_editors_change(content):
    term = GlossaryTerm.objects.get(term_en="WCO")
    term.expansion_en = "World Customs Organization (WCO)"
    term.save()
    add_terms = import_module("programmes.migrations.0013_glossary_terms").add_terms

    add_terms(apps, None)
    call_command("load_content", verbosity=0)

    term.refresh_from_db()
    assert term.expansion_en == "World Customs Organization (WCO)"
    assert GlossaryTerm.objects.count() == len(FIRST_GLOSSARY_TERMS)


# --- Pages ----------------------------------------------------------------------


def abbr_elements(response):
    tree = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return list(tree.iter("abbr"))


def test_a_fallback_is_expanded_in_its_own_language(client):
    # KNPA is written so in both languages, each with its own expansion.
    programme = make_programme(description_fr="Financé par la KNPA.", description_en="")

    response = client.get(public_url(programme, "en"))

    body = response.content.decode()
    assert '<div class="prose" lang="fr">' in body
    assert '<abbr title="Police nationale coréenne">KNPA</abbr>' in body


def test_the_other_languages_acronym_is_expanded_with_its_lang(client):
    programme = make_programme(description_en="The ONUDC and the UNODC.")

    response = client.get(public_url(programme, "en"))

    assert (
        '<abbr title="Office des Nations Unies contre la drogue et le crime"'
        ' lang="fr">ONUDC</abbr>'
    ) in response.content.decode()


def test_the_facts_note_is_expanded(client):
    programme = make_programme(facts_note_en="Funded by the EU.", start_year=2020)

    response = client.get(public_url(programme, "en"))

    assert ("EU", "European Union") in abbrs(response)


def test_links_attributes_and_existing_abbreviations_are_left_alone(client):
    programme = make_programme(
        description_en=(
            '<p><a href="https://www.unodc.org/" title="UNODC">the UNODC site</a>,'
            ' <abbr title="Our own">EU</abbr>, <strong>the EU</strong>.</p>'
        )
    )

    response = client.get(public_url(programme, "en"))

    elements = abbr_elements(response)
    assert [(e.text, e.get("title")) for e in elements] == [
        ("EU", "Our own"),
        ("EU", "European Union"),
    ]
    assert 'title="UNODC" rel="noopener">the UNODC site</a>' in (
        response.content.decode()
    )


def test_hostile_rich_text_stays_valid_html(client):
    programme = make_programme(
        description_en=(
            '<p title="UNODC">UNODC <a href="javascript:alert(1)">EU</a>'
            "<img src=x onerror=alert(1)> &lt;abbr&gt; EU</p>"
        )
    )

    response = client.get(public_url(programme, "en"))

    body = response.content.decode()
    assert "onerror" not in body and "javascript:" not in body
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(body)
    assert {(e.text, e.get("title")) for e in abbr_elements(response)} == {
        ("UNODC", "United Nations Office on Drugs and Crime"),
        ("EU", "European Union"),
    }


# --- Queries ----------------------------------------------------------------------


def glossary_queries(queries):
    return [q for q in queries if "programmes_glossaryterm" in q["sql"]]


def clear_pages_keeping_the_content_version():
    """Empties the cache as an eviction would, but the content version is the
    same: with Redis the version lives in the cache that is emptied."""
    version = content_version.read_version()
    cache.clear()
    if content_version.cache_is_shared():
        cache.set(content_version.VERSION_KEY, version, None)
    assert content_version.read_version() == version


def test_the_glossary_costs_one_query_per_content_version(client):
    first_url, *other_urls = [
        public_url(make_programme(description_en="The UNODC."), "en"),
        public_url(make_programme(description_en="The EU."), "en"),
        public_url(make_organisation(description_en="The WCO."), "en"),
    ]

    with CaptureQueriesContext(connection) as first:
        client.get(first_url)
    clear_pages_keeping_the_content_version()
    with CaptureQueriesContext(connection) as others:
        responses = [client.get(url) for url in [first_url, *other_urls]]

    assert len(glossary_queries(first.captured_queries)) == 1
    assert glossary_queries(others.captured_queries) == []
    assert all(abbrs(response) for response in responses)


def test_abbreviating_again_costs_no_query(django_assert_num_queries):
    abbreviate("The UNODC.", "en")

    with django_assert_num_queries(0):
        assert "<abbr" in abbreviate("The EU.", "en")


# --- Admin ------------------------------------------------------------------------


@pytest.mark.parametrize(("group", "deletes"), [(EDITORS, 302), (TRANSLATORS, 403)])
def test_editors_and_translators_list_search_and_change_editors_delete(
    client, group, deletes
):
    client.force_login(staff_member(group, "someone"))
    term = GlossaryTerm.objects.get(term_en="WCO")
    changelist = reverse("admin:programmes_glossaryterm_changelist")
    change = reverse("admin:programmes_glossaryterm_change", args=[term.pk])

    listed = client.get(changelist).content.decode()
    found_fr = client.get(changelist, {"q": "mondiale des douanes"})
    found_en = client.get(changelist, {"q": "Customs Organization"})
    changed = client.post(
        change,
        {
            "term_fr": "OMD",
            "term_en": "WCO",
            "expansion_fr": "Organisation mondiale des douanes (OMD)",
            "expansion_en": "World Customs Organization",
        },
    )
    term.refresh_from_db()
    deleted = client.post(
        reverse("admin:programmes_glossaryterm_delete", args=[term.pk]),
        {"post": "yes"},
    )

    for text in ("ONUDC", "UNODC", "Office des Nations Unies", "United Nations"):
        assert text in listed
    assert list(found_fr.context["cl"].result_list) == [term]
    assert list(found_en.context["cl"].result_list) == [term]
    assert changed.status_code == 302
    assert term.expansion_fr == "Organisation mondiale des douanes (OMD)"
    # Translators add and delete nothing (README, Roles): no button, no action.
    assert deleted.status_code == deletes
    assert ("Supprimer" in listed or "Delete" in listed) == (deletes == 302)
    assert (reverse("admin:programmes_glossaryterm_add") in listed) == (deletes == 302)
    assert GlossaryTerm.objects.filter(pk=term.pk).exists() == (deletes == 403)
