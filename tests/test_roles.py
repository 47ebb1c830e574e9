"""Roles: the groups sync_roles makes, and what each may do in the admin.

Every cell of the matrix is checked on the server: the answer's status and the
database, never only a hidden button.
"""

import io
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from programmes.editing import roles
from programmes.models import (
    GlossaryTerm,
    HomePage,
    Organisation,
    Programme,
    Region,
    Source,
)

from .factories import add_participation, make_organisation, make_programme, make_region
from .helpers import logged_in, staff_member
from .hostile import form_data, nothing_changes, saved_unchanged

pytestmark = pytest.mark.django_db

EDITORS, TRANSLATORS, ADMINISTRATORS = "Editors", "Translators", "Administrators"
NO_GROUP = "no group"


# --- The matrix ----------------------------------------------------------------

MATRIX = """
action                   | Editors | Translators | Administrators | no group
see the list             | yes     | yes         | yes            | no
open the change form     | yes     | yes         | yes            | no
add                      | yes     | no          | yes            | no
change text              | yes     | yes         | yes            | no
change the slug          | yes     | yes         | yes            | no
publish                  | yes     | no          | yes            | no
publish from the list    | yes     | no          | yes            | no
archive                  | yes     | no          | yes            | no
archive from the list    | yes     | no          | yes            | no
delete                   | no      | no          | yes            | no
delete from the list     | no      | no          | yes            | no
upload an image          | yes     | no          | yes            | no
manage users and groups  | no      | no          | yes            | no
add a glossary term      | yes     | no          | yes            | no
change a glossary term   | yes     | yes         | yes            | no
delete a glossary term   | yes     | no          | yes            | no
"""


def read_matrix(text):
    header, *rows = (line for line in text.strip().splitlines())
    groups = [cell.strip() for cell in header.split("|")[1:]]
    cells = []
    for row in rows:
        action, *answers = (cell.strip() for cell in row.split("|"))
        for group, answer in zip(groups, answers, strict=True):
            cells.append((action, group, answer == "yes"))
    return cells


# Each action is tried on each kind of record; an image only where there is one.
RECORDS = ["programme", "organisation", "region"]
RECORDS_PER_ACTION = {
    "upload an image": ["programme", "organisation"],
    "manage users and groups": [None],
    "add a glossary term": ["glossaryterm"],
    "change a glossary term": ["glossaryterm"],
    "delete a glossary term": ["glossaryterm"],
}
MATRIX_CASES = [
    pytest.param(action, group, allowed, model, id=f"{action}-{group}-{model}")
    for action, group, allowed in read_matrix(MATRIX)
    for model in RECORDS_PER_ACTION.get(action, RECORDS)
]


# --- Users and records -----------------------------------------------------------


@pytest.fixture
def synced_roles():
    call_command("sync_roles", stdout=StringIO())


@pytest.fixture
def client_for(synced_roles):
    """A signed-in staff member of one group, or of none (NO_GROUP)."""

    def make(group):
        username = f"member-of-{group}".replace(" ", "-").lower()
        if group == NO_GROUP:
            return logged_in(User.objects.create_user(username, is_staff=True))
        return logged_in(staff_member(group, username))

    return make


def make_record(model):
    if model == "programme":
        # Empty notes as the admin saves them (modeltranslation stores None).
        programme = make_programme(facts_note_fr="", facts_note_en="")
        add_participation(programme, make_organisation(), role="lead", note_fr="Note")
        Source.objects.create(
            programme=programme, title_fr="Rapport", url="https://example.org/"
        )
        return programme
    if model == "glossaryterm":
        return GlossaryTerm.objects.create(term_fr="GAFI", term_en="FATF")
    return {"organisation": make_organisation, "region": make_region}[model]()


def url(obj_or_model, action="change"):
    opts = obj_or_model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_{action}"
    if action in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[obj_or_model.pk])


def full_form(obj):
    """The change form of `obj` as a superuser's browser would send it back."""
    client = Client()
    client.force_login(User.objects.create_superuser(f"form-{obj.pk}-{id(obj)}"))
    response = client.get(url(obj))
    assert response.status_code == 200
    return form_data(response, f"{obj._meta.model_name}_form")


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def refresh(obj):
    return type(obj).objects.filter(pk=obj.pk).first()


# Each action does its thing through the admin and answers (response, done).


def see_list(client, obj):
    response = client.get(url(obj, "changelist"))
    return response, response.status_code == 200 and url(obj) in response.text


