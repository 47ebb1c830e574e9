"""Images and logos: checking uploads and cleaning them.

An upload is judged on its bytes, never on its name or the browser's word:
it must be a JPEG, PNG or WebP image that Pillow decodes completely, within a
size and pixel budget, with nothing before or after the image. What is stored
is not the upload but Pillow's re-encoding of its pixels, so no metadata
(EXIF, GPS, XMP, comments) and no smuggled bytes survive.
"""

import io
import re
import warnings
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000

# Pillow's name for the format -> (extension stored, extensions accepted).
FORMATS = {
    "JPEG": ("jpg", {"jpg", "jpeg", "jpe", "jfif"}),
    "PNG": ("png", {"png"}),
    "WEBP": ("webp", {"webp"}),
}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}

# Markup, script or archive bytes have no business inside an image: their
# presence makes the file something else too (a polyglot).
FOREIGN_CONTENT = re.compile(
    rb"<\s*(script|html|body|svg|iframe|object|embed|\?php|!doctype)"
    rb"|javascript:|PK\x03\x04",
    re.IGNORECASE,
)

# --- Messages -------------------------------------------------------------------

UPLOAD_INSTEAD = _("Upload a photograph as JPEG, or a logo or drawing as PNG or WebP.")
MESSAGES = {
    "empty": _("The file is empty. Choose the image file again and upload it."),
    "too_large": _(
        "The file is %(size)s, more than the %(limit)s allowed. Save the image "
        "at a smaller size (2,000 pixels wide is plenty) and upload it again."
    ),
    "svg": _(
        "SVG drawings are not accepted: they can hold scripts. Export the "
        "drawing as PNG (or WebP) and upload that."
    ),
    "gif": _(
        "GIF images are not accepted. Save the image as PNG, or as JPEG for a "
        "photograph, and upload that."
    ),
    "not_an_image": _(
        "This file is not a JPEG, PNG or WebP image. Upload a photograph as "
        "JPEG, or a logo or drawing as PNG or WebP."
    ),
    "wrong_extension": _(
        "The file’s name ends in “.%(extension)s” but it holds a %(format)s "
        "image. Save it again as JPEG, PNG or WebP, with a name ending in "
        "“.%(expected)s”, and upload that."
    ),
    "too_many_pixels": _(
        "This image is %(width)s × %(height)s pixels, more than the "
        "%(limit)s million pixels allowed. Save it at a smaller size (2,000 "
        "pixels wide is plenty) and upload it again."
    ),
    "bomb": _(
        "This image would take far more memory to open than its file size "
        "suggests (a “decompression bomb”). Export it again from an image "
        "editor, at a smaller size, and upload that."
    ),
    "damaged": _(
        "This image is damaged or incomplete: perhaps its download or export "
        "was interrupted. Open it in an image editor, save it again as JPEG, "
        "PNG or WebP, and upload that."
    ),
    "polyglot": _(
        "This file holds something else besides the image (a web page, a "
        "script or an archive). Open the image in an image editor, save it "
        "again as JPEG, PNG or WebP, and upload that."
    ),
    "animated": _(
        "Animated images are not accepted. Upload a still image as JPEG, PNG or WebP."
    ),
}


class ImageRefused(Exception):
    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self):
        return (
            str(MESSAGES[self.code]) % self.params
            if self.params
            else str(MESSAGES[self.code])
        )


