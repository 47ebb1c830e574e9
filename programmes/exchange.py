"""Translation files for translators' own tools: XLIFF and PO, out and back in.

Export (export_translations): one unit per translated field of every record,
or only the missing and outdated ones, into one target language. Each unit has
a stable id ("programme.3.summary", translation_status.FieldStatus.unit_id),
the source text, the current translation if any, its status, and notes giving
the translator context: the record, the field, its maximum length, the page,
the admin form, the glossary pairs the source uses. translate-toolkit writes
the files, no XML or PO is written by hand here:

- XLIFF 1.2, which every CAT tool reads: the status is the target's `state`
  (needs-translation, needs-review-translation, translated); an outdated unit
  carries, as an <alt-trans alttranstype="previous-version">, the source it
  was translated from, so that the tool can show what changed.
- XLIFF 2.0: the same units, status as the segment's state (initial for work
  to do, translated otherwise).
- PO: msgctxt holds the id, "fuzzy" marks an outdated translation and "#|" the
  source it was translated from (what Poedit and Lokalize show as a diff).

Import (import_translations): the whole file is checked before anything is
written, and every problem is reported, each naming its unit: unreadable
files, languages, unknown ids, sources changed since the export, empty
translations, texts too long for their field, markup the site does not allow,
placeholders or markup that differ from the source. Glossary terms of the
other language are warnings. A file with any error changes nothing; otherwise
every change is written in one transaction, each record saved once, so that
its revision (django-simple-history) names the importing user and the file,
and the translation states follow (a translation catching up is up to date).
An outdated translation sent back unchanged but marked done by the tool
(XLIFF state translated or final, PO without fuzzy) is marked as checked.
A unit the tool still marks as not final (PO fuzzy; XLIFF 1.2 new or needs-…;
XLIFF 2.0 initial) is the translator's draft: it is left out, with a warning
when its text differs from the site's, and the rest of the file imports.
Applying a preview (the admin's import) also refuses the file when one of the
translations the preview showed as current has changed on the site since
(targets_fingerprint).

What CAT tools do to a file is accepted: reordered attributes and units, other
namespaces and attributes, notes, alt-trans, segments (<mrk>, XLIFF 2.0
segments of one unit), states, a byte order mark, CRLF line ends, xml:space
dropped (the site's texts keep their paragraphs: whitespace is always kept).

Untrusted XML: a file declaring a document type (DTD) is refused before
translate-toolkit reads it, so that no entity is ever expanded (the "billion
laughs") or fetched (XXE); the parser resolves none and uses no network.
"""

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from django.db import models, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from lxml import etree
from modeltranslation.utils import build_localized_fieldname
from translate.storage import po, xliff, xliff2
from translate.storage.poparser import PoParseError

from . import glossary
from .history import imported_reason
from .models import HomePage, Participation, language_codes, language_in_sentence
from .rich_text import ALLOWED_TAGS, clean_for_storage, has_markup, plain_text
from .translation_status import (
    TO_DO,
    TRACKED_MODELS,
    Status,
    all_statuses,
    mark_as_checked,
    source_language,
    texts,
    tracked_fields,
    translatable_objects,
)

# The <file original="…"> of XLIFF 1.2 and the PO project name.
ORIGINAL = "interpol-drugs"

XLIFF = "xliff"
XLIFF2 = "xliff2"
PO = "po"
FORMAT_NAMES = {XLIFF: "XLIFF 1.2", XLIFF2: "XLIFF 2.0", PO: "PO"}
EXTENSIONS = {XLIFF: "xlf", XLIFF2: "xlf", PO: "po"}
CONTENT_TYPES = {
    XLIFF: "application/x-xliff+xml",
    XLIFF2: "application/xliff+xml",
    PO: "text/x-gettext-translation",
}

XLIFF_1_NAMESPACES = {
    "urn:oasis:names:tc:xliff:document:1.1",
    "urn:oasis:names:tc:xliff:document:1.2",
}
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"

# States a translator's tool writes when a unit is done (XLIFF 1.2 and 2.0).
DONE_STATES = {"translated", "signed-off", "final", "reviewed"}
# States saying a translation is not final yet: XLIFF 1.2's new and needs-…
# (what the export writes for work to do), XLIFF 2.0's initial. Without a
# state, a unit is neither done nor a draft: its text is imported.
XLIFF_1_DRAFT_STATES = {
    "new",
    "needs-translation",
    "needs-review-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-adaptation",
    "needs-review-l10n",
}
XLIFF_2_DRAFT_STATES = {"initial"}

