"""Dated, sourced figures: a programme's key facts, and its results and operations.

Every figure says when it held ("as of"), which of the programme's sources
states it, and whether it is confirmed or only stated by the programme.
"""

import json
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import JSONObject
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from programmes.countries import countries_sorted_by_name, naming_country

from .bases import TranslatableModel, in_model_order, published_q
from .models import Currency, Programme, Source
from .money import format_money


class FactStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    STATED = "stated", _("stated by the programme, not independently confirmed")
    # Only a key fact moved from the programme's former undated fields
    # (migration 0025): a value nobody has sourced yet, shown flagged.
    UNSOURCED = "unsourced", _("no source given, not confirmed")


class Figure(TranslatableModel):
    """What a key fact and a result share: a status, and a source that must
    be one of the figure's programme's own sources.

    Subclasses declare `programme` and `source` (each with its own related
    name).
    """

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FactStatus,
        default=FactStatus.CONFIRMED,
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.clean_value()
        if (
            self.source_id
            and self.programme_id
            and self.source.programme_id != self.programme_id
        ):
            raise ValidationError(
                {"source": _("Choose one of this programme's sources.")}
            )

    def clean_value(self):
        """The subclass's own checks, before the source's."""

    @property
    def is_confirmed(self):
        return self.status == FactStatus.CONFIRMED

    @property
    def is_sourced(self):
        return self.status != FactStatus.UNSOURCED


class KeyFact(Figure):
    """One figure of a programme: a number, an amount, a period or a short text.

    `measure` says what it measures: a programme has at most one key fact for
    its period, its budget and its stated number of beneficiary countries,
    which every page, the API and the CSV show (with its date and source).
    """

    class Measure(models.TextChoices):
        PERIOD = "period", _("the programme's period")
        BUDGET = "budget", _("the programme's budget")
        STATED_COUNTRIES = (
            "stated_countries",
            _("the number of beneficiary countries stated"),
        )
        OTHER = "other", _("another figure")

    # The kind of value each measure needs.
    MEASURE_KINDS = {
        Measure.PERIOD: "period",
        Measure.BUDGET: "money",
        Measure.STATED_COUNTRIES: "number",
    }

    class Kind(models.TextChoices):
        NUMBER = "number", _("number")
        MONEY = "money", _("amount of money")
        PERIOD = "period", _("period (years)")
        TEXT = "text", _("short text")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="key_facts",
        verbose_name=_("programme"),
    )
    label = models.CharField(
        _("label"), max_length=120, help_text=_("E.g. “Budget”, “Countries”.")
    )
    kind = models.CharField(_("kind of value"), max_length=10, choices=Kind)
    measure = models.CharField(
        _("what it measures"),
        max_length=20,
        choices=Measure,
        default=Measure.OTHER,
        help_text=_(
            "The programme's period, budget or stated number of countries are "
            "shown on its card, in the comparison table, the timeline, the API "
            "and the CSV: one key fact each."
        ),
    )
    number = models.DecimalField(
        _("number or amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency, blank=True
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        help_text=_("Leave empty for “since the first year”."),
    )
    text = models.CharField(_("text"), max_length=200, blank=True)
    # Empty only for an unsourced figure (FactStatus.UNSOURCED): never a
    # guessed date or source.
    as_of = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_(
            "When the figure held: the date the source gives, else the day "
            "the source was consulted."
        ),
    )
    # RESTRICT: a source stays while a figure cites it, yet goes with its
    # programme, figures included.
    source = models.ForeignKey(
        Source,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="key_facts",
        verbose_name=_("source"),
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    completeness_fields = ("label",)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("key fact")
        verbose_name_plural = _("key facts")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "measure"],
                condition=~models.Q(measure="other"),
                name="key_fact_one_per_measure",
                violation_error_message=_(
                    "This programme already has a key fact measuring this."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status=FactStatus.UNSOURCED,
                    source__isnull=True,
                    as_of__isnull=True,
                )
                | (
                    ~models.Q(status=FactStatus.UNSOURCED)
                    & models.Q(source__isnull=False, as_of__isnull=False)
                ),
                name="key_fact_sourced_unless_flagged",
                violation_error_message=_(
                    "Give the source and the “as of” date: a figure without "
                    "them is only kept from the former undated fields."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.value_display()}"

    def clean_value(self):
        needs = {
            self.Kind.NUMBER: ["number"],
            self.Kind.MONEY: ["number", "currency"],
            self.Kind.PERIOD: ["first_year"],
            self.Kind.TEXT: ["text"],
        }.get(self.kind, [])
        missing = {
            name: _("Required for this kind of value.")
            for name in needs
            if getattr(self, name) in (None, "")
        }
        if missing:
            raise ValidationError(missing)
        if self.first_year and self.last_year and self.last_year < self.first_year:
            raise ValidationError(
                {"last_year": _("The last year cannot be before the first.")}
            )
        needed_kind = self.MEASURE_KINDS.get(self.measure)
        if needed_kind and self.kind != needed_kind:
            raise ValidationError(
                {
                    "kind": _("This measure needs a value of kind “%(kind)s”.")
                    % {"kind": self.Kind(needed_kind).label}
                }
            )

    @classmethod
    def annotations_for_programmes(cls):
        """For ProgrammeQuerySet.with_key_figures (key_figure_annotations)."""
        return key_figure_annotations(source_number=source_number())

    @classmethod
    def measured_for(cls, programme):
        """For Programme.key_figures (key_figures_of)."""
        return key_figures_of(programme)

    def flagged_figures_it_replaces(self):
        """The programme's unsourced key fact measuring the same thing, which
        this sourced one replaces (the content loader deletes it)."""
        if self.measure == self.Measure.OTHER or not self.is_sourced:
            return KeyFact.objects.none()
        return KeyFact.objects.filter(
            programme=self.programme_id,
            measure=self.measure,
            status=FactStatus.UNSOURCED,
        ).exclude(pk=self.pk)

    def value_display(self):
        if self.kind == self.Kind.MONEY and self.number is not None:
            return format_money(self.number, self.currency)
        if self.kind == self.Kind.NUMBER and self.number is not None:
            return f"{self.number.normalize():f}"
        if self.kind == self.Kind.PERIOD and self.first_year:
            if self.last_year:
                return f"{self.first_year}–{self.last_year}"
            return pgettext("since a year", "since %(year)s") % {
                "year": self.first_year
            }
        if self.kind == self.Kind.PERIOD and self.last_year:
            return pgettext("until a year", "until %(year)s") % {"year": self.last_year}
        return self.text


