"""What the content models share: timestamps, translations, publication, images."""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from programmes.languages import (
    default_language,
    language_codes,
    language_in_sentence,
    required_languages,
)

from .rich_text import clean_for_storage
from .text import normalise_text, typeset


def per_language_unique(field_name, model_name):
    """One unique constraint per language on a translated field (e.g. slug_fr).

    Built from settings.LANGUAGES so that adding a language only needs a
    migration. Empty translations are stored as NULL, which never collides.
    """
    return [
        models.UniqueConstraint(
            fields=[build_localized_fieldname(field_name, code)],
            name=f"{model_name}_{field_name}_{code}_unique",
        )
        for code in language_codes()
    ]


def with_slug(queryset, slug, language):
    """The records whose address in `language` ends with `slug`, best first.

    A record without a slug in `language` (a language added since, not yet
    translated) has the default language's there: links are built from it
    (modeltranslation's fallback), so addresses resolve the same way. A record
    whose own slug matches comes before one matching by fallback.
    """
    own = build_localized_fieldname("slug", language)
    default = build_localized_fieldname("slug", default_language())
    return queryset.filter(
        Q(**{own: slug}) | Q(**{f"{own}__isnull": True, default: slug})
    ).order_by(models.F(own).asc(nulls_last=True))


def page_address(obj, view_name):
    """The address of `obj`'s page (`view_name`, its slug), reversed once per
    language and slug for each object: a list shows a programme's address in
    its card, its figures' source links and the comparison table."""
    key = (view_name, get_language(), obj.slug, get_script_prefix(), get_urlconf())
    addresses = obj.__dict__.setdefault("_page_addresses", {})
    if key not in addresses:
        addresses[key] = reverse(view_name, kwargs={"slug": key[2]})
    return addresses[key]


def require_in_one_language(instance, field_name, message):
    """For fields some records have in one language only (no French name)."""
    names = [build_localized_fieldname(field_name, code) for code in language_codes()]
    if not any(getattr(instance, name) for name in names):
        raise ValidationError({names[0]: message})


def in_model_order(objects, model):
    """`objects` of `model`, sorted as its Meta.ordering sorts them in SQL."""
    ordered = list(objects)
    # One stable sort per field, the last first: together, the SQL ORDER BY.
    for name in reversed(model._meta.ordering):
        descending = name.startswith("-")
        attribute = name.removeprefix("-")
        ordered.sort(key=lambda obj: getattr(obj, attribute), reverse=descending)
    return ordered


def stored_text_fields(model):
    """The attributes of `model` holding text: summary_fr and summary_en, not
    modeltranslation's summary, which reads and writes the active language
    (falling back to another)."""
    translated = translator.get_options_for_model(model).get_field_names()
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and field.name not in translated
    ]


def typeset_fields(model):
    """The translated fields of `model` people read as text (not addresses,
    slugs or codes): each language's typography applies to them."""
    translated = translator.get_options_for_model(model).get_field_names()
    return [
        name
        for name in translated
        if isinstance(
            field := model._meta.get_field(name), models.CharField | models.TextField
        )
        and not isinstance(field, models.URLField | models.SlugField)
    ]


