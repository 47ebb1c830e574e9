"""The one form text is stored in, whoever writes it.

A browser's textarea sends line breaks as \r\n, a file may come from Windows,
and the same "é" may be typed as one character or as "e" and a combining
accent. Text that reads the same is stored the same, so that saving a form
unchanged changes nothing: no revision with a difference, no translation
marked outdated. TranslatableModel applies this to every text field on clean
and save (programmes/content/bases.py); the translators' files compare with it
(programmes/translating/exchange/).
"""

import re
import unicodedata


def normalise_text(text):
    """`text` with \n line breaks and composed characters (Unicode NFC)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


# --- Typography per language ----------------------------------------------------
#
# French puts a narrow no-break space (U+202F) inside guillemets and before
# ; : ! ? so that they never start a line, and uses the typographic
# apostrophe. Applied on save to the French text of the content (bases.py) and
# by migration 0017 to the text saved before; the content file keeps its words
# as written. Only text is touched: HTML tags, entities and addresses are not.

NARROW_NBSP = "\u202f"
MARKUP = re.compile(r"(<[^>]*>|&#?\w+;|\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+)")
FRENCH_RULES = [
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),  # l'essor -> l’essor
    (re.compile(r"«[ \u00a0\u202f]*"), "«" + NARROW_NBSP),
    (re.compile(r"[ \u00a0\u202f]*»"), NARROW_NBSP + "»"),
    # An ordinary or no-break space before ; : ! ? becomes a narrow one...
    (re.compile(r"[ \u00a0](?=[;:!?](?:\s|$|[»)\]]))"), NARROW_NBSP),
    # ...and one is added where a word ends right on ; ! ? or : before a space
    # (never in 10:30, 1:2 or an address).
    (re.compile(r"(?<=[^\W\d_]|[»)\]])(?=[;:!?](?:\s|$))"), NARROW_NBSP),
]


def french_typography(text):
    parts = MARKUP.split(text or "")
    for index in range(0, len(parts), 2):  # even parts are text, odd markup
        for pattern, replacement in FRENCH_RULES:
            parts[index] = pattern.sub(replacement, parts[index])
    return "".join(parts)


# Language code -> the rules of its typography (none for the others).
TYPOGRAPHY = {"fr": french_typography}


def typeset(text, language):
    rules = TYPOGRAPHY.get(language)
    return rules(text) if rules and text else text
