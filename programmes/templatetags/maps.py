"""{% world_map countries title %}: the map of beneficiary countries."""

from django import template
from django.utils.translation import get_language, ngettext

from programmes.countries import country_url
from programmes.public.maps import has_shape, world_map_svg

register = template.Library()


@register.inclusion_tag("includes/world_map.html")
def world_map(countries, title, with_list=False, levels=None, zoom=False, members=()):
    """The map with `countries` (Country objects or codes) highlighted and linked.

    `with_list` adds the linked list of the countries (Country objects then)
    after the map, for pages that do not list them already: the map's text
    equivalent. Countries with no shape in the geometry are listed, not drawn.
    `members` (a region's country codes) frames the map on them and shades
    those that are not links.
    """
    codes = [str(getattr(country, "code", country)) for country in countries]
    urls = {code: country_url(code) for code in codes if has_shape(code)}
    if not urls:
        return {"svg": ""}
    count = len(urls)
    if members:
        description = ngettext(
            "Map of the region. Its countries are shaded; the highlighted one "
            "is a link to its page, and the list after the map gives it too.",
            "Map of the region. Its countries are shaded; the %(count)s "
            "highlighted ones are links to their pages, and the list after the "
            "map gives them too.",
            count,
        ) % {"count": count}
    else:
        description = ngettext(
            "World map. The highlighted country is a link to its page; "
            "the list after the map gives it too.",
            "World map. The %(count)s highlighted countries are links to their "
            "pages; the list after the map gives them too.",
            count,
        ) % {"count": count}
    return {
        "svg": world_map_svg(
            urls,
            get_language(),
            title,
            description,
            levels=levels,
            zoom=zoom,
            members=members,
        ),
        "links": (
            [(country.name, country_url(country.code)) for country in countries]
            if with_list
            else []
        ),
    }