# Placeholders a text may hold, which a translation must keep: %(name)s, %s,
# {name}. None is expected in content, but a translation must not add or drop one.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")

# The biggest file the admin accepts (the command reads any size).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def exchange_models():
    """{model name: model} of the records translators work on."""
    return {model._meta.model_name: model for model in TRACKED_MODELS}


def source_language_for(target):
    """The language translations into `target` are made from."""
    return source_language(target, {})


def normalise_newlines(text):
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


# Characters XML 1.0 cannot hold (control characters pasted into a field):
# left out of XLIFF files, and of the comparison of a file's source with ours.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text):
    return NOT_XML.sub("", text or "")


def same_source(file_source, site_source):
    return xml_safe(normalise_newlines(file_source)) == xml_safe(
        normalise_newlines(site_source)
    )


# --- Export --------------------------------------------------------------------------


def statuses_to_export(target, only_outdated=False, models_=None, ids=None):
    """The FieldStatus rows an export into `target` holds, in dashboard order.

    `ids` selects records of the one model in `models_`. Fields whose source
    is empty have nothing to translate.
    """
    objects = None
    if ids:
        (model,) = models_
        objects = list(translatable_objects(model).filter(pk__in=ids))
    source = source_language_for(target)
    return [
        status
        for status in all_statuses(models_, objects)
        if status.language == target
        and status.source == source
        and status.source_text
        and (not only_outdated or status.status in TO_DO)
    ]


def record_name(obj):
    """The record's name; a participation's names its programme too."""
    if isinstance(obj, Participation):
        return f"{obj.programme} — {obj}"
    return str(obj)


def page_address(obj, language):
    """The public page showing the record, in `language` when it has one."""
    page = obj.programme if isinstance(obj, Participation) else obj
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


def unit_notes(status, base_url, glossary_terms):
    """Context for the translator, in the target language (theirs)."""
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
    page = page_address(obj, status.language)
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
):
    """An exchange file for translation into `target`, as an Export.

    `base_url` (https://example.org) makes page and admin addresses absolute;
    without it they are paths.
    """
    statuses = statuses_to_export(target, only_outdated, models_, ids)
    source = source_language_for(target)
    base_url = base_url.rstrip("/")
    glossary_terms = glossary.terms()
    with translation.override(target):
        notes = [unit_notes(status, base_url, glossary_terms) for status in statuses]
    writer = {XLIFF: xliff12_file, XLIFF2: xliff20_file, PO: po_file}[file_format]
    return Export(
        data=writer(statuses, notes, source, target),
        file_format=file_format,
        target=target,
        units=len(statuses),
        missing=sum(status.status == Status.MISSING for status in statuses),
        outdated=sum(status.status == Status.OUTDATED for status in statuses),
    )


def holds_rich_text(statuses):
    return any(status.field in type(status.obj).rich_text_fields for status in statuses)


def xliff12_file(statuses, notes, source, target):
    # translate-toolkit starts new files in the XLIFF 1.1 namespace: start from
    # a 1.2 document instead, built with lxml (no XML written by hand).
    root = etree.Element(f"{{{XLIFF_12}}}xliff", nsmap={None: XLIFF_12})
    root.set("version", "1.2")
    file_element = etree.SubElement(root, f"{{{XLIFF_12}}}file")
    file_element.set("original", ORIGINAL)
    file_element.set("source-language", source)
    file_element.set("target-language", target)
    file_element.set("datatype", "html" if holds_rich_text(statuses) else "plaintext")
    etree.SubElement(file_element, f"{{{XLIFF_12}}}body")
    store = xliff.xlifffile.parsestring(
        etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    )
    for status, unit_notes_ in zip(statuses, notes, strict=True):
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
        if status.status == Status.OUTDATED and status.source_text_then:
            # The source as it was when this translation was written, with it.
            unit.addalttrans(
                xml_safe(status.text),
                origin=ORIGINAL,
                sourcetxt=xml_safe(status.source_text_then),
            )
            unit.xmlelement[-1].set("alttranstype", "previous-version")
    # Units made in the 1.1 namespace leave unused declarations behind.
    etree.cleanup_namespaces(store.document)
    return bytes(store)


def xliff20_file(statuses, notes, source, target):
    store = xliff2.Xliff2File(sourcelanguage=source, targetlanguage=target)
    store.body.set("original", ORIGINAL)
    for status, unit_notes_ in zip(statuses, notes, strict=True):
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
    return bytes(store)