def open_change_form(client, obj):
    response = client.get(url(obj))
    return response, response.status_code == 200


def add(client, obj):
    model = type(obj)
    opts = model._meta
    superuser = Client()
    superuser.force_login(User.objects.create_superuser(f"adder-{opts.model_name}"))
    data = form_data(superuser.get(url(model, "add")), f"{opts.model_name}_form")
    data |= {"name_fr": "Tout neuf", "name_en": "Brand new", "slug_fr": "tout-neuf"}
    data |= {"kind": "ngo"} if model is Organisation else {}
    before = model.objects.count()
    response = client.post(url(model, "add"), data)
    return response, model.objects.count() == before + 1


def change_text(client, obj):
    data = full_form(obj) | {"name_fr": "Nom modifié", "name_en": "Changed name"}
    response = client.post(url(obj), data)
    obj = refresh(obj)
    return response, (obj.name_fr, obj.name_en) == ("Nom modifié", "Changed name")


def change_slug(client, obj):
    data = full_form(obj) | {"slug_fr": "adresse-modifiee", "slug_en": "new-address"}
    response = client.post(url(obj), data)
    obj = refresh(obj)
    return response, (obj.slug_fr, obj.slug_en) == ("adresse-modifiee", "new-address")


def set_status_in_form(status):
    def action(client, obj):
        data = full_form(obj) | {"status": status}
        response = client.post(url(obj), data)
        return response, refresh(obj).status == status

    return action


def list_action(name, status=None):
    def action(client, obj):
        data = {"action": name, "_selected_action": [str(obj.pk)], "post": "yes"}
        response = client.post(url(obj, "changelist"), data)
        obj_now = refresh(obj)
        done = obj_now is None if status is None else obj_now.status == status
        return response, done

    return action


def delete(client, obj):
    response = client.post(url(obj, "delete"), {"post": "yes"})
    return response, refresh(obj) is None


def upload_image(client, obj):
    data = full_form(obj) | {"image": png_upload()}
    response = client.post(url(obj), data)
    return response, bool(refresh(obj).image)


def manage_users_and_groups(client, _obj):
    lists_answer = [
        client.get(reverse(f"admin:auth_{name}_changelist")).status_code
        for name in ("user", "group")
    ]
    response = client.post(reverse("admin:auth_group_add"), {"name": "Reviewers"})
    done = Group.objects.filter(name="Reviewers").exists()
    assert (lists_answer == [200, 200]) is done, lists_answer
    return response, done


def add_glossary_term(client, _obj):
    data = {"term_fr": "OICS", "term_en": "INCB"}
    response = client.post(reverse("admin:programmes_glossaryterm_add"), data)
    return response, GlossaryTerm.objects.filter(term_en="INCB").exists()


def change_glossary_term(client, obj):
    data = {"term_fr": "GAFI", "term_en": "FATF", "expansion_en": "Task Force"}
    response = client.post(url(obj), data)
    return response, refresh(obj).expansion_en == "Task Force"


ACTIONS = {
    "see the list": see_list,
    "open the change form": open_change_form,
    "add": add,
    "change text": change_text,
    "change the slug": change_slug,
    "publish": set_status_in_form("published"),
    "publish from the list": list_action("publish_selected", "published"),
    "archive": set_status_in_form("archived"),
    "archive from the list": list_action("archive_selected", "archived"),
    "delete": delete,
    "delete from the list": list_action("delete_selected"),
    "upload an image": upload_image,
    "manage users and groups": manage_users_and_groups,
    "add a glossary term": add_glossary_term,
    "change a glossary term": change_glossary_term,
    "delete a glossary term": delete,
}


@pytest.mark.parametrize(("action", "group", "allowed", "model"), MATRIX_CASES)
def test_the_matrix(client_for, action, group, allowed, model):
    obj = make_record(model) if model else None
    if action.startswith("publish"):
        type(obj).objects.filter(pk=obj.pk).update(status="draft", published_at=None)
    if action == "upload an image":
        # Text alternatives are text, which translators may write: given first.
        obj.image_alt_fr, obj.image_alt_en = "Une photo", "A photo"
        obj.save()
    obj = refresh(obj) if obj else None
    client = client_for(group)

    if allowed:
        response, done = ACTIONS[action](client, obj)
        assert response.status_code in (200, 302), response.status_code
        assert done, f"{group} could not {action}"
    else:
        table = obj._meta.db_table if obj is not None else "programmes_programme"
        # A refused change may still save the rest of the form, as it was.
        with nothing_changes(ignore=saved_unchanged(table), new_revisions=True):
            response, done = ACTIONS[action](client, obj)
        assert not done, f"{group} could {action}"
        # 200: the list again, offering no such action; 302: saved without it.
        assert response.status_code in (200, 302, 403), response.status_code
        if group == NO_GROUP or action in (
            "add",
            "delete",
            "add a glossary term",
            "delete a glossary term",
        ):
            assert response.status_code == 403


