"""An Atom feed per language of the programmes recently published or updated."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html
from django.utils.translation import gettext

from programmes.content.models import Programme

from .fallbacks import fallback_fields, fallback_notice_text
from .metadata import SITE_NAME


class LatestProgrammesFeed(Feed):
    feed_type = Atom1Feed
    limit = 20

    def title(self):
        return str(SITE_NAME)

    def subtitle(self):
        return gettext("Programmes recently published or updated")

    def link(self):
        return reverse("programmes:programme_list")

    def author_name(self):
        # Atom requires an author for the feed or for every entry.
        return str(SITE_NAME)

    def items(self):
        return Programme.objects.published().order_by("-updated_at", "-pk")[
            : self.limit
        ]

    def item_title(self, programme):
        # Atom titles are plain text: no HTML escaping (unlike RSS).
        return programme.title

    def item_description(self, programme):
        # The summary, plain text, not the rich-text description: feed readers
        # show a short text under each title. Written as <summary type="html">:
        # escape the text so that a "<" or "&" in it stays text.
        summary = escape(programme.summary)
        if not fallback_fields(programme, ["summary"]):
            return summary
        # Another language's text, as on the pages: marked, and said so.
        return format_html(
            '<p>{}</p><p lang="{}">{}</p>',
            fallback_notice_text(),
            programme.language_of("summary"),
            summary,
        )

    def item_updateddate(self, programme):
        return programme.updated_at