class ResultQuerySet(models.QuerySet):
    def of_published_programmes(self):
        return self.filter(published_q("programme__"))

    def involving(self, code):
        """The results naming the country, newest first, with their programme
        and source."""
        return self.filter(naming_country("countries", code)).select_related(
            "programme", "source"
        )


class Result(Figure):
    """A dated result or operation of a programme, and the countries involved."""

    class Precision(models.TextChoices):
        DAY = "day", _("day")
        MONTH = "month", _("month")
        YEAR = "year", _("year")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(
        _("what happened"),
        help_text=_("The figures as the source gives them, in a few sentences."),
    )
    start_date = models.DateField(_("date"), help_text=_("Or the first day."))
    end_date = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For an operation.")
    )
    date_precision = models.CharField(
        _("the source gives the date to the"),
        max_length=5,
        choices=Precision,
        default=Precision.DAY,
    )
    countries = CountryField(
        _("countries involved"),
        multiple=True,
        blank=True,
        help_text=_("Only those the source names."),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.RESTRICT,
        related_name="results",
        verbose_name=_("source"),
    )

    objects = ResultQuerySet.as_manager()

    completeness_fields = ("title", "summary")

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("result or operation")
        verbose_name_plural = _("results and operations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="result_end_after_start",
                violation_error_message=_("The last day cannot be before the date."),
            )
        ]

    def __str__(self):
        return self.title

    def clean_value(self):
        if self.status == FactStatus.UNSOURCED:
            raise ValidationError(
                {"status": _("A result always cites one of the programme's sources.")}
            )

    def date_display(self):
        formats = {
            self.Precision.DAY: "DATE_FORMAT",
            self.Precision.MONTH: "YEAR_MONTH_FORMAT",
            self.Precision.YEAR: "Y",
        }
        shown = formats[self.date_precision]
        start = date_format(self.start_date, shown)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {date_format(self.end_date, shown)}"
        return start

    def countries_by_name(self):
        return countries_sorted_by_name(
            tuple(str(country.code) for country in self.countries),
            get_language(),
        )


# --- A programme's figures, read in one query ------------------------------------


class Figures(NamedTuple):
    key_facts: list
    results: list


def figures_of(programme):
    """The programme's key facts and results, in their models' order, each with
    `source_number`: the number of its source in the programme's sources (from
    1), the note its figure points to.

    One query for both tables (UNION ALL, a row of each table padded with NULL
    in the other's columns): a programme's page and its API answer stay within
    the query budget. `programme.sources` should be prefetched.
    """
    models_ = (KeyFact, Result)
    columns = {
        model: {
            f"{model._meta.model_name}_{field.attname}": field
            for field in model._meta.concrete_fields
        }
        for model in models_
    }

    def part(model):
        selected = {"figure_model": Value(model._meta.model_name)}
        for owner in models_:
            for alias, field in columns[owner].items():
                if owner is model:
                    selected[alias] = F(field.attname)
                else:
                    kind = field.target_field if field.is_relation else field
                    selected[alias] = Value(None, output_field=kind)
        # A plain QuerySet: modeltranslation's would add columns to values().
        rows = models.QuerySet(model).filter(programme=programme).order_by()
        return rows.values(**selected)

    by_model = {model: [] for model in models_}
    for row in part(KeyFact).union(part(Result), all=True).order_by():
        model = next(m for m in models_ if m._meta.model_name == row["figure_model"])
        names = [field.attname for field in columns[model].values()]
        values = [row[alias] for alias in columns[model]]
        by_model[model].append(model.from_db(model._default_manager.db, names, values))

    numbers = {
        source.pk: number
        for number, source in enumerate(programme.sources.all(), start=1)
    }
    figures = Figures(*(in_model_order(by_model[model], model) for model in models_))
    for figure in [*figures.key_facts, *figures.results]:
        figure.source_number = numbers.get(figure.source_id)
    return figures


