"""Load the site's source content (programmes/content/site.toml) into the database.

Loading is idempotent and respects editors: each record of the file is tracked
in LoadedRecord with a fingerprint of the file's values and one of the database
row as the loader left it. On the next load a record is

- created when it was never loaded,
- updated when the file changed and nobody edited the row since,
- kept when an editor changed it in the admin,
- skipped when an editor deleted it (it is not brought back).
"""

import datetime
import hashlib
import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django_countries.fields import CountryField

from .facts import KeyFact, Result
from .history import LOADED_REASON, one_revision
from .models import (
    HomePage,
    LoadedRecord,
    Organisation,
    Participation,
    Programme,
    Region,
    Source,
)

DEFAULT_CONTENT_FILE = Path(__file__).resolve().parent / "site.toml"
# The tables a content file may have; any other is a typo that would load nothing.
CONTENT_TABLES = ("home", "regions", "organisations", "programmes")

CREATED, UPDATED, UNCHANGED, KEPT, SKIPPED = (
    "created",
    "updated",
    "unchanged",
    "kept (edited in the admin)",
    "skipped (deleted in the admin)",
)


class ContentError(Exception):
    """The content file cannot be loaded; the message says what to fix."""


@dataclass
class Record:
    key: str
    model: type[models.Model]
    values: dict
    many_to_many: dict = field(default_factory=dict)


@dataclass
class LoadReport:
    outcomes: list = field(default_factory=list)

    def add(self, key, outcome):
        self.outcomes.append((key, outcome))

    def counts(self):
        return Counter(outcome for _key, outcome in self.outcomes)

    def summary(self):
        counts = self.counts()
        parts = [
            f"{counts[outcome]} {outcome}"
            for outcome in (CREATED, UPDATED, UNCHANGED, KEPT, SKIPPED)
        ]
        return f"{len(self.outcomes)} records: " + ", ".join(parts)


def fingerprint(data):
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def read_content_file(path):
    # A folder, or a device such as /dev/zero that would be read for ever, is
    # not a content file; nor is a path holding a NUL character.
    if not Path(path).is_file():
        raise ContentError(f"No content file at {path}.")
    try:
        with open(path, "rb") as content_file:
            return tomllib.load(content_file)
    except OSError as error:
        raise ContentError(f"Cannot read {path}: {error.strerror}.") from None
    except UnicodeDecodeError:
        raise ContentError(f"{path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path} is not valid TOML: {error}.") from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ContentError(f"{path} nests arrays or tables too deeply.") from None


TOML_TYPES = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    float: "a decimal number",
    list: "an array",
    dict: "a table",
    datetime.datetime: "a date and time",
    datetime.date: "a date",
    datetime.time: "a time",
}


def toml_type(value):
    return TOML_TYPES[type(value)]


def table(value, where):
    if not isinstance(value, dict):
        raise ContentError(f"{where} must be a table, not {toml_type(value)}.")
    return dict(value)


def tables(value, where):
    if not isinstance(value, list):
        raise ContentError(
            f"{where} must be an array of tables, not {toml_type(value)}."
        )
    return [table(item, f"An item of {where}") for item in value]


def text(value, where):
    if not isinstance(value, str):
        raise ContentError(f"{where} must be text, not {toml_type(value)}.")
    if not value:
        raise ContentError(f"{where} is empty.")
    return value


def records_from(content):
    """The file's content as records, in an order where references resolve.

    The whole file is checked here, before anything is written: its shape,
    each record's fields and the type of their values, unique keys and
    references to regions.
    """
    unknown = sorted(set(content) - set(CONTENT_TABLES))
    if unknown:
        raise ContentError(
            f"The content file has unknown tables: {', '.join(unknown)} "
            f"(expected {', '.join(CONTENT_TABLES)})."
        )
    records = []
    try:
        if "home" in content:
            home = table(content["home"], "home")
            key = text(home.pop("key"), "The key of home")
            records.append(Record(f"home:{key}", HomePage, home))
        for region in tables(content.get("regions", []), "regions"):
            key = text(region.pop("key"), "The key of a region")
            records.append(Record(f"region:{key}", Region, region))
        for organisation in tables(content.get("organisations", []), "organisations"):
            key = text(organisation.pop("key"), "The key of an organisation")
            records.append(Record(f"organisation:{key}", Organisation, organisation))
        for programme in tables(content.get("programmes", []), "programmes"):
            records.extend(programme_records(programme))
    except KeyError as error:
        raise ContentError(
            f"A record in the content file has no {error} value."
        ) from None
    for record in records:
        check_record(record)
    keys = Counter(record.key for record in records)
    if twice := [key for key, count in keys.items() if count > 1]:
        raise ContentError(f"{twice[0]} is defined more than once in the content file.")
    for record in records:
        for referred in record.many_to_many.values():
            if missing := [key for key in referred if key not in keys]:
                raise ContentError(
                    f"{record.key} refers to {missing[0]}, which the file does "
                    "not define."
                )
    return records


