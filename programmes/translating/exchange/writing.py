"""Writing XLIFF 1.2, XLIFF 2.0 and PO files of the translations to do."""

import re
from copy import copy
from dataclasses import dataclass
from io import BytesIO
from tempfile import SpooledTemporaryFile

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from lxml import etree
from modeltranslation.utils import build_localized_fieldname
from translate.storage import po, xliff, xliff2

from programmes.content.addresses import STAND_IN_PK, STAND_IN_SLUG, split_around
from programmes.content.models import HomePage
from programmes.content.rich_text import ALLOWED_TAGS
from programmes.languages import language_codes
from programmes.translating import glossary
from programmes.translating.status import (
    TO_DO,
    FieldStatus,
    Status,
    batched,
    field_statuses,
    is_programme_row,
    of_models,
    record_name,
    stored_statuses,
)

from .formats import (
    CONTENT_TYPES,
    EXTENSIONS,
    ORIGINAL,
    PO,
    TARGET_DIGEST,
    XLIFF,
    XLIFF2,
    XLIFF_12,
    XLIFF_20_METADATA,
    source_language_for,
    text_digest,
    xml_safe,
)

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# --- Export --------------------------------------------------------------------------


# Stored statuses read, and their records loaded, this many at a time: the
# export's memory holds one chunk's records, not the site's.
CHUNK = 500


def statuses_to_export(target, only_outdated=False, models_=None, ids=None):
    """The FieldStatus rows an export into `target` holds, in dashboard order,
    read from the stored statuses a chunk at a time (a generator).

    `ids` selects records of the one model in `models_`. Fields whose source
    is empty have nothing to translate.
    """
    source = source_language_for(target)
    rows = stored_statuses().filter(language=target, source=source)
    if only_outdated:
        rows = rows.filter(status__in=TO_DO)
    if models_:
        rows = of_models(rows, models_)
    if ids:
        rows = rows.filter(object_id__in=ids)
    for chunk in batched(rows.iterator(CHUNK), CHUNK):
        for status in field_statuses(chunk):
            if status.source == source and status.source_text:
                yield status


def page_address(obj, language):
    """The public page showing the record, in `language` when it has one."""
    page = obj.programme if is_programme_row(obj) else obj
    for code in [language, *(c for c in language_codes() if c != language)]:
        with translation.override(code):
            if isinstance(page, HomePage):
                return reverse("home")
            slug = getattr(page, build_localized_fieldname("slug", code), None)
            if slug and hasattr(page, "get_absolute_url"):
                try:
                    return page.get_absolute_url()
                except NoReverseMatch:
                    return ""
    return ""


class NotesMaker:
    """notes(status): the context for the translator of each unit, in the
    target language (theirs), made cheaply for a whole file: labels once per
    field, each record's name and page address once, addresses reverse()d
    once per kind of record and language (stand-in id or slug), glossary terms
    matched with precompiled patterns (glossary.NotesMaker).

    Made and used inside translation.override(target).
    """

    def __init__(self, source, target, base_url="", glossary_terms=None):
        self.base_url = base_url
        self.glossary = glossary.NotesMaker(source, target, glossary_terms)
        self.field_notes = {}
        self.admin_addresses = {}
        self.page_templates = {}
        self.record = (None, None)
        self.page = (None, None)
        # The same words for every unit (in the target language, active here).
        self.record_note = gettext("Record: %(record)s (%(kind)s)")
        self.page_note = gettext("Page: %(address)s")
        self.admin_note = gettext("Edit in the admin: %(address)s")

    def notes(self, status):
        obj = status.obj
        record_key = (type(obj), obj.pk)
        if self.record[0] != record_key:
            # Units come record by record: the last record's name only.
            self.record = (
                record_key,
                self.record_note
                % {"record": record_name(obj), "kind": obj._meta.verbose_name},
            )
        notes = [self.record[1], *self.notes_of_field(type(obj), status.field)]
        page = self.page_of(obj, status.language)
        if page:
            notes.append(self.page_note % {"address": self.base_url + page})
        notes.append(
            self.admin_note % {"address": self.base_url + self.admin_address(status)}
        )
        notes.extend(self.glossary.notes(status.source_text))
        return notes

    def notes_of_field(self, model, name):
        key = (model, name)
        if key not in self.field_notes:
            self.field_notes[key] = field_notes(model, name)
        return self.field_notes[key]

    def page_of(self, obj, language):
        page = obj.programme if is_programme_row(obj) else obj
        key = (type(page), page.pk, language)
        if self.page[0] != key:
            self.page = (key, self.page_address(page, language))
        return self.page[1]

    def page_address(self, page, language):
        """page_address(page, language), reverse()d once per kind of page and
        language with a stand-in slug, the record's put in its place."""
        if isinstance(page, HomePage) or not hasattr(page, "get_absolute_url"):
            return page_address(page, language)
        for code in [language, *(c for c in language_codes() if c != language)]:
            slug = getattr(page, build_localized_fieldname("slug", code), None)
            if not slug:
                continue
            key = (type(page), code)
            if key not in self.page_templates:
                self.page_templates[key] = page_template(page, code)
            template = self.page_templates[key]
            # A slug the address's converter refuses: reverse() says so.
            if template is None or not SLUG.fullmatch(slug):
                return page_address(page, language)
            return slug.join(template)
        return ""

    def admin_address(self, status):
        """status.admin_url(), reverse()d once per field of a kind of record
        with a stand-in id (content/addresses.py)."""
        obj = status.obj
        row = is_programme_row(obj)
        key = (type(obj), status.field, status.language)
        if key not in self.admin_addresses:
            stand_in = copy(obj)
            if row:
                stand_in.programme_id = STAND_IN_PK
            else:
                stand_in.pk = STAND_IN_PK
            address = FieldStatus(
                stand_in, status.field, status.language, status.status, status.values
            ).admin_url()
            self.admin_addresses[key] = split_around(address, STAND_IN_PK)
        before, after = self.admin_addresses[key]
        return f"{before}{obj.programme_id if row else obj.pk}{after}"


