from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import set_script_prefix
from django.utils import translation
from modeltranslation.translator import translator

from programmes.countries import country_url
from programmes.models import HomePage, KeyFact, Organisation, Programme, Region

from .factories import add_participation, make_organisation, make_programme, make_region

pytestmark = pytest.mark.django_db


def test_title_adds_the_acronym_unless_the_name_holds_it():
    with translation.override("en"):
        aircop = make_programme(
            name_en="Airport Communication Project", acronym="AIRCOP"
        )
        crimjust = make_programme(name_en="Project CRIMJUST", acronym="CRIMJUST")
        assert aircop.title == "Airport Communication Project (AIRCOP)"
        assert crimjust.title == "Project CRIMJUST"


def test_partners_and_funders_split_the_participations():
    programme = make_programme()
    partner = add_participation(programme, make_organisation(), role="partner")
    lead = add_participation(programme, make_organisation(), role="lead")
    funder = add_participation(programme, make_organisation(), role="funder")
    programme = Programme.objects.with_related().get(pk=programme.pk)

    assert {p.pk for p in programme.partners} == {partner.pk, lead.pk}
    assert [p.pk for p in programme.funders] == [funder.pk]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "1,2 million d’euros"), ("en", "EUR 1.2 million")],
)
def test_budget_is_formatted_in_the_active_language(language, expected):
    programme = make_programme(budget_amount=Decimal("1200000"), budget_currency="EUR")

    with translation.override(language):
        assert programme.budget_display() == expected


def test_period_display():
    with translation.override("en"):
        assert (
            make_programme(start_year=2023, end_year=2026).period_display()
            == "2023–2026"
        )
        assert make_programme(start_year=2016).period_display() == "since 2016"
        assert make_programme().period_display() == ""
    with translation.override("fr"):
        assert make_programme(start_year=2016).period_display() == "depuis 2016"


def test_country_addresses_follow_the_language_and_the_script_prefix():
    with translation.override("fr"):
        assert country_url("EC") == "/fr/pays/ec/"
    with translation.override("en"):
        assert country_url("ec") == "/en/countries/ec/"
        set_script_prefix("/site/")
        try:
            assert country_url("EC") == "/site/en/countries/ec/"
        finally:
            set_script_prefix("/")
        assert country_url("EC") == "/en/countries/ec/"


def test_country_names_come_from_the_library_in_each_language():
    programme = make_programme(beneficiary_countries=["EC", "AR", "GH"])

    with translation.override("fr"):
        assert [c.name for c in programme.countries_by_name()] == [
            "Argentine",
            "Équateur",
            "Ghana",
        ]
    with translation.override("en"):
        assert [c.name for c in programme.countries_by_name()] == [
            "Argentina",
            "Ecuador",
            "Ghana",
        ]


def test_a_programme_s_period_and_budget_come_from_its_key_facts():
    """No undated copy: the former fields are the key facts measuring them."""
    programme = make_programme(start_year=2020, end_year=2021)
    assert (programme.start_year, programme.end_year) == (2020, 2021)
    assert programme.budget_amount is None

    KeyFact.objects.filter(programme=programme).update(first_year=2019)
    assert Programme.objects.get(pk=programme.pk).start_year == 2019


def test_slugs_are_unique_per_language_but_may_match_across_languages():
    make_programme(slug_fr="aircop", slug_en="aircop")
    duplicate = Programme(
        name_fr="Autre",
        name_en="Other",
        slug_fr="aircop",
        slug_en="other",
        summary_fr="r",
        summary_en="s",
        description_fr="d",
        description_en="d",
    )

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "slug_fr" in error.value.message_dict


def test_organisation_needs_a_name_in_at_least_one_language():
    nameless = Organisation(slug_fr="x", slug_en="x", kind="ngo")

    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="at least one language"),
    ):
        nameless.full_clean()
    Organisation(
        name_en="Only English", slug_fr="y", slug_en="y", kind="ngo"
    ).full_clean()


