"""Images and logos: checked uploads, clean files, renditions, alt text, pages."""

import io
from unittest import mock

import html5lib
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageFile

from programmes.editing.images import checks, renditions
from programmes.editing.images.checks import (
    CheckedImageField,
    ImageRefused,
    clean_upload,
)
from programmes.models import Organisation, Programme

from .factories import add_participation, make_organisation, make_programme
from .helpers import (
    checker_or_skip,
    errors_and_warnings,
    image_bytes,
    nu_html_messages,
    parse,
    stored_names,
    with_image,
)
from .hostile import UPLOADS, decompression_bomb_png, form_data, nothing_changes

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_metadata():
    """A JPEG from a phone: turned on its side (orientation 6), with GPS."""
    image = Image.new("RGB", (1200, 800), "navy")
    exif = image.getexif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return buffer.getvalue()


def refusal(data, name="image.jpg"):
    with pytest.raises(ImageRefused) as caught:
        clean_upload(data, name)
    return caught.value.code


def media_files(settings):
    media = settings.MEDIA_ROOT
    if not media.exists():
        return set()
    return {
        path.relative_to(media).as_posix()
        for path in media.rglob("*")
        if path.is_file()
    }


# --- Checking uploads on their content ------------------------------------------


@pytest.mark.parametrize(
    ("format_name", "name", "mode"),
    [
        ("JPEG", "photo.jpg", "RGB"),
        ("JPEG", "PHOTO.JPEG", "RGB"),
        ("PNG", "logo.png", "RGBA"),
        ("PNG", "scan.png", "L"),
        ("WEBP", "picture.webp", "RGB"),
    ],
)
def test_jpeg_png_and_webp_are_accepted(format_name, name, mode):
    data, extension = clean_upload(image_bytes(format_name, (50, 40), mode), name)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == format_name
    assert stored.size == (50, 40)
    assert extension == checks.FORMATS[format_name][0]


def polyglot(data, payload):
    return data + payload


ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00payload.txt"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        pytest.param(b"", "empty.jpg", "empty", id="empty"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg"/>', "logo.svg", "svg", id="svg"
        ),
        pytest.param(
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "logo.png",
            "svg",
            id="svg-named-png",
        ),
        pytest.param(image_bytes("GIF", (8, 8)), "anim.gif", "gif", id="gif"),
        pytest.param(b"<!DOCTYPE html><p>hi", "photo.jpg", "not_an_image", id="html"),
        pytest.param(b"%PDF-1.7\n", "report.pdf", "not_an_image", id="pdf"),
        pytest.param(image_bytes("BMP", (8, 8)), "x.bmp", "not_an_image", id="bmp"),
        pytest.param(image_bytes("TIFF", (8, 8)), "x.tif", "not_an_image", id="tiff"),
        pytest.param(
            image_bytes("PNG", (8, 8)), "report.pdf", "wrong_extension", id="png-pdf"
        ),
        pytest.param(
            image_bytes("PNG", (8, 8)), "photo.jpg", "wrong_extension", id="png-jpg"
        ),
        pytest.param(
            image_bytes("JPEG", (64, 64))[:300], "photo.jpg", "damaged", id="truncated"
        ),
        pytest.param(
            image_bytes("PNG", (64, 64))[:-20], "a.png", "damaged", id="png-truncated"
        ),
        pytest.param(
            image_bytes("WEBP", (64, 64))[:-30],
            "a.webp",
            "damaged",
            id="webp-truncated",
        ),
        pytest.param(
            polyglot(image_bytes("JPEG", (8, 8)), b"<html><script>alert(1)</script>"),
            "photo.jpg",
            "polyglot",
            id="jpeg-then-html",
        ),
        pytest.param(
            polyglot(image_bytes("PNG", (8, 8)), ZIP),
            "a.png",
            "polyglot",
            id="png-then-zip",
        ),
        pytest.param(
            polyglot(image_bytes("WEBP", (8, 8)), b"alert(document.cookie)"),
            "a.webp",
            "polyglot",
            id="webp-then-script",
        ),
        pytest.param(
            image_bytes("JPEG", (8, 8), comment=b"<script>alert(1)</script>"),
            "photo.jpg",
            "polyglot",
            id="script-in-jpeg-comment",
        ),
        pytest.param(
            polyglot(image_bytes("JPEG", (8, 8)), image_bytes("JPEG", (8, 8)) + ZIP),
            "photo.jpg",
            "polyglot",
            id="second-jpeg-then-zip",
        ),
    ],
)
def test_refused_uploads_name_the_problem(data, name, code):
    assert refusal(data, name) == code


