"""The bilingual glossary: acronyms expanded on pages, pairs for translators.

- `abbreviate(html, language)`: public pages wrap the first occurrence of each
  acronym of a text block in <abbr title="its expansion">, in the language the
  text is written in (templatetags/glossary.py: {{ text|abbreviations:code }}).
  The glossary is read once per content version (any save in this app makes a
  new one), so a page costs at most one query more, and none once cached.
- `notes_for(text, source_language, target_language)`: export notes naming
  the glossary pairs found in a source text, in the active language (the
  export's target language, programmes/translating/exchange/). An export makes
  them with `NotesMaker(source, target).notes(text)`: the same notes, each
  pattern compiled once, repeated texts matched once.
- `wrong_language_terms(text, language)`: terms of another language used in a
  text written in `language` ("ONUDC" in English), as (found, expected) pairs:
  warnings on import (programmes/translating/exchange/).
- `warnings_for(obj)`: the same for every translated text of a record, as
  [(field name, language code, found, expected)], e.g.
  [("summary", "en", "ONUDC", "UNODC")]: the admin's warning after a save
  (glossary_admin.py); the translators' dashboard may list them too.

Matching: whole words only ("EU" is not found in "EUR" or "EU-funded");
acronyms as written ("onudc" is not "ONUDC"), phrases in any case.
"""

import html
import re
from functools import lru_cache

from django.core.cache import cache
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modeltranslation.utils import build_localized_fieldname

from programmes.content.version import read_version
from programmes.languages import language_codes

from .models import GlossaryTerm


def term_in(term, language):
    return getattr(term, build_localized_fieldname("term", language)) or ""


def expansion_in(term, language):
    return getattr(term, build_localized_fieldname("expansion", language)) or ""


def pattern_for(text):
    """A whole-word match: "EU" is not found in "EUR" or "EU-funded".

    Acronyms match as written; phrases ("drug trafficking") in any case.
    """
    flags = re.IGNORECASE if text != text.upper() else 0
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])", flags)


def terms():
    return list(GlossaryTerm.objects.all())


def found_terms(text, language, glossary=None):
    """Glossary terms whose form in `language` appears in `text`."""
    return [
        term
        for term in (glossary if glossary is not None else terms())
        if term_in(term, language) and pattern_for(term_in(term, language)).search(text)
    ]


def notes_for(text, source_language, target_language, glossary=None):
    return glossary_notes(
        found_terms(text, source_language, glossary), source_language, target_language
    )


def glossary_notes(found, source_language, target_language):
    """The export notes of the terms `found` in a text of `source_language`."""
    notes = []
    for term in found:
        target = term_in(term, target_language)
        if not target:
            continue
        expansion = expansion_in(term, target_language)
        words = {
            "term": term_in(term, source_language),
            "translation": target,
            "expansion": expansion,
        }
        if expansion:
            note = gettext("Glossary: %(term)s → %(translation)s (%(expansion)s)")
        else:
            note = gettext("Glossary: %(term)s → %(translation)s")
        notes.append(note % words)
    return notes


class NotesMaker:
    """notes(text): notes_for(text, source, target) for many texts, as an
    export asks for them: each term's pattern compiled once, acronyms (matched
    as written) looked for as plain substrings first, and the notes of the last
    few thousand distinct texts kept (fields of many records repeat a text).
    """

    def __init__(self, source_language, target_language, glossary=None):
        self.source, self.target = source_language, target_language
        self.matchers = []
        for term in glossary if glossary is not None else terms():
            form = term_in(term, source_language)
            if form:
                pattern = pattern_for(form)
                # An acronym's pattern is case-sensitive: no match without the
                # substring. A phrase's ignores case: always searched.
                needle = form if not pattern.flags & re.IGNORECASE else ""
                self.matchers.append((term, needle, pattern))
        self.notes = lru_cache(maxsize=4096)(self.make_notes)

    def make_notes(self, text):
        found = [
            term
            for term, needle, pattern in self.matchers
            if (not needle or needle in text) and pattern.search(text)
        ]
        return tuple(glossary_notes(found, self.source, self.target))


