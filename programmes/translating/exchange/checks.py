"""Checking a file before anything is written: one function per rule."""

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from modeltranslation.utils import build_localized_fieldname

from programmes.content.bases import typeset_fields
from programmes.content.rich_text import clean_for_storage, has_markup, plain_text
from programmes.content.text import normalise_text, typeset
from programmes.languages import language_codes, language_in_sentence
from programmes.translating import glossary
from programmes.translating.status import (
    PROGRAMME_ROWS,
    Status,
    stored_verdicts,
    texts,
    tracked_fields,
    with_programme,
)

from .formats import (
    PLACEHOLDER,
    Problem,
    exchange_models,
    same_source,
    source_language_for,
    text_digest,
)
from .reading import ExchangeFileError, FileUnit, read_exchange_file
from .writing import record_name

# --- Checking a file -----------------------------------------------------------------


@dataclass
class Change:
    unit: str
    obj: models.Model
    field: str
    language: str
    old: str
    new: str

    @property
    def record(self):
        return f"{capfirst(self.obj._meta.verbose_name)} “{record_name(self.obj)}”"

    @property
    def label(self):
        return field_in_language(self.obj, self.field, self.language)


def field_in_language(obj, field_name, language):
    """ "Summary (English)"."""
    return pgettext("field in a language", "%(field)s (%(language)s)") % {
        "field": capfirst(obj._meta.get_field(field_name).verbose_name),
        "language": language_in_sentence(language),
    }


@dataclass
class ImportReport:
    file_name: str
    kind: str = ""
    source_language: str = ""
    target_language: str = ""
    units: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    # Outdated translations sent back unchanged and marked done by the tool.
    checked: list = field(default_factory=list)
    unchanged: int = 0
    # Drafts (units the file marks as not final) whose text differs from the
    # site's: left out, each with a warning.
    drafts: int = 0
    # Empty translations (not translated yet): left out, each with a warning.
    untranslated: int = 0
    # Translations edited on the site since the export that the file changes
    # too, as a Change from the site's (old) to the file's (new): applied only
    # when asked (import_translations' take_file).
    conflicts: list = field(default_factory=list)
    # The unit ids of the conflicts whose file version is taken (in `changes`).
    taken: list = field(default_factory=list)
    # Every unit that passed the checks, as a Change from the site's current
    # translation (old), by unit id: what a preview showed as "now".
    current_targets: dict = field(default_factory=dict)
    applied: bool = False

    @property
    def records(self):
        """How many records the changes touch (each is saved once)."""
        return len({(type(c.obj), c.obj.pk) for c in self.changes})


class MarkupEvents(HTMLParser):
    """The tags, attributes, comments and text of HTML, whatever its spelling."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("tag", tag, tuple(sorted(attrs, key=str))))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "text":
            self.events[-1] = ("text", self.events[-1][1] + data, ())
        else:
            self.events.append(("text", data, ()))

    def handle_comment(self, data):
        self.events.append(("comment", data, ()))

    def handle_decl(self, decl):
        self.events.append(("declaration", decl, ()))

    def handle_pi(self, data):
        self.events.append(("instruction", data, ()))

    unknown_decl = handle_decl


def markup_events(text):
    parser = MarkupEvents()
    parser.feed(text)
    parser.close()
    return parser.events


def show_event(event):
    kind, value, attributes = event
    if kind == "tag":
        shown = "".join(f' {name}="{value or ""}"' for name, value in attributes)
        return f"<{value}{shown}>"
    if kind == "comment":
        return "<!-- -->"
    return f"<!{value}>" if kind == "declaration" else f"<?{value}>"


def removed_markup(text):
    """The markup of `text` the sanitiser would remove, shown as written."""
    kept = Counter(markup_events(clean_for_storage(text)))
    removed = Counter(markup_events(text)) - kept
    return [show_event(event) for event in removed if event[0] != "text"]


def tag_counts(text):
    return Counter(
        value for kind, value, _attrs in markup_events(text) if kind == "tag"
    )


def link_targets(text):
    """The addresses the links of `text` point to, as many times as linked."""
    return Counter(
        dict(attributes).get("href") or ""
        for kind, value, attributes in markup_events(text)
        if kind == "tag" and value == "a"
    )


def show_counts(counts, wrap=str):
    if not counts:
        return gettext("none")
    return ", ".join(
        wrap(item) + (f" ×{count}" if count > 1 else "")
        for item, count in sorted(counts.items())
    )


def site_language(code):
    """A site language code for a file's code: "en-GB" and "en_gb" are "en"."""
    if not code:
        return None
    code = code.strip().replace("_", "-").lower()
    codes = language_codes()
    if code in codes:
        return code
    primary = code.split("-")[0]
    return primary if primary in codes else None


