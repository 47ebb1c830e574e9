import simple_history
from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .languages import required_languages
from .models import (
    GlossaryTerm,
    HomePage,
    KeyFact,
    Organisation,
    Participation,
    Programme,
    Region,
    Result,
    Source,
)

# A draft needs a name and an address in the default language; publishing
# needs the rest in every required language (Publishable.check_publishable).
DRAFT_REQUIRED = {settings.MODELTRANSLATION_DEFAULT_LANGUAGE: ("name", "slug")}


def in_required_languages(*fields):
    """Required in settings.REQUIRED_LANGUAGES; optional in a language added
    since, whose empty fields show the default language's text."""
    return dict.fromkeys(required_languages(), fields)


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    required_languages = DRAFT_REQUIRED
    empty_values = {"slug": None}


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "acronym", "slug", "description", "image_alt")
    # Some bodies have no name in every language (AMERIPOL has no French name):
    # the page then shows the other language's name, marked with its lang.
    # Organisation.clean() requires a name in at least one language.
    required_languages = {settings.MODELTRANSLATION_DEFAULT_LANGUAGE: ("slug",)}
    empty_values = {"slug": None}


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = (
        "name",
        "slug",
        "summary",
        "description",
        "facts_note",
        "website",
        "image_alt",
    )
    required_languages = DRAFT_REQUIRED
    empty_values = {"slug": None}


@register(Participation)
class ParticipationTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(HomePage)
class HomePageTranslationOptions(TranslationOptions):
    fields = ("title", "heading", "introduction", "summary")
    required_languages = in_required_languages(
        "title", "heading", "introduction", "summary"
    )


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    # Usually given in the cited page's language only; Source.clean() requires
    # a title in at least one language.
    fields = ("title", "address_note")


@register(KeyFact)
class KeyFactTranslationOptions(TranslationOptions):
    fields = ("label", "text")


@register(Result)
class ResultTranslationOptions(TranslationOptions):
    fields = ("title", "summary")


# Registered here, after modeltranslation, so that the history tables hold a
# column per language (name_fr, name_en...): a revision records every
# language, and a comparison shows what changed language by language.
NOT_IN_HISTORY = ["version", "image", "image_width", "image_height", "image_renditions"]
simple_history.register(
    Programme, excluded_fields=NOT_IN_HISTORY, m2m_fields=["beneficiary_regions"]
)
simple_history.register(Organisation, excluded_fields=NOT_IN_HISTORY)
simple_history.register(Region, excluded_fields=["version"])
simple_history.register(Participation)
simple_history.register(Source)
simple_history.register(KeyFact)
simple_history.register(Result)
simple_history.register(HomePage, excluded_fields=["version"])


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("term", "expansion")
    required_languages = in_required_languages("term")
