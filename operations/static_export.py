"""The public site as static files (manage.py export_site DIR, make export).

Every page is rendered in this process by Django's test client, anonymously,
as a visitor of the public address (--base-url) would get it, never through
the network. The crawl starts from both home pages, the sitemap, robots.txt,
both feeds and the open data (the API's index, its JSON lists and the CSV
files), and follows every link to the same site found in HTML (href, src,
srcset, form actions), in the sitemap, the feeds, the JSON answers and the
stylesheets. It leaves out the admin, the probes, "/" (it negotiates the
language: a static host cannot) and every address with a query string, except
the pages of a paginated list (?page=2).

Where each answer goes, relative to DIR:

- an HTML page at a folder address: /fr/programmes/aircop/ ->
  fr/programmes/aircop/index.html. Static hosts serve index.html for a
  folder, so the site's links stay as they are.
- any other answer at a folder address gets an index file named after its
  type: the feeds (/fr/flux/ -> fr/flux/index.atom) and the API's JSON
  (/api/v1/programmes/ -> api/v1/programmes/index.json). An index.html would
  be served as text/html, so the type is in the file name, which every host
  maps to the right Content-Type (.atom is application/atom+xml in nginx's,
  Apache's and mime-db's tables), and the links to these addresses in the
  exported files are rewritten to the file. A feed reader subscribed to the
  application's /fr/flux/ needs /fr/flux/index.atom on the static site, or a
  rule of the host (nginx: `index index.html index.atom index.json;`).
- page N of a list: /fr/programmes/?page=2 -> fr/programmes/page-2.html (and
  api/v1/organisations/page-2.json), links rewritten: hosts ignore query
  strings. A slug has no dot, so the name never meets a page's folder.
- addresses with a file name keep it: sitemap.xml, robots.txt, the CSV files
  (Debian's nginx has no type for .csv and says text/plain: add
  `types { text/csv csv; }` there), openapi.json, the static files (copied
  from the collected, hashed files, or the finders when they are not
  collected) and the uploaded images and their renditions (read through the
  storage API; with object storage MEDIA_URL is another site, so pages keep
  pointing at it and nothing is copied).
- share cards (og:image): /fr/partage/programme/aircop.png?v=<fingerprint> ->
  fr/partage/programme/aircop.png. The meta keeps its ?v=: a static host
  ignores the query, and the address still changes when the card does, so
  social networks' caches fetch the new card.
- index.html: "/" has no language negotiation on a static host, so it is a
  small page that sends visitors to /fr/ (French is the default language).
- 404.html: the site's 404 page, which static hosts show for any missing
  address, including the pages of archived programmes (the application says
  410).

- Former addresses (programmes/editing/redirects.py): a static host cannot answer
  301, so each former address of a public page is a small page that sends
  the visitor on (meta refresh, a link, the canonical address), whether a
  page links to it or a visitor kept it.

A link to an address the site does not answer with a page or file (a draft,
an archived page, a file that is gone) would be a broken link on the static
host: the export is then refused, listing each with the page it is on,
unless --allow-broken-links.

What needs the application: search (the search page is exported without
results, and the form's query is ignored by a static host), the filters of
the programme list, the API's query parameters (page_size, ...), scheduled
publication (re-export when it falls due), and the admin.

Absolute addresses (canonical and hreflang links, the sitemap, the feeds, the
API's links) are built from --base-url, which must be the root of a site:
links in the pages start with "/".

Memory stays bounded whatever the size of the site: each answer is written to
a staging folder (a temporary folder, outside DIR) as soon as it is rendered,
and only its address and file name stay in memory. Once the crawl is over,
the files are read back one at a time, their links rewritten, and copied into
DIR when they differ from what is there. Progress is printed every
PROGRESS_EVERY files, while rendering and while writing.

Re-running rewrites only what changed: each file is compared with the bytes
on disk first. DIR/.export-manifest.json lists the files the export wrote;
those no longer part of the site (an archived programme's pages) are
removed, and nothing else ever is. A folder that is not empty and has no
manifest is refused.
"""