# --- Figures read in the programmes' own query (JSON subqueries) ----------------


def row_as_json(model, rows, **extra):
    """A scalar subquery giving the first of `rows` (a QuerySet of `model`) as a
    JSON object of its concrete fields, plus `extra` expressions."""
    fields = {field.attname: F(field.attname) for field in model._meta.concrete_fields}
    return Subquery(
        rows.values(json=JSONObject(**fields, **extra))[:1],
        output_field=models.JSONField(),
    )


def json_value(field, value):
    """A field's value as the database would give it, from its JSON form."""
    value = field.to_python(value)
    if isinstance(field, models.DecimalField) and value is not None:
        # JSON has no decimals: 1200000.00 comes back as 1200000.
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def row_from_json(model, data):
    """The `model` instance row_as_json() gave (None stays None); the `extra`
    values become attributes."""
    if data is None:
        return None
    if isinstance(data, str):  # a database that gives JSON as text
        data = json.loads(data)
    fields = model._meta.concrete_fields
    instance = model.from_db(
        model._default_manager.db,
        [field.attname for field in fields],
        [json_value(field, data.get(field.attname)) for field in fields],
    )
    for name in set(data) - {field.attname for field in fields}:
        setattr(instance, name, data[name])
    return instance


MEASURES = tuple(
    measure for measure in KeyFact.Measure if measure != KeyFact.Measure.OTHER
)


def figure_annotation(measure):
    return f"figure_{measure}"


def source_number():
    """A key fact's source's number in its programme's list of sources (the
    [n] of its note), as a subquery of the key fact."""
    return Subquery(
        models.QuerySet(Source)
        .filter(programme=OuterRef("programme_id"))
        .filter(
            Q(display_order__lt=OuterRef("source__display_order"))
            | Q(
                display_order=OuterRef("source__display_order"),
                pk__lte=OuterRef("source_id"),
            )
        )
        .order_by()
        .values("programme")
        .annotate(count=Count("pk"))
        .values("count"),
        output_field=models.IntegerField(),
    )


def key_figure_annotations(**source_fields):
    """Annotations giving each programme its key fact for each measure (period,
    budget, stated countries) as JSON, with `source_fields` (what the reader
    needs of its source: its number on pages, its address and titles in the
    CSV): read in the programmes' own query, so that cards, the comparison
    table, the timeline, the API lists and the CSV show dated, sourced figures
    at no extra query."""
    return {
        figure_annotation(measure): row_as_json(
            KeyFact,
            # A plain QuerySet: modeltranslation's would add columns to values().
            models.QuerySet(KeyFact)
            .filter(programme=OuterRef("pk"), measure=measure)
            .order_by("pk"),
            **source_fields,
        )
        for measure in MEASURES
    }


def key_figures_of(programme):
    """{measure: KeyFact or None} for the programme: from the annotations when
    its query had them (ProgrammeQuerySet.with_key_figures), else one query."""
    if hasattr(programme, figure_annotation(MEASURES[0])):
        found = {
            measure: row_from_json(
                KeyFact, getattr(programme, figure_annotation(measure))
            )
            for measure in MEASURES
        }
        for figure in filter(None, found.values()):
            if not figure.source_id:
                figure.source_number = None
        return found
    found = {
        figure.measure: figure
        for figure in models.QuerySet(KeyFact).filter(
            programme=programme, measure__in=MEASURES
        )
    }
    numbers = {}
    if any(figure.source_id for figure in found.values()):
        numbers = {
            source.pk: number
            for number, source in enumerate(programme.sources.all(), start=1)
        }
    for figure in found.values():
        figure.source_number = numbers.get(figure.source_id)
    return {measure: found.get(measure) for measure in MEASURES}


# The feed's entries list each programme's newest results.
FEED_RESULTS = 3


def newest_results_annotations(count=FEED_RESULTS):
    """Annotations giving each programme its `count` newest results as JSON,
    each with its source's address: the feed reads them in its one query."""
    return {
        f"newest_result_{position}": row_as_json(
            Result,
            models.QuerySet(Result)
            .filter(programme=OuterRef("pk"))
            .order_by(*Result._meta.ordering)[position:],
            source_url=F("source__url"),
        )
        for position in range(count)
    }


def newest_results_of(programme, count=FEED_RESULTS):
    """The results newest_results_annotations() read with the programme."""
    results = (
        row_from_json(Result, getattr(programme, f"newest_result_{position}"))
        for position in range(count)
    )
    return [result for result in results if result is not None]
