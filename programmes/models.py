import functools
import unicodedata
from collections import Counter, namedtuple
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone
from django.utils.translation import (
    get_language,
    get_language_info,
    override,
    pgettext,
    pgettext_lazy,
)
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, resolution_order

from .images import check_alternative_text, upload_path
from .rich_text import clean_for_storage


def website_host(url):
    """example.org for https://www.example.org/page: a link text people can read."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def sort_key(text):
    """Sort Équateur with the Es, not after Z: compare without accents or case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char for char in decomposed if not unicodedata.combining(char)
    ).casefold()


def country_url(code):
    """The address of a country's page, in the active language."""
    return cached_country_url(
        code.lower(), get_language(), get_script_prefix(), get_urlconf()
    )


# Pages link to every beneficiary country two or three times (list, map,
# metadata); the address depends only on these arguments.
@functools.lru_cache(maxsize=4096)
def cached_country_url(code, language, script_prefix, urlconf):
    return reverse("programmes:country_detail", kwargs={"code": code})


class NamedCountry(namedtuple("NamedCountry", "code name")):
    __slots__ = ()

    @property
    def url(self):
        return country_url(self.code)


@functools.lru_cache(maxsize=1024)
def countries_sorted_by_name(codes, language):
    """(code, name) pairs for the country codes, named in `language` and sorted
    by name (Équateur with the Es).

    Names and their order never change while the process runs: pages ask for
    them several times (list, map, metadata), so they are worked out once.
    """
    with override(language):
        named = [NamedCountry(code, str(Country(code).name)) for code in codes]
    return tuple(sorted(named, key=lambda country: sort_key(country.name)))


def naming_country(field_name, code):
    """A filter on a multiple CountryField: rows whose list holds `code`.

    The field stores upper-case two-letter codes joined by commas ("GH,NG"),
    so a two-letter substring cannot straddle a comma: `contains` matches one
    whole code, never the end of one and the start of the next.
    """
    return Q(**{f"{field_name}__contains": code.upper()})


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


# Language names as they read inside a sentence ("in English", "en anglais"):
# Django's translated names are capitalised ("Anglais").
LANGUAGE_NAMES_IN_SENTENCES = {
    "fr": pgettext_lazy("language name inside a sentence", "French"),
    "en": pgettext_lazy("language name inside a sentence", "English"),
}


def language_in_sentence(code):
    name = LANGUAGE_NAMES_IN_SENTENCES.get(code)
    return str(name) if name else get_language_info(code)["name_translated"]


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


def require_in_one_language(instance, field_name, message):
    """For fields some records have in one language only (no French name)."""
    names = [build_localized_fieldname(field_name, code) for code in language_codes()]
    if not any(getattr(instance, name) for name in names):
        raise ValidationError({names[0]: message})


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
    # clean and save (programmes/rich_text.py).
    rich_text_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.sanitise_rich_text()
        super().save(*args, **kwargs)

    def clean(self):
        # First, so that text the sanitiser empties counts as missing.
        self.sanitise_rich_text()
        super().clean()

    def sanitise_rich_text(self):
        for name in self.rich_text_fields:
            for code in language_codes():
                field_name = build_localized_fieldname(name, code)
                value = getattr(self, field_name)
                if value:
                    setattr(self, field_name, clean_for_storage(value))

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

    # Translated fields that need text in every language before publishing.
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
        """Refuse publication while a required field is empty in some language."""
        errors = {}
        for name in self.publication_required_fields:
            for code in language_codes():
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
        # (programmes/images.py). Checked with the fields, not in clean(), so
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


class RegionQuerySet(PublishableQuerySet):
    def containing(self, code):
        return self.filter(naming_country("countries", code))


class Region(Publishable, Timestamped, TranslatableModel):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Last part of the page address, e.g. latin-america."),
    )
    display_order = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("Lower numbers come first.")
    )
    countries = CountryField(
        _("countries"),
        multiple=True,
        blank=True,
        help_text=_(
            "The countries this region is made of. Country pages link to the "
            "regions that contain them."
        ),
    )

    objects = RegionQuerySet.as_manager()

    completeness_fields = ("name", "slug")
    publication_required_fields = ("name", "slug")

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        permissions = [
            ("publish_region", _("Can publish, schedule and archive regions")),
        ]
        constraints = per_language_unique("slug", "region")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:region_detail", kwargs={"slug": self.slug})


class OrganisationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organisation")
    REGIONAL_ORGANISATION = "regional", _("regional organisation")
    POLICE_COOPERATION = "police", _("regional police cooperation body")
    GOVERNMENT = "government", _("government")
    NGO = "ngo", _("non-governmental organisation")


