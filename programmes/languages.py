"""The site's languages, as settings.LANGUAGES configures them.

No other code lists languages: adding one is settings, a migration and a
catalogue (README.md, "Adding a language").
"""

import functools
import html
import unicodedata

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.html import format_html
from django.utils.translation import (
    get_language,
    get_language_info,
    pgettext,
    trans_real,
)

# Open Graph locales need a territory. English is British English here;
# Facebook names Arabic's locale ar_AR. A language missing here gets its own
# code twice (de_DE), right for most.
OPEN_GRAPH_LOCALES = {
    "fr": "fr_FR",
    "en": "en_GB",
    "es": "es_ES",
    "ar": "ar_AR",
    "zh-hans": "zh_CN",
    "ru": "ru_RU",
    "pt": "pt_PT",
}

# Languages that write language names with a capital inside a sentence ("in
# English"); the others ("en anglais", "en español") write them lower case,
# and Django's translated names are capitalised ("Anglais"). Arabic has no case.
NAMES_CAPITALISED_IN = {"en", "de"}


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def default_language():
    return settings.LANGUAGE_CODE


def required_languages():
    """The languages publishing needs (settings.REQUIRED_LANGUAGES); the others
    are optional, their empty fields showing the default language's text."""
    return [code for code in language_codes() if code in settings.REQUIRED_LANGUAGES]


def text_direction(code):
    return "rtl" if get_language_info(code)["bidi"] else "ltr"


def other_language_attributes(code):
    """` lang="xx"`, and ` dir="…"` when `code` is written the other way than
    the active language: French text inside an Arabic page keeps its full
    stops at the end of its lines."""
    attributes = format_html(' lang="{}"', code)
    if text_direction(code) != text_direction(get_language() or default_language()):
        attributes += format_html(' dir="{}"', text_direction(code))
    return attributes


@functools.cache
def catalogue_texts(code):
    """Every translation `code`'s own catalogues hold (the project's and
    Django's), without the fallback Django adds to the default language's."""
    # DjangoTranslation keeps its own catalogue apart from its fallback.
    catalogue = trans_real.translation(code)._catalog
    return frozenset(value for _key, value in catalogue.items())


@receiver(setting_changed)
def forget_catalogue_texts(setting, **kwargs):
    # As Django forgets its loaded catalogues (tests that change settings).
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        catalogue_texts.cache_clear()


def interface_language(text):
    """The language a translated interface text is really in.

    A language's catalogue may lack a string (a language added, not yet
    translated): Django then shows the default language's translation, or the
    English of the code. Such text is marked with its lang and dir.
    """
    text = html.unescape(str(text))
    active = get_language() or default_language()
    for code in (active, default_language()):
        if code.startswith("en") or text in catalogue_texts(code):
            return code
    return "en"


def list_separator():
    """The comma between a list's items, as the active language writes it
    (Arabic: "، "), from the catalogue."""
    return pgettext("list separator", ", ")


def open_graph_locale(code):
    return OPEN_GRAPH_LOCALES.get(code) or f"{code}_{code.upper()}"


def language_in_sentence(code):
    """The language's name as it reads inside a sentence of the active language."""
    name = str(get_language_info(code)["name_translated"])
    if (get_language() or default_language()) not in NAMES_CAPITALISED_IN:
        name = name[:1].lower() + name[1:]
    return name


def sort_key(text):
    """Sort Équateur with the Es, not after Z: compare without accents or case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char for char in decomposed if not unicodedata.combining(char)
    ).casefold()


def catalogue_languages():
    """The languages with an interface catalogue (locale/<code>/): every
    configured language but English, the language the code is written in."""
    return [code for code in language_codes() if not code.startswith("en")]
