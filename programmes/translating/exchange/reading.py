"""Reading a translator's XLIFF or PO file, safely, into units."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext
from lxml import etree
from translate.storage import po, xliff, xliff2
from translate.storage.poparser import PoParseError

from .formats import (
    DONE_STATES,
    TARGET_DIGEST,
    XLIFF_1_DRAFT_STATES,
    XLIFF_1_INLINE,
    XLIFF_1_NAMESPACES,
    XLIFF_2_DRAFT_STATES,
    XLIFF_2_INLINE,
    XLIFF_20,
    XLIFF_20_METADATA,
    Problem,
)

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
    # Elements of the target the format does not allow there, as "<name>".
    elements: tuple = ()
    # The digest of the site's translation at export; None in files exported
    # before units carried it.
    digest: str | None = None


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


def elements_not_inline(target, namespace, inline):
    """The elements inside `target` that are not the format's inline markup."""
    if target is None:
        return ()
    names = []
    for element in target.iterdescendants():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions hold no text
        name = etree.QName(element)
        if name.namespace != namespace or name.localname not in inline:
            names.append(f"<{name.localname}>")
    return tuple(dict.fromkeys(names))


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
                elements=elements_not_inline(target_node, namespace, XLIFF_1_INLINE),
                digest=xliff1_digest(unit.xmlelement),
            )
        )
    return exchange


def xliff1_digest(unit_element):
    for context in unit_element.iter("{*}context"):
        if context.get("context-type") == TARGET_DIGEST:
            return (context.text or "").strip()
    return None


def xliff2_digest(unit_element):
    for meta in unit_element.iter(f"{{{XLIFF_20_METADATA}}}meta"):
        if meta.get("type") == TARGET_DIGEST:
            return (meta.text or "").strip()
    return None


def po_digest(unit):
    prefix = f"{TARGET_DIGEST}:"
    for line in unit.getnotes("developer").splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix).strip()
    return None


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
        sources, targets, done, draft, elements = [], [], True, False, []
        for child in unit_element:
            elements.extend(
                elements_not_inline(
                    child.find(store.namespaced("target")), XLIFF_20, XLIFF_2_INLINE
                )
            )
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
                elements=tuple(dict.fromkeys(elements)),
                digest=xliff2_digest(unit_element),
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
                digest=po_digest(unit),
            )
        )
    return exchange