def check_languages(exchange, errors):
    """The file's target language as a site language, or None (errors added)."""
    if not exchange.target_language:
        errors.append(
            Problem(
                gettext(
                    "The file names no target language: export it again from this site."
                )
            )
        )
        return None
    target = site_language(exchange.target_language)
    if target is None:
        errors.append(
            Problem(
                gettext(
                    "The target language “%(language)s” is not a language of this "
                    "site (%(languages)s)."
                )
                % {
                    "language": exchange.target_language,
                    "languages": ", ".join(language_codes()),
                }
            )
        )
        return None
    if exchange.source_language is None:
        return target  # PO files need not say it
    source = site_language(exchange.source_language)
    expected = source_language_for(target)
    if source == target:
        errors.append(
            Problem(
                gettext(
                    "The source and target languages are the same (“%(language)s”): "
                    "a translation goes from one language into another."
                )
                % {"language": exchange.target_language}
            )
        )
        return None
    if source != expected:
        errors.append(
            Problem(
                gettext(
                    "The file translates from “%(found)s”, but translations into "
                    "%(target)s are made from %(expected)s: export the file again."
                )
                % {
                    "found": exchange.source_language or "?",
                    "target": language_in_sentence(target),
                    "expected": language_in_sentence(expected),
                }
            )
        )
        return None
    return target


UNIT_ID = re.compile(r"^([a-z_]+)\.(\d+)\.([a-z_]+)$")


def load_records(units, lock):
    """{(model name, pk): record} for the ids of `units`, one query per model."""
    wanted = {}
    available = exchange_models()
    for unit in units:
        match = UNIT_ID.match(unit.id)
        if match and match[1] in available:
            wanted.setdefault(match[1], set()).add(int(match[2]))
    records = {}
    for model_name, pks in wanted.items():
        model = available[model_name]
        queryset = model._default_manager.filter(pk__in=pks)
        if model in PROGRAMME_ROWS:
            queryset = with_programme(queryset)
        if lock:
            # Read and written in the same transaction: no one else's save
            # slips between the check and the write (PostgreSQL).
            queryset = queryset.select_for_update(of=("self",))
        records.update({(model_name, obj.pk): obj for obj in queryset})
    return records


def check_file(data, file_name, lock=False):
    """An ImportReport of `data`: errors, warnings, changes. Writes nothing."""
    report = ImportReport(file_name)
    try:
        exchange = read_exchange_file(data)
    except ExchangeFileError as error:
        report.errors.append(Problem(str(error)))
        return report
    report.kind = exchange.kind
    report.units = len(exchange.units)
    report.errors.extend(exchange.problems)
    target = check_languages(exchange, report.errors)
    if target is None:
        return report
    source = source_language_for(target)
    report.source_language, report.target_language = source, target
    if not exchange.units and not exchange.problems:
        report.errors.append(Problem(gettext("The file holds no translation unit.")))
        return report
    records = load_records(exchange.units, lock)
    # Only the file's records: the stored verdicts of their fields.
    statuses = stored_verdicts(records.values())
    seen = set()
    glossary_terms = glossary.terms()
    for unit in exchange.units:
        if unit.id in seen:
            report.errors.append(
                Problem(
                    gettext("The unit appears more than once in the file."), unit.id
                )
            )
            continue
        seen.add(unit.id)
        check_unit(unit, records, statuses, source, target, glossary_terms, report)
    if any(unit.digest is None for unit in exchange.units):
        report.warnings.append(
            Problem(
                gettext(
                    "The file does not record the translations as they were at "
                    "the export (it was exported before the site did): "
                    "translations edited on the site since cannot be detected, "
                    "and the file’s replace them. Export a new file to be shown "
                    "such conflicts."
                )
            )
        )
    return report


