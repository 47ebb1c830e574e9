"""What a page tells search engines and social networks about itself.

One place builds each page's title, description, Open Graph values and
schema.org JSON-LD, in the active language; base.html and
includes/social_meta.html only print them. A description never quotes text
shown as a fallback from another language (programmes/public/fallbacks.py): the page
states its own language, so a sentence in the page's language replaces it.
"""

import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from programmes.content.models import Organisation, Programme, Region
from programmes.content.rich_text import plain_text
from programmes.languages import language_codes, open_graph_locale

from .fallbacks import fallback_fields
from .share_cards import HEIGHT as IMAGE_HEIGHT
from .share_cards import WIDTH as IMAGE_WIDTH
from .share_cards import card_for

SITE_NAME = _("INTERPOL programmes against drug trafficking")

# Index pages: URL name -> (title, description).
LIST_PAGES = {
    "programmes:programme_list": (
        _("Programmes"),
        _(
            "INTERPOL’s programmes against drug trafficking: what each does, its "
            "partners, funders and beneficiary regions."
        ),
    ),
    "programmes:organisation_list": (
        _("Organisations"),
        _(
            "The organisations that run and fund INTERPOL’s programmes against "
            "drug trafficking."
        ),
    ),
    "programmes:region_list": (
        _("Regions"),
        _(
            "The regions that benefit from INTERPOL’s programmes against drug "
            "trafficking."
        ),
    ),
    "programmes:country_list": (
        _("Countries"),
        _(
            "The countries that benefit from INTERPOL’s programmes against drug "
            "trafficking."
        ),
    ),
}

# The home page's description when its summary is not in the page's language.
SITE_DESCRIPTION = LIST_PAGES["programmes:programme_list"][1]

# Characters that could end the <script> element or open an HTML comment,
# escaped as JSON allows (the same as django.utils.html.json_script).
JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data):
    """A <script type="application/ld+json"> element holding `data`.

    django.utils.html.json_script escapes the same way but always writes
    type="application/json", which search engines do not read as JSON-LD.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_LD_ESCAPES)),
    )


def own_text(obj, field_name):
    """The field's text if it is in the page's language, "" for a fallback."""
    return "" if fallback_fields(obj, [field_name]) else getattr(obj, field_name)


@dataclass
class PageMetadata:
    title: str = ""
    description: str = ""
    url: str = ""
    open_graph_type: str = "website"
    structured_data: list = field(default_factory=list)
    # The share card (og:image), absolute, with its text alternative.
    image: str = ""
    image_alt: str = ""
    image_width: int = IMAGE_WIDTH
    image_height: int = IMAGE_HEIGHT

    @property
    def site_name(self):
        return str(SITE_NAME)

    @property
    def locale(self):
        return open_graph_locale(get_language())

    @property
    def alternate_locales(self):
        return [
            open_graph_locale(code)
            for code in language_codes()
            if code != get_language()
        ]


def share_image(absolute, view_name, card, slug=None):
    """The share card's absolute address and its alternative text."""
    kwargs = {"slug": slug} if slug else {}
    address = absolute(reverse(view_name, kwargs=kwargs)) + f"?v={card.fingerprint()}"
    if card.countries:
        alt = gettext("%(title)s, with a map of its beneficiary countries.")
    else:
        alt = gettext("%(title)s.")
    return address, alt % {"title": card.title}


