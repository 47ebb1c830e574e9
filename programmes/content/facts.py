"""Dated, sourced figures: a programme's key facts, and its results and operations.

Every figure says when it held ("as of"), which of the programme's sources
states it, and whether it is confirmed or only stated by the programme.
"""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Value
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


def check_source(fact):
    """The source must be one of the fact's programme's own sources."""
    if (
        fact.source_id
        and fact.programme_id
        and fact.source.programme_id != fact.programme_id
    ):
        raise ValidationError({"source": _("Choose one of this programme's sources.")})


class KeyFact(TranslatableModel):
    """One figure of a programme: a number, an amount, a period or a short text."""

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
    as_of = models.DateField(
        _("as of"),
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
        related_name="key_facts",
        verbose_name=_("source"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FactStatus,
        default=FactStatus.CONFIRMED,
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    completeness_fields = ("label",)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("key fact")
        verbose_name_plural = _("key facts")

    def __str__(self):
        return f"{self.label}: {self.value_display()}"

    def clean(self):
        super().clean()
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
        check_source(self)

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
        return self.text

    @property
    def is_confirmed(self):
        return self.status == FactStatus.CONFIRMED


class ResultQuerySet(models.QuerySet):
    def of_published_programmes(self):
        return self.filter(published_q("programme__"))

    def involving(self, code):
        """The results naming the country, newest first, with their programme
        and source."""
        return self.filter(naming_country("countries", code)).select_related(
            "programme", "source"
        )


class Result(TranslatableModel):
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
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FactStatus,
        default=FactStatus.CONFIRMED,
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

    def clean(self):
        super().clean()
        check_source(self)

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

    @property
    def is_confirmed(self):
        return self.status == FactStatus.CONFIRMED


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
