"""Made-up content to measure a large site: `grow(size)` (bench/growth.py).

Programmes, organisations, participations, sources and beneficiary countries,
written through the models (`save()`), so that every signal runs as it does for
an editor's save: translation status, search index, redirects. The text is
made up and clearly so ("Programme d’essai 1234"); it never reaches the real
site, only a temporary database. One programme in SIZE is named "Mayagüez" so
that a one-result search has something to find; every programme's summary
says "drogue" / "drug" so that a many-results search finds them all.
"""

import itertools

from django.db import transaction
from django_countries import countries

from programmes.languages import language_codes
from programmes.models import Organisation, Participation, Programme, Region, Source

TEXT = {
    "fr": (
        "Programme d’essai {n} de coopération contre le trafic de drogue.",
        "<p>Ce programme d’essai {n} relie les services de police, de douane et "
        "de justice de plusieurs pays. Il forme les enquêteurs, partage le "
        "renseignement et suit les saisies de cocaïne et d’héroïne.</p>",
    ),
    "en": (
        "Test programme {n} of cooperation against drug trafficking.",
        "<p>This test programme {n} links the police, customs and justice "
        "services of several countries. It trains investigators, shares "
        "intelligence and follows cocaine and heroin seizures.</p>",
    ),
}


def text(language, index, n):
    """The made-up text `index` (0 summary, 1 description) in `language`."""
    return TEXT.get(language, TEXT["en"])[index].format(n=n)


def grow(size, progress=print):
    """Adds `size` programmes and `size` organisations, published."""
    codes = [code for code, _name in countries]
    regions = list(Region.objects.all())
    languages = language_codes()
    start = Programme.objects.count() + 1
    with transaction.atomic():
        organisations = []
        for n in range(start, start + size):
            values = {"kind": "government"}
            for code in languages:
                values |= {
                    f"name_{code}": f"Organisation d’essai {n}"
                    if code == "fr"
                    else f"Test organisation {n}",
                    f"acronym_{code}": f"OE{n}",
                    f"slug_{code}": f"organisation-{code}-{n}",
                    f"description_{code}": f"<p>{text(code, 0, n)}</p>",
                }
            organisations.append(
                Organisation.objects.create(status="published", **values)
            )
            if n % 500 == 0:
                progress(f"   {n - start + 1} organisations")
        organisation_cycle = itertools.cycle(organisations)
        for n in range(start, start + size):
            values = {"acronym": f"PE{n}", "display_order": n}
            for code in languages:
                name = "Programme d’essai" if code == "fr" else "Test programme"
                if n == start + size // 2:
                    name += " Mayagüez"
                values |= {
                    f"name_{code}": f"{name} {n}",
                    f"slug_{code}": f"programme-{code}-{n}",
                    f"summary_{code}": text(code, 0, n),
                    f"description_{code}": text(code, 1, n),
                }
            programme = Programme.objects.create(
                status="published",
                beneficiary_countries=[
                    codes[(n + i * 37) % len(codes)] for i in range(3)
                ],
                **values,
            )
            if regions:
                programme.beneficiary_regions.add(regions[n % len(regions)])
            for role in ("partner", "funder"):
                Participation.objects.create(
                    programme=programme,
                    organisation=next(organisation_cycle),
                    role=role,
                )
            Source.objects.create(
                programme=programme,
                title=f"Source {n}",
                url=f"https://example.org/source/{n}",
                language=languages[0],
            )
            if n % 500 == 0:
                progress(f"   {n - start + 1} programmes")