def check_record(record):
    """Refuse a field the model lacks or the file may not set, or a wrong type.

    The database would otherwise store the text of a number or of an array
    ("[1, 2]"), and PostgreSQL refuses text holding a NUL character.
    """
    if "\x00" in record.key:
        raise ContentError(f"{record.key!r}: a key cannot hold a NUL character.")
    for name, value in record.values.items():
        try:
            model_field = record.model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ContentError(f"{record.key}: there is no field {name!r}.") from None
        # The id, created_at, updated_at and relations are the loader's.
        if (
            not model_field.concrete
            or not model_field.editable
            or model_field.primary_key
            or model_field.many_to_many
        ):
            raise ContentError(f"{record.key}: {name} cannot be set by the file.")
        if isinstance(model_field, models.FileField):
            # A path in the file would point at no checked, re-encoded upload.
            raise ContentError(
                f"{record.key}: {name} cannot be set by the content file, which "
                "holds text only. Upload images in the admin; the file may give "
                "their text alternative (image_alt_fr, image_alt_en)."
            )
        if isinstance(model_field, models.ForeignKey):
            continue  # a key the loader built, resolved when written
        expected = expected_type(model_field, value)
        if expected:
            raise ContentError(
                f"{record.key}: {name} must be {expected}, not {toml_type(value)}."
            )
        strings = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and "\x00" in item for item in strings):
            raise ContentError(
                f"{record.key}: {name} holds a NUL character, which the database "
                "cannot store."
            )


def expected_type(model_field, value):
    """What the value of `model_field` must be, when `value` is not that."""
    if isinstance(model_field, CountryField):
        if isinstance(value, list) and all(isinstance(code, str) for code in value):
            return None
        return 'an array of country codes, e.g. ["GH", "NG"]'
    if isinstance(model_field, models.BooleanField):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(model_field, models.IntegerField):
        is_integer = isinstance(value, int) and not isinstance(value, bool)
        return None if is_integer else "a whole number"
    if isinstance(model_field, models.DecimalField):
        # Not a float, which TOML would round.
        is_exact = isinstance(value, str | int) and not isinstance(value, bool)
        return None if is_exact else 'a number in quotes, e.g. "1200000.50"'
    if isinstance(model_field, models.DateField):
        is_date = type(value) is datetime.date
        return None if is_date else "a date, e.g. 2024-05-31"
    if isinstance(model_field, models.CharField | models.TextField):
        return None if isinstance(value, str) else "text in quotes"
    return None


def programme_records(programme):
    key = text(programme.pop("key"), "The key of a programme")
    where = f"programme:{key}"
    participations = tables(
        programme.pop("participations", []), f"{where} participations"
    )
    sources = tables(programme.pop("sources", []), f"{where} sources")
    figures = {
        "key_facts": programme.pop("key_facts", []),
        "results": programme.pop("results", []),
    }
    regions = programme.pop("regions", [])
    if not isinstance(regions, list):
        raise ContentError(f"{where} regions must be an array of region keys.")
    regions = [
        f"region:{text(region, f'A region key of {where}')}" for region in regions
    ]
    yield Record(
        f"programme:{key}",
        Programme,
        programme,
        many_to_many={"beneficiary_regions": regions},
    )
    for position, participation in enumerate(participations, start=1):
        organisation = text(
            participation.pop("organisation"), f"An organisation of {where}"
        )
        text(participation["role"], f"The role of {where}:{organisation}")
        participation["programme"] = f"programme:{key}"
        participation["organisation"] = f"organisation:{organisation}"
        participation.setdefault("display_order", position)
        yield Record(
            f"participation:{key}:{organisation}:{participation['role']}",
            Participation,
            participation,
        )
    # A figure names its source by the source's `ref` (e.g. "S4", the facts
    # sheet's number), unique within the programme.
    source_keys = {}
    for position, source in enumerate(sources, start=1):
        ref = source.pop("ref", None)
        source["programme"] = f"programme:{key}"
        source.setdefault("display_order", position)
        title = next((v for name, v in source.items() if name.startswith("title_")), "")
        if not title:
            raise ContentError(
                f"A source of programme:{key} has no title_fr or title_en."
            )
        if ref is not None:
            source_keys[text(ref, f"The ref of a source of {where}")] = (
                f"source:{key}:{title}"
            )
        yield Record(f"source:{key}:{title}", Source, source)
    for name, model in (("key_facts", KeyFact), ("results", Result)):
        for position, fact in enumerate(tables(figures[name], f"{where} {name}"), 1):
            ref = text(
                fact.get("source", ""), f"The source of a {name} item of {where}"
            )
            if ref not in source_keys:
                raise ContentError(
                    f"A {name} item of {where} cites {ref}, which is not the ref "
                    "of one of its sources."
                )
            fact["source"] = source_keys[ref]
            fact["programme"] = f"programme:{key}"
            if model is KeyFact:
                fact.setdefault("display_order", position)
            label = fact.get("label_en") or fact.get("title_en") or str(position)
            yield Record(f"{name}:{key}:{label}", model, fact)


