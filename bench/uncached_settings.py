"""The site without its page cache: what every page costs to render (make bench).

The same settings, minus the page cache's two middlewares
(interpol_drugs/page_cache.py), so that each request runs the view, its
queries and its templates.
"""

from interpol_drugs.settings import *  # noqa: F403

MIDDLEWARE = [
    name
    for name in MIDDLEWARE  # noqa: F405
    if not name.startswith("interpol_drugs.page_cache.")
]
