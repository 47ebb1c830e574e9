"""Translation status, field by field: missing, up to date or outdated.

Every save of a translated record keeps one TranslationState per field and
language: the other languages' text as it was when this language was last
written (or marked as checked). A translation is outdated when that text has
changed since; the difference between then and now is what the translator has
to carry over (a word diff in the dashboard).

Which direction counts: each record has a source language (its
`source_language`, chosen on its first save with text: French when it has
text, else the first language written; a programme's rows prefer their
programme's; editors may change it). A field whose source language is empty
takes the first language with text. Only a change to the source makes the
other languages outdated; a change to a translation never flags the source (an
English correction of a French record sends no work to French, a French
correction of an English one none to English). A language
that was missing and gets its first text is catching up: the languages it
follows stay up to date. Writing every language in one save leaves them all up
to date.

The verdicts are stored too (StoredStatus, one row per field and language,
written by the same save): the dashboard, the exchange files and the
translation view read them, page by page, instead of computing the whole
site's. Writes through `queryset.update()` bypass this, like every other
signal: `manage.py rebuild_translation_status` computes every stored status
again (`--check` only compares), and migrate does when the tracked fields or
the languages changed.
"""

import hashlib
import json
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.models import HistoricalRecords

from programmes.content.bases import PublicationStatus
from programmes.content.facts import KeyFact, Result
from programmes.content.models import (
    HomePage,
    Organisation,
    Participation,
    Programme,
    Region,
    Source,
)
from programmes.languages import language_codes

from .models import Status, StoredStatus, StoredStatusRules, TranslationState

# The records translators work on, in the dashboard's order.
TRACKED_MODELS = [
    HomePage,
    Programme,
    Organisation,
    Region,
    Participation,
    KeyFact,
    Result,
    Source,
]

# Rows of a programme's change form (its inlines): their page is the
# programme's, their fields are named by their position in the inline.
PROGRAMME_ROWS = (Participation, KeyFact, Result, Source)

# Source titles are citations, given in the cited page's language: not
# translated. A source's note on its missing address is.
UNTRACKED_FIELDS = {Source: {"title"}}


# A filter value that stands for both kinds of work to do.
TO_DO = (Status.MISSING, Status.OUTDATED)


def tracked_fields(model):
    """The model's translated fields, in form order: text and slugs (a page's
    address in each language is translators' work too); websites are not."""
    translated = translator.get_options_for_model(model).get_field_names()
    return [
        field.name
        for field in model._meta.fields
        if field.name in translated
        and field.name not in UNTRACKED_FIELDS.get(model, ())
        and not isinstance(field, models.URLField)
    ]


def is_programme_row(obj):
    return isinstance(obj, PROGRAMME_ROWS)


def inline_prefix(model):
    """The programme form's formset prefix for `model`'s rows: the programme's
    accessor to them ("participations", "key_facts"...)."""
    return model._meta.get_field("programme").remote_field.get_accessor_name()


def record_name(obj):
    """The record's name; a programme's row names its programme too ("UNODC:
    partner" alone does not say which programme)."""
    if is_programme_row(obj):
        return f"{obj.programme} — {obj}"
    return str(obj)


def texts(obj, field_name):
    """{language code: the field's own text in that language}."""
    return {
        code: getattr(obj, build_localized_fieldname(field_name, code)) or ""
        for code in language_codes()
    }


def record_source(obj):
    """The record's source language; the default one (French) until chosen."""
    return getattr(obj, "source_language", "") or language_codes()[0]


def field_source(preferred, values):
    """The language a field's translations follow: the record's source language
    when the field has text in it, else the first language with text."""
    if values.get(preferred):
        return preferred
    return next((code for code in language_codes() if values.get(code)), preferred)


def source_language(target, values, preferred=None):
    """The language a translation into `target` is made from.

    The field's source (field_source) when `target` is not it; for the source
    itself, the first other language with text, else the first other one.
    """
    source = field_source(preferred or language_codes()[0], values)
    if source != target:
        return source
    others = [code for code in language_codes() if code != target]
    with_text = [code for code in others if values.get(code)]
    return (with_text or others)[0]


