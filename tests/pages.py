"""Every public page type, in French and English."""

PAGE_TYPES = {
    "home": ("/fr/", "/en/"),
    "programme-list": ("/fr/programmes/", "/en/programmes/"),
    "programme-list-filtered": (
        "/fr/programmes/?region=caraibes&partner=onudc",
        "/en/programmes/?region=caribbean&partner=unodc",
    ),
    "programme": ("/fr/programmes/aircop/", "/en/programmes/aircop/"),
    "organisation-list": ("/fr/organisations/", "/en/organisations/"),
    "organisation": ("/fr/organisations/caricc/", "/en/organisations/caricc/"),
    "region-list": ("/fr/regions/", "/en/regions/"),
    "region": ("/fr/regions/caraibes/", "/en/regions/caribbean/"),
    "country-list": ("/fr/pays/", "/en/countries/"),
    "country": ("/fr/pays/gh/", "/en/countries/gh/"),
    "search": ("/fr/recherche/?q=douane", "/en/search/?q=customs"),
    "not-found": ("/fr/page-introuvable/", "/en/no-such-page/"),
}

PUBLIC_PAGES = [
    (f"{name}-{path.split('/')[1]}", path)
    for name, paths in PAGE_TYPES.items()
    for path in paths
]