def test_missing_translations_name_each_language_and_field():
    organisation = make_organisation(name_fr="", description_en="")

    assert organisation.missing_translations() == {
        "fr": ["name"],
        "en": ["description"],
    }
    assert organisation.complete_languages() == []
    assert make_region().complete_languages() == ["fr", "en"]


def test_an_optional_field_written_in_one_language_is_missing_in_the_other():
    participation = add_participation(
        make_programme(), make_organisation(), note_fr="par son programme", note_en=""
    )

    assert participation.missing_translations() == {"fr": [], "en": ["note"]}


def test_language_of_tells_which_language_a_fallback_came_from():
    organisation = make_organisation(
        name_fr="", name_en="Police Community of the Americas"
    )

    with translation.override("fr"):
        assert organisation.name == "Police Community of the Americas"
        assert organisation.language_of("name") == "en"
        assert organisation.language_of("description") == "fr"


def test_published_filters_and_for_region_chains():
    region = make_region()
    shown = make_programme()
    hidden = make_programme(status="draft")
    shown.beneficiary_regions.add(region)
    hidden.beneficiary_regions.add(region)

    assert list(Programme.objects.published().for_region(region)) == [shown]


def test_home_page_is_a_single_row():
    for title in ("A", "B"):
        texts = {"title": title, "heading": "H", "introduction": "I", "summary": "S"}
        HomePage(
            **{
                f"{name}_{code}": text
                for name, text in texts.items()
                for code in ("fr", "en")
            }
        ).save()

    assert HomePage.objects.count() == 1
    assert HomePage.load().title_fr == "B"


TRANSLATED_FIELDS = {
    "Region": {"name", "slug"},
    "Organisation": {"name", "acronym", "slug", "description", "image_alt"},
    "Programme": {
        "name",
        "slug",
        "summary",
        "description",
        "facts_note",
        "website",
        "image_alt",
    },
    "Participation": {"note"},
    "HomePage": {"title", "heading", "introduction", "summary"},
    "Source": {"title", "address_note"},
    "KeyFact": {"label", "text"},
    "Result": {"title", "summary"},
}


@pytest.mark.parametrize("model_name", TRANSLATED_FIELDS)
def test_every_human_readable_field_is_translated(model_name):
    model = next(
        m for m in translator.get_registered_models() if m.__name__ == model_name
    )

    assert (
        set(translator.get_options_for_model(model).get_field_names())
        == (TRANSLATED_FIELDS[model_name])
    )
    for code in ("fr", "en"):
        for name in TRANSLATED_FIELDS[model_name]:
            model._meta.get_field(f"{name}_{code}")


def test_region_url_uses_the_slug_of_the_active_language():
    region = make_region(slug_fr="caraibes", slug_en="caribbean")

    with translation.override("fr"):
        assert region.get_absolute_url() == "/fr/regions/caraibes/"
    with translation.override("en"):
        assert region.get_absolute_url() == "/en/regions/caribbean/"
    assert Region.objects.count() == 1


def test_a_page_address_reversed_once_follows_the_slug_language_and_prefix():
    programme = make_programme(slug_fr="avant", slug_en="before")
    with translation.override("en"):
        assert programme.get_absolute_url() == "/en/programmes/before/"
        programme.slug_en = "after"
        assert programme.get_absolute_url() == "/en/programmes/after/"
    with translation.override("fr"):
        assert programme.get_absolute_url() == "/fr/programmes/avant/"
        set_script_prefix("/site/")
        try:
            assert programme.get_absolute_url() == "/site/fr/programmes/avant/"
        finally:
            set_script_prefix("/")


def test_an_address_given_in_one_language_only_is_not_a_missing_translation():
    programme = make_programme(website_fr="https://www.interpol.int/fr/", website_en="")

    assert programme.missing_translations() == {"fr": [], "en": []}