def po_file(statuses, notes, source, target):
    store = po.pofile()
    store.updateheader(
        add=True,
        Project_Id_Version=ORIGINAL,
        Language=target,
        # Not a standard header: PO files name their target language only.
        X_Source_Language=source,
    )
    for status, unit_notes_ in zip(statuses, notes, strict=True):
        unit = store.UnitClass(status.source_text)
        unit.setcontext(status.unit_id)
        unit.target = status.text
        for note in unit_notes_:
            unit.addnote(note, origin="developer")
        if status.status == Status.OUTDATED:
            unit.markfuzzy()
            if status.source_text_then:
                unit.prev_source = status.source_text_then
        store.addunit(unit)
    return bytes(store)


# --- Reading a file ------------------------------------------------------------------


class ExchangeFileError(Exception):
    """The file cannot be read at all: the message says why."""


class PreservingXliffUnit(xliff.xlifffile.UnitClass):
    # Whitespace is part of the text (paragraphs), even where a CAT tool
    # dropped xml:space="preserve".
    _default_xml_space = "preserve"


class PreservingXliffFile(xliff.xlifffile):
    UnitClass = PreservingXliffUnit


class PreservingXliff2Unit(xliff2.Xliff2Unit):
    _default_xml_space = "preserve"


class PreservingXliff2File(xliff2.Xliff2File):
    UnitClass = PreservingXliff2Unit


@dataclass
class FileUnit:
    id: str
    source: str
    target: str
    # The translator's tool marks the unit as done (not "needs review").
    done: bool
    # The tool marks it as not final (fuzzy, needs review): not imported.
    draft: bool = False


@dataclass
class ExchangeFile:
    kind: str
    source_language: str | None
    target_language: str
    units: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def read_exchange_file(data):
    """An ExchangeFile from XLIFF 1.x, XLIFF 2.0 or PO bytes (format from content).

    Raises ExchangeFileError when the file cannot be read at all.
    """
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"<") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return read_xliff(data)
    return read_po(data)


DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)


def declares_doctype(data):
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return DOCTYPE.search(data.decode(encoding, errors="replace")) is not None