def test_a_decompression_bomb_is_refused_before_decoding():
    with mock.patch.object(ImageFile.ImageFile, "load") as load:
        assert refusal(decompression_bomb_png(), "bomb.png") == "bomb"
    load.assert_not_called()


def test_a_bomb_under_pillows_threshold_is_still_refused(settings):
    # Over MAX_IMAGE_PIXELS but under twice it, Pillow only warns: an error here.
    settings.IMAGE_MAX_PIXELS = 10**9
    with mock.patch.object(Image, "MAX_IMAGE_PIXELS", 1000):
        assert refusal(image_bytes("PNG", (40, 40)), "a.png") == "bomb"


def test_the_pixel_count_is_checked_before_decoding(settings):
    settings.IMAGE_MAX_PIXELS = 999
    with mock.patch.object(ImageFile.ImageFile, "load") as load:
        assert refusal(image_bytes("PNG", (40, 25)), "a.png") == "too_many_pixels"
    load.assert_not_called()
    assert clean_upload(image_bytes("PNG", (30, 30)), "a.png")


def test_the_file_size_is_limited(settings):
    data = image_bytes("PNG", (64, 64))
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data) - 1
    assert refusal(data, "a.png") == "too_large"
    settings.IMAGE_MAX_UPLOAD_BYTES = len(data)
    assert clean_upload(data, "a.png")


def test_the_limits_default_to_10_mb_and_40_million_pixels():
    assert checks.max_upload_bytes() == 10 * 1024 * 1024
    assert checks.max_pixels() == 40_000_000


def test_animated_images_are_refused():
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:])
    assert refusal(buffer.getvalue(), "a.webp") == "animated"


def test_a_name_without_extension_leaves_the_content_to_decide():
    assert clean_upload(image_bytes("PNG", (8, 8)), "logo")[1] == "png"


def test_a_large_progressive_jpeg_with_restart_markers_is_accepted():
    data = image_bytes(size=(3000, 2000), progressive=True, restart_marker_rows=1)
    cleaned, _extension = clean_upload(data, "photo.jpg")
    assert Image.open(io.BytesIO(cleaned)).size == (3000, 2000)


def test_the_admin_clears_an_image(
    admin_client, settings, django_capture_on_commit_callbacks
):
    programme = with_image(make_programme())
    page = admin_client.get(admin_change_url(programme))
    data = form_data(page, "programme_form") | {"image-clear": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(admin_change_url(programme), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert not programme.image
    assert programme.image_renditions == {}
    assert media_files(settings) == set()


def test_a_phone_photo_with_a_second_embedded_jpeg_is_accepted():
    # Multi-picture files (MPO) carry a second JPEG after the first one's end.
    data = image_bytes("JPEG", (80, 60)) + image_bytes("JPEG", (40, 30))
    cleaned, extension = clean_upload(data, "photo.jpg")
    assert extension == "jpg"
    assert Image.open(io.BytesIO(cleaned)).size == (80, 60)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "SVG drawings are not accepted"),
        ("fr", "Les dessins SVG ne sont pas acceptés"),
    ],
)
def test_refusals_tell_the_editor_what_to_upload_in_their_language(language, expected):
    field = CheckedImageField()
    with translation.override(language), pytest.raises(ValidationError) as error:
        field.clean(SimpleUploadedFile("logo.svg", b"<svg/>", "image/svg+xml"))
    assert expected in error.value.messages[0]
    assert "PNG" in error.value.messages[0]


def test_every_refusal_has_a_french_message():
    for code, message in checks.MESSAGES.items():
        with translation.override("en"):
            english = str(message)
        with translation.override("fr"):
            french = str(message)
        assert french != english, code


def test_the_hostile_uploads_are_all_refused_by_the_checks():
    for upload in UPLOADS:
        if upload.refused:
            with pytest.raises(ImageRefused):
                clean_upload(upload.make(), upload.filename)


# --- The stored file: re-encoded, without metadata -------------------------------


