"""The content: programmes, the organisations taking part, regions, sources."""

from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from programmes.countries import countries_sorted_by_name, naming_country
from programmes.languages import sort_key

from .bases import (
    Illustrated,
    Publishable,
    PublishableQuerySet,
    Timestamped,
    TranslatableModel,
    page_address,
    per_language_unique,
    published_q,
    require_in_one_language,
)
from .geography import Geography
from .money import format_money
from .pictograms import Pictogram


def website_host(url):
    """example.org for https://www.example.org/page: a link text people can read."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


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
        return page_address(self, "programmes:region_detail")


class OrganisationKind(models.TextChoices):
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organisation")
    REGIONAL_ORGANISATION = "regional", _("regional integration organisation")
    POLICE_COOPERATION = "police", _("regional police cooperation body")
    GOVERNMENT = "government", _("State")
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
        return page_address(self, "programmes:organisation_detail")

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
        """Prefetch what a page shows: published organisations only.

        The regions a programme benefits come from a Geography
        (`benefited_regions`), which knows which programmes name each region.
        """
        return self.with_key_figures().prefetch_related(
            models.Prefetch(
                "participations",
                queryset=Participation.objects.filter(
                    published_q("organisation__")
                ).select_related("organisation"),
            ),
        )

    def with_key_figures(self):
        """Each programme's period, budget and stated number of countries (its
        key facts measuring them, with their date and source), in the same
        query: `programme.key_figures`."""
        # KeyFact (facts.py) builds on this module: reached through the
        # relation, not imported.
        key_fact = self.model._meta.get_field("key_facts").related_model
        return self.annotate(**key_fact.annotations_for_programmes())

    def with_sources(self):
        """Prefetch the sources a page or answer lists (and its figures cite:
        facts.figures_of reads the key facts and results, one query for both)."""
        return self.prefetch_related("sources")

    def for_region(self, region, geography=None):
        """The programmes that benefit the region, by the rule of geography.py.

        Pass the Geography when the caller has one; otherwise the published
        regions are read (one query).
        """
        if geography is None:
            geography = Geography.published()
        return self.filter(geography.benefiting_q(region))

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
        return counted_countries(
            codes.split(",")
            for codes in self.values_list("beneficiary_countries", flat=True)
        )

    def naming(self, codes):
        """Which of `codes` (ISO, any case) these programmes name: one query
        whose answer holds a number per code, not a row per programme."""
        codes = sorted({str(code).upper() for code in codes})
        if not codes:
            return set()
        counts = self.aggregate(
            **{
                code: models.Count(
                    "pk", filter=naming_country("beneficiary_countries", code)
                )
                for code in codes
            }
        )
        return {code for code, count in counts.items() if count}


def counted_countries(code_lists):
    """[(country, number of the lists naming it)], by name in the active
    language; `code_lists` holds one list of country codes per programme."""
    counts = Counter()
    for codes in code_lists:
        counts.update(str(code) for code in codes if code)
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
    stage = models.CharField(
        _("programme status"),
        max_length=20,
        choices=ProgrammeStage,
        blank=True,
        help_text=_("Leave empty when no source states it."),
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
    pictogram = models.CharField(
        _("pictogram"),
        max_length=30,
        choices=Pictogram,
        blank=True,
        help_text=_(
            "A symbol of what the programme does, shown on its card and share "
            "image. Leave empty for the generic globe."
        ),
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
            *per_language_unique("slug", "programme"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return page_address(self, "programmes:programme_detail")

    @property
    def title(self):
        """The name followed by the acronym, unless the name already holds it."""
        if self.acronym and self.acronym.lower() not in self.name.lower():
            return f"{self.name} ({self.acronym})"
        return self.name

    @cached_property
    def benefited_regions(self):
        """The published regions this programme benefits (geography.py's rule).

        One query for the regions; a page or answer showing many programmes
        sets it on each from one Geography instead (Geography.annotate).
        """
        return Geography.published().regions_of(self)

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

    # --- Period, budget and stated number of countries: dated, sourced key
    # facts (facts.py, KeyFact.measure), the one place these figures live.

    @cached_property
    def key_figures(self):
        """{measure: KeyFact or None}, read with the programme when its query
        had with_key_figures() (with_related() does), else in one query."""
        # KeyFact (facts.py) builds on this module: reached through the
        # relation, not imported.
        return self._meta.get_field("key_facts").related_model.measured_for(self)

    @property
    def period(self):
        return self.key_figures["period"]

    @property
    def budget(self):
        return self.key_figures["budget"]

    @property
    def stated_countries(self):
        return self.key_figures["stated_countries"]

    # The API's and the CSV's former field names, derived from the key facts.
    @property
    def start_year(self):
        return self.period.first_year if self.period else None

    @property
    def end_year(self):
        return self.period.last_year if self.period else None

    @property
    def budget_amount(self):
        return self.budget.number if self.budget else None

    @property
    def budget_currency(self):
        return self.budget.currency if self.budget else ""

    @property
    def stated_country_count(self):
        if self.stated_countries and self.stated_countries.number is not None:
            return int(self.stated_countries.number)
        return None

    def budget_display(self):
        if self.budget_amount is None:
            return ""
        return format_money(self.budget_amount, self.budget_currency)

    def period_display(self):
        return self.period.value_display() if self.period else ""

    def period_description(self):
        """The period in words, saying what is not known rather than guessing."""
        if self.start_year and self.end_year:
            return self.period_display()
        if self.start_year:
            return pgettext(
                "programme period", "since %(year)s (no end date published)"
            ) % {"year": self.start_year}
        if self.end_year:
            return pgettext(
                "programme period", "until %(year)s (no start date published)"
            ) % {"year": self.end_year}
        return pgettext("programme period", "dates not published")

    @property
    def lead_participations(self):
        """Who leads the programme or, when no source names a lead, implements
        it: from the participations with_related() prefetches."""
        for role in (Participation.Role.LEAD, Participation.Role.IMPLEMENTING):
            if found := [p for p in self.participations.all() if p.role == role]:
                return found
        return []


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
        # French puts a space before the colon.
        return gettext("%(organisation)s: %(role)s") % {
            "organisation": self.organisation.short_name,
            "role": self.get_role_display(),
        }


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
    address_note = models.CharField(
        _("why there is no address"),
        max_length=300,
        blank=True,
        help_text=_(
            "Required when the address is empty, e.g. “printed report” or "
            "“the address was not recorded when the page was read”."
        ),
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
        if not self.url:
            require_in_one_language(
                self,
                "address_note",
                _("Give the source's address, or say why it has none."),
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
    # Counts saves, for the admin's edit lock (programmes/editing/publishing.py).
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
