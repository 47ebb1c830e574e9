"""The admin's rich-text textarea: help listing the markup, and a small toolbar.

The toolbar (static/admin-site/rich-text.js) only types tags into the
textarea: without JavaScript the textarea works the same, and what is saved is
sanitised by the model either way (programmes/content/rich_text.py).
"""

import json

from django.contrib.admin.widgets import AdminTextareaWidget
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

RICH_TEXT_HELP = _(
    "Separate paragraphs with a blank line. You may also use these tags: "
    "<h2> and <h3> for headings, <strong> and <em> for emphasis, <ul> or <ol> "
    'with one <li> per item for lists, <a href="https://…"> for links, '
    '<abbr title="…"> for abbreviations. Any other markup is removed on saving.'
)

TOOLBAR_LABELS = {
    "toolbar": _("Formatting"),
    "bold": _("Bold"),
    "italic": _("Italic"),
    "heading": _("Heading"),
    "subheading": _("Subheading"),
    "list": _("Bulleted list"),
    "link": _("Link"),
    "linkPrompt": _("Address of the link (https://…, or /fr/… on this site):"),
}


class RichTextarea(AdminTextareaWidget):
    """A textarea that rich-text.js gives a formatting toolbar."""

    class Media:
        js = ["admin-site/rich-text.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Translated when the form is shown, in the editor's language.
        labels = {key: str(label) for key, label in TOOLBAR_LABELS.items()}
        context["widget"]["attrs"]["data-rich-text"] = json.dumps(labels)
        return context


class RichTextAdminMixin:
    """For a ModelAdmin of a model with `rich_text_fields`: toolbar and help.

    Goes before modeltranslation's admin class, which copies the widget of
    `description` to description_fr, description_en...
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        original = getattr(db_field, "translated_field", db_field)
        if original.name in getattr(self.model, "rich_text_fields", ()):
            kwargs["widget"] = RichTextarea
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
            # The admin prints help text as HTML: the tags it names are escaped.
            field.help_text = escape(gettext(RICH_TEXT_HELP))
            return field
        return super().formfield_for_dbfield(db_field, request, **kwargs)