def parse_xml_safely(data):
    # Refused before parsing: libxml2 would read the DTD's declarations.
    if declares_doctype(data):
        raise ExchangeFileError(
            gettext(
                "The file declares a document type (DTD), which XLIFF files never "
                "need: it is refused for safety. Remove the <!DOCTYPE …> "
                "declaration, or export the file again."
            )
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ExchangeFileError(
            gettext("The file is not well-formed XML: %(error)s.") % {"error": error}
        ) from None


def read_xliff(data):
    root = parse_xml_safely(data)
    name = etree.QName(root)
    version = root.get("version", "")
    if name.localname != "xliff":
        raise ExchangeFileError(
            gettext("The file is XML but not XLIFF (its root element is <%(name)s>).")
            % {"name": name.localname}
        )
    if name.namespace == XLIFF_20 or version.startswith("2."):
        return read_xliff2(data, root)
    if name.namespace in XLIFF_1_NAMESPACES or version.startswith("1."):
        return read_xliff1(data, root)
    raise ExchangeFileError(
        gettext("XLIFF version “%(version)s” is not supported: use 1.2 or 2.0.")
        % {"version": version or name.namespace}
    )


def unreadable(kind, error):
    return ExchangeFileError(
        gettext("The %(kind)s file cannot be read: %(error)s.")
        % {"kind": kind, "error": error}
    )


def read_xliff1(data, root):
    kind = "XLIFF 1.2" if root.get("version") != "1.1" else "XLIFF 1.1"
    namespace = etree.QName(root).namespace
    files = list(root.iter(f"{{{namespace}}}file" if namespace else "file"))
    languages = {(f.get("source-language"), f.get("target-language")) for f in files}
    if len(languages) > 1:
        raise ExchangeFileError(
            gettext("The file mixes several languages: import one language at a time.")
        )
    source, target = languages.pop() if languages else (None, None)
    store = PreservingXliffFile()
    try:
        store.parse(data)
    except (ValueError, TypeError, AssertionError, etree.LxmlError) as error:
        raise unreadable(kind, error) from None
    exchange = ExchangeFile(kind, source or "", target or "")
    for unit in store.units:
        target_node = unit.getlanguageNode(lang=None, index=1)
        state = target_node.get("state") if target_node is not None else None
        exchange.units.append(
            FileUnit(
                id=unit.xmlelement.get("id") or "",
                source=unit.source or "",
                target=unit.target or "",
                done=state in DONE_STATES or (state is None and unit.isapproved()),
                draft=state in XLIFF_1_DRAFT_STATES,
            )
        )
    return exchange


def element_text(parent, name):
    element = parent.find(name)
    return "".join(element.itertext()) if element is not None else None


def read_xliff2(data, root):
    store = PreservingXliff2File()
    try:
        store.parse(data)
    except (ValueError, TypeError, AssertionError, etree.LxmlError) as error:
        raise unreadable("XLIFF 2.0", error) from None
    exchange = ExchangeFile(
        "XLIFF 2.0", root.get("srcLang") or "", root.get("trgLang") or ""
    )
    # A CAT tool may cut a unit into segments (sentences), with <ignorable>
    # whitespace between them: the unit's text is all of them in order.
    segments = {segment.xmlelement: segment for segment in store.units}
    units = {}
    for segment in store.units:
        units.setdefault(segment.getunitelement(), None)
    for unit_element in units:
        sources, targets, done, draft = [], [], True, False
        for child in unit_element:
            if child in segments:
                segment = segments[child]
                sources.append(segment.source or "")
                targets.append(segment.target or "")
                done = done and child.get("state") in DONE_STATES
                draft = draft or child.get("state") in XLIFF_2_DRAFT_STATES
            elif etree.QName(child).localname == "ignorable":
                text = element_text(child, store.namespaced("source")) or ""
                sources.append(text)
                target = element_text(child, store.namespaced("target"))
                targets.append(text if target is None else target)
        exchange.units.append(
            FileUnit(
                id=unit_element.get("id") or "",
                source="".join(sources),
                target="".join(targets),
                done=done,
                draft=draft,
            )
        )
    return exchange


def read_po(data):
    try:
        store = po.pofile.parsestring(data)
    except (PoParseError, UnicodeError, ValueError, LookupError) as error:
        raise ExchangeFileError(
            gettext(
                "The file is neither XLIFF nor a readable PO file: %(error)s. Check "
                "that it is the file exported from this site, saved as UTF-8."
            )
            % {"error": error}
        ) from None
    header = store.parseheader()
    exchange = ExchangeFile(
        "PO", header.get("X-Source-Language"), header.get("Language", "")
    )
    for unit in store.units:
        if unit.isheader() or unit.isobsolete():
            continue
        if unit.hasplural():
            exchange.problems.append(
                Problem(
                    gettext("Plural forms are not expected here."),
                    unit.getcontext(),
                )
            )
            continue
        exchange.units.append(
            FileUnit(
                id=unit.getcontext() or "",
                source=unit.source or "",
                target=unit.target or "",
                done=not unit.isfuzzy(),
                draft=unit.isfuzzy(),
            )
        )
    return exchange


# --- Checking a file -----------------------------------------------------------------


@dataclass
class Problem:
    message: str
    unit: str = ""
    # The record and field, when the id names one: "Programme “X”, Summary".
    where: str = ""

    def __str__(self):
        if not self.unit:
            return self.message
        place = f"{self.unit} ({self.where})" if self.where else self.unit
        return f"{place}: {self.message}"


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
        if model is Participation:
            queryset = queryset.select_related("programme", "organisation")
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
    statuses = {
        (status.unit_id, status.language): status.status
        for status in all_statuses(objects=list(records.values()))
    }
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
    return report


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
    errors = []

    def refuse(message):
        errors.append(Problem(message, unit.id, where))

    values = texts(obj, field_name)
    if unit.draft:
        # Not checked either: the translator has not finished it.
        if normalise_newlines(unit.target) == normalise_newlines(values[target]):
            report.unchanged += 1
        else:
            report.drafts += 1
            report.warnings.append(
                Problem(
                    gettext(
                        "Not applied: the file marks this translation as needing "
                        "review (fuzzy or not final). Mark it as translated in your "
                        "tool, then import the file again."
                    ),
                    unit.id,
                    where,
                )
            )
        return
    if not same_source(unit.source, values[source]):
        refuse(
            gettext(
                "The source text has changed since the export: export the file "
                "again and translate the new text."
            )
        )
    new = normalise_newlines(unit.target)
    rich = field_name in model.rich_text_fields
    if not plain_text(new).strip():
        refuse(gettext("The translation is empty: translate it, or remove the unit."))
    elif rich:
        removed = removed_markup(new)
        if removed:
            refuse(
                gettext(
                    "The translation holds markup the site does not allow: "
                    "%(markup)s. Remove it."
                )
                % {"markup": ", ".join(removed)}
            )
        else:
            new = clean_for_storage(new)
            # Tags, then link addresses: each must be the source's.
            for count, shown, message in (
                (
                    tag_counts,
                    lambda tag: f"<{tag}>",
                    gettext(
                        "The markup differs from the source's: %(source)s in the "
                        "source, %(translation)s in the translation."
                    ),
                ),
                (
                    link_targets,
                    lambda href: f"“{href}”",
                    gettext(
                        "The links differ from the source's: %(source)s in the "
                        "source, %(translation)s in the translation. Keep the "
                        "source's addresses."
                    ),
                ),
            ):
                expected, found = count(unit.source), count(new)
                if expected != found:
                    refuse(
                        message
                        % {
                            "source": show_counts(expected, shown),
                            "translation": show_counts(found, shown),
                        }
                    )
    elif has_markup(new):
        refuse(gettext("This field is plain text: remove the HTML tags."))
    max_length = model._meta.get_field(field_name).max_length
    if max_length and len(new) > max_length:
        refuse(
            gettext(
                "The translation is %(length)s characters long; this field holds "
                "at most %(maximum)s."
            )
            % {"length": len(new), "maximum": max_length}
        )
    expected = Counter(PLACEHOLDER.findall(unit.source))
    found = Counter(PLACEHOLDER.findall(new))
    if expected != found:
        refuse(
            gettext(
                "The placeholders differ from the source's: %(source)s in the "
                "source, %(translation)s in the translation."
            )
            % {"source": show_counts(expected), "translation": show_counts(found)}
        )
    if errors:
        report.errors.extend(errors)
        return
    for found_term, expected_term in glossary.wrong_language_terms(
        new, target, glossary=glossary_terms
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
                    "language": language_in_sentence(target),
                },
                unit.id,
                where,
            )
        )
    old = values[target]
    change = Change(unit.id, obj, field_name, target, old, new)
    report.current_targets[unit.id] = change
    if new != normalise_newlines(old):
        report.changes.append(change)
    elif statuses.get((unit.id, target)) == Status.OUTDATED and unit.done:
        report.checked.append(change)
    else:
        report.unchanged += 1


