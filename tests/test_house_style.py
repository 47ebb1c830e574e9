"""The house style (docs/style-sheet.md), where a machine can check it.

Every public page is read in both languages, keeping only the text written in
the page's language (an element with another `lang` is a citation or a
fallback) and leaving out the cited titles of the sources list, which are
quoted as published. The content and both catalogues are read too.
"""

import re
import tomllib
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django_countries import countries

from programmes.content.loading import DEFAULT_CONTENT_FILE
from programmes.models import Organisation, Programme, Region
from programmes.translating.glossary import pattern_for, term_in, terms
from programmes.translating.status import TRACKED_MODELS, texts, tracked_fields

from .helpers import parse
from .pages import PAGE_TYPES

# terms() reads the glossary that migrations write (see first_glossary_terms).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("first_glossary_terms")]

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
SEED = DEFAULT_CONTENT_FILE.parent / "projets-fr.txt"
LANGUAGES = ("fr", "en")
SKIPPED = {"script", "style", "template"}


# --- Reading the pages ----------------------------------------------------------


def own_language_text(element, language):
    """The text of `element` written in `language`: elements with another lang,
    and the sources list (cited titles), left out."""
    parts = [element.text or ""]
    for child in element:
        skipped = (
            not isinstance(child.tag, str)
            or child.tag in SKIPPED
            or child.get("lang", language).split("-")[0] != language
            or "sources" in (child.get("class") or "").split()
        )
        if not skipped:
            parts.append(own_language_text(child, language))
        parts.append("\n")  # ends a word; not a space a typography check would see
        parts.append(child.tail or "")
    return "".join(parts)


def normalised(text):
    """Spaces as one plain space, for matching words across line breaks."""
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def public_addresses():
    """Every public page type, and the page of every published record."""
    addresses = {
        code: [paths[LANGUAGES.index(code)] for paths in PAGE_TYPES.values()]
        for code in LANGUAGES
    }
    for code in LANGUAGES:
        with translation.override(code):
            for model in (Programme, Organisation, Region):
                addresses[code] += [
                    obj.get_absolute_url() for obj in model.objects.published()
                ]
    return [(code, path) for code in LANGUAGES for path in addresses[code]]


def page_texts(client):
    """[(language, address, text in the page's language)] of every public page."""
    found = []
    for language, path in public_addresses():
        response = client.get(path)
        assert response.status_code in (200, 404), path
        body = parse(response).find("body")
        found.append((language, path, own_language_text(body, language)))
    return found


# --- Naming programmes ----------------------------------------------------------


def naming_faults(text, language, programmes):
    """Names of programmes written against the style sheet's naming rule.

    English: never "the X project"; "Project X" only for a programme whose
    name is "Project X" (CRIMJUST, MAYAG), never for AIRCOP, whose name is
    "Airport Communication Project". French: the English forms never, and
    "projet" in lower case after an article or a preposition ("le projet X").
    """
    faults = []
    for programme in programmes:
        acronym = re.escape(programme.acronym)
        if language == "en":
            faults += re.findall(rf"\bthe {acronym} project\b", text, re.IGNORECASE)
            if programme.name_en != f"Project {programme.acronym}":
                faults += re.findall(rf"\bProject {acronym}\b", text, re.IGNORECASE)
        else:
            faults += re.findall(rf"\bProject {acronym}\b", text, re.IGNORECASE)
            faults += re.findall(rf"\b(?:le|du|au|par|pour) Projet {acronym}\b", text)
    return faults


def test_every_public_page_names_programmes_as_the_style_sheet_says(client, content):
    programmes = list(Programme.objects.exclude(acronym=""))
    faults = [
        (path, fault)
        for language, path, text in page_texts(client)
        for fault in naming_faults(normalised(text), language, programmes)
    ]

    assert faults == [], "\n".join(map(repr, faults))


def test_a_planted_naming_fault_is_found(client, content):
    mayag = Programme.objects.get(acronym="MAYAG")
    mayag.summary_en = mayag.summary_en.replace("Project MAYAG", "The MAYAG project")
    mayag.save()
    aircop = Programme.objects.get(acronym="AIRCOP")
    aircop.facts_note_en += " Project AIRCOP is also known as AIRCOP."
    aircop.save()
    programmes = list(Programme.objects.exclude(acronym=""))

    faults = {
        (path, fault)
        for language, path, text in page_texts(client)
        for fault in naming_faults(normalised(text), language, programmes)
    }

    assert ("/en/", "The MAYAG project") in faults
    assert ("/en/programmes/aircop/", "Project AIRCOP") in faults
    assert naming_faults("Partenaire du Projet MAYAG.", "fr", programmes)
    assert not naming_faults("Partenaire du projet MAYAG.", "fr", programmes)


