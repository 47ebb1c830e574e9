"""Links that never break: a page's former addresses answer 301 to its current one.

- Recording, in the model layer (signals connected in programmes/apps.py), so
  that admin saves, load_content, restores and shell code all record: when a
  slug changes in a language, the old slug becomes a SlugRedirect to the
  object. A redirect points at the object, not at the next slug, so a page
  renamed again is still one hop away. A slug taken by a live object (its own
  former slug back, or another object's) stops being a redirect: the live page
  wins, and no loop can form.
- Serving, in the public detail views (RedirectFormerSlugMixin): a slug that
  matches no public page answers 301 to the page it belonged to when that page
  is public, 410 when the page is archived (at its current address too), and
  404 otherwise (a draft, a scheduled page, nothing).
- In the admin, the change form lists the former addresses (read only): editors
  have nothing to do for redirects to work.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from programmes.content.bases import with_slug
from programmes.languages import default_language, language_codes

from .models import SlugRedirect


def slug_fields():
    return {code: build_localized_fieldname("slug", code) for code in language_codes()}


# --- Recording ------------------------------------------------------------------------


def remember_slugs(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: note the slugs the database row has before this save.

    None when the save cannot change a slug (fixtures carry their own
    redirects; update_fields without a slug); {} for an object not yet stored.
    """
    fields = slug_fields()
    instance._stored_slugs = None
    if raw or (
        update_fields is not None and not set(fields.values()) & set(update_fields)
    ):
        return
    row = None
    if instance.pk is not None:
        row = (
            sender._base_manager.filter(pk=instance.pk)
            .values_list(*fields.values())
            .first()
        )
    instance._stored_slugs = dict(zip(fields, row, strict=True)) if row else {}


def record_slug_changes(sender, instance, **kwargs):
    """post_save: former slugs become redirects; slugs now in use stop being ones."""
    stored = getattr(instance, "_stored_slugs", None)
    instance._stored_slugs = None
    if stored is None:
        return
    content_type = ContentType.objects.get_for_model(sender)
    fields = slug_fields()
    default = default_language()
    for code, field_name in fields.items():
        # A language without its own slug uses the default language's
        # (content.bases.with_slug): its address changes when that one does,
        # and when it gets a slug of its own.
        old = stored.get(code) or stored.get(default) or ""
        new = getattr(instance, field_name) or getattr(instance, fields[default]) or ""
        if old == new:
            continue
        if old:
            SlugRedirect.objects.update_or_create(
                content_type=content_type,
                language=code,
                old_slug=old,
                defaults={"object_id": instance.pk},
            )
        if new:
            SlugRedirect.objects.filter(
                content_type=content_type, language=code, old_slug=new
            ).delete()


# --- Serving --------------------------------------------------------------------------


class AnsweredElsewhere(Exception):
    """Raised by get_object when the slug is a page's former or archived address."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def gone(request):
    """The 410 page, in the active language."""
    return render(request, "410.html", {"language_links_to_home": True}, status=410)


class RedirectFormerSlugMixin:
    """For PublicDetailView subclasses: what a slug with no public page answers.

    Costs nothing on a public page: the lookups run only where the page would
    otherwise be a 404.
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except AnsweredElsewhere as answer:
            return answer.response

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            if self.preview_pk is not None:
                raise
            response = self.answer_for_missing_slug(
                self.kwargs.get(self.slug_url_kwarg)
            )
            if response is None:
                raise
            raise AnsweredElsewhere(response) from None

    def answer_for_missing_slug(self, slug):
        """A 301 or 410 response for `slug`, or None for a 404."""
        if not slug:
            return None
        model = self.all_objects().model
        language = translation.get_language()
        # The slug is an unpublished object's current one: an archived page is
        # gone, a draft or scheduled page does not exist yet.
        current = with_slug(model._default_manager.all(), slug, language).first()
        if current is not None:
            return gone(self.request) if current.is_archived else None
        former = (
            SlugRedirect.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                language=language,
                old_slug=slug,
            )
            .values_list("object_id", flat=True)
            .first()
        )
        if former is None:
            return None
        target = model._default_manager.filter(pk=former).first()
        if target is None:
            return None
        if target.is_archived:
            return gone(self.request)
        if not target.is_public:
            return None
        location = target.get_absolute_url()
        query = self.request.META.get("QUERY_STRING", "")
        if query:
            location = f"{location}?{query}"
        return HttpResponsePermanentRedirect(location)


# --- Admin ----------------------------------------------------------------------------


class FormerAddressesAdminMixin:
    """A read-only list of the addresses that redirect to the object."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if "former_addresses" not in readonly:
            readonly.append("former_addresses")
        return readonly

    @admin.display(description=_("former addresses"))
    def former_addresses(self, obj):
        redirects = []
        if obj is not None and obj.pk is not None:
            redirects = SlugRedirect.objects.filter(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
            ).order_by("language", "-created_at")
        if not redirects:
            return gettext(
                "None. When you change the slug, the old address will lead "
                "visitors here automatically."
            )
        return format_html(
            '<ul class="former-addresses">{}</ul>',
            format_html_join(
                "",
                '<li><span lang="{}">{}</span></li>',
                (
                    (redirect.language, former_url(obj, redirect))
                    for redirect in redirects
                ),
            ),
        )


def former_url(obj, redirect):
    """The old address: the object's page in that language, with the old slug."""
    with translation.override(redirect.language):
        return reverse(
            f"programmes:{obj._meta.model_name}_detail",
            kwargs={"slug": redirect.old_slug},
        )