class Organisation(Publishable, Illustrated, Timestamped, TranslatableModel):
    # Blank in the form: a body may have a name in one language only (AMERIPOL
    # has no French name); clean() requires one in at least one language.
    name = models.CharField(_("name"), max_length=250, blank=True)
    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        blank=True,
        help_text=_(
            "As used in this language, e.g. ONUDC in French, UNODC in English."
        ),
    )
    slug = models.SlugField(
        _("slug"), max_length=100, help_text=_("Last part of the page address.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    website = models.URLField(_("official website"), blank=True)
    description = models.TextField(
        _("short description"),
        blank=True,
        help_text=_("One or two sentences. Separate paragraphs with a blank line."),
    )

    objects = PublishableQuerySet.as_manager()

    completeness_fields = ("name", "slug", "description")
    rich_text_fields = ("description",)
    # The name may exist in one language only (clean() requires one).
    publication_required_fields = ("slug", "description")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [
            (
                "publish_organisation",
                _("Can publish, schedule and archive organisations"),
            ),
        ]
        constraints = per_language_unique("slug", "organisation")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("programmes:organisation_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        require_in_one_language(
            self, "name", _("Give the organisation's name in at least one language.")
        )

    @property
    def short_name(self):
        return self.acronym or self.name

    @property
    def website_host(self):
        return website_host(self.website)


class ProgrammeStage(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")


class Currency(models.TextChoices):
    EUR = "EUR", _("euro (EUR)")
    USD = "USD", _("US dollar (USD)")


class ProgrammeQuerySet(PublishableQuerySet):
    def with_related(self):
        """Prefetch what a page shows: published regions and organisations only."""
        return self.prefetch_related(
            models.Prefetch("beneficiary_regions", queryset=Region.objects.published()),
            models.Prefetch(
                "participations",
                queryset=Participation.objects.filter(
                    published_q("organisation__")
                ).select_related("organisation"),
            ),
        )

    def for_region(self, region):
        return self.filter(beneficiary_regions=region)

    def for_country(self, code):
        return self.filter(naming_country("beneficiary_countries", code))

    def with_partner(self, organisation):
        """Programmes the organisation runs or supports (any role but funder)."""
        # A subquery, not a join: an organisation with two roles in one
        # programme (lead and implementing) must not list it twice.
        return self.filter(
            pk__in=Participation.objects.filter(organisation=organisation)
            .exclude(role=Participation.Role.FUNDER)
            .values("programme")
        )

    def with_funder(self, organisation):
        return self.filter(
            pk__in=Participation.objects.filter(
                organisation=organisation, role=Participation.Role.FUNDER
            ).values("programme")
        )

    def beneficiary_countries(self):
        """[(country, number of these programmes naming it)], by country name.

        Names and order follow the active language. One query, whatever the
        number of programmes.
        """
        counts = Counter()
        for codes in self.values_list("beneficiary_countries", flat=True):
            counts.update(code for code in codes.split(",") if code)
        countries = [(Country(code), count) for code, count in counts.items()]
        return sorted(countries, key=lambda item: sort_key(item[0].name))


class Programme(Publishable, Illustrated, Timestamped, TranslatableModel):
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(
        _("acronym"),
        max_length=30,
        blank=True,
        help_text=_("The same in every language."),
    )
    slug = models.SlugField(
        _("slug"), max_length=100, help_text=_("Last part of the page address.")
    )
    # Blank: a draft may have no summary or description yet; publishing
    # needs them in every language (Publishable.check_publishable).
    summary = models.TextField(
        _("summary"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences, shown on cards and to search engines."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("The full text. Separate paragraphs with a blank line."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True
    )
    end_year = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(
        _("budget currency"), max_length=3, choices=Currency, blank=True
    )
    stage = models.CharField(
        _("programme status"),
        max_length=20,
        choices=ProgrammeStage,
        blank=True,
        help_text=_("Leave empty when no source states it."),
    )
    stated_country_count = models.PositiveSmallIntegerField(
        _("number of beneficiary countries"),
        null=True,
        blank=True,
        help_text=_("As stated by the source, even when the list below is partial."),
    )
    beneficiary_countries = CountryField(
        _("beneficiary countries"),
        multiple=True,
        blank=True,
        help_text=_("The countries named by a source. Names come in every language."),
    )
    facts_note = models.TextField(
        _("note on the key facts"),
        blank=True,
        help_text=_("Where sources differ or a list is partial, say so here."),
    )
    beneficiary_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="programmes",
        verbose_name=_("beneficiary regions"),
    )
    organisations = models.ManyToManyField(
        Organisation,
        through="Participation",
        related_name="programmes",
        verbose_name=_("organisations"),
    )
    website = models.URLField(
        _("official website"), blank=True, help_text=_("The page in this language.")
    )
    display_order = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("Lower numbers come first.")
    )
    objects = ProgrammeQuerySet.as_manager()

    completeness_fields = ("name", "slug", "summary", "description")
    publication_required_fields = ("name", "slug", "summary", "description")
    rich_text_fields = ("description",)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        permissions = [
            ("publish_programme", _("Can publish, schedule and archive programmes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="programme_end_after_start",
                violation_error_message=_(
                    "The end year cannot be before the start year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True, budget_currency="")
                | (Q(budget_amount__isnull=False) & ~Q(budget_currency="")),
                name="programme_budget_has_currency",
                violation_error_message=_("Give the budget and its currency together."),
            ),
            *per_language_unique("slug", "programme"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programmes:programme_detail", kwargs={"slug": self.slug})

    @property
    def title(self):
        """The name followed by the acronym, unless the name already holds it."""
        if self.acronym and self.acronym.lower() not in self.name.lower():
            return f"{self.name} ({self.acronym})"
        return self.name

    @property
    def partners(self):
        return [
            p for p in self.participations.all() if p.role != Participation.Role.FUNDER
        ]

    @property
    def funders(self):
        return [
            p for p in self.participations.all() if p.role == Participation.Role.FUNDER
        ]

    @property
    def website_host(self):
        return website_host(self.website)

    @property
    def language_of_website(self):
        return self.language_of("website")

    def countries_by_name(self):
        """The beneficiary countries as (code, name) in the active language."""
        return countries_sorted_by_name(
            tuple(str(country.code) for country in self.beneficiary_countries),
            get_language(),
        )

    def budget_display(self):
        if self.budget_amount is None:
            return ""
        amount = formats.number_format(
            self.budget_amount.normalize(), use_l10n=True, force_grouping=True
        )
        return pgettext("amount with currency code", "%(currency)s %(amount)s") % {
            "currency": self.budget_currency,
            "amount": amount,
        }

    def period_display(self):
        if self.start_year and self.end_year:
            return f"{self.start_year}–{self.end_year}"
        if self.start_year:
            return pgettext("since a year", "since %(year)s") % {
                "year": self.start_year
            }
        return ""

    def has_key_facts(self):
        return bool(
            self.start_year
            or self.budget_amount is not None
            or self.stage
            or self.stated_country_count
            or self.beneficiary_countries
        )


class ParticipationQuerySet(models.QuerySet):
    def of_published_programmes(self):
        return self.filter(published_q("programme__"))


class Participation(TranslatableModel):
    """An organisation's role in a programme: lead, implementing, partner or funder."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead organisation")
        IMPLEMENTING = "implementing", _("implementing organisation")
        PARTNER = "partner", _("partner")
        FUNDER = "funder", _("funder")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("programme"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “through the EU Cocaine Route Programme”."),
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation", "role"],
                name="participation_unique_role",
                violation_error_message=_(
                    "This organisation already has this role in this programme."
                ),
            )
        ]

    def __str__(self):
        return f"{self.organisation.short_name}: {self.get_role_display()}"


class Source(TranslatableModel):
    """A published page or document that supports a programme's facts.

    The title is usually given only in the cited page's own language; other
    languages then show it marked with that language. A translated title may be
    added for readers.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="sources",
        verbose_name=_("programme"),
    )
    # Blank in the form: usually given in the cited page's language only;
    # clean() requires a title in at least one language.
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(
        _("address"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty for a document with no public address."),
    )
    language = models.CharField(
        _("language of the page"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
    )
    checked_on = models.DateField(
        _("date checked"),
        null=True,
        blank=True,
        help_text=_("When someone last read the page and confirmed the facts."),
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def clean(self):
        require_in_one_language(
            self, "title", _("Give the source's title in at least one language.")
        )


class HomePage(TranslatableModel):
    """The landing text shown above the programme cards. There is only one."""

    title = models.CharField(_("page title"), max_length=200)
    heading = models.CharField(_("heading"), max_length=300)
    introduction = models.TextField(
        _("introduction"), help_text=_("Separate paragraphs with a blank line.")
    )
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One sentence, shown to search engines."),
    )
    # Counts saves, for the admin's edit lock (programmes/publishing.py).
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    completeness_fields = ("title", "heading", "introduction", "summary")

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home page")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="homepage_single_row")
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.pk = 1
        self.version += 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The landing text, or None before any content was loaded."""
        return cls.objects.filter(pk=1).first()


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


class LoadedRecord(models.Model):
    """What load_content last wrote for one record of the content file.

    Two fingerprints tell apart "the file changed" (update the record) from
    "an editor changed the record" (keep the editor's version).
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    object_id = models.PositiveBigIntegerField(_("object id"))
    source_fingerprint = models.CharField(
        _("fingerprint of the file's values"), max_length=64
    )
    object_fingerprint = models.CharField(
        _("fingerprint of the record after loading"), max_length=64
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("loaded content record")
        verbose_name_plural = _("loaded content records")

    def __str__(self):
        return self.key


class TranslationState(models.Model):
    """What one language of one translated field was last written against.

    `source_texts` keeps the other languages' text as it was when this one was
    last written or marked as checked: when that text has changed since, this
    translation is outdated, and the difference is what the translator must
    carry over (programmes/translation_status.py keeps these rows current).
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


class GlossaryTerm(Timestamped):
    """A term and its translation, with the expansion of an acronym.

    Acronyms are expanded on public pages with <abbr title> in the page's
    language; translators get the pairs in export notes and are warned when a
    translation uses the other language's term (programmes/glossary.py).
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
        verbose_name_plural = _("glossary")
        ordering = ["term"]

    def __str__(self):
        return self.term