def wrong_language_terms(text, language, glossary=None):
    pairs = []
    for term in glossary if glossary is not None else terms():
        expected = term_in(term, language)
        for code in other_languages(language):
            found = term_in(term, code)
            if (
                found
                and expected
                and found != expected
                and pattern_for(found).search(text)
            ):
                pairs.append((found, expected))
    return pairs


def other_languages(language):
    return [code for code in language_codes() if code != language]


def warnings_for(obj):
    """[(field, language, found, expected)]: another language's terms in a record."""
    from .status import texts, tracked_fields

    glossary = terms()
    return [
        (name, code, found, expected)
        for name in tracked_fields(type(obj))
        for code, text in texts(obj, name).items()
        if text
        for found, expected in wrong_language_terms(text, code, glossary)
    ]


# --- <abbr> on public pages ---------------------------------------------------

ABBREVIATIONS_KEY = "glossary-abbreviations:{version}"
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")
# Text inside these is left alone: a link's or an existing abbreviation's.
SKIPPED_ELEMENTS = {"a", "abbr"}
# (content version, table, pattern), built once per version in each process:
# the pages after the first cost no glossary query even when the page cache
# (and the Django cache with it) has been cleared, and no regex compilation.
_compiled = (None, {}, None)


def abbreviations():
    """{acronym: {language: expansion}}, read once per content version.

    The languages are those that write the acronym so: "ONUDC" is French only,
    "KNPA" both, each with its own expansion.
    """
    key = ABBREVIATIONS_KEY.format(version=read_version())
    table = cache.get(key)
    if table is None:
        table = {}
        for term in GlossaryTerm.objects.all():
            for code in language_codes():
                if term_in(term, code) and expansion_in(term, code):
                    table.setdefault(term_in(term, code), {})[code] = expansion_in(
                        term, code
                    )
        cache.set(key, table, 24 * 3600)
    return table


def compiled_abbreviations():
    """(table, pattern) for the current content version; pattern is None when
    no acronym has an expansion."""
    global _compiled
    version = read_version()
    if _compiled[0] != version:
        table = abbreviations()
        pattern = None
        if table:
            # Text between tags is escaped HTML: look for the escaped acronyms,
            # longest first. A plural "JAITFs" is found as "JAITF".
            alternatives = "|".join(
                re.escape(html.escape(term))
                for term in sorted(table, key=len, reverse=True)
            )
            pattern = re.compile(rf"(?<![\w-])({alternatives})(?=s?(?![\w-]))")
        _compiled = (version, table, pattern)
    return _compiled[1], _compiled[2]


def abbreviate(safe_html, language):
    """`safe_html`, a text written in `language`, with the first occurrence of
    each acronym in <abbr title="its expansion">.

    The expansion is in `language` when that language writes the acronym so
    (a French text shown as a fallback on an English page: French), else in
    the acronym's own language, with its `lang` ("ONUDC" in an English text).
    Only text between tags changes, never a tag, an attribute, a link's text or
    an <abbr> already there: `safe_html` must escape "<" and ">" inside
    attribute values, as escaped text and rich_text's output (nh3) do.
    """
    table, pattern = compiled_abbreviations()
    if pattern is None:
        return safe_html
    used = set()

    def wrap(match):
        term = html.unescape(match.group(1))
        if term in used:
            return match.group(0)
        used.add(term)
        expansions = table[term]
        if language in expansions:
            return format_html('<abbr title="{}">{}</abbr>', expansions[language], term)
        code, expansion = next(iter(expansions.items()))
        return format_html(
            '<abbr title="{}" lang="{}">{}</abbr>', expansion, code, term
        )

    parts, skipped_depth = [], 0
    for part in TAG.split(str(safe_html)):
        if part.startswith("<"):
            name = TAG_NAME.match(part)
            if name and name.group(1).lower() in SKIPPED_ELEMENTS:
                skipped_depth += -1 if part.startswith("</") else 1
            parts.append(part)
        elif skipped_depth > 0:
            parts.append(part)
        else:
            parts.append(pattern.sub(wrap, part))
    return mark_safe("".join(parts))
