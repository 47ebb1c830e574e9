"""The pictograms an editor can give a programme.

Each is an icon of the Lucide set, vendored unchanged in static/vendor/lucide/
(with its licence): the page inlines the file (programmes/public/pictograms.py)
and the share card draws its paths (programmes/public/share_cards.py).
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class Pictogram(models.TextChoices):
    NETWORK = "network", pgettext_lazy("pictogram", "network")
    ROUTE = "route", pgettext_lazy("pictogram", "route")
    PLANE = "plane", pgettext_lazy("pictogram", "plane")
    FLASK = "flask-conical", pgettext_lazy("pictogram", "laboratory flask")
    GLOBE = "globe", pgettext_lazy("pictogram", "globe")


ICON_DIRECTORY = "vendor/lucide"  # under static/
