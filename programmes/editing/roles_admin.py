"""The admin's side of the roles (programmes/editing/roles.py): text-only editing.

A user who may change a record but not publish it (a translator) changes its
translatable text only, slugs included (a page's address in each language, with
a 301 from the former one). Every other field (status, publication date,
display order, dates, budget, countries, regions, kind, websites, image) is
read-only: Django leaves read-only fields out of the form, so a forged value
posted for one is ignored. In a programme's inline rows such a user edits the
note or the title only, and adds or deletes no row.

Websites are translated, but they are other sites' addresses, not text to
translate.
"""

from django.db import models

from .publishing import publish_permission

# Translated fields of this kind are not text to translate.
NOT_TEXT = models.URLField


def is_translatable_text(field):
    original = getattr(field, "translated_field", None)
    return isinstance(original, models.CharField | models.TextField) and not (
        isinstance(original, NOT_TEXT)
    )


def locked_fields(model, exclude=()):
    """The form fields of `model` that only a user who may publish changes."""
    translated = {
        field.translated_field.name
        for field in model._meta.get_fields()
        if getattr(field, "translated_field", None)
    }
    return [
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "editable", False)
        and not field.auto_created
        and not field.primary_key
        and field.name not in translated
        and field.name not in exclude
        and not is_translatable_text(field)
        and not (
            field.many_to_many and not field.remote_field.through._meta.auto_created
        )
    ]


# Kept while a user without publish permission creates a record: a draft.
PUBLICATION_FIELDS = ["status", "published_at"]


class TextOnlyUnlessPublisherMixin:
    """For a ModelAdmin: users without the model's publish_* permission change
    translatable text only. On a model with no publish permission (the home
    page), only the model's change permission counts: all its fields are text."""

    def may_publish(self, request):
        return request.user.has_perm(publish_permission(self.model))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.may_publish(request):
            return readonly
        if obj is None:
            locked = [f for f in PUBLICATION_FIELDS if hasattr(self.model, f)]
        else:
            locked = locked_fields(self.model)
        return readonly + [name for name in locked if name not in readonly]

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug has no input to fill in from the name.
        readonly = self.get_readonly_fields(request, obj)
        return {
            target: sources
            for target, sources in super().get_prepopulated_fields(request, obj).items()
            if target not in readonly
        }


class TextOnlyUnlessPublisherInlineMixin:
    """For an inline of a publishable parent: without the parent's publish_*
    permission, its rows' text only; no row added or deleted."""

    def may_publish(self, request):
        return request.user.has_perm(publish_permission(self.parent_model))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.may_publish(request) or obj is None:
            return readonly
        fk_names = [
            field.name
            for field in self.model._meta.get_fields()
            if field.many_to_one and field.related_model is self.parent_model
        ]
        locked = locked_fields(self.model, exclude=fk_names)
        return readonly + [name for name in locked if name not in readonly]

    def has_add_permission(self, request, obj=None):
        return (
            self.may_publish(request) or obj is None
        ) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (self.may_publish(request) or obj is None) and (
            super().has_delete_permission(request, obj)
        )
