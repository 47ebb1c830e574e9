"""The admin's image field: the checked upload and a preview of the image."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .checks import CheckedImageField
from .renditions import Picture

# --- Admin ----------------------------------------------------------------------

PREVIEW_WIDTH = 240


class ImageAdminMixin:
    """The "Image" fieldset's checked upload field and its preview."""

    image_fieldset = (
        _("Image"),
        {"fields": ["image", "image_preview", "image_alt", "image_is_decorative"]},
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["form_class"] = CheckedImageField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if "image_preview" not in readonly:
            readonly.append("image_preview")
        return readonly

    @admin.display(description=_("current image"))
    def image_preview(self, obj):
        if obj is None or not obj.image:
            return gettext("No image yet.")
        picture = Picture(obj)
        source = picture.smallest()
        if source is None:
            return gettext("No image yet.")
        width = min(PREVIEW_WIDTH, picture.width)
        height = max(1, round(picture.height * width / picture.width))
        return format_html(
            '<img src="{}" width="{}" height="{}" alt="" class="image-preview">',
            source,
            width,
            height,
        )