def is_behind(code, values, state, preferred=None):
    """Whether `code` is missing, or was written against another source text.

    Only the source counts (field_source: the record's source language once
    it has text): a change to a translation never makes the source, or
    another translation, outdated.
    """
    if not values[code]:
        return True
    source = field_source(preferred or language_codes()[0], values)
    if state is None or source == code:
        return False
    return state.source_texts.get(source, "") != values[source]


def choose_source_language(instance):
    """The source language of a record saved for the first time with text:
    the preferred one (the default language; for a programme's row, its
    programme's) when it has text, else the first language written."""
    codes = language_codes()
    preferred = codes[0]
    if is_programme_row(instance) and instance.programme_id:
        preferred = record_source(instance.programme)
    # Written text, not slugs: a slug is made from the name, or left to fall
    # back to the default language's (programmes/public/fallbacks.py).
    written = [
        name
        for name in tracked_fields(type(instance))
        if not isinstance(instance._meta.get_field(name), models.SlugField)
    ]
    for code in [preferred, *(other for other in codes if other != preferred)]:
        if any(texts(instance, name)[code] for name in written):
            return code
    return ""


@dataclass
class FieldStatus:
    """The status of one field of one record in one language."""

    obj: models.Model
    field: str
    language: str
    status: str
    values: dict
    state: TranslationState | None = None
    source: str = field(init=False)

    def __post_init__(self):
        self.source = source_language(
            self.language, self.values, record_source(self.obj)
        )

    @property
    def unit_id(self):
        """A stable id for exchange files: "programme.3.summary"."""
        return f"{self.obj._meta.model_name}.{self.obj.pk}.{self.field}"

    @property
    def text(self):
        return self.values[self.language]

    @property
    def source_text(self):
        return self.values[self.source]

    @property
    def source_text_then(self):
        """The source's text when this translation was last written or checked."""
        if self.state is None:
            return self.source_text
        return self.state.source_texts.get(self.source, "")

    @property
    def label(self):
        return self.obj._meta.get_field(self.field).verbose_name

    @property
    def max_length(self):
        return self.obj._meta.get_field(self.field).max_length

    def admin_url(self):
        """The change form, at the field's language tab (the programme's, at
        the inline, for a programme's row)."""
        if is_programme_row(self.obj):
            url = reverse(
                "admin:programmes_programme_change", args=[self.obj.programme_id]
            )
            return f"{url}#{inline_prefix(type(self.obj))}-group"
        opts = self.obj._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.obj.pk]
        )
        return f"{url}#id_{build_localized_fieldname(self.field, self.language)}"


def states_by_key(objects, languages=None):
    """{(content type id, object id, field, language): state} for `objects`,
    in `languages` only when given."""
    by_type = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)
        by_type.setdefault(content_type.pk, []).append(obj.pk)
    query = models.Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        query |= models.Q(content_type_id=content_type_id, object_id__in=ids)
    if languages is not None:
        query &= models.Q(language__in=languages)
    return {
        (state.content_type_id, state.object_id, state.field, state.language): state
        for state in TranslationState.objects.filter(query)
    }


def object_statuses(obj, states):
    """Every FieldStatus of one record, given states_by_key() of its kind."""
    content_type_id = ContentType.objects.get_for_model(obj).pk
    completeness = getattr(obj, "completeness_fields", ())
    preferred = record_source(obj)
    result = []
    for name in tracked_fields(type(obj)):
        values = texts(obj, name)
        for code in language_codes():
            state = states.get((content_type_id, obj.pk, name, code))
            if values[code]:
                status = (
                    Status.OUTDATED
                    if is_behind(code, values, state, preferred)
                    else Status.UP_TO_DATE
                )
            elif name in completeness or any(values.values()):
                status = Status.MISSING
            else:
                continue
            result.append(FieldStatus(obj, name, code, status, values, state))
    return result