def test_the_matrix_names_every_role_and_action():
    cells = read_matrix(MATRIX)
    assert {group for _action, group, _allowed in cells} == {
        *roles.ROLES,
        NO_GROUP,
    }
    assert {action for action, _group, _allowed in cells} == set(ACTIONS)


# --- Translators: text only, whatever they post ------------------------------------


@pytest.fixture
def translator(client_for):
    return client_for(TRANSLATORS)


@pytest.fixture
def programme():
    return make_record("programme")


def test_a_translator_changes_the_text_in_both_languages(translator, programme):
    participation, source = programme.participations.get(), programme.sources.get()
    data = full_form(programme) | {
        "summary_fr": "Résumé traduit",
        "summary_en": "Translated summary",
        "participations-0-note_en": "Translated note",
        "sources-0-title_en": "Report",
    }
    response = translator.post(url(programme), data)

    assert response.status_code == 302
    programme.refresh_from_db()
    participation.refresh_from_db()
    source.refresh_from_db()
    assert programme.summary_fr == "Résumé traduit"
    assert programme.summary_en == "Translated summary"
    assert participation.note_en == "Translated note"
    assert source.title_en == "Report"


def forged(programme, data):
    """Values a translator's browser would never send: every locked field."""
    other = make_organisation()
    region = make_region()
    count = int(data["participations-TOTAL_FORMS"])
    return {
        "status": "archived",
        "published_at_0": "01/01/2030",
        "published_at_1": "10:00:00",
        "acronym": "FORGED",
        "display_order": "99",
        "stage": "completed",
        "beneficiary_countries": ["FR"],
        "beneficiary_regions": [str(region.pk)],
        "website_fr": "https://evil.example/",
        "website_en": "https://evil.example/",
        "image": png_upload(),
        "image_is_decorative": "on",
        # The inline rows: another organisation and role, its address...
        "participations-0-organisation": str(other.pk),
        "participations-0-role": "funder",
        "participations-0-display_order": "9",
        "participations-0-DELETE": "on",
        "sources-0-url": "https://evil.example/",
        "sources-0-language": "en",
        "sources-0-checked_on": "2001-01-01",
        "sources-0-display_order": "9",
        "sources-0-DELETE": "on",
        # ... and a new row.
        "participations-TOTAL_FORMS": str(count + 1),
        f"participations-{count}-programme": str(programme.pk),
        f"participations-{count}-organisation": str(other.pk),
        f"participations-{count}-role": "partner",
        f"participations-{count}-display_order": "1",
    }


def test_a_translators_forged_form_changes_nothing_but_text(translator, programme):
    data = full_form(programme)
    data |= forged(programme, data)
    with nothing_changes(
        ignore=saved_unchanged("programmes_programme"), new_revisions=True
    ):
        response = translator.post(url(programme), data)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("model", "values"),
    [
        ("organisation", {"kind": "ngo", "website": "https://evil.example/"}),
        ("region", {"countries": ["FR", "DE"], "display_order": "42"}),
    ],
)
def test_a_translators_forged_facts_are_ignored(translator, model, values):
    obj = make_record(model)
    data = full_form(obj) | values | {"status": "draft"}
    with nothing_changes(
        ignore=saved_unchanged(obj._meta.db_table), new_revisions=True
    ):
        response = translator.post(url(obj), data)
    assert response.status_code == 302


