"""Publishing in the admin: status actions, previews and the edit lock.

- Publishing, scheduling and archiving need the model's publish_* permission
  (programmes/models.py, Meta.permissions); the rules of what may be
  published live on the model (Publishable.check_publishable).
- A preview shows a saved draft exactly as the public page will, in either
  language, to staff only, never cached and never indexed.
- The edit lock refuses a save made from a form opened before someone else's
  save (optimistic locking on Publishable.version).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import (
    get_language,
    gettext,
    ngettext,
)
from django.utils.translation import gettext_lazy as _

from programmes.content.bases import PublicationStatus
from programmes.languages import language_codes, language_in_sentence


class EditLockForm(forms.ModelForm):
    """A change form that remembers which version of the record it shows."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The database's version, not the instance's: the admin's history
            # and restore views build forms from older copies of the record.
            self.fields["edit_version"].initial = self.current_version()

    def current_version(self, lock=False):
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock:
            # Held until the admin's transaction ends: a second save waiting
            # here then reads the version the first one wrote (PostgreSQL;
            # SQLite runs one write transaction at a time anyway).
            rows = rows.select_for_update()
        return rows.values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        opened = cleaned_data.get("edit_version")
        if opened is None or opened != self.current_version(lock=True):
            raise ValidationError(self.conflict_message(), code="edit_conflict")
        return cleaned_data

    def add_error(self, field, error):
        # A model rule can name a field this user's form does not show (a
        # translator's form leaves out status and dates): say it above the
        # form rather than fail.
        if field is None and hasattr(error, "error_dict"):
            hidden = {
                name: errors
                for name, errors in error.error_dict.items()
                if name != NON_FIELD_ERRORS and name not in self.fields
            }
            for name, errors in hidden.items():
                del error.error_dict[name]
                label = self.instance._meta.get_field(name).verbose_name
                for message in ValidationError(errors).messages:
                    super().add_error(
                        None,
                        gettext("%(field)s: %(message)s")
                        % {"field": capfirst(label), "message": message},
                    )
            if not error.error_dict:
                return
        super().add_error(field, error)

    def conflict_message(self):
        latest = self.instance.history.select_related("history_user").first()
        who = str(latest.history_user) if latest and latest.history_user else None
        when = date_format(
            timezone.localtime(latest.history_date) if latest else timezone.now(),
            "DATETIME_FORMAT",
        )
        params = {"when": when, "who": who}
        if who:
            text = gettext(
                "%(who)s saved this record at %(when)s, after you opened it. "
                "Your changes are not saved, so that theirs are not lost: copy "
                "your changes, open the record again and make them once more."
            )
        else:
            text = gettext(
                "Someone saved this record at %(when)s, after you opened it. "
                "Your changes are not saved, so that theirs are not lost: copy "
                "your changes, open the record again and make them once more."
            )
        return text % params


def publish_permission(model):
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


