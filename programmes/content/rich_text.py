"""Rich text for descriptions: a small allow-list of HTML, sanitised by nh3.

Editors and translators write descriptions in the admin's textarea:
paragraphs separated by a blank line, as before, plus a few tags where they
want them (headings, lists, links, emphasis, abbreviations). The seed content
(programmes/content/site.toml) is plain text and stays so.

Where the text goes:

- On save (TranslatableModel.save), text holding markup is sanitised; text
  without any tag is stored as typed. load_content therefore stores the
  content file's text unchanged, and its "changed since loaded" check and
  the tests comparing seed sentences character for character keep working.
  The renderer handles both forms, so nothing needs converting.
- On render ({{ value|rich_text }}), the text is sanitised again, so that a
  row written to the database some other way is still safe: plain text is
  escaped, then every run of lines between blank lines that is not already a
  block (heading, list, paragraph) becomes a paragraph.
- Everything that is not a page (meta descriptions, JSON-LD, search, the
  API's `description`, CSV) uses plain_text(): the text without markup,
  paragraphs still separated by a blank line.
"""

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe

# h1 is the page's name: descriptions start at h2.
BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li"}
INLINE_TAGS = {"a", "strong", "em", "abbr", "br"}
ALLOWED_TAGS = BLOCK_TAGS | INLINE_TAGS
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
# Relative links (/fr/programmes/…, #section) are kept as written.
URL_SCHEMES = {"http", "https", "mailto"}

# rel="noopener" on links to other sites only: nh3's link_rel would put it on
# every link, internal ones included. Not "noreferrer": the site's
# Referrer-Policy (strict-origin-when-cross-origin) already sends other sites
# the origin only, as for every other external link of the site.
EXTERNAL_REL = "noopener"

CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)

# Something a browser would read as a tag or a comment. Text without one is
# plain text, escaped as a whole: "a < b" or "R&D" stay as typed.
MARKUP = re.compile(r"<[a-zA-Z/!?]")
BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
BLOCK_NAMES = "|".join(sorted(BLOCK_TAGS))
STARTS_WITH_BLOCK = re.compile(rf"<(?:{BLOCK_NAMES})\b", re.IGNORECASE)
# nh3's output escapes `"`, `<` and `>` inside attribute values, so an <a ...>
# tag of its output is matched exactly by this pattern.
LINK_TAG = re.compile(r'<a((?:\s+[a-z-]+="[^"]*")*)>')
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# Left where a paragraph held only removed markup (a <script>, an <img>).
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|<br>)*</p>\n?")


def has_markup(text):
    return bool(text) and MARKUP.search(text) is not None


def is_external(url):
    url = html.unescape(url)
    return url.startswith("//") or urlsplit(url).scheme in {"http", "https"}


def add_external_rel(match):
    attributes = match.group(1)
    href = dict(ATTRIBUTE.findall(attributes)).get("href")
    if href is not None and is_external(href):
        return f'<a{attributes} rel="{EXTERNAL_REL}">'
    return match.group(0)


def sanitise(text):
    """`text` as safe HTML: only the allowed tags, attributes and URL schemes."""
    return LINK_TAG.sub(add_external_rel, CLEANER.clean(text))


def clean_for_storage(text):
    """What a rich-text field stores: sanitised HTML, or plain text unchanged."""
    if not has_markup(text):
        return text
    # Without rel: the renderer adds it, and translators see less markup.
    cleaned = CLEANER.clean(text)
    # Markup without text ("<p></p>", a lone <script>) is no description.
    return cleaned.strip() if plain_text(cleaned).strip() else ""


def paragraphs(text):
    """HTML with each run of lines that is not already a block wrapped in <p>."""
    blocks = []
    for chunk in BLANK_LINE.split(text.replace("\r\n", "\n").strip()):
        if not chunk.strip():
            continue
        if STARTS_WITH_BLOCK.match(chunk):
            blocks.append(chunk)
        else:
            # A single line break stays one, as Django's linebreaks filter does.
            lines = "<br>\n".join(chunk.split("\n"))
            blocks.append(f"<p>{lines}</p>")
    return "\n".join(blocks)


def render(text):
    """Safe HTML for a page, from plain text or rich text."""
    if not text:
        return mark_safe("")
    source = text if has_markup(text) else escape(text)
    # Sanitised last: paragraphs() may have cut an element in two, and the
    # HTML parser inside nh3 closes and reopens it properly.
    html_text = EMPTY_PARAGRAPH.sub("", sanitise(paragraphs(source)))
    return mark_safe(html_text)  # nh3's output, less empty paragraphs


HTML_WHITESPACE = re.compile(r"[ \t\n\f\r]+")


class TextExtractor(HTMLParser):
    """The text of sanitised HTML, a blank line between blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current = [], []

    def end_block(self):
        # HTML's white space only: a non-breaking space (French « », ; : ? !)
        # is a character of the text, as on the page.
        text = HTML_WHITESPACE.sub(" ", "".join(self.current)).strip(" ")
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.end_block()
        elif tag == "br":
            self.current.append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.end_block()

    def handle_data(self, data):
        self.current.append(data)


def plain_text(text):
    """The text without markup, for meta descriptions, search, API and CSV.

    Plain text comes back unchanged; rich text loses its tags, keeping its
    paragraphs, headings and list items apart with a blank line.
    """
    if not has_markup(text):
        return text or ""
    # Blank lines first, as the page shows them: each one separates paragraphs.
    extractor = TextExtractor()
    extractor.feed(sanitise(paragraphs(text)))
    extractor.close()
    extractor.end_block()
    return "\n\n".join(extractor.blocks)
