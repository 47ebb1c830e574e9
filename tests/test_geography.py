"""The rule of programmes/content/geography.py: regions nest through their
countries, and a programme benefits a region it names, one it lies within or
includes, or one holding a beneficiary country."""

import pytest

from programmes.content.geography import Geography
from programmes.models import Programme

from .factories import make_programme, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    africa = make_region(countries=["GH", "NG", "SN", "KE", "MA"])
    west = make_region(countries=["GH", "NG", "SN"])
    east = make_region(countries=["KE"])
    americas = make_region(countries=["BR", "CO"])
    worldwide = make_region(countries=[])
    return africa, west, east, americas, worldwide


def benefiting(region):
    return set(
        Programme.objects.published()
        .for_region(region)
        .values_list("acronym", flat=True)
    )


def test_regions_nest_through_their_countries(world):
    africa, west, east, americas, worldwide = world
    geography = Geography.published()

    assert geography.parents(west) == [africa]
    assert geography.children(africa) == [west, east]
    assert geography.parents(africa) == []
    assert geography.parents(americas) == geography.children(americas) == []
    # A region with no countries nests in nothing and holds nothing.
    assert geography.parents(worldwide) == geography.children(worldwide) == []
    assert geography.containing("gh") == [africa, west]


def test_a_region_with_the_same_countries_is_not_within_the_other():
    first = make_region(countries=["GH"])
    second = make_region(countries=["GH"])
    geography = Geography.published()

    assert geography.parents(first) == geography.parents(second) == []


def test_a_programme_benefits_by_name_by_nesting_and_by_country(world):
    africa, west, east, americas, worldwide = world
    make_programme(acronym="GHANA", beneficiary_countries=["GH"])
    for_africa = make_programme(acronym="AFRICA")
    for_africa.beneficiary_regions.add(africa)
    for_west = make_programme(acronym="WEST")
    for_west.beneficiary_regions.add(west)
    global_one = make_programme(acronym="GLOBAL")
    global_one.beneficiary_regions.add(worldwide)

    assert benefiting(west) == {"GHANA", "AFRICA", "WEST"}
    assert benefiting(africa) == {"GHANA", "AFRICA", "WEST"}
    # Naming Africa covers East Africa; naming West Africa does not.
    assert benefiting(east) == {"AFRICA"}
    assert benefiting(americas) == set()
    assert benefiting(worldwide) == {"GLOBAL"}


def test_python_and_the_database_apply_the_same_rule(world):
    regions = world
    make_programme(beneficiary_countries=["GH", "BR"])
    make_programme().beneficiary_regions.add(regions[0])
    make_programme(beneficiary_countries=["KE"]).beneficiary_regions.add(regions[4])
    make_programme(status="draft", beneficiary_countries=["CO"])
    geography = Geography.published()
    programmes = list(Programme.objects.published())

    for region in regions:
        in_python = {p.pk for p in geography.programmes_of(region, programmes)}
        in_sql = set(
            Programme.objects.published()
            .for_region(region, geography)
            .values_list("pk", flat=True)
        )
        assert in_python == in_sql, region
        for programme in programmes:
            assert (region in geography.regions_of(programme)) == (
                programme.pk in in_python
            )


def test_unpublished_regions_take_no_part(world):
    africa, west, *_ = world
    draft = make_region(countries=["GH", "NG", "SN", "KE", "MA", "ZA"], status="draft")
    programme = make_programme()
    programme.beneficiary_regions.add(draft)

    assert Geography.published().parents(africa) == []
    assert Programme.objects.get(pk=programme.pk).benefited_regions == []


def test_region_page_lists_related_regions_and_programmes(client, world):
    africa, west, *_ = world
    make_programme(acronym="GHANA", beneficiary_countries=["GH"])

    west_page = client.get(west.get_absolute_url()).content.decode()
    africa_page = client.get(africa.get_absolute_url()).content.decode()

    assert f'href="{africa.get_absolute_url()}"' in west_page
    assert f'href="{west.get_absolute_url()}"' in africa_page
    assert "GHANA" in west_page
    assert "GHANA" in africa_page