# The <slug:…> converter's pattern.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def page_template(page, code):
    """(before, after) the slug in the address of a page of `page`'s kind in
    language `code`, else None."""
    stand_in = copy(page)
    setattr(stand_in, build_localized_fieldname("slug", code), STAND_IN_SLUG)
    with translation.override(code):
        try:
            address = stand_in.get_absolute_url()
        except NoReverseMatch:
            return None
    return split_around(address, STAND_IN_SLUG)


def field_notes(model, name):
    """The notes every unit of a field shares: its label, length, markup."""
    field = model._meta.get_field(name)
    notes = [gettext("Field: %(field)s") % {"field": capfirst(field.verbose_name)}]
    if field.max_length:
        notes.append(
            gettext("Maximum length: %(count)s characters")
            % {"count": field.max_length}
        )
    if name in model.rich_text_fields:
        notes.append(
            gettext("HTML: keep the source's tags; allowed tags: %(tags)s")
            % {"tags": ", ".join(sorted(ALLOWED_TAGS))}
        )
    else:
        notes.append(gettext("Plain text: no HTML tags."))
    return notes


@dataclass
class Export:
    data: bytes
    file_format: str
    target: str
    units: int = 0
    missing: int = 0
    outdated: int = 0

    @property
    def extension(self):
        return EXTENSIONS[self.file_format]

    @property
    def content_type(self):
        return CONTENT_TYPES[self.file_format]


def export_translations(
    target,
    file_format=XLIFF,
    only_outdated=False,
    models_=None,
    ids=None,
    base_url="",
    output=None,
):
    """An exchange file for translation into `target`, as an Export.

    `base_url` (https://example.org) makes page and admin addresses absolute;
    without it they are paths. With `output` (a binary file), the file is
    written there unit by unit and the Export's data stays empty: memory holds
    one chunk of records, whatever the size of the site.
    """
    source = source_language_for(target)
    base_url = base_url.rstrip("/")
    export = Export(data=b"", file_format=file_format, target=target)
    out = BytesIO() if output is None else output

    def units(notes):
        # One unit at a time, counted as it goes: nothing keeps the statuses.
        for status in statuses_to_export(target, only_outdated, models_, ids):
            export.units += 1
            export.missing += status.status == Status.MISSING
            export.outdated += status.status == Status.OUTDATED
            yield status, notes.notes(status)

    writer = {XLIFF: xliff12_file, XLIFF2: xliff20_file, PO: po_file}[file_format]
    # In the order of the language active here (GlossaryTerm's ordering), as
    # the notes always listed them.
    glossary_terms = glossary.terms()
    with translation.override(target):
        notes = NotesMaker(source, target, base_url, glossary_terms)
        writer(units(notes), source, target, out)
    if output is None:
        export.data = out.getvalue()
    return export


def is_rich_text(status):
    return status.field in type(status.obj).rich_text_fields


# The writers write the file unit by unit, never holding it: XLIFF units are
# built with lxml and indented as translate-toolkit would (its reindent), the
# file around them (head, separator, tail) is the one translate-toolkit writes;
# PO entries are translate-toolkit's. The bytes are those of the whole file
# translate-toolkit built in memory before (tests/test_translation_export_stream.py
# compares the two).