class PublishingAdminMixin:
    """Status column and actions, previews and the edit lock for a ModelAdmin.

    The class using it names `preview_view`, the public detail view class.
    """

    form = EditLockForm
    preview_view = None
    actions = ["publish_selected", "archive_selected", "return_to_draft"]

    # --- Form -----------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        # The hidden version travels with the form in a fieldset of its own.
        return [
            *super().get_fieldsets(request, obj),
            (None, {"fields": ["edit_version"], "classes": ["hidden"]}),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # At the top of the form (templates/admin/programmes/change_form.html),
        # not half-way down among the fields.
        context["preview_links"] = self.preview_links(obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def get_view_on_site_url(self, obj=None):
        # A draft or scheduled page has no public address yet (a 404): its
        # preview, in the editor's language, is what "View on site" can show.
        if obj is not None and obj.pk is not None and not obj.is_public:
            language = get_language()
            if language not in language_codes():
                language = settings.LANGUAGE_CODE
            return self.preview_url(obj, language)
        return super().get_view_on_site_url(obj)

    def preview_links(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save a draft first, then preview it here.")
        return format_html_join(
            " · ",
            # The link's text is in the admin's language, not the preview's.
            '<a href="{}" hreflang="{}">{}</a>',
            (
                (
                    self.preview_url(obj, code),
                    code,
                    gettext("Preview in %(language)s")
                    % {"language": language_in_sentence(code)},
                )
                for code in language_codes()
            ),
        )

    def preview_url(self, obj, language):
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_preview",
            args=[obj.pk, language],
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "published_at" and formfield is not None:
            # The admin's date and time inputs share one <label>: name each.
            date_input, time_input = formfield.widget.widgets
            date_input.attrs["aria-label"] = _("Publication date: day")
            time_input.attrs["aria-label"] = _("Publication date: time")
        return formfield

    # --- List -----------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def publication_status(self, obj):
        if obj.status == PublicationStatus.PUBLISHED and not obj.is_public:
            when = date_format(timezone.localtime(obj.published_at), "DATETIME_FORMAT")
            label, kind = (
                gettext("scheduled for %(when)s") % {"when": when},
                "scheduled",
            )
        else:
            label, kind = obj.get_status_display(), obj.status
        return format_html(
            '<span class="publication-status publication-status--{}">{}</span>',
            kind,
            label,
        )

    # --- Permissions and actions ----------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return request.user.has_perm(publish_permission(self.model))

    @admin.action(description=_("Publish the selected items"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = [], []
        for obj in queryset:
            obj.status = PublicationStatus.PUBLISHED
            try:
                obj.full_clean()
            except ValidationError as error:
                refused.append((obj, error))
                continue
            obj.save()
            published.append(obj)
        self.report(
            request,
            published,
            ngettext(
                "%(count)d item published.",
                "%(count)d items published.",
                len(published),
            ),
        )
        for obj, error in refused:
            self.message_user(
                request,
                gettext("“%(object)s” was not published: %(reasons)s")
                % {"object": obj, "reasons": " ".join(error.messages)},
                messages.ERROR,
            )

    @admin.action(description=_("Archive the selected items"), permissions=["publish"])
    def archive_selected(self, request, queryset):
        changed = self.set_status(queryset, PublicationStatus.ARCHIVED)
        self.report(
            request,
            changed,
            ngettext(
                "%(count)d item archived: it answers “gone” to visitors.",
                "%(count)d items archived: they answer “gone” to visitors.",
                len(changed),
            ),
        )

    @admin.action(
        description=_("Return the selected items to draft"), permissions=["publish"]
    )
    def return_to_draft(self, request, queryset):
        changed = self.set_status(queryset, PublicationStatus.DRAFT)
        self.report(
            request,
            changed,
            ngettext(
                "%(count)d item returned to draft.",
                "%(count)d items returned to draft.",
                len(changed),
            ),
        )

    def set_status(self, queryset, status):
        changed = []
        # One save per object, not queryset.update(): each change is a revision.
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save()
            changed.append(obj)
        return changed

    def report(self, request, objects, message):
        if objects:
            self.message_user(request, message % {"count": len(objects)})

    # --- Preview ----------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/preview/<str:language>/",
                self.admin_site.admin_view(self.preview),
                name=f"{opts.app_label}_{opts.model_name}_preview",
            ),
            *super().get_urls(),
        ]

    def preview(self, request, object_id, language):
        if language not in language_codes():
            raise Http404
        opts = self.model._meta
        obj = get_object_or_404(self.model, pk=unquote(object_id))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        with translation.override(language):
            view = self.preview_view.as_view(
                preview_pk=obj.pk,
                preview_edit_url=reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                    args=[obj.pk],
                ),
            )
            response = view(request)
            # Rendered here, while the preview's language is active.
            if hasattr(response, "render"):
                response.render()
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response.headers.setdefault("Content-Language", language)
        return response
