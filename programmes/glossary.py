"""The bilingual glossary: acronyms expanded on pages, pairs for translators.

Interface used elsewhere (keep these names and signatures):
- `notes_for(text, source_language, target_language)`: export notes naming
  the glossary pairs found in a source text.
- `wrong_language_terms(text, language)`: terms of another language used in a
  text written in `language` ("ONUDC" in English), as (found, expected) pairs.
"""

import re

from modeltranslation.utils import build_localized_fieldname

from .models import GlossaryTerm, language_codes


def term_in(term, language):
    return getattr(term, build_localized_fieldname("term", language)) or ""


def expansion_in(term, language):
    return getattr(term, build_localized_fieldname("expansion", language)) or ""


def pattern_for(text):
    """A whole-word match: "EU" is not found in "EUR" or "EU-funded"'s "EUR"."""
    return re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])")


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
    notes = []
    for term in found_terms(text, source_language, glossary):
        target = term_in(term, target_language)
        if not target:
            continue
        expansion = expansion_in(term, target_language)
        pair = f"{term_in(term, source_language)} → {target}"
        notes.append(
            f"Glossary: {pair} ({expansion})" if expansion else f"Glossary: {pair}"
        )
    return notes


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