class UnitWriter:
    """Writes an XLIFF file of `store` (a translate-toolkit store with no unit
    yet) around units serialised one at a time: `tag` is the unit element's
    name ("trans-unit", "unit")."""

    def __init__(self, store, tag):
        self.store, self.tag = store, tag
        self.parent = store.body

    def serialised(self):
        etree.cleanup_namespaces(self.store.document)
        return bytes(self.store)

    def frame(self):
        """(head, separator, tail): the file around its units, as found in
        the store's file with two units."""
        store = self.store
        store.addunit(store.UnitClass(""))
        store.addunit(store.UnitClass(""))
        data = self.serialised()
        store.units.clear()
        for child in list(self.parent):
            self.parent.remove(child)
        opening, closing = f"<{self.tag}".encode(), f"</{self.tag}>".encode()
        head_end = data.index(opening)
        first_end = data.index(closing) + len(closing)
        return (
            data[:head_end],
            data[first_end : data.index(opening, first_end)],
            data[data.rindex(closing) + len(closing) :],
        )

    def write(self, units_bytes, out):
        """Writes the file: units_bytes yields each unit's bytes."""
        first = next(units_bytes, None)
        if first is None:
            out.write(self.serialised())
            return
        head, separator, tail = self.frame()
        out.write(head)
        out.write(first)
        for data in units_bytes:
            out.write(separator)
            out.write(data)
        out.write(tail)


def xliff12_store(source, target, datatype="plaintext"):
    # translate-toolkit starts new files in the XLIFF 1.1 namespace: start from
    # a 1.2 document instead, built with lxml (no XML written by hand).
    root = etree.Element(f"{{{XLIFF_12}}}xliff", nsmap={None: XLIFF_12})
    root.set("version", "1.2")
    file_element = etree.SubElement(root, f"{{{XLIFF_12}}}file")
    file_element.set("original", ORIGINAL)
    file_element.set("source-language", source)
    file_element.set("target-language", target)
    file_element.set("datatype", datatype)
    etree.SubElement(file_element, f"{{{XLIFF_12}}}body")
    return xliff.xlifffile.parsestring(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    )


# XLIFF 1.2 state and approved="" of each status, as translate-toolkit's
# set_state_n() writes them.
XLIFF_12_STATES = {
    Status.MISSING: ("needs-translation", None),
    Status.OUTDATED: ("needs-review-translation", "no"),
    Status.UP_TO_DATE: ("translated", "yes"),
}


def xliff12_unit(status, unit_notes_):
    """The XLIFF 1.2 <trans-unit> of a status, with no namespace (the file's
    default one): the element translate-toolkit's xliffunit makes, built with
    lxml directly (a third of the export's time went into translate-toolkit)."""
    state, approved = XLIFF_12_STATES[status.status]
    unit = etree.Element("trans-unit")
    unit.set(XML_SPACE, "preserve")
    unit.set("id", status.unit_id)
    if approved:
        unit.set("approved", approved)
    max_length = status.max_length
    if max_length:
        unit.set("maxwidth", str(max_length))
        unit.set("size-unit", "char")
    etree.SubElement(unit, "source").text = xml_safe(status.source_text)
    target_element = etree.SubElement(unit, "target", state=state)
    target_element.text = xml_safe(status.text)
    for note in unit_notes_:
        etree.SubElement(unit, "note", {"from": "developer"}).text = xml_safe(note)
    # A context group's name is unique in the file (the 1.2 schema).
    group = etree.SubElement(
        unit,
        "context-group",
        name=f"{TARGET_DIGEST}.{status.unit_id}",
        purpose="information",
    )
    context = etree.SubElement(group, "context", {"context-type": TARGET_DIGEST})
    context.text = text_digest(status.text)
    if status.status == Status.OUTDATED and status.source_text_then:
        # The source as it was when this translation was written, with it.
        previous = etree.SubElement(unit, "alt-trans")
        previous.set(XML_SPACE, "preserve")
        previous.set("origin", ORIGINAL)
        previous.set("alttranstype", "previous-version")
        etree.SubElement(previous, "source").text = xml_safe(status.source_text_then)
        etree.SubElement(previous, "target").text = xml_safe(status.text)
    # Indented as translate-toolkit indents a <trans-unit> (level 3: xliff,
    # file, body, trans-unit), where xml:space="preserve" keeps the
    # <alt-trans>'s first line.
    indent_children(unit, 3)
    indent_children(group, 4)
    if status.status == Status.OUTDATED and status.source_text_then:
        indent_children(previous, 4, text=False)
    return etree.tostring(unit, encoding="unicode", with_tail=False).encode()


