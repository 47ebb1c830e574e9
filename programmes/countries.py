"""Countries named by ISO code: their names, order and page addresses."""

import functools
from collections import namedtuple

from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override
from django_countries.fields import Country

from .languages import sort_key


def country_url(code):
    """The address of a country's page, in the active language."""
    return cached_country_url(
        code.lower(), get_language(), get_script_prefix(), get_urlconf()
    )


# Pages link to every beneficiary country two or three times (list, map,
# metadata); the address depends only on these arguments.
@functools.lru_cache(maxsize=4096)
def cached_country_url(code, language, script_prefix, urlconf):
    return reverse("programmes:country_detail", kwargs={"code": code})


class NamedCountry(namedtuple("NamedCountry", "code name")):
    __slots__ = ()

    @property
    def url(self):
        return country_url(self.code)


@functools.lru_cache(maxsize=1024)
def countries_sorted_by_name(codes, language):
    """(code, name) pairs for the country codes, named in `language` and sorted
    by name (Équateur with the Es).

    Names and their order never change while the process runs: pages ask for
    them several times (list, map, metadata), so they are worked out once.
    """
    with override(language):
        named = [NamedCountry(code, str(Country(code).name)) for code in codes]
    return tuple(sorted(named, key=lambda country: sort_key(country.name)))


def naming_country(field_name, code):
    """A filter on a multiple CountryField: rows whose list holds `code`.

    The field stores upper-case two-letter codes joined by commas ("GH,NG"),
    so a two-letter substring cannot straddle a comma: `contains` matches one
    whole code, never the end of one and the start of the next.
    """
    return Q(**{f"{field_name}__contains": code.upper()})
