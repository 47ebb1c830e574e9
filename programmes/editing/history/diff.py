"""Two revisions compared: field by field, language by language, word by word."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from programmes.content.models import Organisation, Participation, Source
from programmes.languages import language_codes

from .revisions import differing_fields

# --- Differences, word by word ------------------------------------------------------

TOKENS = re.compile(r"\s+|\S+")


def marked(tag, text, hint):
    """<del> or <ins>, with a word that screen readers announce."""
    return format_html(
        '<{tag}><span class="visually-hidden">{hint} </span>{text}</{tag}>',
        tag=tag,
        hint=hint,
        text=text,
    )


def word_diff(old, new):
    """(old, new) as HTML, removed words in <del>, added ones in <ins>.

    Every piece of text is escaped; only the tags are ours.
    """
    before, after = TOKENS.findall(old), TOKENS.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    # [unchanged?, old text, new text], the spaces between two changed words
    # counted as changed: one <del> for "at sea", not one per word.
    segments = []
    opcodes = matcher.get_opcodes()
    for index, (operation, i1, i2, j1, j2) in enumerate(opcodes):
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        unchanged = operation == "equal"
        between_changes = unchanged and not removed.strip() and index < len(opcodes) - 1
        if segments and not segments[-1][0] and (not unchanged or between_changes):
            segments[-1][1] += removed
            segments[-1][2] += added
        else:
            segments.append([unchanged, removed, added])
    old_parts, new_parts = [], []
    for unchanged, removed, added in segments:
        if unchanged:
            old_parts.append(escape(removed))
            new_parts.append(escape(added))
            continue
        if removed:
            old_parts.append(marked("del", removed, gettext("removed:")))
        if added:
            new_parts.append(marked("ins", added, gettext("added:")))
    return mark_safe("".join(old_parts)), mark_safe("".join(new_parts))


def items_diff(old, new):
    """Two lists as HTML lists, items gone in <del>, new items in <ins>."""

    def html_list(items, other, tag, hint):
        parts = [
            format_html(
                "<li>{}</li>", item if item in other else marked(tag, item, hint)
            )
            for item in items
        ]
        if not parts:
            return ""
        return mark_safe('<ul class="history-items">' + "".join(parts) + "</ul>")

    return (
        html_list(old, new, "del", gettext("removed:")),
        html_list(new, old, "ins", gettext("added:")),
    )


@dataclass
class Difference:
    label: str
    old: str
    new: str


def difference(label, old, new):
    if isinstance(old, list) or isinstance(new, list):
        return Difference(label, *items_diff(old or [], new or []))
    return Difference(label, *word_diff(old or "", new or ""))


def differences(fields, old, new):
    return [
        difference(
            history_field.label,
            history_field.display(old.value(history_field)),
            history_field.display(new.value(history_field)),
        )
        for history_field in differing_fields(fields, old, new)
    ]


# --- A programme's rows as they were ------------------------------------------------


def rows_as_of(model, programme_pk, when):
    """The rows of `model` a programme had at `when`, from their history."""
    latest = (
        model.history.filter(programme_id=programme_pk, history_date__lte=when)
        .latest_of_each()
        .exclude(history_type="-")
    )
    return sorted(latest, key=lambda row: (row.display_order, row.id))


def participation_items(programme_pk, when):
    rows = rows_as_of(Participation, programme_pk, when)
    organisations = Organisation._base_manager.in_bulk(
        {row.organisation_id for row in rows}
    )
    roles = dict(Participation.Role.choices)
    items = []
    for row in rows:
        organisation = organisations.get(row.organisation_id)
        text = f"{organisation.short_name if organisation else '?'}: "
        text += str(roles.get(row.role, row.role))
        notes = [
            f"{code.upper()} {note}"
            for code in language_codes()
            if (note := getattr(row, build_localized_fieldname("note", code)))
        ]
        if notes:
            text += f" ({'; '.join(notes)})"
        items.append(text)
    return items


def source_items(programme_pk, when):
    items = []
    for row in rows_as_of(Source, programme_pk, when):
        titles = [
            getattr(row, build_localized_fieldname("title", code))
            for code in language_codes()
        ]
        text = " / ".join(title for title in titles if title)
        if row.url:
            text += f" <{row.url}>"
        items.append(text)
    return items


def related_differences(old_record, new_record):
    """A programme's participations and sources at each revision's time."""
    pk = new_record.id
    rows = []
    for label, items in (
        (_("participating organisations"), participation_items),
        (_("sources"), source_items),
    ):
        old = items(pk, old_record.history_date)
        new = items(pk, new_record.history_date)
        if old != new:
            rows.append(difference(capfirst(label), old, new))
    return rows
