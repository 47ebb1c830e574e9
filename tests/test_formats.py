"""Dates and numbers in each language's conventions: French, and the British
English the site declares for "en" (interpol_drugs/formats/en/)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import formats, translation

from programmes.content.money import format_money
from programmes.models import LoadedRecord, Organisation, Programme, Region, Source

from .factories import make_programme

pytestmark = pytest.mark.django_db

# 7 December 2026, 9:30 in Paris: a month English abbreviates, a morning time.
MORNING = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=datetime.UTC)
# American forms Django's own "en" formats would print: "Dec. 7, 2026", "9:30 a.m.".
AMERICAN = re.compile(
    r"\b(?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.|\b[ap]\.m\.|\b[A-Z][a-z]+\.? \d{1,2}, \d{4}"
)


def date_everything(when):
    """Every date the public pages show: the open data's date and sources checked."""
    for model in (Programme, Organisation, Region):
        model.objects.update(updated_at=when)
    LoadedRecord.objects.update(loaded_at=when)
    Source.objects.update(checked_on=when.date())


@pytest.mark.parametrize(
    ("language", "date", "datetime_"),
    [
        ("en", "7 December 2026", "7 December 2026, 09:30"),
        ("fr", "7 décembre 2026", "7 décembre 2026 09:30"),
    ],
)
def test_date_formats_of_each_language(language, date, datetime_):
    morning = MORNING.astimezone(datetime.timezone(datetime.timedelta(hours=1)))
    with translation.override(language):
        assert formats.date_format(morning) == date
        assert formats.date_format(morning, "DATETIME_FORMAT") == datetime_


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234,567.5"), ("fr", "1\u202f234\u202f567,5")],
)
def test_number_formats_of_each_language(language, expected):
    with translation.override(language):
        assert formats.number_format(1234567.5, 1, force_grouping=True) == expected


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            "/en/programmes/",
            'Data as of <time datetime="2026-12-07">7 December 2026</time>',
        ),
        ("/fr/programmes/", '<time datetime="2026-12-07">7 décembre 2026</time>'),
    ],
)
def test_list_page_dates_its_open_data_in_the_page_language(client, path, expected):
    make_programme()
    date_everything(MORNING)

    assert expected in client.get(path).content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "consulted on 7 December 2026"), ("fr", "7 décembre 2026")],
)
def test_programme_page_dates_its_sources_in_the_page_language(
    client, language, expected
):
    programme = make_programme()
    Source.objects.create(
        programme=programme, title="A report", checked_on=MORNING.date()
    )
    with translation.override(language):
        url = programme.get_absolute_url()

    assert expected in client.get(url).content.decode()


def test_no_english_page_prints_american_dates_or_times(client, content):
    programme = Programme.objects.published().first()
    Source.objects.create(programme=programme, title="A report")
    date_everything(MORNING)
    with translation.override("en"):
        pages = ["/en/", "/en/feed/", programme.get_absolute_url()] + [
            f"/en/{kind}/" for kind in ("programmes", "organisations", "regions")
        ]

    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert not AMERICAN.findall(response.content.decode()), page


@pytest.mark.parametrize(
    ("amount", "currency", "english", "french"),
    [
        ("1200000", "EUR", "EUR 1.2 million", "1,2 million d’euros"),
        ("1000000.00", "EUR", "EUR 1 million", "1 million d’euros"),
        ("2500000", "USD", "USD 2.5 million", "2,5 millions de dollars américains"),
        ("1250000", "EUR", "EUR 1.25 million", "1,25 million d’euros"),
        ("20000000", "EUR", "EUR 20 million", "20 millions d’euros"),
        ("3000000000", "USD", "USD 3 billion", "3 milliards de dollars américains"),
    ],
)
def test_large_round_amounts_in_words(amount, currency, english, french):
    with translation.override("en"):
        assert format_money(Decimal(amount), currency) == english
    with translation.override("fr"):
        assert format_money(Decimal(amount), currency) == french


@pytest.mark.parametrize(
    ("amount", "english", "french"),
    [
        # Words would round it: every digit stays.
        ("1234567", "EUR 1,234,567", "1\u202f234\u202f567 EUR"),
        ("950000", "EUR 950,000", "950\u202f000 EUR"),
    ],
)
def test_other_amounts_keep_every_digit(amount, english, french):
    with translation.override("en"):
        assert format_money(Decimal(amount), "EUR") == english
    with translation.override("fr"):
        assert format_money(Decimal(amount), "EUR") == french
