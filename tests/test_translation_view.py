"""The translation view: a record's source beside each field to translate
(programmes/translating/side_by_side.py)."""

import pytest
from django.urls import reverse

from programmes.models import GlossaryTerm, Programme
from programmes.translating.status import Status, all_statuses

from .factories import make_programme
from .helpers import parse, text_of

pytestmark = pytest.mark.django_db


def view_url(obj, language="en"):
    return reverse("admin:translations_translate", args=["programme", obj.pk, language])


def status_of(obj, field, language):
    (status,) = [
        s
        for s in all_statuses(objects=[obj])
        if (s.field, s.language) == (field, language)
    ]
    return status.status


def outdated(**values):
    programme = make_programme(**values)
    programme.summary_fr = "Un résumé plus long, avec l’ONUDC."
    programme.save()
    return programme


def test_the_source_sits_beside_the_target_with_diff_glossary_and_limit(
    translator_client,
):
    GlossaryTerm.objects.create(term_fr="ONUDC", term_en="UNODC")
    programme = outdated()

    response = translator_client.get(view_url(programme), HTTP_ACCEPT_LANGUAGE="en")

    tree = parse(response)
    summary = tree.find(".//section[@id='field-summary']")
    source = summary.find(".//div[@class='translate-text']")
    assert source.get("lang") == "fr"
    assert source.text == "Un résumé plus long, avec l’ONUDC."
    assert summary.find(".//textarea[@name='summary_en']").text.strip() == (
        "A summary."
    )
    text = " ".join(" ".join(summary.itertext()).split())
    assert "What changed since the last translation" in text
    assert "Glossary: ONUDC → UNODC" in text
    assert "At most 400 characters." in text
    # How far the record is, in this language: one field of four (its
    # address, issue 19, included) to do.
    progress = tree.find(".//p[@class='translate-progress']")
    assert "".join(progress.itertext()) == "Up to date in English: 3 of 4 fields (75%)"
    # The first field to do is linked from the top and from every other field.
    assert tree.find(".//p[@class='translate-links']/a").get("href") == (
        "#field-summary"
    )
    name = tree.find(".//section[@id='field-name']")
    assert name.find(".//a[@href='#field-summary']") is not None


def test_saving_a_translation_brings_it_up_to_date(translator_client):
    programme = outdated()

    response = translator_client.post(
        view_url(programme),
        {
            "edit_version": programme.version,
            "name_en": programme.name_en,
            "slug_en": programme.slug_en,
            "summary_en": "A longer summary, with UNODC.",
            "description_en": programme.description_en,
        },
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.summary_en == "A longer summary, with UNODC."
    assert programme.summary_fr == "Un résumé plus long, avec l’ONUDC."
    page = translator_client.get(view_url(programme), HTTP_ACCEPT_LANGUAGE="en")
    assert "Up to date in English: 4 of 4 fields (100%)" in text_of(page)
    assert status_of(programme, "summary", "en") == Status.UP_TO_DATE


def test_save_and_next_opens_the_next_record_with_work(translator_client):
    first = outdated()
    second = outdated()

    response = translator_client.post(
        view_url(first),
        {
            "edit_version": first.version,
            "name_en": first.name_en,
            "slug_en": first.slug_en,
            "summary_en": "Done.",
            "description_en": first.description_en,
            "_next_record": "1",
        },
    )

    assert response["Location"] == view_url(second)


def test_errors_name_field_and_language_and_a_stale_form_is_refused(
    translator_client,
):
    programme = outdated()
    data = {
        "edit_version": programme.version,
        "name_en": "x" * 300,
        "summary_en": "A summary.",
        "description_en": "A description.",
    }

    too_long = translator_client.post(
        view_url(programme), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    Programme.objects.get(pk=programme.pk).save()
    stale = translator_client.post(
        view_url(programme),
        {**data, "name_en": "Fine"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Name in English: Ensure this value has at most 250 characters" in (
        text_of(too_long)
    )
    assert stale.status_code == 200
    assert "after you opened it" in text_of(stale)
    assert Programme.objects.get(pk=programme.pk).name_en != "Fine"


def test_only_those_who_review_translations_and_change_the_record(client, editor):
    programme = outdated()
    client.force_login(type(editor).objects.create_user("visitor", is_staff=True))

    assert client.get(view_url(programme)).status_code == 403
    client.force_login(editor)
    assert client.get(view_url(programme)).status_code == 200
    assert client.get(view_url(programme, "de")).status_code == 404


def test_the_dashboard_links_each_field_to_the_translation_view(translator_client):
    programme = outdated()

    tree = parse(translator_client.get("/admin/translations/"))

    links = {a.get("href") for a in tree.iterfind(".//a[@class='translate-beside']")}
    assert f"{view_url(programme)}#field-summary" in links