def max_upload_bytes():
    return getattr(settings, "IMAGE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES)


def max_pixels():
    return getattr(settings, "IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


# --- Checking an upload ---------------------------------------------------------


def sniff(data):
    """Pillow's name of the format the bytes start as, or raise ImageRefused."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data.startswith((b"GIF87a", b"GIF89a")):
        raise ImageRefused("gif")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in head):
        raise ImageRefused("svg")
    raise ImageRefused("not_an_image")


def image_end(data, format_name):
    """Where the image's own bytes end: what follows is something else."""
    if format_name == "PNG":
        return png_end(data)
    if format_name == "WEBP":
        size = int.from_bytes(data[4:8], "little") + 8
        return size + (size % 2)
    return jpeg_end(data)


def png_end(data):
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position
    raise ImageRefused("damaged")


def jpeg_end(data):
    """The offset just past the JPEG's end-of-image marker (EOI)."""
    position = 2  # past SOI
    length = len(data)
    while position < length:
        if data[position] != 0xFF:
            raise ImageRefused("damaged")
        while position < length and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= length:
            break
        marker = data[position]
        position += 1
        if marker == 0xD9:  # EOI
            return position
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            continue
        segment = int.from_bytes(data[position : position + 2], "big")
        position += segment
        if marker == 0xDA:  # SOS: entropy-coded data up to the next marker
            position = next_marker(data, position)
    raise ImageRefused("damaged")


def next_marker(data, position):
    """Skip entropy-coded data: FF 00 is a data byte, FF D0-D7 a restart."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise ImageRefused("damaged")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
            continue
        return position


def check_trailer(data, format_name):
    """Refuse bytes after the image, except padding or a camera's extra JPEG.

    Phones append a second JPEG (a multi-picture file, MPO) or a depth map after
    the first image's end: it starts with its own SOI marker and is dropped by
    the re-encoding. Anything else there is a file hiding behind an image.
    """
    end = image_end(data, format_name)
    if end > len(data) + 1:
        raise ImageRefused("damaged")
    trailer = data[end:]
    if not trailer.strip(b"\x00 \t\r\n"):
        return
    if format_name == "JPEG" and trailer.startswith(b"\xff\xd8\xff"):
        if FOREIGN_CONTENT.search(trailer):
            raise ImageRefused("polyglot")
        return
    raise ImageRefused("polyglot")


def extension_of(name):
    return PurePosixPath(name or "").suffix.lower().lstrip(".")


def open_checked(data, name=""):
    """A fully decoded Pillow image from an upload's bytes, or ImageRefused."""
    if not data:
        raise ImageRefused("empty")
    if len(data) > max_upload_bytes():
        raise ImageRefused(
            "too_large",
            size=filesizeformat(len(data)),
            limit=filesizeformat(max_upload_bytes()),
        )
    format_name = sniff(data)
    stored_extension, extensions = FORMATS[format_name]
    extension = extension_of(name)
    # A name with no extension leaves the content to decide; a name claiming
    # another kind of file is refused (a PNG named report.pdf).
    if extension and extension not in extensions:
        raise ImageRefused(
            "wrong_extension",
            extension=extension,
            format=FORMAT_NAMES[format_name],
            expected=stored_extension,
        )
    check_trailer(data, format_name)
    if FOREIGN_CONTENT.search(data):
        raise ImageRefused("polyglot")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # Header only: the pixels are not decoded yet.
            image = Image.open(io.BytesIO(data), formats=[format_name])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("bomb") from None
        except (OSError, SyntaxError, ValueError):
            raise ImageRefused("damaged") from None
        width, height = image.size
        if width * height > max_pixels():
            raise ImageRefused(
                "too_many_pixels",
                width=width,
                height=height,
                limit=max_pixels() // 1_000_000,
            )
        if getattr(image, "n_frames", 1) > 1 and format_name != "JPEG":
            raise ImageRefused("animated")
        try:
            image.verify()  # checksums (PNG); verify() spends the image
            image = Image.open(io.BytesIO(data), formats=[format_name])
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRefused("bomb") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise ImageRefused("damaged") from None
    if width < 1 or height < 1:
        raise ImageRefused("damaged")
    return image, format_name


# --- Cleaning -------------------------------------------------------------------


def has_transparency(image):
    if image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    ):
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def plain_pixels(image):
    """Upright RGB or RGBA pixels with no metadata but the colour profile."""
    icc_profile = (
        image.info.get("icc_profile") if image.mode in ("RGB", "RGBA") else None
    )
    upright = ImageOps.exif_transpose(image)
    mode = "RGBA" if has_transparency(upright) else "RGB"
    # A new image from the pixels alone: nothing of the file's info, EXIF,
    # XMP or comments is carried over.
    clean = Image.new(mode, upright.size)
    clean.paste(upright.convert(mode))
    if icc_profile:
        clean.info["icc_profile"] = icc_profile
    return clean


def encode(image, format_name):
    buffer = io.BytesIO()
    options = (
        {"icc_profile": image.info.get("icc_profile")}
        if image.info.get("icc_profile")
        else {}
    )
    if format_name == "JPEG":
        image.convert("RGB").save(
            buffer, "JPEG", quality=85, optimize=True, progressive=True, **options
        )
    elif format_name == "PNG":
        image.save(buffer, "PNG", optimize=True, **options)
    else:
        image.save(buffer, "WEBP", quality=80, method=6, **options)
    return buffer.getvalue()


def clean_upload(data, name=""):
    """(bytes to store, extension) for an accepted upload, or ImageRefused."""
    image, format_name = open_checked(data, name)
    clean = plain_pixels(image)
    if format_name == "JPEG" and clean.mode == "RGBA":
        format_name = "PNG"
    return encode(clean, format_name), FORMATS[format_name][0]


class CheckedImageField(forms.ImageField):
    """The admin's image field: checked on content, stored re-encoded."""

    def __init__(self, *args, **kwargs):
        # The stored name is ours (upload_path): the upload's may be any length.
        kwargs["max_length"] = None
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        upload.seek(0)
        raw = upload.read(max_upload_bytes() + 1)
        try:
            cleaned, extension = clean_upload(raw, upload.name)
        except ImageRefused as refusal:
            raise forms.ValidationError(
                refusal.message(), code=f"image_{refusal.code}"
            ) from None
        return SimpleUploadedFile(
            f"image.{extension}", cleaned, content_type=f"image/{extension}"
        )