class ContentLoader:
    def __init__(self, report=None, progress=None):
        self.report = report or LoadReport()
        self.progress = progress or (lambda key, outcome: None)
        self.objects_by_key = {}

    def load(self, path=DEFAULT_CONTENT_FILE, dry_run=False):
        records = records_from(read_content_file(path))
        with transaction.atomic():
            for record in records:
                outcome = self.load_record(record)
                self.report.add(record.key, outcome)
                self.progress(record.key, outcome)
            if dry_run:
                transaction.set_rollback(True)
        return self.report

    def load_record(self, record):
        file_fingerprint = fingerprint([record.values, record.many_to_many])
        tracked = LoadedRecord.objects.filter(key=record.key).first()
        if tracked is None:
            if self.refers_to_deleted(record):
                return SKIPPED
            instance = self.write(record, record.model())
            LoadedRecord.objects.create(
                key=record.key,
                object_id=instance.pk,
                source_fingerprint=file_fingerprint,
                object_fingerprint=self.state_fingerprint(record, instance),
            )
            return CREATED

        instance = record.model.objects.filter(pk=tracked.object_id).first()
        if instance is None:
            return SKIPPED
        self.objects_by_key[record.key] = instance
        if not self.is_as_loaded(record, instance, tracked):
            return KEPT
        if file_fingerprint == tracked.source_fingerprint:
            return UNCHANGED
        self.write(record, instance)
        tracked.source_fingerprint = file_fingerprint
        tracked.object_fingerprint = self.state_fingerprint(record, instance)
        tracked.save()
        return UPDATED

    def write(self, record, instance):
        for name, value in record.values.items():
            if isinstance(record.model._meta.get_field(name), models.ForeignKey):
                value = self.resolve(record, value)
            setattr(instance, name, value)
        if isinstance(instance, KeyFact):
            # The file's sourced figure replaces one kept, unsourced, from the
            # programme's former undated fields (migration 0025).
            instance.flagged_figures_it_replaces().delete()
        try:
            instance.full_clean()
        except ValidationError as error:
            raise ContentError(f"{record.key}: {describe(error)}") from None
        instance._change_reason = LOADED_REASON
        # The file's languages are one text: the translation status takes them
        # as written together (programmes/translating/status.py).
        instance._loaded_columns = frozenset(record.values)
        instance.save()
        with one_revision(instance):
            for name, keys in record.many_to_many.items():
                getattr(instance, name).set(
                    [
                        self.objects_by_key[key]
                        for key in keys
                        if key in self.objects_by_key
                    ]
                )
        instance.refresh_from_db()
        self.objects_by_key[record.key] = instance
        return instance

    def references(self, record):
        return [
            value
            for name, value in record.values.items()
            if isinstance(record.model._meta.get_field(name), models.ForeignKey)
        ]

    def refers_to_deleted(self, record):
        """True when a record this one belongs to was deleted in the admin."""
        return any(
            key not in self.objects_by_key
            and LoadedRecord.objects.filter(key=key).exists()
            for key in self.references(record)
        )

    def resolve(self, record, key):
        if key not in self.objects_by_key:
            raise ContentError(
                f"{record.key} refers to {key}, which the file does not define."
            )
        return self.objects_by_key[key]

    def is_as_loaded(self, record, instance, tracked):
        """True when nobody edited the row since the loader last wrote it.

        When the file gains a field (e.g. regions got `countries`), the last
        fingerprint did not cover it. A row that leaves such a field empty
        cannot have been edited there, so the row is compared without its
        empty fields too. A field an editor emptied still counts as edited:
        the last fingerprint holds its old value.
        """
        if self.state_fingerprint(record, instance) == tracked.object_fingerprint:
            return True
        empty = self.empty_fields(record, instance)
        return (
            bool(empty)
            and self.state_fingerprint(record, instance, leave_out=empty)
            == tracked.object_fingerprint
        )

    def empty_fields(self, record, instance):
        meta = record.model._meta
        return {
            name
            for name in record.values
            if meta.get_field(name).value_from_object(instance) in (None, "", [])
        } | {
            name for name in record.many_to_many if not getattr(instance, name).exists()
        }

    def state_fingerprint(self, record, instance, leave_out=()):
        """A fingerprint of the fields this record sets, as the database holds them."""
        state = {}
        for name in record.values:
            if name not in leave_out:
                model_field = record.model._meta.get_field(name)
                state[name] = model_field.value_to_string(instance)
        for name in record.many_to_many:
            if name not in leave_out:
                values = getattr(instance, name).values_list("pk", flat=True)
                state[name] = sorted(values)
        return fingerprint(state)


def describe(error):
    if not hasattr(error, "message_dict"):
        return " ".join(str(message) for message in error.messages)
    errors = error.message_dict
    # modeltranslation repeats a language field's error on the base field
    # (slug_fr and slug): name only the field the file sets.
    return "; ".join(
        f"{name}: {' '.join(str(message) for message in messages)}"
        for name, messages in errors.items()
        if not any(other.startswith(f"{name}_") for other in errors)
    )
