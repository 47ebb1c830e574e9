from modeltranslation.translator import TranslationOptions, register

from .models import HomePage, Organisation, Participation, Programme, Region, Source


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name", "slug")
    required_languages = {"default": ("name", "slug")}
    empty_values = {"slug": None}


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "acronym", "slug", "description")
    # Some bodies have no name in every language (AMERIPOL has no French name):
    # the page then shows the other language's name, marked with its lang.
    # Organisation.clean() requires a name in at least one language.
    required_languages = {"default": ("slug",)}
    empty_values = {"slug": None}


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("name", "slug", "summary", "description", "facts_note", "website")
    required_languages = {"default": ("name", "slug", "summary", "description")}
    empty_values = {"slug": None}


@register(Participation)
class ParticipationTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(HomePage)
class HomePageTranslationOptions(TranslationOptions):
    fields = ("title", "heading", "introduction", "summary")
    required_languages = {"default": ("title", "heading", "introduction", "summary")}


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    # Usually given in the cited page's language only; Source.clean() requires
    # a title in at least one language.
    fields = ("title",)