import html
import json
import logging
import os
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from programmes.languages import text_direction
from programmes.models import SlugRedirect

MANIFEST = ".export-manifest.json"
# File name extension of an answer at a folder address, by Content-Type.
EXTENSIONS = {
    "text/html": ".html",
    "application/atom+xml": ".atom",
    "application/rss+xml": ".rss",
    "application/json": ".json",
    "application/xml": ".xml",
    "text/xml": ".xml",
    "text/csv": ".csv",
    "text/plain": ".txt",
}
# Rendered by the application: everything under a language prefix, the API
# and these files. Any other address (admin, probes, "/") is not exported.
RENDERED_FILES = ("/sitemap.xml", "/robots.txt", "/favicon.ico")
RENDERED_PREFIXES = ("/api/v1/",)
# A section of the sitemap index (/sitemap-programmes.xml); its page N is
# ?p=N, as Django's index names it, and goes to sitemap-programmes-page-N.xml.
SITEMAP_SECTION = re.compile(r"^/sitemap-[a-z]+\.xml$")
# Links in HTML; Django writes every attribute between double quotes.
HTML_LINK = re.compile(r'(?<=\s)(href|src|srcset|action)="([^"]*)"')
# A page's share card; its ?v= query is a fingerprint of what the card shows.
SHARE_CARD = re.compile(r'(<meta property="og:image" content=")([^"]*)(")')
FINGERPRINT = "v"
CSS_URL = re.compile(
    r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]"""
)
# An address no page has, in the default language: its answer is the 404 page.
NOT_FOUND_PAGE = "404/"
PROGRESS_EVERY = 100
BROKEN_LINKS_LISTED = 20


class ExportError(Exception):
    """An export that cannot go on; nothing was written."""


@dataclass
class Resource:
    path: str  # the address's path, as the site serves it
    page: int | None  # ?page=N of a paginated list (None: no query)
    file: str  # where it goes, relative to the export folder
    body: bytes | None  # until SiteExporter.add() stages it on disk
    content_type: str = ""
    rewrite: bool = False  # a text the site rendered: links may be rewritten

    @property
    def public_path(self):
        """The address that serves this file on a static host."""
        if self.page is None and self.file == f"{self.path.lstrip('/')}index.html":
            return self.path
        return "/" + self.file


@dataclass
class Summary:
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    broken_links: list = field(default_factory=list)


def parse_base_url(base_url):
    """(scheme, netloc) of `base_url`, which must be a site's root."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ExportError(
            f"--base-url must be an http:// or https:// address, not {base_url!r}."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ExportError(
            f"--base-url must be the root of a site (such as https://example.org), "
            f"not {base_url!r}: the pages' links start with /."
        )
    return parts.scheme, parts.netloc