def test_the_english_home_page_calls_the_programmes_what_the_menu_calls_them(
    client, content
):
    tree = parse(client.get("/en/"))
    menu = [a.text for a in tree.iterfind(".//nav[@class='site-nav']//a")]
    title = tree.findtext(".//head/title").split(" · ")[0]

    assert title in menu  # "Programmes", not "Projects"


# --- Titles and names given in translation ---------------------------------------

# A quoted title in a note, with the English translation of a French one in
# brackets: "INTERPOL's French page “Projets” [Projects]".
QUOTED = {
    "en": re.compile(r"“([^”]+)”(\s*\[[^\]]+\])?"),
    "fr": re.compile(r"«\s*([^»]+?)\s*»()"),
}
# Names with no official form in that language (shared/FACTS.md §2): ours.
TRANSLATED_NAMES = {("I-RAID", "en")}


def quoted_title_faults(programme, glossary):
    """Titles a note quotes that no source of the programme has as published,
    and French titles quoted in English with no [translation]."""
    titles = {
        (normalised(getattr(source, f"title_{code}")), source.language or code)
        for source in programme.sources.all()
        for code in LANGUAGES
        if getattr(source, f"title_{code}")
    }
    faults = []
    for language in LANGUAGES:
        # A programme's name, or a name the glossary quotes (« Route de la
        # cocaïne »), is no title of a page.
        names = {normalised(getattr(programme, f"name_{code}")) for code in LANGUAGES}
        names |= {
            normalised(quoted)
            for term in glossary
            for quoted, _ in QUOTED[language].findall(term_in(term, language))
        }
        note = getattr(programme, f"facts_note_{language}")
        for quoted, bracketed in QUOTED[language].findall(note):
            quoted = normalised(quoted)
            languages = {code for title, code in titles if title == quoted}
            if quoted in names:
                continue
            if not languages:
                faults.append((programme.acronym, language, quoted, "not a source"))
            elif language not in languages and not bracketed:
                faults.append((programme.acronym, language, quoted, "no [translation]"))
    return faults


def test_a_quoted_title_is_a_source_as_published_with_its_translation_in_brackets(
    content,
):
    glossary = terms()
    faults = [
        fault
        for programme in Programme.objects.prefetch_related("sources")
        for fault in quoted_title_faults(programme, glossary)
    ]

    assert faults == [], "\n".join(map(repr, faults))


def test_a_planted_translated_title_is_found(content):
    glossary = terms()
    crimjust = Programme.objects.get(acronym="CRIMJUST")
    crimjust.facts_note_en = "The figure comes from INTERPOL’s “Projects” page."
    mayag = Programme.objects.get(acronym="MAYAG")
    mayag.facts_note_en = "As given on INTERPOL’s French page “Projet Mayag”."

    assert quoted_title_faults(crimjust, glossary) == [
        ("CRIMJUST", "en", "Projects", "not a source")
    ]
    assert quoted_title_faults(mayag, glossary) == [
        ("MAYAG", "en", "Projet Mayag", "no [translation]")
    ]


def test_a_name_we_translated_is_not_given_as_official(client, content):
    for acronym, language in TRANSLATED_NAMES:
        programme = Programme.objects.get(acronym=acronym)
        name = getattr(programme, f"name_{language}")
        with translation.override(language):
            response = client.get(programme.get_absolute_url())
        page = normalised(own_language_text(parse(response).find("body"), language))
        # Sentence case: an official title would capitalise its words.
        assert all(word.islower() or word.isupper() for word in name.split()[1:])
        assert f"“{name}” is our translation" in page


def test_the_crimjust_note_says_the_same_thing_in_both_languages(content):
    crimjust = Programme.objects.get(acronym="CRIMJUST")

    assert "the list of 30 countries was not found" in crimjust.facts_note_en
    assert "la liste des 30 pays n’a pas été trouvée" in crimjust.facts_note_fr
    assert "publiée" not in crimjust.facts_note_fr


# --- The glossary ------------------------------------------------------------------

# shared/FACTS.md §7 gives both French forms of "drug trafficking"; the
# glossary records the first.
ACCEPTED_VARIANTS = {
    "trafic de stupéfiants": ("trafic de drogues", "trafics de drogues"),
    # An English acronym takes a plural s; the French one does not change.
    "JAITF": ("JAITFs",),
}