def test_metadata_is_stripped_and_the_orientation_applied():
    programme = with_image(make_programme(), photo_with_metadata())
    with default_storage.open(programme.image.name, "rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    # Turned upright: the 1200 × 800 photo was taken holding the phone upright.
    assert image.size == (800, 1200)
    assert (programme.image_width, programme.image_height) == (800, 1200)
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment"} & set(image.info)
    assert b"PhoneMaker" not in data
    assert b"secret comment" not in data
    for name in renditions.rendition_files(programme.image_renditions):
        with default_storage.open(name, "rb") as rendition:
            data = rendition.read()
        assert not Image.open(io.BytesIO(data)).getexif()
        assert b"PhoneMaker" not in data


def test_the_stored_name_is_ours_not_the_uploaders():
    programme = with_image(make_programme(), name="../../../etc/Passwd Photo.JPEG")
    assert programme.image.name.startswith("images/programme/")
    assert programme.image.name.endswith(".jpg")
    assert "passwd" not in programme.image.name.lower()


# --- Renditions ------------------------------------------------------------------


def test_renditions_in_webp_and_jpeg_at_a_few_widths(settings):
    programme = with_image(make_programme(), image_bytes(size=(1600, 900)))
    renditions = programme.image_renditions
    assert renditions["source"] == programme.image.name
    assert [width for width, _name in renditions["webp"]] == [320, 640, 960, 1280]
    assert [width for width, _name in renditions["fallback"]] == [320, 640, 960, 1280]
    for key, format_name in (("webp", "WEBP"), ("fallback", "JPEG")):
        for width, name in renditions[key]:
            with default_storage.open(name, "rb") as stored:
                image = Image.open(stored)
                assert image.format == format_name
                assert image.size == (width, round(900 * width / 1600))
    assert media_files(settings) == stored_names(programme)


def test_renditions_are_never_wider_than_the_original():
    programme = with_image(make_programme(), image_bytes(size=(500, 300)))
    assert [w for w, _name in programme.image_renditions["webp"]] == [320, 500]
    small = with_image(make_programme(), image_bytes(size=(200, 100)))
    assert [w for w, _name in small.image_renditions["fallback"]] == [200]


def test_a_transparent_logo_falls_back_to_png():
    logo = image_bytes("PNG", (400, 200), "RGBA", (0, 0, 0, 0))
    organisation = with_image(make_organisation(), logo, name="logo.png")
    fallback = organisation.image_renditions["fallback"]
    assert all(name.endswith(".png") for _width, name in fallback)
    with default_storage.open(fallback[0][1], "rb") as stored:
        assert Image.open(stored).mode == "RGBA"
    opaque = with_image(make_organisation(), image_bytes("PNG", (400, 200)), "a.png")
    assert opaque.image_renditions["fallback"][0][1].endswith(".jpg")


def test_renditions_are_made_once_not_on_every_save(settings):
    programme = with_image(make_programme())
    files = media_files(settings)
    with mock.patch("programmes.editing.images.renditions.make_renditions") as make:
        programme.summary_en = "A new summary."
        programme.save()
        programme.refresh_from_db()
    make.assert_not_called()
    assert media_files(settings) == files
    assert programme.image_renditions["source"] == programme.image.name


def test_renditions_go_through_the_storage_api(settings):
    # In-memory storage: nothing may touch the disk (media will move to S3).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    programme = with_image(make_programme())
    for name in stored_names(programme):
        assert default_storage.exists(name)
    assert not settings.MEDIA_ROOT.exists()


# --- Old files do not pile up ----------------------------------------------------


def test_a_replaced_image_leaves_only_the_new_files(
    settings, django_capture_on_commit_callbacks
):
    programme = with_image(make_programme())
    old = stored_names(programme)
    with django_capture_on_commit_callbacks(execute=True):
        programme = with_image(programme, image_bytes(size=(700, 700), colour="red"))
    assert media_files(settings) == stored_names(programme)
    assert not old & media_files(settings)


def test_a_cleared_image_leaves_no_file(settings, django_capture_on_commit_callbacks):
    programme = with_image(make_programme())
    with django_capture_on_commit_callbacks(execute=True):
        programme.image = None
        programme.save()
    programme.refresh_from_db()
    assert programme.image_renditions == {}
    assert media_files(settings) == set()


def test_a_deleted_record_leaves_no_file(settings, django_capture_on_commit_callbacks):
    organisation = with_image(make_organisation())
    assert media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()
    assert media_files(settings) == set()


def test_old_files_stay_until_the_transaction_commits(
    settings, django_capture_on_commit_callbacks
):
    programme = with_image(make_programme())
    old = stored_names(programme)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        programme = with_image(programme, image_bytes(size=(700, 700)))
    assert old <= media_files(settings)  # a rollback would still find them
    for callback in callbacks:
        callback()
    assert media_files(settings) == stored_names(programme)


# --- The admin -------------------------------------------------------------------


def admin_change_url(obj):
    return reverse(f"admin:programmes_{obj._meta.model_name}_change", args=[obj.pk])


def post_image(admin_client, obj, upload, language="fr", **fields):
    # The admin has no language prefix: the browser's language decides.
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    page = admin_client.get(admin_change_url(obj), **headers)
    data = form_data(page, f"{obj._meta.model_name}_form") | {"image": upload}
    return admin_client.post(admin_change_url(obj), data | fields, **headers)


def errors_of(response, field):
    return response.context["adminform"].form.errors.get(field, [])


ALT = {"image_alt_fr": "Un port.", "image_alt_en": "A harbour."}


@pytest.mark.parametrize("factory", [make_programme, make_organisation])
def test_the_admin_has_an_image_fieldset_with_a_preview(admin_client, factory):
    obj = factory()
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = admin_client.get(admin_change_url(obj), **english).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "No image yet." in page
    response = post_image(
        admin_client,
        obj,
        SimpleUploadedFile("photo.jpg", photo_with_metadata(), "image/jpeg"),
        **ALT,
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    page = admin_client.get(admin_change_url(obj), **english).content.decode()
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    legends = [h2.text for h2 in tree.iterfind(".//fieldset/h2")]
    assert "Image" in legends
    preview = tree.find(".//img[@class='image-preview']")
    assert preview is not None
    assert preview.get("src") == default_storage.url(
        obj.image_renditions["fallback"][0][1]
    )
    assert preview.get("style") is None
    assert preview.get("width") == "240" and preview.get("height") == "360"
    for name in ("image", "image_alt_fr", "image_alt_en", "image_is_decorative"):
        assert tree.find(f".//*[@name='{name}']") is not None, name


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Upload a photograph as JPEG"), ("fr", "Envoyez une photographie")],
)
def test_the_admin_refuses_a_hostile_upload_with_a_message(
    admin_client, settings, language, expected
):
    programme = make_programme()
    with nothing_changes():
        response = post_image(
            admin_client,
            programme,
            SimpleUploadedFile("photo.jpg", b"<html>", "image/jpeg"),
            language,
            **ALT,
        )
    assert response.status_code == 200
    assert expected in " ".join(errors_of(response, "image"))
    assert media_files(settings) == set()


@pytest.mark.parametrize(
    ("missing", "language", "expected"),
    [
        ("image_alt_fr", "en", "Describe the image in French"),
        ("image_alt_en", "en", "Describe the image in English"),
        ("image_alt_fr", "fr", "Décrivez l’image en français"),
        ("image_alt_en", "fr", "Décrivez l’image en anglais"),
    ],
)
def test_a_text_alternative_is_required_in_every_language(
    admin_client, missing, language, expected
):
    programme = make_programme()
    response = post_image(
        admin_client,
        programme,
        SimpleUploadedFile("photo.jpg", image_bytes(), "image/jpeg"),
        language,
        **(ALT | {missing: ""}),
    )
    assert response.status_code == 200
    assert expected in " ".join(errors_of(response, missing))
    other = ({"image_alt_fr", "image_alt_en"} - {missing}).pop()
    assert not errors_of(response, other)


def test_a_decorative_image_needs_no_text_alternative(admin_client):
    programme = make_programme()
    response = post_image(
        admin_client,
        programme,
        SimpleUploadedFile("photo.jpg", image_bytes(), "image/jpeg"),
        image_is_decorative="on",
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.image and programme.image_is_decorative


def test_no_image_needs_no_text_alternative():
    programme = make_programme()
    programme.full_clean()


def test_alt_errors_are_reported_with_other_errors():
    organisation = with_image(make_organisation())
    organisation.name_fr = organisation.name_en = ""
    organisation.image_alt_fr = organisation.image_alt_en = ""
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert {"image_alt_fr", "image_alt_en", "name_fr"} <= set(error.value.error_dict)


# --- Public pages ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_programme_page_shows_a_responsive_hero_image(client, language):
    programme = with_image(make_programme(), image_bytes(size=(1600, 900)))
    with translation.override(language):
        url = programme.get_absolute_url()
    tree = parse(client.get(url))
    picture = tree.find(".//main//picture")
    assert picture is not None
    source = picture.find("source")
    img = picture.find("img")
    assert source.get("type") == "image/webp"
    assert source.get("srcset").count("w,") == 3
    assert ".webp 1280w" in source.get("srcset")
    assert source.get("sizes") and img.get("sizes") == source.get("sizes")
    assert ".jpg 320w" in img.get("srcset")
    assert img.get("src").endswith("-1280w.jpg")
    assert (img.get("width"), img.get("height")) == ("1280", "720")
    assert img.get("loading") == "eager"
    assert img.get("decoding") == "async"
    alt = {"fr": "Des douaniers inspectent un conteneur.", "en": "Customs officers"}
    assert img.get("alt").startswith(alt[language])
    assert img.get("lang") is None
    assert img.get("style") is None


def test_cards_load_their_images_lazily(client):
    programme = with_image(make_programme())
    tree = parse(client.get(reverse("programmes:programme_list")))
    card = next(
        card
        for card in tree.iterfind(".//article[@class='card']")
        if programme.name_fr in "".join(card.itertext())
    )
    img = card.find(".//picture/img")
    assert img.get("loading") == "lazy"
    assert img.get("width") and img.get("height")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_organisation_page_shows_its_logo(client, language):
    organisation = with_image(
        make_organisation(), image_bytes("PNG", (600, 300)), "logo.png"
    )
    with translation.override(language):
        url = organisation.get_absolute_url()
    img = parse(client.get(url)).find(".//main//picture/img")
    assert img is not None
    assert (img.get("width"), img.get("height")) == ("600", "300")
    expected = {"fr": "Des douaniers", "en": "Customs officers"}[language]
    assert img.get("alt").startswith(expected)


def test_a_decorative_image_has_an_empty_alt(client):
    programme = with_image(make_programme())
    programme.image_is_decorative = True
    programme.save()
    with translation.override("en"):
        url = programme.get_absolute_url()
    img = parse(client.get(url)).find(".//main//picture/img")
    assert img.get("alt") == ""
    assert img.get("lang") is None


def test_an_alt_missing_in_one_language_falls_back_marked_with_its_language(client):
    programme = with_image(make_programme())
    Programme.objects.filter(pk=programme.pk).update(image_alt_en="")
    with translation.override("en"):
        url = programme.get_absolute_url()
    img = parse(client.get(url)).find(".//main//picture/img")
    assert img.get("alt") == "Des douaniers inspectent un conteneur."
    assert img.get("lang") == "fr"


def test_no_image_no_picture(client):
    programme = make_programme()
    with translation.override("fr"):
        url = programme.get_absolute_url()
    assert b"<picture" not in client.get(url).content


# --- Content files carry text, not uploads ---------------------------------------


def test_load_content_refuses_an_image_path(tmp_path):
    path = tmp_path / "content.toml"
    path.write_text(
        '[[organisations]]\nkey = "o"\nname_fr = "O"\nname_en = "O"\n'
        'slug_fr = "o"\nslug_en = "o"\nkind = "ngo"\n'
        'image = "../../etc/passwd"\n'
    )
    with pytest.raises(CommandError) as error:
        call_command("load_content", "--file", str(path), verbosity=0)
    assert "image cannot be set by the content file" in str(error.value)
    assert "Upload images in the admin" in str(error.value)
    assert not Organisation.objects.exists()


def test_make_renditions_reads_through_storage():
    name = default_storage.save(
        "images/programme/raw.png", ContentFile(image_bytes("PNG", (700, 350)))
    )
    programme = make_programme()
    programme.image = name
    programme.image_alt_fr = programme.image_alt_en = "x"
    programme.save()
    programme.refresh_from_db()
    assert [w for w, _n in programme.image_renditions["webp"]] == [320, 640, 700]


@pytest.mark.slow  # the Nu HTML Checker, in Java
def test_pages_with_images_are_valid_html(client, tmp_path):
    checker_or_skip()
    programme = with_image(make_programme(), photo_with_metadata())
    organisation = with_image(
        make_organisation(), image_bytes("PNG", (600, 300)), "logo.png"
    )
    add_participation(programme, organisation)
    Programme.objects.filter(pk=programme.pk).update(image_alt_en="")
    paths = [reverse("programmes:programme_list")]
    for language in ("fr", "en"):
        with translation.override(language):
            paths += [programme.get_absolute_url(), organisation.get_absolute_url()]
            paths.append(reverse("programmes:programme_list"))
    pages = tmp_path / "pages"  # MEDIA_ROOT is in tmp_path too
    pages.mkdir()
    for number, path in enumerate(paths):
        content = client.get(path).content
        assert b"<picture" in content, path
        (pages / f"page-{number}.html").write_bytes(content)
    problems = errors_and_warnings(nu_html_messages(pages))
    assert problems == []


def test_restoring_an_earlier_revision_keeps_the_current_image(
    settings, django_capture_on_commit_callbacks
):
    # The image is left out of the history (programmes/translation.py).
    programme = make_programme()
    earliest = programme.history.earliest()
    programme = with_image(programme)
    files = media_files(settings)
    with django_capture_on_commit_callbacks(execute=True):
        restored = earliest.instance
        restored.save()
    restored.refresh_from_db()
    assert restored.image.name == programme.image.name
    assert restored.image_renditions == programme.image_renditions
    assert media_files(settings) == files