@dataclass
class Translation:
    """One unit of a file, against the record and field it translates."""

    unit: FileUnit
    model: type
    field_name: str
    source: str
    target: str
    # The record's text in each language, as the site has it now.
    site_texts: dict
    obj: models.Model = None

    @cached_property
    def typed(self):
        """The translator's text as the site stores it: normalised, and with
        the target language's typography (French narrow no-break spaces and
        apostrophes, applied on save too), so that a file differing only by
        them shows no change."""
        return self.typeset(normalise_text(self.unit.target))

    def typeset(self, text):
        if self.field_name in typeset_fields(self.model):
            return typeset(text, self.target)
        return text

    @cached_property
    def is_rich(self):
        return self.field_name in self.model.rich_text_fields

    @cached_property
    def is_empty(self):
        return not plain_text(self.typed).strip()

    @cached_property
    def removed_markup(self):
        if self.is_rich and not self.is_empty:
            return removed_markup(self.typed)
        return []

    @cached_property
    def has_checkable_markup(self):
        return self.is_rich and not self.is_empty and not self.removed_markup

    @cached_property
    def text(self):
        """What would be stored: rich text as the sanitiser writes it."""
        if self.has_checkable_markup:
            # In the order of TranslatableModel.save: sanitised, then typeset.
            return self.typeset(clean_for_storage(self.typed))
        return self.typed


# --- Rules: each returns what is wrong with a translation, or None -----------------


def source_changed(translation):
    if not same_source(
        translation.unit.source, translation.site_texts[translation.source]
    ):
        return gettext(
            "The source text has changed since the export: export the file "
            "again and translate the new text."
        )
    return None


def elements_not_allowed(translation):
    if translation.unit.elements:
        return gettext(
            "The translation holds XML elements XLIFF does not allow in a "
            "translation: %(elements)s. Remove them."
        ) % {"elements": ", ".join(translation.unit.elements)}
    return None


def markup_not_allowed(translation):
    if translation.removed_markup:
        return gettext(
            "The translation holds markup the site does not allow: "
            "%(markup)s. Remove it."
        ) % {"markup": ", ".join(translation.removed_markup)}
    return None


def counts_differ(translation, count, shown, message):
    if not translation.has_checkable_markup:
        return None
    expected, found = count(translation.unit.source), count(translation.text)
    if expected == found:
        return None
    return message % {
        "source": show_counts(expected, shown),
        "translation": show_counts(found, shown),
    }


def markup_differs(translation):
    return counts_differ(
        translation,
        tag_counts,
        lambda tag: f"<{tag}>",
        gettext(
            "The markup differs from the source's: %(source)s in the "
            "source, %(translation)s in the translation."
        ),
    )


def links_differ(translation):
    return counts_differ(
        translation,
        link_targets,
        lambda href: f"“{href}”",
        gettext(
            "The links differ from the source's: %(source)s in the "
            "source, %(translation)s in the translation. Keep the "
            "source's addresses."
        ),
    )


def markup_in_plain_text(translation):
    if (
        not translation.is_rich
        and not translation.is_empty
        and has_markup(translation.text)
    ):
        return gettext("This field is plain text: remove the HTML tags.")
    return None


def too_long(translation):
    max_length = translation.model._meta.get_field(translation.field_name).max_length
    if max_length and len(translation.text) > max_length:
        return gettext(
            "The translation is %(length)s characters long; this field holds "
            "at most %(maximum)s."
        ) % {"length": len(translation.text), "maximum": max_length}
    return None


def not_a_slug(translation):
    """A slug (the last part of a page's address) as the admin's form takes it."""
    field = translation.model._meta.get_field(translation.field_name)
    if not isinstance(field, models.SlugField):
        return None
    try:
        for validator in field.validators:
            validator(translation.text)
    except ValidationError as error:
        return " ".join(error.messages)
    column = build_localized_fieldname(translation.field_name, translation.target)
    taken = (
        translation.model._base_manager.filter(**{column: translation.text})
        .exclude(pk=translation.obj.pk)
        .exists()
    )
    if taken:
        return gettext(
            "Another page already has this address in %(language)s: choose "
            "another slug."
        ) % {"language": language_in_sentence(translation.target)}
    return None