def found(term, text):
    forms = (term, *ACCEPTED_VARIANTS.get(term, ()))
    return any(pattern_for(normalised(form)).search(text) for form in forms)


def glossary_faults(english, french, glossary):
    """Glossary terms in one language whose pair the other language lacks."""
    english, french = normalised(english), normalised(french)
    faults = []
    for term in glossary:
        term_en, term_fr = term_in(term, "en"), term_in(term, "fr")
        if not (term_en and term_fr) or term_en == term_fr:
            continue
        if found(term_en, english) and not found(term_fr, french):
            faults.append((term_en, term_fr))
        if found(term_fr, french) and not found(term_en, english):
            faults.append((term_fr, term_en))
    return faults


def is_seed(french):
    """The French is the seed's, kept as written: the glossary cannot change it."""
    seed = normalised(SEED.read_text(encoding="utf-8"))
    return all(normalised(part) in seed for part in french.split("\n\n") if part)


def test_every_public_page_uses_its_own_languages_terms(client, content):
    glossary = terms()
    faults = []
    for language, path, text in page_texts(client):
        for term in glossary:
            for other in LANGUAGES:
                form = term_in(term, other)
                if (
                    other != language
                    and form
                    and form != term_in(term, language)
                    and pattern_for(form).search(normalised(text))
                ):
                    faults.append((path, form))

    assert faults == [], "\n".join(map(repr, faults))


def test_the_content_translates_glossary_terms_as_the_glossary_says(content):
    glossary = terms()
    faults = [
        (str(obj), name, fault)
        for model in TRACKED_MODELS
        for obj in model.objects.all()
        for name in tracked_fields(model)
        if all((values := texts(obj, name)).values()) and not is_seed(values["fr"])
        for fault in glossary_faults(values["en"], values["fr"], glossary)
    ]

    assert faults == [], "\n".join(map(repr, faults))


# Where the public pages' own interface text is. Choice labels (models.py) are
# checked as the pages show them; the models' help texts are the admin's.
PUBLIC_CODE = (
    "templates/programmes",
    "templates/includes",
    "templates/base.html",
    "templates/404.html",
    "templates/410.html",
    "programmes/public",
    "programmes/templatetags",
)


def public_entries():
    """The catalogue's entries the public pages use (the admin's are issue 18's)."""
    paths = [
        path
        for place in map(ROOT.joinpath, PUBLIC_CODE)
        for path in ([place] if place.is_file() else sorted(place.rglob("*")))
        if path.suffix in (".html", ".py")
    ]
    words = normalised(" ".join(path.read_text(encoding="utf-8") for path in paths))

    def used(msgid):
        as_template = re.sub(r"%\((\w+)\)s", r"{{ \1 }}", msgid)
        return normalised(msgid) in words or normalised(as_template) in words

    return [
        entry
        for entry in polib.pofile(str(CATALOGUE))
        if entry.msgid and not entry.obsolete and used(entry.msgid)
    ]


def test_the_public_interface_translates_glossary_terms_as_the_glossary_says(content):
    glossary = terms()
    faults = [
        (entry.msgid, fault)
        for entry in public_entries()
        for fault in glossary_faults(entry.msgid, entry.msgstr, glossary)
    ]

    assert faults == [], "\n".join(map(repr, faults))


# --- French typography (until it is applied on saving: issue 16) ------------------

BARE_SPACE = re.compile(r"\w'\w| [;:!?»]|« ")


def test_french_text_has_typographic_apostrophes_and_no_breaking_space(client, content):
    # Country names come from django-countries ("Côte d'Ivoire"), not from us.
    with translation.override("fr"):
        names = sorted((str(name) for _code, name in countries), key=len, reverse=True)
    faults = []
    for language, path, text in page_texts(client):
        if language != "fr":
            continue
        for name in names:
            text = text.replace(name, "")
        faults += [
            (path, text[max(0, m.start() - 30) : m.end() + 5])
            for m in BARE_SPACE.finditer(text)
        ]
    content_file = tomllib.loads(DEFAULT_CONTENT_FILE.read_text(encoding="utf-8"))
    french = [
        value
        for table in content_file.values()
        for record in (table if isinstance(table, list) else [table])
        for name, value in record.items()
        if name.endswith("_fr") and isinstance(value, str)
    ] + [entry.msgstr for entry in public_entries()]
    faults += [
        text[max(0, m.start() - 30) : m.end() + 5]
        for text in french
        for m in BARE_SPACE.finditer(text)
    ]

    assert faults == [], "\n".join(map(repr, faults))
