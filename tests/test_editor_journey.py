"""An editor's whole path, as one test: draft, preview, publish, rename,
the old address redirects, restore an earlier revision."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from programmes.models import Programme

from .helpers import empty_inline_forms
from .hostile import form_data

pytestmark = pytest.mark.django_db


def change_form(client, programme):
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, form_data(response, "programme_form")


def public_url(programme, language):
    with translation.override(language):
        return programme.get_absolute_url()


def test_draft_preview_publish_rename_redirect_restore(editor_client):
    visitor = Client()

    # 1. A draft, in both languages.
    response = editor_client.post(
        reverse("admin:programmes_programme_add"),
        {
            "name_fr": "Programme Horizon",
            "name_en": "Horizon programme",
            "slug_fr": "horizon",
            "slug_en": "horizon",
            "summary_fr": "Un premier résumé.",
            "summary_en": "A first summary.",
            "description_fr": "Une description.",
            "description_en": "A description.",
            "status": "draft",
            "display_order": "5",
        }
        | empty_inline_forms(),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = Programme.objects.get(slug_en="horizon")
    assert visitor.get(public_url(programme, "en")).status_code == 404

    # 2. Preview, in each language, before publishing.
    for language, text in [("fr", "Un premier résumé."), ("en", "A first summary.")]:
        preview = editor_client.get(
            reverse("admin:programmes_programme_preview", args=[programme.pk, language])
        )
        assert preview.status_code == 200
        assert text in preview.content.decode()

    # 3. Publish.
    url, data = change_form(editor_client, programme)
    assert editor_client.post(url, data | {"status": "published"}).status_code == 302
    for language in ["fr", "en"]:
        assert visitor.get(public_url(programme, language)).status_code == 200

    # 4. Rename the English address; the old one answers 301 to the new one.
    url, data = change_form(editor_client, programme)
    assert (
        editor_client.post(url, data | {"slug_en": "horizon-2030"}).status_code == 302
    )
    old = visitor.get("/en/programmes/horizon/")
    assert old.status_code == 301
    assert old["Location"] == "/en/programmes/horizon-2030/"
    assert visitor.get("/fr/programmes/horizon/").status_code == 200

    # 5. A bad edit of the summary, then restore the revision before it.
    good_revision = programme.history.first()
    url, data = change_form(editor_client, programme)
    response = editor_client.post(url, data | {"summary_en": "A mistaken summary."})
    assert response.status_code == 302
    page = visitor.get("/en/programmes/horizon-2030/").content.decode()
    assert "A mistaken summary." in page

    restore = reverse(
        "admin:programmes_programme_history_restore",
        args=[programme.pk, good_revision.history_id],
    )
    confirmation = editor_client.get(restore)
    assert confirmation.status_code == 200
    assert "mistaken" in confirmation.content.decode()
    revisions = programme.history.count()
    assert editor_client.post(restore).status_code == 302

    programme.refresh_from_db()
    assert programme.summary_en == "A first summary."
    assert programme.slug_en == "horizon-2030"
    assert programme.status == "published"
    assert programme.history.count() == revisions + 1
    page = visitor.get("/en/programmes/horizon-2030/").content.decode()
    assert "A first summary." in page
    assert "A mistaken summary." not in page
    # The old address still takes one hop to the page.
    assert visitor.get("/en/programmes/horizon/")["Location"] == (
        "/en/programmes/horizon-2030/"
    )