def page_metadata(
    request, url, obj=None, home_page=None, country=None, filters=None, overview=None
):
    """The metadata of the page `request` shows, from its view's context.

    `url` is the page's canonical address, `obj` a detail view's object,
    `home_page` the home page's text, `country` a country page's country and
    `filters` the programme list's ProgrammeFilters, `overview` the home
    page's Overview (its map's countries are on the share card).
    Pages this module does not know (the 404 page, search results) get an
    empty title and description: their templates set them.
    """
    match = request.resolver_match
    view_name = match.view_name if match else ""
    page = PageMetadata(url=url)

    def absolute(path):
        return request.build_absolute_uri(path)

    def breadcrumbs(section_view_name, current_name):
        """BreadcrumbList matching includes/breadcrumbs.html."""
        trail = [(gettext("Home"), absolute(reverse("home")))]
        if section_view_name:
            trail.append(
                (
                    str(LIST_PAGES[section_view_name][0]),
                    absolute(reverse(section_view_name)),
                )
            )
        trail.append((current_name, url))
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": link}
                for position, (name, link) in enumerate(trail, start=1)
            ],
        }

    if isinstance(obj, Programme):
        page.title = obj.title
        page.description = own_text(obj, "summary") or gettext(
            "%(programme)s, one of INTERPOL’s programmes against drug trafficking."
        ) % {"programme": obj.title}
        page.structured_data = [
            programme_data(obj, url, absolute, page.description),
            breadcrumbs("programmes:programme_list", obj.title),
        ]
    elif isinstance(obj, Organisation):
        page.title = str(obj)
        description = plain_text(own_text(obj, "description"))
        page.description = (
            Truncator(" ".join(description.split())).words(40, truncate=" …")
            if description
            else str(obj)
        )
        page.structured_data = [
            organisation_data(obj, url, description),
            breadcrumbs("programmes:organisation_list", obj.short_name),
        ]
    elif isinstance(obj, Region):
        page.title = obj.name
        page.description = gettext(
            "INTERPOL’s programmes against drug trafficking that benefit this "
            "region: %(region)s."
        ) % {"region": obj.name}
        page.structured_data = [breadcrumbs("programmes:region_list", obj.name)]
    elif view_name == "programmes:country_detail" and country is not None:
        page.title = country.name
        page.description = gettext(
            "INTERPOL’s programmes against drug trafficking that benefit this "
            "country: %(country)s."
        ) % {"country": country.name}
        page.structured_data = [breadcrumbs("programmes:country_list", country.name)]
    elif view_name == "programmes:programme_list" and filters and filters.is_active:
        # A filtered list: titled and placed like programme_list.html does.
        title, description = LIST_PAGES[view_name]
        page.title = str(title)
        if filters.parts():
            page.title = gettext("Programmes — %(filters)s") % {
                "filters": filters.description()
            }
        page.description = str(description)
        current = filters.description() or gettext("Filtered list")
        page.structured_data = [breadcrumbs(view_name, current)]
    elif view_name in LIST_PAGES:
        title, description = LIST_PAGES[view_name]
        page.title, page.description = str(title), str(description)
        page.structured_data = [breadcrumbs(None, page.title)]
    elif view_name == "home":
        page.title = home_page.title if home_page else gettext("Programmes")
        if home_page:
            page.description = own_text(home_page, "summary") or str(SITE_DESCRIPTION)
        page.structured_data = [website_data(url, page.description)]
        countries = [str(c.code) for c in overview.map_countries] if overview else []
        page.image, page.image_alt = share_image(
            absolute,
            "programmes:share_card_home",
            card_for(SITE_NAME, home_page=home_page, countries=countries),
        )
    if isinstance(obj, Programme | Organisation | Region) and obj.is_public:
        page.image, page.image_alt = share_image(
            absolute,
            f"programmes:share_card_{obj._meta.model_name}",
            card_for(SITE_NAME, obj),
            slug=obj.slug,
        )
    return page


def website_data(url, description):
    data = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": str(SITE_NAME),
        "url": url,
        "inLanguage": get_language(),
    }
    if description:
        data["description"] = description
    return data


def organisation_reference(organisation, absolute):
    data = {
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute(organisation.get_absolute_url()),
    }
    if organisation.acronym and organisation.acronym != organisation.name:
        data["alternateName"] = organisation.acronym
    return data


def organisation_data(organisation, url, description):
    """An organisation as a schema.org Organization; `description` is plain
    text in the page's language, or empty."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": url,
    }
    if organisation.acronym and organisation.acronym != organisation.name:
        data["alternateName"] = organisation.acronym
    if description:
        data["description"] = description
    if organisation.website:
        data["sameAs"] = organisation.website
    return data


def programme_data(programme, url, absolute, description):
    """A programme as a schema.org Project, described by `description` (the
    page's, in its language).

    Project ("an enterprise, typically collaborative, planned to achieve a
    particular aim") is a subtype of Organization, so it has the properties
    our facts fill: funder, member, foundingDate, areaServed. GovernmentService
    would describe a service one government offers the public, with a provider
    and an audience, which these multi-partner, donor-funded programmes are not.
    The organisations that lead, implement or partner in a programme are its
    members; funders are funders.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "name": programme.name,
        "url": url,
        "description": description,
    }
    if programme.acronym and programme.acronym != programme.name:
        data["alternateName"] = programme.acronym
    if programme.website:
        data["sameAs"] = programme.website
    # A sourced figure only: search engines show it as a fact.
    if programme.start_year and programme.period.is_sourced:
        data["foundingDate"] = str(programme.start_year)
    if members := [
        organisation_reference(p.organisation, absolute) for p in programme.partners
    ]:
        data["member"] = members
    if funders := [
        organisation_reference(p.organisation, absolute) for p in programme.funders
    ]:
        data["funder"] = funders
    areas = [
        {
            "@type": "Place",
            "name": region.name,
            "url": absolute(region.get_absolute_url()),
        }
        for region in programme.benefited_regions
    ] + [
        {
            "@type": "Country",
            "name": country.name,
            "url": absolute(country.url),
        }
        for country in programme.countries_by_name()
    ]
    if areas:
        data["areaServed"] = areas
    return data