def translatable_objects(model):
    """Records translators work on: archived pages no longer need translating."""
    queryset = model._default_manager.all()
    if model in PROGRAMME_ROWS:
        return with_programme(
            queryset.exclude(programme__status=PublicationStatus.ARCHIVED)
        )
    if hasattr(model, "status"):
        return queryset.exclude(status=PublicationStatus.ARCHIVED)
    return queryset


def with_programme(queryset):
    """A programme's rows with what their names show: the programme (and a
    participation's organisation)."""
    if queryset.model is Participation:
        return queryset.select_related("programme", "organisation")
    return queryset.select_related("programme")


def all_statuses(models_=None, objects=None):
    """FieldStatus of every tracked field of every record (or of `objects`)."""
    if objects is None:
        objects = [
            obj
            for model in (models_ or TRACKED_MODELS)
            for obj in translatable_objects(model)
        ]
    states = states_by_key(objects)
    return [status for obj in objects for status in object_statuses(obj, states)]


def percent_complete(statuses, language):
    """The share of a language's fields that are up to date, 0-100."""
    cells = [status for status in statuses if status.language == language]
    if not cells:
        return 100
    done = sum(status.status == Status.UP_TO_DATE for status in cells)
    return round(100 * done / len(cells))


def mark_as_checked(obj, field_name, language, user=None):
    """Confirm a translation still says what the source says, text unchanged."""
    # The stored text, not what `obj` may hold: the check is about the page.
    obj = type(obj)._base_manager.get(pk=obj.pk)
    values = texts(obj, field_name)
    state, _created = TranslationState.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field_name,
        language=language,
    )
    state.source_texts = {
        code: text for code, text in values.items() if code != language
    }
    state.checked = True
    state.updated_by = user
    state.save()
    store_statuses(obj)
    return state


# Keeping the states current on every save (connected in apps.py) ---------


