"""Images and logos: renditions, the files they leave, and <picture>.

Renditions (a few widths, WebP plus JPEG or PNG) are made once, when the
image changes, and recorded in `image_renditions`. Files go through Django's
storage API only: media may move to object storage. A replaced or removed
image's files are deleted once the transaction commits.
"""

import io
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from .checks import FORMATS, encode, plain_pixels

RENDITION_WIDTHS = (320, 640, 960, 1280)

# --- Renditions -----------------------------------------------------------------


def rendition_widths(width):
    """The standard widths below the image's own, then its own (at most 1280)."""
    largest = min(width, RENDITION_WIDTHS[-1])
    return [*(w for w in RENDITION_WIDTHS if w < largest), largest]


def make_renditions(field_file):
    """Write the renditions of a stored image; return what image_renditions holds."""
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    image = plain_pixels(image)
    fallback_format = "PNG" if image.mode == "RGBA" else "JPEG"
    stem = PurePosixPath(field_file.name).with_suffix("")
    renditions = {
        "source": field_file.name,
        "width": image.width,
        "height": image.height,
        "webp": [],
        "fallback": [],
        "fallback_type": f"image/{fallback_format.lower()}",
    }
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = (
            image
            if width == image.width
            else image.resize((width, height), Image.Resampling.LANCZOS)
        )
        for key, format_name in (("webp", "WEBP"), ("fallback", fallback_format)):
            extension = FORMATS[format_name][0]
            name = storage.save(
                f"{stem}-{width}w.{extension}",
                ContentFile(encode(resized, format_name)),
            )
            renditions[key].append([width, name])
    return renditions


def rendition_files(renditions):
    return [
        name
        for key in ("webp", "fallback")
        for _width, name in (renditions or {}).get(key, [])
    ]


def delete_files(storage, names):
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)


def delete_after_commit(storage, names):
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: delete_files(storage, names))


def remember_stored_files(sender, instance, **kwargs):
    """pre_save: note the files the database row points to before this save."""
    instance._stored_image = (None, {})
    if instance.pk is not None:
        row = (
            sender._default_manager.filter(pk=instance.pk)
            .values_list("image", "image_renditions")
            .first()
        )
        if row:
            instance._stored_image = (row[0] or None, row[1] or {})


def update_renditions(sender, instance, **kwargs):
    """post_save: renditions for a new image; old files go after the commit."""
    old_image, old_renditions = getattr(instance, "_stored_image", (None, {}))
    current = instance.image.name or None
    if current == old_image and (
        not current or (instance.image_renditions or {}).get("source") == current
    ):
        return
    storage = instance.image.storage
    renditions = make_renditions(instance.image) if current else {}
    # Not save(): no new version, no revision, no second round of signals.
    sender._default_manager.filter(pk=instance.pk).update(image_renditions=renditions)
    instance.image_renditions = renditions
    if old_image != current:
        delete_after_commit(storage, [old_image, *rendition_files(old_renditions)])
    else:
        delete_after_commit(
            storage,
            [
                name
                for name in rendition_files(old_renditions)
                if name not in rendition_files(renditions)
            ],
        )


def delete_stored_files(sender, instance, **kwargs):
    """post_delete: the record's image and renditions go after the commit."""
    delete_after_commit(
        instance.image.storage,
        [instance.image.name, *rendition_files(instance.image_renditions)],
    )


# --- Public rendering -----------------------------------------------------------


class Picture:
    """What a <picture> element needs, from a record's image and renditions."""

    def __init__(self, obj):
        self.obj = obj
        self.renditions = obj.image_renditions or {}
        self.width = obj.image_width or self.renditions.get("width") or 0
        self.height = obj.image_height or self.renditions.get("height") or 0

    def __bool__(self):
        return bool(self.obj.image and self.renditions.get("fallback") and self.width)

    def url(self, name):
        return self.obj.image.storage.url(name)

    def srcset(self, key):
        return ", ".join(
            f"{self.url(name)} {width}w" for width, name in self.renditions.get(key, [])
        )

    def smallest(self):
        fallback = self.renditions.get("fallback")
        return self.url(fallback[0][1]) if fallback else None

    def largest(self):
        fallback = self.renditions.get("fallback")
        return self.url(fallback[-1][1]) if fallback else None

    @property
    def alt(self):
        if self.obj.image_is_decorative:
            return ""
        return self.obj.image_alt or ""

    @property
    def alt_language(self):
        if self.obj.image_is_decorative or not self.obj.image_alt:
            return None
        return self.obj.language_of("image_alt")
