"""content/addresses.py: one reverse() per language gives the same addresses as
reverse() itself, for every kind of argument the site's patterns take."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from programmes.content import addresses
from programmes.content.addresses import (
    STAND_IN_PK,
    STAND_IN_SLUG,
    AddressPattern,
    split_around,
)


@pytest.mark.parametrize(
    ("url_name", "argument", "stand_in", "values"),
    [
        ("programmes:programme_detail", "slug", STAND_IN_SLUG, ["aircop", "a-b_9"]),
        ("programmes:country_detail", "code", STAND_IN_SLUG, ["gh", "ci"]),
        ("api:programme_detail", "pk", STAND_IN_PK, [1, 2026]),
    ],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_pattern_gives_what_reverse_gives(
    url_name, argument, stand_in, values, language
):
    pattern = AddressPattern(url_name, argument, stand_in)

    for value in values:
        with translation.override(language):
            expected = reverse(url_name, kwargs={argument: value})
        assert pattern(value, language) == expected
        with translation.override(language):
            assert pattern(value) == expected


def test_a_pattern_reverses_once_per_language():
    pattern = AddressPattern("programmes:programme_detail", "slug", STAND_IN_SLUG)

    with mock.patch.object(addresses, "reverse", wraps=reverse) as spy:
        paths = [
            pattern(f"p-{n}", language) for n in range(50) for language in ("fr", "en")
        ]

    assert spy.call_count == 2
    assert paths[:2] == ["/fr/programmes/p-0/", "/en/programmes/p-0/"]


@pytest.mark.parametrize("value", ["Côte d’Ivoire", "a b", "x?y#z", "50%"])
def test_a_value_is_quoted_as_reverse_quotes_it(value):
    # <str:code> takes any text without a slash: reverse() quotes it.
    pattern = AddressPattern("programmes:country_detail", "code", STAND_IN_SLUG)

    with translation.override("fr"):
        assert pattern(value) == reverse(
            "programmes:country_detail", kwargs={"code": value}
        )


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("/fr/programmes/x-stand-in/", ("/fr/programmes/", "/")),
        ("/fr/x-stand-in/x-stand-in/", None),
        ("/fr/programmes/", None),
    ],
)
def test_split_around_finds_the_stand_in_exactly_once(address, expected):
    assert split_around(address, "x-stand-in") == expected
