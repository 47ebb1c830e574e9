"""Thousands of addresses of one kind, with one reverse() per language.

reverse() resolves its URL pattern on every call (about a tenth of a
millisecond); a sitemap, the CSV download and a translation file ask for an
address per record and language (34,096 calls for 2,000 programmes in the
sitemap alone). An `AddressPattern` reverses its pattern once per language with
a stand-in argument, then puts each record's value where the stand-in was.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.http import RFC3986_SUBDELIMS

# Values no record has, that the <int:> and <slug:> converters accept.
STAND_IN_PK = 918273645
STAND_IN_SLUG = "x-stand-in-slug-918273645"


def split_around(address, stand_in):
    """(before, after) `stand_in` in `address`, or None when it is not there
    exactly once (then only reverse() itself can make the address)."""
    parts = address.split(str(stand_in))
    return tuple(parts) if len(parts) == 2 else None


def as_reverse_quotes(value):
    """`value` quoted as reverse() quotes an argument it puts in a path."""
    return iri_to_uri(quote(str(value), safe=RFC3986_SUBDELIMS + "/~:@"))


class AddressPattern:
    """pattern(value, language=None): reverse(url_name, kwargs={argument:
    value}) in `language` (default: the active one), the same path at a
    fraction of the cost."""

    def __init__(self, url_name, argument, stand_in):
        self.url_name = url_name
        self.argument = argument
        self.stand_in = stand_in
        self.parts = {}

    def __call__(self, value, language=None):
        language = language or translation.get_language()
        if language not in self.parts:
            with translation.override(language):
                address = reverse(self.url_name, kwargs={self.argument: self.stand_in})
            self.parts[language] = split_around(address, self.stand_in)
        before, after = self.parts[language]
        return before + as_reverse_quotes(value) + after
