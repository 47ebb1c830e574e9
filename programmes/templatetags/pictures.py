"""The <picture> element for a programme's image or an organisation's logo."""

from django import template

from programmes.editing.images.renditions import Picture

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(obj, sizes, loading="lazy", css_class=""):
    """WebP and fallback renditions, sized to avoid layout shift.

    `loading` is "eager" for an image at the top of the page (the programme's
    hero), "lazy" below the fold. Nothing is rendered without an image.
    """
    image = Picture(obj)
    if not image:
        return {"image": None}
    fallback = image.renditions["fallback"]
    width = fallback[-1][0]
    return {
        "image": image,
        "src": image.largest(),
        "webp_srcset": image.srcset("webp"),
        "srcset": image.srcset("fallback"),
        "sizes": sizes,
        "width": width,
        "height": max(1, round(image.height * width / image.width)),
        "alt": image.alt,
        "alt_language": image.alt_language,
        "loading": "eager" if loading == "eager" else "lazy",
        "css_class": css_class,
    }
