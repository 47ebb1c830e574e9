"""Uploads through Django's storage API: local files, or S3-compatible storage.

With DJANGO_S3_BUCKET the default storage is django-storages' S3Storage
(settings.py, docs/operations.md); no test talks to a real bucket: botocore's
Stubber answers for S3, and a storage of our own stands for "elsewhere".
"""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from .factories import make_programme
from .helpers import in_fresh_process, stored_names, with_image

S3_ENVIRONMENT = {
    "DJANGO_S3_BUCKET": "site-media",
    "DJANGO_S3_ENDPOINT_URL": "https://s3.example.net",
    "DJANGO_S3_REGION": "fr-par",
    "DJANGO_S3_CUSTOM_DOMAIN": "media.example.org",
}

READ_STORAGE_SETTINGS = """
print(json.dumps({
    "default": settings.STORAGES["default"],
    "serve_media": settings.SERVE_MEDIA,
}))
"""


def test_uploads_are_local_files_by_default(tmp_path):
    answers = in_fresh_process(READ_STORAGE_SETTINGS, tmp_path)

    assert answers == {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "serve_media": True,
    }


def test_a_bucket_makes_uploads_go_to_s3_and_the_site_stop_serving_them(tmp_path):
    answers = in_fresh_process(READ_STORAGE_SETTINGS, tmp_path, **S3_ENVIRONMENT)

    assert answers["serve_media"] is False
    assert answers["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = answers["default"]["OPTIONS"]
    assert (
        options
        | {
            "bucket_name": "site-media",
            "endpoint_url": "https://s3.example.net",
            "region_name": "fr-par",
            "custom_domain": "media.example.org",
            # Public addresses: a signed one would expire inside cached pages.
            "querystring_auth": False,
            "file_overwrite": False,
        }
        == options
    )
    # Credentials stay in the environment, out of the settings.
    assert not {key for key in options if "key" in key or "secret" in key}


def test_the_site_may_still_serve_uploads_from_a_bucket_if_asked(tmp_path):
    answers = in_fresh_process(
        READ_STORAGE_SETTINGS, tmp_path, DJANGO_SERVE_MEDIA="1", **S3_ENVIRONMENT
    )

    assert answers["serve_media"] is True


def test_only_the_bucket_is_required(tmp_path):
    answers = in_fresh_process(
        READ_STORAGE_SETTINGS, tmp_path, DJANGO_S3_BUCKET="site-media"
    )

    options = answers["default"]["OPTIONS"]
    assert options["bucket_name"] == "site-media"
    assert options["endpoint_url"] is None
    assert options["region_name"] is None
    assert options["custom_domain"] is None


# S3Storage saving a file: botocore's Stubber answers instead of the network
# and records what would have been sent.
SAVE_THROUGH_S3 = """
from botocore.stub import Stubber
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
client = default_storage.connection.meta.client
sent = {}
def record(params, **kwargs):
    sent.update({k: v for k, v in params.items() if isinstance(v, str)})
client.meta.events.register("before-parameter-build.s3.PutObject", record)
stubber = Stubber(client)
# file_overwrite=False: the name is free (404), then the object is written.
stubber.add_client_error("head_object", service_error_code="404", http_status_code=404)
stubber.add_response("put_object", {"ETag": '"0"'})
with stubber:
    name = default_storage.save("images/programme/a-320w.webp", ContentFile(b"RIFF"))
    stubber.assert_no_pending_responses()
print(json.dumps({
    "storage": type(default_storage._wrapped).__name__,
    "endpoint": client.meta.endpoint_url,
    "region": client.meta.region_name,
    "name": name,
    "url": default_storage.url(name),
    "sent": sent,
}))
"""


def test_uploads_are_written_to_the_bucket_with_a_year_of_caching(tmp_path):
    answers = in_fresh_process(
        SAVE_THROUGH_S3,
        tmp_path,
        AWS_ACCESS_KEY_ID="test-key",
        AWS_SECRET_ACCESS_KEY="test-secret",
        **S3_ENVIRONMENT,
    )

    assert answers["storage"] == "S3Storage"
    assert answers["endpoint"] == "https://s3.example.net"
    assert answers["region"] == "fr-par"
    assert (
        answers["sent"]
        | {
            "Bucket": "site-media",
            "Key": "images/programme/a-320w.webp",
            "CacheControl": "public, max-age=31536000, immutable",
            "ContentType": "image/webp",
        }
        == answers["sent"]
    )
    assert answers["url"] == "https://media.example.org/images/programme/a-320w.webp"


# --- Renditions through whatever storage is configured ---------------------------


class RemoteStorage(FileSystemStorage):
    """Stands for object storage: files elsewhere, addresses on another host."""

    saved = []

    def _save(self, name, content):
        name = super()._save(name, content)
        self.saved.append(name)
        return name


@pytest.fixture
def remote_storage(settings, tmp_path):
    RemoteStorage.saved = []
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.test_object_storage.RemoteStorage",
            "OPTIONS": {
                "location": tmp_path / "bucket",
                "base_url": "https://media.example.org/",
            },
        },
    }
    return tmp_path / "bucket"


@pytest.mark.django_db
def test_images_and_renditions_go_through_the_default_storage(
    client, settings, remote_storage
):
    programme = with_image(make_programme())

    names = stored_names(programme)
    assert len(names) > 2  # the image and its renditions
    assert names <= set(RemoteStorage.saved)
    assert all((remote_storage / name).is_file() for name in names)
    assert not settings.MEDIA_ROOT.exists()
    assert isinstance(default_storage._wrapped, RemoteStorage)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_link_images_at_the_storages_address(client, remote_storage, language):
    programme = with_image(make_programme())

    page = client.get(
        f"/{language}/programmes/{getattr(programme, f'slug_{language}')}/"
    )

    html = page.content.decode()
    renditions = stored_names(programme) - {programme.image.name}
    assert renditions
    for name in renditions:
        assert f"https://media.example.org/{name}" in html
    assert "/media/images/" not in html