def indent_children(element, level, text=True):
    """Each child of `element` on a line of its own, at `level` + 1, and the
    closing tag at `level`, as translate-toolkit's reindent() does (two spaces
    a level), for an element with children and without text of its own."""
    inner = "\n" + "  " * (level + 1)
    if text:
        element.text = inner
    for child in element:
        child.tail = inner
    element[-1].tail = "\n" + "  " * level


def xliff12_file(units, source, target, out):
    """Writes XLIFF 1.2; `datatype` is html when a unit is rich text, known at
    the end: the units wait in a temporary file (on disk past 1 MB)."""
    rich = False
    with SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        count = 0
        for status, unit_notes_ in units:
            rich = rich or is_rich_text(status)
            # Each unit's length, then its bytes.
            data = xliff12_unit(status, unit_notes_)
            spool.write(len(data).to_bytes(8, "big"))
            spool.write(data)
            count += 1
        spool.seek(0)

        def spooled():
            for _ in range(count):
                yield spool.read(int.from_bytes(spool.read(8), "big"))

        final = UnitWriter(
            xliff12_store(source, target, "html" if rich else "plaintext"),
            "trans-unit",
        )
        final.write(spooled(), out)


# Units wait in memory up to this size, then on disk.
SPOOL_BYTES = 1024 * 1024


def xliff20_unit(status, unit_notes_):
    """The XLIFF 2.0 <unit> of a status, with no namespace (the file's default
    one), as translate-toolkit's Xliff2Unit wrote it once moved into the shape
    the XLIFF 2.0 schema asks for: built with lxml directly."""
    unit = etree.Element("unit", id=status.unit_id)
    # xml:space on the unit, where the XLIFF 2.0 schema allows it (not on the
    # segment): its source and target inherit it (tools, translate-toolkit
    # included, read it from the nearest ancestor).
    unit.set(XML_SPACE, "preserve")
    # Modules first, then the notes.
    unit.append(digest_metadata(status.text))
    if unit_notes_:
        notes = etree.SubElement(unit, "notes")
        for note in unit_notes_:
            element = etree.SubElement(notes, "note", category="developer")
            element.text = xml_safe(note)
    # The segment's state: "initial" for work to do, else "translated".
    segment = etree.SubElement(
        unit,
        "segment",
        state="translated" if status.status == Status.UP_TO_DATE else "initial",
    )
    etree.SubElement(segment, "source").text = xml_safe(status.source_text)
    if status.text:
        etree.SubElement(segment, "target").text = xml_safe(status.text)
    # Indented as translate-toolkit indents a <unit> (level 2: xliff, file).
    indent_children(unit, 2)
    for element in unit:
        indent_children(element, 3)
    indent_children(unit[0][0], 4)  # <mda:metaGroup>
    return etree.tostring(unit, encoding="unicode", with_tail=False).encode()


def xliff20_file(units, source, target, out):
    store = xliff2.Xliff2File(sourcelanguage=source, targetlanguage=target)
    store.body.set("original", ORIGINAL)
    writer = UnitWriter(store, "unit")
    writer.write(
        (xliff20_unit(status, unit_notes_) for status, unit_notes_ in units),
        out,
    )


def digest_metadata(text):
    """<mda:metadata> holding the digest of the translation at export."""
    metadata = etree.Element(
        f"{{{XLIFF_20_METADATA}}}metadata", nsmap={"mda": XLIFF_20_METADATA}
    )
    group = etree.SubElement(metadata, f"{{{XLIFF_20_METADATA}}}metaGroup")
    group.set("category", ORIGINAL)
    meta = etree.SubElement(group, f"{{{XLIFF_20_METADATA}}}meta")
    meta.set("type", TARGET_DIGEST)
    meta.text = text_digest(text)
    return metadata


def po_file(units, source, target, out):
    """Writes PO entries one at a time, as translate-toolkit's pofile would
    write them all (entries separated by a blank line)."""
    store = po.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version=ORIGINAL,
        Language=target,
        # Not a standard header: PO files name their target language only.
        X_Source_Language=source,
    )
    (header,) = store.units
    out.write(header._getoutput().encode(store.encoding))
    for status, unit_notes_ in units:
        unit = store.UnitClass(status.source_text)
        unit.setcontext(status.unit_id)
        unit.target = status.text
        for note in unit_notes_:
            unit.addnote(note, origin="developer")
        unit.addnote(f"{TARGET_DIGEST}: {text_digest(status.text)}", origin="developer")
        if status.status == Status.OUTDATED:
            unit.markfuzzy()
            if status.source_text_then:
                unit.prev_source = status.source_text_then
        store.addunit(unit)
        out.write(store.newline.encode())
        out.write(unit._getoutput().encode(store.encoding))
        store.units.pop()
