"""The site's languages, as settings.LANGUAGES configures them."""

import unicodedata

from django.conf import settings
from django.utils.translation import get_language_info, pgettext_lazy


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


# Language names as they read inside a sentence ("in English", "en anglais"):
# Django's translated names are capitalised ("Anglais").
LANGUAGE_NAMES_IN_SENTENCES = {
    "fr": pgettext_lazy("language name inside a sentence", "French"),
    "en": pgettext_lazy("language name inside a sentence", "English"),
}


def language_in_sentence(code):
    name = LANGUAGE_NAMES_IN_SENTENCES.get(code)
    return str(name) if name else get_language_info(code)["name_translated"]


def sort_key(text):
    """Sort Équateur with the Es, not after Z: compare without accents or case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char for char in decomposed if not unicodedata.combining(char)
    ).casefold()