def acting_user(instance):
    """Who saves: the one an import or a restore names, else the request's user."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def remember_text_before_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if not instance.source_language:
        instance.source_language = choose_source_language(instance)
    if instance.pk is None:
        return
    columns = [
        build_localized_fieldname(name, code)
        for name in tracked_fields(sender)
        for code in language_codes()
    ]
    instance._text_before_save = (
        sender._base_manager.filter(pk=instance.pk)
        .values("source_language", *columns)
        .first()
    )


def record_translation_states(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before_row = getattr(instance, "_text_before_save", None) or {}
    instance._text_before_save = None
    content_type = ContentType.objects.get_for_model(instance)
    states = {
        (state.field, state.language): state
        for state in TranslationState.objects.filter(
            content_type=content_type, object_id=instance.pk
        )
    }
    user = acting_user(instance)
    preferred = record_source(instance)
    to_save, to_delete = [], []
    codes = language_codes()
    for name in tracked_fields(sender):
        now = texts(instance, name)
        then = {
            code: before_row.get(build_localized_fieldname(name, code)) or ""
            for code in codes
        }
        changed = {code for code in codes if now[code] != then[code]}
        if not changed:
            continue
        # load_content writes the content file's languages of a field as one
        # text, like a save of every language: none becomes outdated by the
        # others, although only one changed (an English wording edited).
        changed |= {
            code
            for code in codes
            if now[code]
            and build_localized_fieldname(name, code)
            in getattr(instance, "_loaded_columns", ())
        }
        behind = {
            code: is_behind(code, then, states.get((name, code)), preferred)
            for code in codes
        }
        for code in codes:
            state = states.get((name, code))
            if not now[code]:
                if state is not None:
                    to_delete.append(state.pk)
                continue
            others_now = {other: now[other] for other in codes if other != code}
            if state is None:
                state = TranslationState(
                    content_type=content_type,
                    object_id=instance.pk,
                    field=name,
                    language=code,
                    source_texts={
                        other: then[other] for other in codes if other != code
                    },
                )
            if code in changed:
                state.source_texts = others_now
                state.checked = False
                state.updated_by = user
            elif not behind[code] and all(behind[other] for other in changed):
                # The others caught up with this text: it is still their source.
                state.source_texts = {
                    **state.source_texts,
                    **{c: now[c] for c in changed},
                }
            elif state.pk is not None:
                continue
            to_save.append(state)
    if to_delete:
        TranslationState.objects.filter(pk__in=to_delete).delete()
    for state in to_save:
        state.save()
    store_statuses(instance)
    if isinstance(instance, Programme) and before_row.get("source_language") not in (
        None,
        instance.source_language,
    ):
        follow_programme_source(instance)


def follow_programme_source(programme):
    """A programme's rows take its new source language, those with text in it:
    its form writes them in the same language."""
    source = programme.source_language
    for model in PROGRAMME_ROWS:
        for row in model._default_manager.filter(programme=programme):
            if row.source_language != source and any(
                texts(row, name)[source] for name in tracked_fields(model)
            ):
                model._default_manager.filter(pk=row.pk).update(source_language=source)
                row.source_language = source
                store_statuses(row)


def forget_translation_states(sender, instance, **kwargs):
    where = {
        "content_type": ContentType.objects.get_for_model(instance),
        "object_id": instance.pk,
    }
    TranslationState.objects.filter(**where).delete()
    StoredStatus.objects.filter(**where).delete()


# The stored statuses -------------------------------------------------------


def batched(iterable, size):
    """Lists of `size` items of `iterable` (itertools.batched, Python 3.12)."""
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def stored_row(status):
    """A FieldStatus as the StoredStatus row that keeps it."""
    model = type(status.obj)
    return StoredStatus(
        content_type=ContentType.objects.get_for_model(model),
        object_id=status.obj.pk,
        field=status.field,
        language=status.language,
        status=status.status,
        source=status.source,
        kind=TRACKED_MODELS.index(model),
        field_position=tracked_fields(model).index(status.field),
        language_position=language_codes().index(status.language),
    )


STORED_COLUMNS = ("status", "source", "kind", "field_position", "language_position")


def store_statuses(obj):
    """Write the record's stored statuses from its text and states: only the
    rows whose verdict changed."""
    content_type = ContentType.objects.get_for_model(obj)
    stored = {
        (row.field, row.language): row
        for row in StoredStatus.objects.filter(
            content_type=content_type, object_id=obj.pk
        )
    }
    to_create, to_update = [], []
    for status in object_statuses(obj, states_by_key([obj])):
        row = stored_row(status)
        old = stored.pop((row.field, row.language), None)
        if old is None:
            to_create.append(row)
        elif any(getattr(old, c) != getattr(row, c) for c in STORED_COLUMNS):
            row.pk = old.pk
            to_update.append(row)
    if stored:
        StoredStatus.objects.filter(pk__in=[row.pk for row in stored.values()]).delete()
    StoredStatus.objects.bulk_create(to_create)
    StoredStatus.objects.bulk_update(to_update, STORED_COLUMNS)


def rules_digest():
    """What stored statuses depend on besides the content: the tracked fields
    of each kind of record, in order, and the languages, in order."""
    rules = [[model._meta.label, tracked_fields(model)] for model in TRACKED_MODELS] + [
        language_codes()
    ]
    return hashlib.sha256(json.dumps(rules).encode()).hexdigest()


def computed_rows(chunk_size=500):
    """StoredStatus rows (unsaved) of every record, archived ones too, computed
    from their text and states, a chunk of records at a time."""
    for model in TRACKED_MODELS:
        for chunk in batched(model._default_manager.iterator(chunk_size), chunk_size):
            states = states_by_key(chunk)
            for obj in chunk:
                for status in object_statuses(obj, states):
                    yield stored_row(status)


def rebuild():
    """Compute every stored status again; returns how many rows were written."""
    count = 0
    with transaction.atomic():
        StoredStatus.objects.all().delete()
        for rows in batched(computed_rows(), 1000):
            StoredStatus.objects.bulk_create(rows)
            count += len(rows)
        StoredStatusRules.objects.all().delete()
        StoredStatusRules.objects.create(digest=rules_digest())
    return count


def differences():
    """[((content type id, object id, field, language), stored, computed)]
    where the stored statuses differ from today's (None: no row)."""
    key = ("content_type_id", "object_id", "field", "language")
    stored = {
        values[:4]: values[4:]
        for values in StoredStatus.objects.values_list(*key, *STORED_COLUMNS)
    }
    result = []
    for row in computed_rows():
        where = tuple(getattr(row, column) for column in key)
        computed = tuple(getattr(row, column) for column in STORED_COLUMNS)
        found = stored.pop(where, None)
        if found != computed:
            result.append((where, found, computed))
    result.extend((where, found, None) for where, found in stored.items())
    return result


