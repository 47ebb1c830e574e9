"""The one form text is stored in, whoever writes it.

A browser's textarea sends line breaks as \r\n, a file may come from Windows,
and the same "é" may be typed as one character or as "e" and a combining
accent. Text that reads the same is stored the same, so that saving a form
unchanged changes nothing: no revision with a difference, no translation
marked outdated. TranslatableModel applies this to every text field on clean
and save (programmes/content/bases.py); the translators' files compare with it
(programmes/translating/exchange/).
"""

import unicodedata


def normalise_text(text):
    """`text` with \n line breaks and composed characters (Unicode NFC)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
