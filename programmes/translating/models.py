"""What the translators' workflow stores: translation states and the glossary."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from programmes.content.bases import Timestamped
from programmes.content.text import normalise_text, typeset
from programmes.languages import language_codes


class TranslationState(models.Model):
    """What one language of one translated field was last written against.

    `source_texts` keeps the other languages' text as it was when this one was
    last written or marked as checked: when that text has changed since, this
    translation is outdated, and the difference is what the translator must
    carry over (programmes/translating/status.py keeps these rows current).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    field = models.CharField(_("field"), max_length=50)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    source_texts = models.JSONField(
        _("text of the other languages when last translated"), default=dict
    )
    checked = models.BooleanField(
        _("marked as checked"),
        default=False,
        help_text=_("Confirmed up to date without a change to its text."),
    )
    updated_at = models.DateTimeField(_("last translated or checked"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translationstate_one_per_field_and_language",
            )
        ]
        permissions = [
            (
                "review_translations",
                _("Can see the translation dashboard and mark translations as checked"),
            ),
            ("exchange_translations", _("Can export and import translation files")),
        ]

    def __str__(self):
        return (
            f"{self.content_type.model}.{self.object_id}.{self.field} ({self.language})"
        )


class Status(models.TextChoices):
    MISSING = "missing", _("missing")
    OUTDATED = "outdated", _("outdated")
    UP_TO_DATE = "up_to_date", _("up to date")


class StoredStatus(models.Model):
    """The status of one translated field of one record in one language, stored.

    Written by every save of the record (and by marking as checked) from its
    texts, its TranslationStates and its source language
    (programmes/translating/status.py): the dashboard, the exports and the
    imports read these rows instead of computing the whole site's status. A
    field empty in every language and not needed for completeness has none.
    `kind`, `field_position` and `language_position` keep the dashboard's order
    (TRACKED_MODELS, the form's fields, settings.LANGUAGES) so the database can
    sort and paginate; `manage.py rebuild_translation_status` writes every row
    again (migrate does when the tracked fields or the languages changed).
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    field = models.CharField(_("field"), max_length=50)
    # No choices: the languages live in settings (issue 19).
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # The language this one is translated from (FieldStatus.source).
    source = models.CharField(_("translated from"), max_length=10)
    kind = models.PositiveSmallIntegerField()
    field_position = models.PositiveSmallIntegerField()
    language_position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("stored translation status")
        verbose_name_plural = _("stored translation statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="storedstatus_one_per_field_and_language",
            )
        ]
        indexes = [
            models.Index(
                fields=["kind", "object_id", "field_position", "language_position"],
                name="storedstatus_dashboard_order",
            ),
            models.Index(fields=["language", "status"], name="storedstatus_counts"),
        ]

    def __str__(self):
        return f"{self.kind}.{self.object_id}.{self.field} ({self.language})"


class StoredStatusRules(models.Model):
    """What the stored statuses were computed with: the tracked fields of each
    kind of record and the languages (a digest). When today's differ, migrate
    computes every stored status again (status.rebuild_if_stale)."""

    digest = models.CharField(max_length=64)

    def __str__(self):
        return self.digest


class GlossaryTerm(Timestamped):
    """A term and its translation, with the expansion of an acronym.

    Acronyms are expanded on public pages with <abbr title> in the page's
    language; translators get the pairs in export notes and are warned when a
    translation uses the other language's term (programmes/translating/glossary.py).
    """

    term = models.CharField(
        _("term"),
        max_length=120,
        help_text=_("As written in this language: UNODC, ONUDC, synthetic drugs."),
    )
    expansion = models.CharField(
        _("expansion"),
        max_length=250,
        blank=True,
        help_text=_(
            "For an acronym, its full form in this language; pages show it when the"
            " acronym is pointed at or read aloud. Leave empty for other terms."
        ),
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["term"]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        # Written as the content is (TranslatableModel.normalise_text_fields):
        # "Programme « Route de la cocaïne »" must be found in a French text
        # whose guillemets hold narrow no-break spaces.
        for name in ("term", "expansion"):
            for code in language_codes():
                column = build_localized_fieldname(name, code)
                value = getattr(self, column, None)
                if isinstance(value, str):
                    setattr(self, column, typeset(normalise_text(value), code))
        super().save(*args, **kwargs)