def rebuild_if_stale(**kwargs):
    """post_migrate: compute every stored status again when the tracked fields
    or the languages differ from those they were computed with (a new
    installation, an added language, a field that became tracked)."""
    rules = StoredStatusRules.objects.first()
    if rules is None or rules.digest != rules_digest():
        rebuild()


# Reading the stored statuses ----------------------------------------------


def stored_statuses():
    """StoredStatus rows of the records translators work on, in the dashboard's
    order: archived pages (and a programme's rows when it is archived) left out
    by the database, as translatable_objects() leaves them out."""
    rows = StoredStatus.objects.all()
    for model in TRACKED_MODELS:
        if model in PROGRAMME_ROWS:
            archived = model._default_manager.filter(
                programme__status=PublicationStatus.ARCHIVED
            )
        elif hasattr(model, "status"):
            archived = model._default_manager.filter(status=PublicationStatus.ARCHIVED)
        else:
            continue
        rows = rows.exclude(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=archived.values("pk"),
        )
    return rows.order_by("kind", "object_id", "field_position", "language_position")


def of_models(rows, models_):
    """`rows` of these kinds of record only."""
    return rows.filter(kind__in=[TRACKED_MODELS.index(model) for model in models_])


def counts_by_language(rows):
    """{language: {status: count}} of `rows`, in one query."""
    counts = {code: dict.fromkeys(Status, 0) for code in language_codes()}
    for language, status, count in (
        rows.order_by()
        .values_list("language", "status")
        .annotate(count=models.Count("pk"))
    ):
        if language in counts:
            counts[language][status] = count
    return counts


def field_statuses(rows):
    """FieldStatus of each StoredStatus of `rows` (a page, a chunk: a few
    hundred), with their records and states read in one query per kind."""
    rows = list(rows)
    wanted = {}
    for row in rows:
        wanted.setdefault(row.kind, set()).add(row.object_id)
    objects = {}
    for kind, ids in wanted.items():
        model = TRACKED_MODELS[kind]
        queryset = model._default_manager.filter(pk__in=ids)
        if model in PROGRAMME_ROWS:
            queryset = with_programme(queryset)
        objects.update({(kind, obj.pk): obj for obj in queryset})
    # The rows' languages only (an export's one): half the states, or less.
    states = states_by_key(objects.values(), {row.language for row in rows})
    result = []
    for row in rows:
        obj = objects.get((row.kind, row.object_id))
        if obj is None:
            continue
        values = texts(obj, row.field)
        state = states.get((row.content_type_id, obj.pk, row.field, row.language))
        result.append(
            FieldStatus(obj, row.field, row.language, row.status, values, state)
        )
    return result


def stored_verdicts(objects):
    """{(unit id, language): stored status} of `objects`' fields, one query."""
    by_kind = {}
    for obj in objects:
        by_kind.setdefault(TRACKED_MODELS.index(type(obj)), []).append(obj.pk)
    query = models.Q(pk__in=[])
    for kind, ids in by_kind.items():
        query |= models.Q(kind=kind, object_id__in=ids)
    names = [model._meta.model_name for model in TRACKED_MODELS]
    return {
        (f"{names[kind]}.{object_id}.{field_name}", language): status
        for kind, object_id, field_name, language, status in (
            StoredStatus.objects.filter(query).values_list(
                "kind", "object_id", "field", "language", "status"
            )
        )
    }
