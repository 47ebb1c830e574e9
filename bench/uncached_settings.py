"""The site without its page cache: what every page costs to render (make bench).

The same settings, minus interpol_drugs.page_cache.PageCacheMiddleware, so that
each request runs the view, its queries and its templates.
"""

from interpol_drugs.settings import *  # noqa: F403

MIDDLEWARE = [
    name
    for name in MIDDLEWARE  # noqa: F405
    if name != "interpol_drugs.page_cache.PageCacheMiddleware"
]
