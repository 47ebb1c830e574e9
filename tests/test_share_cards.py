"""Share cards: 1200 × 630 PNGs per page and language, served as og:image
(programmes/public/share_cards.py)."""

import io
import math

import pytest
from PIL import Image

from programmes.models import Programme
from programmes.public.share_cards import card_for, path_polylines

from .factories import make_programme
from .helpers import parse

pytestmark = pytest.mark.django_db


def og(tree, name):
    element = tree.find(f".//head/meta[@property='{name}']")
    return element.get("content") if element is not None else None


@pytest.mark.parametrize(
    "path",
    [
        "/fr/",
        "/en/",
        "/fr/programmes/aircop/",
        "/en/programmes/mayag/",
        "/fr/organisations/onudc/",
        "/en/organisations/unodc/",
        "/fr/regions/caraibes/",
        "/en/regions/caribbean/",
    ],
)
def test_each_page_shares_its_own_card_in_its_language(client, content, path):
    tree = parse(client.get(path))
    address = og(tree, "og:image")
    language = path.split("/")[1]
    assert address.startswith(f"http://testserver/{language}/")
    assert "?v=" in address
    assert og(tree, "og:image:alt")
    response = client.get(address.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_the_card_address_is_translated(client, content):
    tree = parse(client.get("/fr/programmes/aircop/"))
    assert og(tree, "og:image").startswith(
        "http://testserver/fr/partage/programme/aircop.png?v="
    )


def test_the_card_changes_address_when_what_it_shows_changes(client, content):
    def address():
        return og(parse(client.get("/en/programmes/aircop/")), "og:image")

    before = address()
    aircop = Programme.objects.get(slug_en="aircop")
    aircop.description_en += " More."
    aircop.save()
    assert address() == before  # the card does not show the description
    aircop.beneficiary_countries = [*aircop.beneficiary_countries, "FR"]
    aircop.save()
    changed = address()
    assert changed != before
    aircop.pictogram = "globe"
    aircop.save()
    assert address() != changed


def test_drafts_have_no_card(client, db):
    draft = make_programme(status="draft", slug_en="secret")
    assert client.get("/en/share/programme/secret.png").status_code == 404
    draft.status = "published"
    draft.save()
    assert client.get("/en/share/programme/secret.png").status_code == 200


def test_the_card_shows_name_pictogram_and_countries(content):
    card = card_for("Site", Programme.objects.get(slug_en="aircop"))
    assert card.pictogram == "plane"
    assert "GH" in card.countries and "AIRCOP" in card.title


def test_svg_arcs_are_drawn_on_their_circle():
    # Two half circles of radius 10 around (12, 12), as Lucide writes circles.
    (points,) = path_polylines("M2 12a10 10 0 0 1 20 0a10 10 0 0 1-20 0z")
    assert all(
        math.isclose(math.dist(point, (12, 12)), 10, abs_tol=1e-6) for point in points
    )
