"""Load the site's source content (programmes/content/site.toml) into the database.

Loading is idempotent and respects editors: each record of the file is tracked
in LoadedRecord with a fingerprint of the file's values and one of the database
row as the loader left it. On the next load a record is

- created when it was never loaded,
- updated when the file changed and nobody edited the row since,
- kept when an editor changed it in the admin,
- skipped when an editor deleted it (it is not brought back).
"""

import hashlib
import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from .models import (
    HomePage,
    LoadedRecord,
    Organisation,
    Participation,
    Programme,
    Region,
    Source,
)

DEFAULT_CONTENT_FILE = Path(__file__).resolve().parent / "content" / "site.toml"

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
    try:
        with open(path, "rb") as content_file:
            return tomllib.load(content_file)
    except FileNotFoundError:
        raise ContentError(f"No content file at {path}.") from None
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path} is not valid TOML: {error}.") from None


def records_from(content):
    """The file's content as records, in an order where references resolve."""
    records = []
    try:
        if "home" in content:
            home = dict(content["home"])
            records.append(Record(f"home:{home.pop('key')}", HomePage, home))
        for region in content.get("regions", []):
            region = dict(region)
            records.append(Record(f"region:{region.pop('key')}", Region, region))
        for organisation in content.get("organisations", []):
            organisation = dict(organisation)
            key = organisation.pop("key")
            records.append(Record(f"organisation:{key}", Organisation, organisation))
        for programme in content.get("programmes", []):
            records.extend(programme_records(dict(programme)))
    except KeyError as error:
        raise ContentError(
            f"A record in the content file has no {error} value."
        ) from None
    return records


def programme_records(programme):
    key = programme.pop("key")
    participations = programme.pop("participations", [])
    sources = programme.pop("sources", [])
    regions = [f"region:{region}" for region in programme.pop("regions", [])]
    yield Record(
        f"programme:{key}",
        Programme,
        programme,
        many_to_many={"beneficiary_regions": regions},
    )
    for position, participation in enumerate(participations, start=1):
        participation = dict(participation)
        organisation = participation.pop("organisation")
        participation["programme"] = f"programme:{key}"
        participation["organisation"] = f"organisation:{organisation}"
        participation.setdefault("display_order", position)
        yield Record(
            f"participation:{key}:{organisation}:{participation['role']}",
            Participation,
            participation,
        )
    for position, source in enumerate(sources, start=1):
        source = dict(source)
        source["programme"] = f"programme:{key}"
        source.setdefault("display_order", position)
        title = next((v for name, v in source.items() if name.startswith("title_")), "")
        if not title:
            raise ContentError(
                f"A source of programme:{key} has no title_fr or title_en."
            )
        yield Record(f"source:{key}:{title}", Source, source)


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
        try:
            instance.full_clean()
        except ValidationError as error:
            raise ContentError(f"{record.key}: {describe(error)}") from None
        instance.save()
        for name, keys in record.many_to_many.items():
            getattr(instance, name).set(
                [self.objects_by_key[key] for key in keys if key in self.objects_by_key]
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