class Timestamped(models.Model):
    """When a record was created and last changed (sitemaps, feeds, API, caching)."""

    created_at = models.DateTimeField(
        _("created"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class TranslatableModel(models.Model):
    """Translation completeness and fallback language for modeltranslation models."""

    # Translated fields every language needs before a record counts as complete.
    completeness_fields = ()
    # Translated fields holding rich text, sanitised in every language on
    # clean and save (programmes/content/rich_text.py).
    rich_text_fields = ()

    # The language the record is written in: the others translate it, and only
    # a change to it makes them outdated. Chosen on the first save that holds
    # text (programmes/translating/status.py: French when it has text, else the
    # first language written), then kept; editors may change it. Empty until
    # then. No choices here: the languages live in settings (issue 19).
    source_language = models.CharField(
        _("source language"),
        max_length=10,
        blank=True,
        default="",
        help_text=_(
            "The language this record is written in: a change to its text marks "
            "the other languages outdated; a change to a translation flags "
            "nothing."
        ),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sanitise_rich_text()
        self.normalise_text_fields()
        super().save(*args, **kwargs)

    def clean(self):
        # First, so that text the sanitiser empties counts as missing.
        self.sanitise_rich_text()
        self.normalise_text_fields()
        super().clean()

    def sanitise_rich_text(self):
        for name in self.rich_text_fields:
            for code in language_codes():
                field_name = build_localized_fieldname(name, code)
                value = getattr(self, field_name)
                if value:
                    setattr(self, field_name, clean_for_storage(value))

    def normalise_text_fields(self):
        """Every text field, each language's own, in its one stored form
        (programmes/content/text.py): whether typed in the admin, imported
        from a translator's file or loaded from the content file."""
        for name in stored_text_fields(type(self)):
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, normalise_text(value))
        # French guillemets, apostrophes... (text.py's TYPOGRAPHY).
        for name in typeset_fields(type(self)):
            for code in language_codes():
                column = build_localized_fieldname(name, code)
                value = getattr(self, column, None)
                if isinstance(value, str):
                    setattr(self, column, typeset(value, code))

    def missing_translations(self):
        """{language code: [translated fields with no text in that language]}.

        A field is missing when it is required for completeness, or when another
        language has text for it (an optional note written in one language only).
        Addresses are not text to translate: a page may exist in one language only.
        """
        field_names = [
            name
            for name in translator.get_options_for_model(type(self)).get_field_names()
            if name in self.completeness_fields
            or not isinstance(self._meta.get_field(name), models.URLField)
        ]
        values = {
            name: {
                code: getattr(self, build_localized_fieldname(name, code)) or ""
                for code in language_codes()
            }
            for name in field_names
        }
        return {
            code: [
                name
                for name in field_names
                if not values[name][code]
                and (name in self.completeness_fields or any(values[name].values()))
            ]
            for code in language_codes()
        }

    def complete_languages(self):
        return [
            code for code, missing in self.missing_translations().items() if not missing
        ]

    def language_of(self, field_name):
        """The language the active-language value of `field_name` is really in.

        When a field is empty in the active language, modeltranslation falls back
        to another language; templates use this to mark that text with `lang`.
        """
        for code in resolution_order(get_language()):
            if getattr(self, build_localized_fieldname(field_name, code), None):
                return code
        return get_language()


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


def published_q(prefix=""):
    """The one rule deciding what the public sees, as a filter.

    Published, and its publication time has come. `prefix` applies the rule
    across a relation ("programmes__") for counts and prefetches.
    """
    return Q(
        **{
            f"{prefix}status": PublicationStatus.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_q())


class Publishable(models.Model):
    """Draft, published or archived, with an optional scheduled publication time.

    `version` counts saves: the admin form carries the value it was opened
    with, and a save from a form opened before someone else's is refused.
    """

    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus,
        default=PublicationStatus.DRAFT,
        help_text=_(
            "Drafts and archived pages are not public. Archived pages answer "
            "“gone” to visitors."
        ),
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty to publish on saving. A date in the future schedules "
            "the publication."
        ),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    # Translated fields that need text in every required language
    # (settings.REQUIRED_LANGUAGES) before publishing.
    publication_required_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == PublicationStatus.PUBLISHED and self.published_at is None:
            # Whole seconds: what the admin's date and time fields show and
            # send back, so that saving a form unchanged changes nothing.
            self.published_at = timezone.now().replace(microsecond=0)
        self.version += 1
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.status == PublicationStatus.PUBLISHED:
            self.check_publishable()

    def check_publishable(self):
        """Refuse publication while a required field is empty in a required
        language. Other languages are optional: the page shows the default
        language's text there, marked with its lang and dir."""
        errors = {}
        for name in self.publication_required_fields:
            for code in required_languages():
                field_name = build_localized_fieldname(name, code)
                if not getattr(self, field_name):
                    label = self._meta.get_field(name).verbose_name
                    errors[field_name] = _(
                        "Publishing needs the %(field)s in %(language)s. Fill it "
                        "in, or save as a draft."
                    ) % {
                        "field": label,
                        "language": language_in_sentence(code),
                    }
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return (
            self.status == PublicationStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_archived(self):
        return self.status == PublicationStatus.ARCHIVED


def upload_path(instance, filename):
    """images/programme/3f2c….jpg: a fresh name per upload, never the visitor's.

    A new name for every file means a replaced image never overwrites one a
    cache or an old revision still points to.
    """
    extension = PurePosixPath(filename).suffix.lower()
    return f"images/{instance._meta.model_name}/{uuid.uuid4().hex}{extension}"


def check_alternative_text(instance):
    """{field: message} for each required language lacking a text alternative."""
    if not instance.image or instance.image_is_decorative:
        return {}
    errors = {}
    for code in required_languages():
        field_name = build_localized_fieldname("image_alt", code)
        if not (getattr(instance, field_name, "") or "").strip():
            errors[field_name] = gettext(
                "Describe the image in %(language)s for people who cannot see "
                "it, or tick “decorative image” if it adds nothing to the text."
            ) % {"language": language_in_sentence(code)}
    return errors


class Illustrated(models.Model):
    """An image or logo, its text alternative per language, and its renditions."""

    image = models.ImageField(
        _("image"),
        upload_to=upload_path,
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text=_("JPEG, PNG or WebP."),
    )
    image_alt = models.CharField(
        _("text alternative"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it. Required in "
            "every language unless the image is decorative."
        ),
    )
    image_is_decorative = models.BooleanField(
        _("decorative image"),
        default=False,
        help_text=_("Tick when the image adds nothing to the text around it."),
    )
    image_width = models.PositiveIntegerField(
        _("image width"), null=True, blank=True, editable=False
    )
    image_height = models.PositiveIntegerField(
        _("image height"), null=True, blank=True, editable=False
    )
    # {"webp": [[width, path], ...], "fallback": [[width, path], ...]}
    image_renditions = models.JSONField(
        _("image renditions"), default=dict, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        # A text alternative in every language, unless the image is decorative
        # (programmes/editing/images/). Checked with the fields, not in clean(), so
        # that full_clean() reports it together with clean()'s errors.
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for name, message in check_alternative_text(self).items():
            if not exclude or name not in exclude:
                errors.setdefault(name, []).append(message)
        if errors:
            raise ValidationError(errors)