def placeholders_differ(translation):
    expected = Counter(PLACEHOLDER.findall(translation.unit.source))
    found = Counter(PLACEHOLDER.findall(translation.text))
    if expected != found:
        return gettext(
            "The placeholders differ from the source's: %(source)s in the "
            "source, %(translation)s in the translation."
        ) % {"source": show_counts(expected), "translation": show_counts(found)}
    return None


RULES = (
    source_changed,
    elements_not_allowed,
    markup_not_allowed,
    markup_differs,
    links_differ,
    markup_in_plain_text,
    too_long,
    not_a_slug,
    placeholders_differ,
)


# --- One unit -----------------------------------------------------------------------


def check_unit(unit, records, statuses, source, target, glossary_terms, report):
    match = UNIT_ID.match(unit.id)
    model = match and exchange_models().get(match[1])
    if model is None or match[3] not in tracked_fields(model):
        report.errors.append(
            Problem(
                gettext(
                    "Unknown unit: no translated field of this site has this id. "
                    "Import the file exported from this site."
                ),
                unit.id or "?",
            )
        )
        return
    obj = records.get((match[1], int(match[2])))
    if obj is None:
        report.errors.append(
            Problem(
                gettext("No such record: it may have been deleted since the export."),
                unit.id,
            )
        )
        return
    field_name = match[3]
    where = f"{capfirst(model._meta.verbose_name)} “{record_name(obj)}”, " + str(
        field_in_language(obj, field_name, target)
    )
    translation = Translation(
        unit, model, field_name, source, target, texts(obj, field_name), obj
    )
    if translation.is_empty:
        # Whatever the file's state says: what an export holds for a field
        # not translated yet, in every format.
        report.untranslated += 1
        report.warnings.append(
            Problem(
                gettext("Not applied: the translation is empty (not translated yet)."),
                unit.id,
                where,
            )
        )
        return
    if unit.draft:
        check_draft(translation, where, report)
        return
    errors = [
        Problem(message, unit.id, where)
        for rule in RULES
        if (message := rule(translation))
    ]
    if errors:
        report.errors.extend(errors)
        return
    warn_about_glossary(translation, glossary_terms, where, report)
    old = translation.site_texts[target]
    change = Change(unit.id, obj, field_name, target, old, translation.text)
    report.current_targets[unit.id] = change
    if translation.text == normalise_text(old):
        if statuses.get((unit.id, target)) == Status.OUTDATED and unit.done:
            report.checked.append(change)
        else:
            report.unchanged += 1
    elif unit.digest is None or unit.digest == text_digest(old):
        report.changes.append(change)
    elif unit.digest == text_digest(translation.text):
        # Edited on the site since the export, and not in the file: the
        # site's is the newer.
        report.unchanged += 1
    else:
        report.conflicts.append(change)


def check_draft(translation, where, report):
    # Not checked either: the translator has not finished it.
    if translation.typed == normalise_text(translation.site_texts[translation.target]):
        report.unchanged += 1
        return
    report.drafts += 1
    report.warnings.append(
        Problem(
            gettext(
                "Not applied: the file marks this translation as needing "
                "review (fuzzy or not final). Mark it as translated in your "
                "tool, then import the file again."
            ),
            translation.unit.id,
            where,
        )
    )


def warn_about_glossary(translation, glossary_terms, where, report):
    for found_term, expected_term in glossary.wrong_language_terms(
        translation.text, translation.target, glossary=glossary_terms
    ):
        report.warnings.append(
            Problem(
                gettext(
                    "“%(found)s” is the term of another language; the glossary "
                    "gives “%(expected)s” in %(language)s."
                )
                % {
                    "found": found_term,
                    "expected": expected_term,
                    "language": language_in_sentence(translation.target),
                },
                translation.unit.id,
                where,
            )
        )
