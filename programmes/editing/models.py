"""What the editors' workflow stores beside the content."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SlugRedirect(models.Model):
    """A page's former address in one language: it answers 301 to the page.

    It points at the object, not at the next slug, so a renamed-again page
    still takes one hop, and no chain or loop can form.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("kind of page")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    old_slug = models.SlugField(_("former slug"), max_length=100)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "language", "old_slug"],
                name="slugredirect_unique_old_slug",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"/{self.language}/…/{self.old_slug}/"


class LinkCheck(models.Model):
    """The last check of an address cited by the site (`manage.py check_links`).

    One row per address, however many sources or records cite it; the editors'
    home page lists the records whose address failed or went unchecked
    (programmes/editing/links.py).
    """

    url = models.URLField(_("address"), max_length=500, unique=True)
    status = models.PositiveSmallIntegerField(
        _("HTTP status"), null=True, blank=True, help_text=_("Empty: no answer.")
    )
    error = models.CharField(_("error"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")

    def __str__(self):
        return self.url

    @property
    def is_broken(self):
        return self.status is None or self.status >= 400
