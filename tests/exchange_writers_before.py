"""The exchange writers as they were before they streamed (commit 7e871ac,
programmes/translating/exchange/writing.py), whole files built in memory by
translate-toolkit: the reference tests/test_translation_export_stream.py
compares today's streamed files with. Frozen on purpose: do not edit.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from lxml import etree
from modeltranslation.utils import build_localized_fieldname
from translate.storage import po, xliff, xliff2

from programmes.content.models import HomePage
from programmes.content.rich_text import ALLOWED_TAGS
from programmes.languages import language_codes
from programmes.translating import glossary
from programmes.translating.exchange.formats import (
    ORIGINAL,
    TARGET_DIGEST,
    XLIFF_12,
    XLIFF_20_METADATA,
    text_digest,
    xml_safe,
)
from programmes.translating.status import Status, is_programme_row, record_name

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


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


def unit_notes(status, base_url, glossary_terms, pages=None):
    """Context for the translator, in the target language (theirs).

    `pages` keeps each record's page address for the next units of the same
    record (an export asks for every field of a record in turn)."""
    obj = status.obj
    opts = obj._meta
    field = opts.get_field(status.field)
    notes = [
        gettext("Record: %(record)s (%(kind)s)")
        % {"record": record_name(obj), "kind": opts.verbose_name},
        gettext("Field: %(field)s") % {"field": capfirst(field.verbose_name)},
    ]
    if field.max_length:
        notes.append(
            gettext("Maximum length: %(count)s characters")
            % {"count": field.max_length}
        )
    if status.field in type(obj).rich_text_fields:
        notes.append(
            gettext("HTML: keep the source's tags; allowed tags: %(tags)s")
            % {"tags": ", ".join(sorted(ALLOWED_TAGS))}
        )
    else:
        notes.append(gettext("Plain text: no HTML tags."))
    pages = {} if pages is None else pages
    key = (type(obj), obj.pk, status.language)
    if key not in pages:
        # The last record's only: units come record by record.
        pages.clear()
        pages[key] = page_address(obj, status.language)
    page = pages[key]
    if page:
        notes.append(gettext("Page: %(address)s") % {"address": base_url + page})
    notes.append(
        gettext("Edit in the admin: %(address)s")
        % {"address": base_url + status.admin_url()}
    )
    notes.extend(
        glossary.notes_for(
            status.source_text, status.source, status.language, glossary=glossary_terms
        )
    )
    return notes


def is_rich_text(status):
    return status.field in type(status.obj).rich_text_fields


def xliff12_file(units, source, target):
    # translate-toolkit starts new files in the XLIFF 1.1 namespace: start from
    # a 1.2 document instead, built with lxml (no XML written by hand).
    root = etree.Element(f"{{{XLIFF_12}}}xliff", nsmap={None: XLIFF_12})
    root.set("version", "1.2")
    file_element = etree.SubElement(root, f"{{{XLIFF_12}}}file")
    file_element.set("original", ORIGINAL)
    file_element.set("source-language", source)
    file_element.set("target-language", target)
    file_element.set("datatype", "plaintext")
    etree.SubElement(file_element, f"{{{XLIFF_12}}}body")
    store = xliff.xlifffile.parsestring(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    )
    rich = False
    for status, unit_notes_ in units:
        rich = rich or is_rich_text(status)
        unit = store.UnitClass(xml_safe(status.source_text))
        store.addunit(unit)
        unit.setid(status.unit_id)
        unit.target = xml_safe(status.text)
        unit.set_state_n(
            {
                Status.MISSING: unit.S_NEEDS_TRANSLATION,
                Status.OUTDATED: unit.S_NEEDS_REVIEW,
                Status.UP_TO_DATE: unit.S_TRANSLATED,
            }[status.status]
        )
        max_length = status.max_length
        if max_length:
            unit.xmlelement.set("maxwidth", str(max_length))
            unit.xmlelement.set("size-unit", "char")
        for note in unit_notes_:
            unit.addnote(xml_safe(note), origin="developer")
        # A context group's name is unique in the file (the 1.2 schema).
        unit.createcontextgroup(
            f"{TARGET_DIGEST}.{status.unit_id}",
            [(TARGET_DIGEST, text_digest(status.text))],
            "information",
        )
        if status.status == Status.OUTDATED and status.source_text_then:
            # The source as it was when this translation was written, with it.
            unit.addalttrans(
                xml_safe(status.text),
                origin=ORIGINAL,
                sourcetxt=xml_safe(status.source_text_then),
            )
            unit.xmlelement[-1].set("alttranstype", "previous-version")
    if rich:
        store.document.getroot().find(f"{{{XLIFF_12}}}file").set("datatype", "html")
    # Units made in the 1.1 namespace leave unused declarations behind.
    etree.cleanup_namespaces(store.document)
    return bytes(store)


def xliff20_file(units, source, target):
    store = xliff2.Xliff2File(sourcelanguage=source, targetlanguage=target)
    store.body.set("original", ORIGINAL)
    for status, unit_notes_ in units:
        unit = store.UnitClass(xml_safe(status.source_text))
        unit.setid(status.unit_id)
        if status.text:
            unit.target = xml_safe(status.text)
        # The segment's state: "initial" for work to do, else "translated".
        unit.markfuzzy(status.status != Status.UP_TO_DATE)
        for note in unit_notes_:
            unit.addnote(xml_safe(note), origin="developer")
        store.addunit(unit)
        # translate-toolkit puts <notes> in the segment; XLIFF 2.0 wants them
        # first in the unit.
        notes_element = unit.xmlelement.find(unit.namespaced("notes"))
        if notes_element is not None:
            unit.getunitelement().insert(0, notes_element)
        # Modules come before the notes.
        unit.getunitelement().insert(0, digest_metadata(status.text))
        # And xml:space on the segment, where the XLIFF 2.0 schema does not
        # allow it: on the unit, its source and target inherit it (tools,
        # translate-toolkit included, read it from the nearest ancestor).
        space = unit.xmlelement.attrib.pop(XML_SPACE, None)
        if space is not None:
            unit.getunitelement().set(XML_SPACE, space)
    return bytes(store)


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


def po_file(units, source, target):
    store = po.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version=ORIGINAL,
        Language=target,
        # Not a standard header: PO files name their target language only.
        X_Source_Language=source,
    )
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
    return bytes(store)
