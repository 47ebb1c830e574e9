"""An Atom feed per language of the programmes recently published or updated."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language, gettext

from programmes.content.facts import newest_results_annotations, newest_results_of
from programmes.content.models import Programme
from programmes.languages import other_language_attributes

from .fallbacks import (
    fallback_fields,
    fallback_notice_attributes,
    fallback_notice_text,
)
from .metadata import SITE_NAME


def lang_if_other(record, field):
    """`lang` (and `dir`) when the field's text is another language's."""
    code = record.language_of(field)
    return other_language_attributes(code) if code != get_language() else ""


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
        # The newest results come in the same query (JSON subqueries).
        return (
            Programme.objects.published()
            .annotate(**newest_results_annotations())
            .order_by("-updated_at", "-pk")[: self.limit]
        )

    def item_title(self, programme):
        # Atom titles are plain text: no HTML escaping (unlike RSS).
        return programme.title

    def item_description(self, programme):
        # The summary, plain text, not the rich-text description: feed readers
        # show a short text under each title. Written as <summary type="html">:
        # escape the text so that a "<" or "&" in it stays text.
        summary = escape(programme.summary)
        if fallback_fields(programme, ["summary"]):
            # Another language's text, as on the pages: marked, and said so.
            summary = format_html(
                "<p{}>{}</p><p{}>{}</p>",
                fallback_notice_attributes(),
                fallback_notice_text(),
                other_language_attributes(programme.language_of("summary")),
                summary,
            )
        return summary + self.results_html(programme)

    def results_html(self, programme):
        """The programme's newest results and operations, dated, each with a
        link to its source."""
        results = newest_results_of(programme)
        if not results:
            return ""
        items = format_html_join(
            "",
            "<li><p><strong{}>{}</strong> ({})</p><p{}>{}</p>{}</li>",
            (
                (
                    lang_if_other(result, "title"),
                    result.title,
                    result.date_display(),
                    lang_if_other(result, "summary"),
                    result.summary,
                    format_html(
                        '<p><a href="{}">{}</a></p>',
                        result.source_url,
                        gettext("Source"),
                    )
                    if result.source_url
                    else "",
                )
                for result in results
            ),
        )
        return format_html(
            "<h2>{}</h2><ul>{}</ul>", gettext("Results and operations"), items
        )

    def item_updateddate(self, programme):
        return programme.updated_at