def test_a_translator_sees_the_locked_fields_without_inputs(translator, programme):
    response = translator.get(url(programme))
    form = response.context["adminform"].form

    assert {"name_fr", "summary_en", "description_fr", "image_alt_en"} <= set(
        form.fields
    )
    assert {"slug_fr", "slug_en"} <= set(form.fields)
    for locked in ["status", "published_at", "website_en"]:
        assert locked not in form.fields
        assert f'name="{locked}' not in response.text
    inlines = {
        formset.formset.prefix: formset.formset
        for formset in response.context["inline_admin_formsets"]
    }
    participations = inlines["participations"]
    assert set(participations.forms[0].fields) >= {"note_fr", "note_en"}
    assert "role" not in participations.forms[0].fields
    assert "organisation" not in participations.forms[0].fields
    assert not participations.can_delete
    assert set(inlines["sources"].forms[0].fields) & {"url", "language"} == set()
    assert "participations-TOTAL_FORMS" in response.text


def test_a_translator_saves_each_record_unchanged(translator, programme):
    home = HomePage.objects.create(
        title_fr="Accueil",
        title_en="Home",
        heading_fr="Titre",
        heading_en="Heading",
        introduction_fr="Intro",
        introduction_en="Intro",
        summary_fr="Résumé",
        summary_en="Summary",
    )
    for obj in [programme, make_organisation(), make_region(), home]:
        response = translator.get(url(obj))
        data = form_data(response, f"{obj._meta.model_name}_form")
        response = translator.post(url(obj), data)
        assert response.status_code == 302, obj._meta.model_name


def test_a_translator_changes_the_home_page_text(translator):
    home = HomePage.objects.create(
        title_fr="Accueil",
        title_en="Home",
        heading_fr="Titre",
        heading_en="Heading",
        introduction_fr="Intro",
        introduction_en="Intro",
        summary_fr="Résumé",
        summary_en="Summary",
    )
    data = full_form(home) | {"heading_fr": "Titre traduit", "heading_en": "Translated"}
    assert translator.post(url(home), data).status_code == 302
    home.refresh_from_db()
    assert (home.heading_fr, home.heading_en) == ("Titre traduit", "Translated")


def test_a_user_who_may_change_but_not_publish_cannot_publish(programme):
    Programme.objects.filter(pk=programme.pk).update(status="draft", published_at=None)
    programme.refresh_from_db()
    # Hand-picked: change without publish, the boundary under test, whatever
    # the groups of programmes/editing/roles.py come to hold.
    user = User.objects.create_user("changer", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_programme", "change_programme"])
    )
    client = Client()
    client.force_login(user)
    data = full_form(programme) | {
        "status": "published",
        "published_at_0": "01/01/2020",
        "published_at_1": "10:00:00",
    }
    with nothing_changes(
        ignore=saved_unchanged("programmes_programme"), new_revisions=True
    ):
        assert client.post(url(programme), data).status_code == 302
    programme.refresh_from_db()
    assert programme.status == "draft"
    assert programme.published_at is None


def test_a_user_who_may_add_but_not_publish_adds_a_draft():
    # Hand-picked: add without publish (no group has it: editors publish).
    user = User.objects.create_user("adder", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_programme", "add_programme", "change_programme"]
        )
    )
    client = Client()
    client.force_login(user)
    response = client.get(url(Programme, "add"))
    assert "status" not in response.context["adminform"].form.fields
    data = form_data(response, "programme_form") | {
        "name_fr": "Brouillon",
        "slug_fr": "brouillon",
        "status": "published",
        "published_at_0": "01/01/2020",
        "published_at_1": "10:00:00",
    }

    assert client.post(url(Programme, "add"), data).status_code == 302
    programme = Programme.objects.get(slug_fr="brouillon")
    assert programme.status == "draft"
    assert programme.published_at is None


def action_choices(client, model):
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    form = response.context["action_form"]  # None: no action at all
    return {value for value, _label in form.fields["action"].choices} if form else set()


@pytest.mark.parametrize("model", [Programme, Organisation, Region])
def test_the_lists_offer_delete_only_to_who_may_delete(client_for, model):
    assert "delete_selected" not in action_choices(client_for(EDITORS), model)
    assert "delete_selected" not in action_choices(client_for(TRANSLATORS), model)
    assert "delete_selected" in action_choices(client_for(ADMINISTRATORS), model)


@pytest.mark.parametrize("model", [Programme, Organisation, Region])
def test_the_lists_offer_status_actions_only_to_who_may_publish(client_for, model):
    status_actions = {"publish_selected", "archive_selected", "return_to_draft"}
    assert status_actions <= action_choices(client_for(EDITORS), model)
    assert not status_actions & action_choices(client_for(TRANSLATORS), model)


# --- sync_roles ------------------------------------------------------------------