def check_folder(directory):
    """The manifest's file list, or [] for a new or empty folder."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file: choose an empty folder.")
    if not directory.exists():
        return []
    manifest = directory / MANIFEST
    if not manifest.is_file():
        if any(directory.iterdir()):
            raise ExportError(
                f"{directory} is not empty and holds no earlier export "
                f"({MANIFEST}): choose an empty folder, or a folder an earlier "
                "export wrote."
            )
        return []
    try:
        files = json.loads(manifest.read_text())["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise ExportError(
            f"{manifest} is not an export manifest ({error}): choose another folder."
        ) from None
    return [name for name in files if isinstance(name, str)]


def check_static_files():
    """Refuse to start when {% static %} would fail on every page."""
    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name and not staticfiles_storage.exists(manifest_name):
        raise ExportError(
            "The static files are not collected: run `manage.py collectstatic` "
            "first (make export does)."
        )


def holds_text(content_type):
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("text/") or kind.endswith(("xml", "json"))


def extension_for(content_type):
    return EXTENSIONS.get(content_type.split(";")[0].strip().lower(), ".html")


def file_for(path, page, content_type):
    """Where the answer at `path` (page `page`) goes, relative to the folder."""
    name = unquote(path).lstrip("/")
    parts = PurePosixPath(name).parts
    if ".." in parts or "\\" in name or "\x00" in name:
        return None
    if path.endswith("/"):
        extension = extension_for(content_type)
        return f"{name}page-{page}{extension}" if page else f"{name}index{extension}"
    if page and SITEMAP_SECTION.match(path):
        return f"{name.removesuffix('.xml')}-page-{page}.xml"
    return None if page else name


def page_parameter(path):
    """The query parameter naming page N of the list at `path`."""
    return "p" if SITEMAP_SECTION.match(path) else "page"


class SiteExporter:
    def __init__(self, base_url, staging, progress=None, note=None):
        self.scheme, self.netloc = parse_base_url(base_url)
        self.staging = Path(staging)  # where each answer goes as it is rendered
        self.base = f"{self.scheme}://{self.netloc}"
        self.progress = progress or (lambda count: None)
        self.note = note or (lambda message: None)
        self.resources = {}  # (path, page) -> Resource
        self.linked_from = {}  # (path, page) -> the first page linking to it
        self.broken_links = []  # what a static host would answer 404 to
        self.former_addresses = set()  # exported when still redirecting
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        self.media_prefix = (
            "/" + settings.MEDIA_URL.lstrip("/")
            if "://" not in settings.MEDIA_URL
            else None
        )

    # --- Addresses --------------------------------------------------------------

    def target(self, link, page_address):
        """(path, page) of an internal `link` found at `page_address`, else None."""
        link = html.unescape(link.strip())
        if not link or link.startswith("#"):
            return None
        parts = urlsplit(urljoin(self.base + page_address, link))
        if (parts.scheme, parts.netloc) != (self.scheme, self.netloc):
            return None
        path = parts.path or "/"
        if not parts.query:
            return path, None
        query = parse_qsl(parts.query, keep_blank_values=True)
        if (
            len(query) == 1
            and query[0][0] == page_parameter(path)
            and query[0][1].isdigit()
        ):
            number = int(query[0][1])
            return path, (number if number > 1 else None)
        return None  # a search, filters: only the application answers them

    def seeds(self):
        paths = [*RENDERED_FILES, reverse("api:index"), reverse("api:openapi")]
        for kind in ("programme", "organisation", "region", "country"):
            paths += [reverse(f"api:{kind}_list"), reverse(f"api:{kind}_csv")]
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                paths += [reverse("home"), reverse("programmes:feed")]
        self.former_addresses = {(path, None) for path in former_addresses()}
        return [(path, None) for path in paths] + sorted(self.former_addresses)

    def is_rendered(self, path):
        return (
            path in RENDERED_FILES
            or SITEMAP_SECTION.match(path) is not None
            or path.startswith(RENDERED_PREFIXES)
            or any(path.startswith(f"/{code}/") for code, _name in settings.LANGUAGES)
        )

    # --- Crawling -----------------------------------------------------------------

    def export(self):
        """Every file of the static site: {relative file name: a function
        returning its bytes}. The bodies wait on disk in the staging folder;
        each is read (and its links rewritten) when its function is called."""
        check_static_files()
        # As the public site answers, whatever this process's settings: no
        # debug pages, the public host allowed, no redirect to https.
        with override_settings(
            DEBUG=False,
            ALLOWED_HOSTS=[urlsplit(self.base).hostname],
            SECURE_SSL_REDIRECT=False,
        ):
            client = Client(HTTP_HOST=self.netloc)
            queue = self.seeds()
            seen = set(queue)
            while queue:
                key = queue.pop(0)
                for found in self.fetch(client, *key):
                    if found not in seen:
                        seen.add(found)
                        queue.append(found)
                        self.linked_from[found] = self.address(*key)
            files = {
                resource.file: (lambda resource=resource: self.final_body(resource))
                for resource in self.resources.values()
            }
            # Expected: not worth the warning django.request logs for a 404.
            request_log = logging.getLogger("django.request")
            request_log.disabled = True
            missing = f"/{settings.LANGUAGE_CODE}/{NOT_FOUND_PAGE}"
            try:
                not_found = self.render(client, missing, expected=404)
            finally:
                request_log.disabled = False
            not_found = self.rewrite_html(not_found.content, missing)
            root = self.root_page()
            files["404.html"] = lambda: not_found
            files["index.html"] = lambda: root
        return files

    @staticmethod
    def address(path, page):
        return f"{path}?{page_parameter(path)}={page}" if page else path

    def dead_end(self, path, page, why):
        if (path, page) in self.former_addresses and (path, page) not in (
            self.linked_from
        ):
            return  # the former address of a page no longer public: no page
        referrer = self.linked_from.get((path, page), "the site's entry points")
        self.broken_links.append(f"{self.address(path, page)} ({why}), on {referrer}")
        self.note(f"Broken link: {self.broken_links[-1]}")

    def fetch(self, client, path, page):
        """Store the answer at (path, page); return the internal links in it."""
        if path.startswith(self.static_prefix):
            return self.copy_file(path, self.static_prefix, self.static_file)
        if self.media_prefix and path.startswith(self.media_prefix):
            return self.copy_file(path, self.media_prefix, self.media_file)
        if not self.is_rendered(path):
            return []
        address = self.address(path, page)
        response = self.render(client, address)
        if response.status_code == 301 and (
            target := self.target(response["Location"], address)
        ):
            file = file_for(path, page, "text/html")
            body = self.moved_page(path, response["Location"])
            self.add(Resource(path, page, file, body, "text/html", rewrite=True))
            return [target]
        if response.status_code != 200:
            self.dead_end(path, page, f"answers {response.status_code}")
            return []
        content_type = response.get("Content-Type", "")
        file = file_for(path, page, content_type)
        if file is None:
            self.dead_end(path, page, "no file name for it")
            return []
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        textual = holds_text(content_type)
        self.add(Resource(path, page, file, body, content_type, rewrite=textual))
        if not textual:
            return []  # an image (the favicon): copied as it is, no links in it
        if content_type.startswith("text/html"):
            text = body.decode()
            links = [
                link
                for attribute, value in HTML_LINK.findall(text)
                for link in (srcset_urls(value) if attribute == "srcset" else [value])
            ]
            links += [
                without_fingerprint(html.unescape(match[1]))[0]
                for match in SHARE_CARD.findall(text)
            ]
        elif content_type.startswith("text/csv"):
            links = []  # links to pages the crawl reaches anyway
        else:
            links = self.absolute_links(body.decode())
        return self.targets(links, address)

    def render(self, client, address, expected=200):
        try:
            response = client.get(address, secure=self.scheme == "https")
        except Exception as error:
            raise ExportError(
                f"{address} failed: {error!r}. Nothing was written."
            ) from error
        if response.status_code >= 500 or (
            expected != 200 and response.status_code != expected
        ):
            raise ExportError(
                f"{address} answered {response.status_code}. Nothing was written."
            )
        return response

    def add(self, resource):
        """Write `resource`'s body to the staging folder, keep the rest."""
        staged = self.staging / resource.file
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(resource.body)
        resource.body = None
        self.resources[(resource.path, resource.page)] = resource
        if len(self.resources) % PROGRESS_EVERY == 0:
            self.progress(len(self.resources))

    def targets(self, links, address):
        found = []
        for link in links:
            if (key := self.target(link, address)) is not None:
                found.append(key)
        return found

    def absolute_links(self, text):
        return re.findall(re.escape(self.base) + r"/[^\s\"'<>\\]*", text)

    def copy_file(self, path, prefix, read):
        name = unquote(path[len(prefix) :])
        file = file_for(path, None, "")
        body = read(name) if file and not path.endswith("/") else None
        if body is None:
            self.dead_end(path, None, "no such file")
            return []
        self.add(Resource(path, None, file, body))
        if name.endswith(".css"):
            links = [a or b for a, b in CSS_URL.findall(body.decode())]
            return self.targets(links, path)
        return []

    def static_file(self, name):
        # The collected (hashed) copy, else the source file (DEBUG, tests).
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
        if source := finders.find(name):
            return Path(source).read_bytes()
        return None

    def media_file(self, name):
        if not default_storage.exists(name):
            return None
        with default_storage.open(name) as file:
            return file.read()

    # --- Rewriting links to renamed files -----------------------------------------

    def replacement(self, link, address):
        """The link to write instead of `link`, or None to keep it."""
        key = self.target(link, address)
        resource = self.resources.get(key) if key else None
        if resource is None:
            return None
        parts = urlsplit(html.unescape(link.strip()))
        if resource.public_path == key[0] and not parts.query:
            return None  # the host serves the file at this address
        new = resource.public_path
        if parts.scheme:
            new = self.base + new
        if parts.fragment:
            new = f"{new}#{parts.fragment}"
        return new

    def rewrite_html(self, body, address):
        def attribute(match):
            name, value = match.groups()
            if name == "srcset":
                return match.group(0)  # images are never renamed
            new = self.replacement(value, address)
            return match.group(0) if new is None else f'{name}="{html.escape(new)}"'

        def share_card(match):
            start, value, end = match.groups()
            link, query = without_fingerprint(html.unescape(value))
            new = self.replacement(link, address)
            if new is None:
                return match.group(0)
            return f"{start}{html.escape(new + query)}{end}"

        text = HTML_LINK.sub(attribute, body.decode())
        return SHARE_CARD.sub(share_card, text).encode()

    def rewrite_text(self, body, address):
        def link(match):
            new = self.replacement(match.group(0), address)
            return match.group(0) if new is None else new

        pattern = re.escape(self.base) + r"/[^\s\"'<>\\]*"
        return re.sub(pattern, link, body.decode()).encode()

    def final_body(self, resource):
        """`resource`'s staged body, links rewritten to the renamed files."""
        body = (self.staging / resource.file).read_bytes()
        if not resource.rewrite or resource.content_type.startswith("text/csv"):
            return body
        address = self.address(resource.path, resource.page)
        if resource.content_type.startswith("text/html"):
            return self.rewrite_html(body, address)
        return self.rewrite_text(body, address)

    # --- The root page ------------------------------------------------------------

    def root_page(self):
        languages = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                languages.append(
                    {
                        "code": code,
                        "name": translation.get_language_info(code)["name_local"],
                        "dir": text_direction(code),
                        "path": reverse("home"),
                    }
                )
        default = next(
            language
            for language in languages
            if language["code"] == settings.LANGUAGE_CODE
        )
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string(
                "programmes/export_root.html",
                {
                    "languages": languages,
                    "default": default,
                    "canonical": self.base + default["path"],
                },
            ).encode()

    def moved_page(self, path, location):
        """The page at a former address, sending visitors to `location`."""
        language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        location = urljoin(path, location)
        with translation.override(language):
            return render_to_string(
                "programmes/export_moved.html",
                {"location": location, "canonical": self.base + location},
            ).encode()