# --- Importing -----------------------------------------------------------------------


def text_digest(text):
    return hashlib.sha256(normalise_newlines(text).encode()).hexdigest()


def targets_fingerprint(report):
    """{unit id: digest of the site's translation} of the units `report` checked.

    Kept with a preview, so that applying it later can tell whether someone
    edited one of those translations in between (check_targets_unchanged).
    """
    return {
        unit: text_digest(change.old) for unit, change in report.current_targets.items()
    }


def check_targets_unchanged(report, previewed_targets):
    """An error for each translation on the site that differs from the preview's."""
    for unit, change in report.current_targets.items():
        if previewed_targets.get(unit) != text_digest(change.old):
            report.errors.append(
                Problem(
                    gettext(
                        "The translation on the site has changed since the preview: "
                        "upload the file again to see a fresh preview."
                    ),
                    unit,
                    f"{change.record}, {change.label}",
                )
            )


def import_translations(
    data, file_name, user=None, dry_run=False, previewed_targets=None
):
    """Check `data`, then write every change in one transaction, or none.

    `previewed_targets`, a targets_fingerprint() of the preview the user
    confirmed, refuses the file when a translation it showed has changed since.
    Returns the ImportReport; `applied` says whether anything was written
    (never with errors, never on a dry run).
    """
    file_name = PurePath(file_name).name
    with transaction.atomic():
        report = check_file(data, file_name, lock=not dry_run)
        if previewed_targets is not None and not report.errors:
            check_targets_unchanged(report, previewed_targets)
        if report.errors or dry_run:
            return report
        apply_changes(report, user)
    return report


def apply_changes(report, user):
    by_record = {}
    for change in report.changes:
        by_record.setdefault((type(change.obj), change.obj.pk), []).append(change)
    reason = imported_reason(report.file_name)
    for changes in by_record.values():
        obj = changes[0].obj
        for change in changes:
            setattr(
                obj,
                build_localized_fieldname(change.field, change.language),
                change.new,
            )
        # The revision names who imported which file (programmes/history.py);
        # the translation states record the user too.
        obj._history_user = user
        obj._change_reason = reason
        obj.save()
    for check in report.checked:
        mark_as_checked(check.obj, check.field, check.language, user)
    report.applied = True