def sync_roles(*args):
    out = StringIO()
    call_command("sync_roles", *args, stdout=out)
    return out.getvalue()


def group_permissions(name):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=name).permissions.select_related("content_type")
    }


def test_sync_roles_creates_the_three_groups():
    output = sync_roles()

    assert "Roles synced: 3 created, 0 updated, 0 unchanged." in output
    assert "Editors: created with" in output
    editors = group_permissions(EDITORS)
    assert {
        "programmes.publish_programme",
        "programmes.publish_organisation",
        "programmes.publish_region",
        "programmes.add_programme",
        "programmes.change_homepage",
        "programmes.view_slugredirect",
        "programmes.view_historicalprogramme",
    } <= editors
    assert (
        not {
            "programmes.delete_programme",
            "programmes.delete_organisation",
            "programmes.delete_region",
            "programmes.delete_homepage",
            "programmes.change_slugredirect",
            "auth.change_user",
        }
        & editors
    )
    translators = group_permissions(TRANSLATORS)
    assert "programmes.change_programme" in translators
    # They add and delete nothing, glossary terms included (README, Roles).
    assert not {
        p for p in translators if p.split(".")[1].startswith(("add_", "delete_"))
    }
    assert {
        "programmes.add_glossaryterm",
        "programmes.delete_glossaryterm",
    } <= editors
    assert not {p for p in translators if ".publish_" in p}
    translation_work = {
        "programmes.review_translations",
        "programmes.exchange_translations",
        "programmes.change_glossaryterm",
    }
    assert translation_work <= translators
    assert translation_work <= editors
    everything = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    assert group_permissions(ADMINISTRATORS) == everything
    assert {
        "auth.change_user",
        "auth.delete_group",
        "axes.delete_accessattempt",
        "otp_totp.delete_totpdevice",
        "programmes.delete_programme",
    } <= everything


def test_sync_roles_twice_changes_nothing():
    sync_roles()
    before = {name: group_permissions(name) for name in roles.ROLES}

    output = sync_roles()

    assert "Roles synced: 0 created, 0 updated, 3 unchanged." in output
    assert {name: group_permissions(name) for name in roles.ROLES} == before
    assert Group.objects.count() == 3


def test_sync_roles_removes_what_a_group_should_no_longer_have():
    sync_roles()
    editors = Group.objects.get(name=EDITORS)
    delete = Permission.objects.get(codename="delete_programme")
    publish = Permission.objects.get(codename="publish_region")
    editors.permissions.add(delete)
    editors.permissions.remove(publish)

    output = sync_roles("--verbosity", "2")

    assert "Editors: 1 permissions added, 1 removed" in output
    assert "- programmes.delete_programme" in output
    assert "+ programmes.publish_region" in output
    assert "Roles synced: 0 created, 1 updated, 2 unchanged." in output
    assert delete not in editors.permissions.all()
    assert publish in editors.permissions.all()


def test_sync_roles_dry_run_writes_nothing():
    output = sync_roles("--dry-run")

    assert "Dry run, nothing written: 3 created" in output
    assert not Group.objects.exists()


def test_sync_roles_refuses_an_unknown_permission(monkeypatch):
    monkeypatch.setitem(roles.ROLES, EDITORS, ["programmes.fly_programme"])
    with pytest.raises(CommandError, match="programmes.fly_programme"):
        sync_roles()
    assert not Group.objects.exists()


def test_make_run_syncs_the_roles_after_loading_the_content():
    # What `make run` would run (make -n runs nothing), in order.
    dry_run = subprocess.run(
        ["make", "-n", "run", "VENV=.venv"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [line for line in dry_run.stdout.splitlines() if "manage.py" in line]
    steps = [line.split("manage.py", 1)[1].split()[0] for line in commands]

    assert steps.index("load_content") < steps.index("sync_roles")


def test_a_translator_gives_a_published_programme_a_new_address(
    translator, programme, client
):
    former = programme.get_absolute_url()
    with translation.override("en"):
        former_en = programme.get_absolute_url()
    data = full_form(programme) | {"slug_en": "a-new-address"}

    response = translator.post(url(programme), data)

    assert response.status_code == 302
    programme = refresh(programme)
    assert (programme.status, programme.slug_en) == ("published", "a-new-address")
    assert client.get(former).status_code == 200
    moved = client.get(former_en)
    assert moved.status_code == 301
    assert moved["Location"].endswith("/a-new-address/")