def former_addresses():
    """The former addresses of pages (SlugRedirect), in their language."""
    addresses = []
    for redirect in SlugRedirect.objects.select_related("content_type").order_by("pk"):
        with translation.override(redirect.language):
            addresses.append(
                reverse(
                    f"programmes:{redirect.content_type.model}_detail",
                    kwargs={"slug": redirect.old_slug},
                )
            )
    return addresses


def without_fingerprint(link):
    """(`link` without its ?v= fingerprint, the "?v=..." taken off or "")."""
    parts = urlsplit(link)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if len(query) != 1 or query[0][0] != FINGERPRINT:
        return link, ""
    return parts._replace(query="").geturl(), f"?{parts.query}"


def srcset_urls(value):
    # "a.jpg 320w, b.jpg 640w": each candidate is an address and a descriptor.
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


# --- Writing ------------------------------------------------------------------------


def inside(directory, name):
    """The path of `name` in `directory`, or None if it would leave it."""
    path = (directory / name).resolve()
    return path if path.is_relative_to(directory.resolve()) else None


def write_atomically(path, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside, then renamed: a host serving the folder never sends half
    # a file.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_bytes(body)
    os.replace(temporary, path)


def write_manifest(directory, names):
    body = json.dumps({"files": sorted(names)}, indent=1).encode() + b"\n"
    manifest = directory / MANIFEST
    if not manifest.exists() or manifest.read_bytes() != body:
        write_atomically(manifest, body)


def write_export(directory, files, previous, dry_run=False, report=None, progress=None):
    """Write `files` ({name: function returning the bytes}) into `directory`,
    changed ones only, one at a time; remove stale ones."""
    report = report or (lambda message: None)
    progress = progress or (lambda count, total: None)
    directory = Path(directory)
    summary = Summary(files=len(files))
    stale = sorted(set(previous) - set(files))
    if not dry_run:
        directory.mkdir(parents=True, exist_ok=True)
        # Listed first, so that files written by an interrupted run are
        # still known (and removed when no longer part of the site).
        write_manifest(directory, set(previous) | set(files))
    for number, (name, read) in enumerate(sorted(files.items()), start=1):
        if number % PROGRESS_EVERY == 0:
            progress(number, len(files))
        path = inside(directory, name)
        if path is None:
            raise ExportError(f"{name} would be written outside {directory}.")
        body = read()
        if path.is_file() and path.read_bytes() == body:
            summary.unchanged += 1
            continue
        summary.written += 1
        report(f"Writing {name}")
        if not dry_run:
            write_atomically(path, body)
    for name in stale:
        path = inside(directory, name)
        if path is None or not path.is_file():
            continue
        summary.removed += 1
        report(f"Removing {name}")
        if not dry_run:
            path.unlink()
            remove_empty_folders(directory, path.parent)
    if not dry_run:
        write_manifest(directory, files)
    return summary


def remove_empty_folders(directory, folder):
    root = directory.resolve()
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


class BrokenLinks(ExportError):
    def __init__(self, links):
        self.links = links
        listed = "\n".join(f"  {link}" for link in links[:BROKEN_LINKS_LISTED])
        more = len(links) - BROKEN_LINKS_LISTED
        super().__init__(
            f"{len(links)} internal links lead to no page or file of the site:\n"
            f"{listed}\n" + (f"  … and {more} more\n" if more > 0 else "") + "Mend "
            "them in the admin (a former address, a draft or archived page, a "
            "file that is gone) and export again, or pass --allow-broken-links. "
            "Nothing was written."
        )


def export_site(
    directory,
    base_url,
    dry_run=False,
    allow_broken_links=False,
    progress=None,
    note=None,
):
    """Export the public site into `directory`; returns a Summary.

    A site whose pages link to addresses a static host could not answer is
    refused (BrokenLinks), unless `allow_broken_links`.
    """
    started = time.monotonic()
    previous = check_folder(directory)
    progress = progress or (lambda count, total=None: None)
    with tempfile.TemporaryDirectory(prefix="export-site-") as staging:
        exporter = SiteExporter(base_url, staging, progress=progress, note=note)
        files = exporter.export()
        if exporter.broken_links and not allow_broken_links:
            raise BrokenLinks(exporter.broken_links)
        summary = write_export(
            directory, files, previous, dry_run, report=note, progress=progress
        )
    summary.broken_links = exporter.broken_links
    summary.seconds = time.monotonic() - started
    return summary
