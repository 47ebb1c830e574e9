"""manage.py export_site: the public site as static files (static_export.py)."""

import json
import re
import shutil
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings

from operations.static_export import MANIFEST, SiteExporter
from programmes.models import Programme
from programmes.public.sitemaps import ProgrammeSitemap

from .factories import make_programme
from .helpers import checker_or_skip, nu_html_messages, with_image

# Slow (writes the whole site to files, runs the Nu HTML Checker): make
# test-fast leaves it out.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

BASE = "https://drugs.example.org"


def export(directory, *args, base_url=BASE):
    out = StringIO()
    call_command(
        "export_site",
        str(directory),
        "--base-url",
        base_url,
        *args,
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def files_of(directory):
    return {
        path.relative_to(directory).as_posix(): path
        for path in Path(directory).rglob("*")
        if path.is_file()
    }


def mtimes(directory):
    return {name: path.stat().st_mtime_ns for name, path in files_of(directory).items()}


@pytest.fixture
def out(tmp_path):
    """The export folder (tmp_path holds the test's media and static files)."""
    return tmp_path / "site"


@pytest.fixture(scope="module")
def seed_export(module_content, django_db_blocker, tmp_path_factory):
    """The content exported once for the module (a site is some 270 files):
    tests that only read an export of the unchanged content read this one;
    those that change the folder work on a copy (seed_export_in)."""
    root = tmp_path_factory.mktemp("seed-export")
    (root / "static").mkdir()
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=root / "media",
            STATIC_ROOT=root / "static",
            STORAGES={
                **settings.STORAGES,
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            },
            PAGE_CACHE_VERSION_FILE=root / "page-cache-version",
        ),
    ):
        cache.clear()
        export(root / "site")
    return root / "site"


@pytest.fixture
def seed_export_in(seed_export, out):
    """`out`, holding a copy of the seed export (files' times included), as
    the last run left it."""
    shutil.copytree(seed_export, out)
    return out


# --- An independent reading of the exported files -------------------------------


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "srcset":
                self.links += [c.split()[0] for c in value.split(",") if c.strip()]
        if tag == "meta" and attributes.get("property") == "og:image":
            # The ?v= fingerprint only tells caches the card changed: a
            # static host ignores it and serves the file.
            self.links.append(attributes["content"].split("?v=")[0])


def html_links(path):
    parser = LinkParser()
    parser.feed(path.read_text())
    return parser.links


def xml_links(path):
    links = []
    for element in ElementTree.parse(path).iter():
        if element.tag.endswith("}loc"):
            links.append(element.text.strip())
        if "href" in element.attrib:
            links.append(element.attrib["href"])
    return links


def json_links(value):
    if isinstance(value, dict):
        return [link for item in value.values() for link in json_links(item)]
    if isinstance(value, list):
        return [link for item in value for link in json_links(item)]
    return [value] if isinstance(value, str) and value.startswith(BASE) else []


def css_links(path):
    """url(...) in a stylesheet, data: addresses aside."""
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", path.read_text())
    return [link for link in found if not link.startswith("data:")]


def address_of(name):
    """The address a static host serves the exported file `name` at."""
    if name == "index.html" or name.endswith("/index.html"):
        return "/" + name.removesuffix("index.html")
    return "/" + name


def broken_links(directory):
    """[(file, link)] for every internal link that leads to no exported file."""
    broken = []
    checked = 0
    for name, path in files_of(directory).items():
        if name.endswith(".html"):
            links = html_links(path)
        elif name.endswith((".xml", ".atom")):
            links = xml_links(path)
        elif name.endswith(".json") and not name.endswith("openapi.json"):
            links = json_links(json.loads(path.read_text()))
        elif name == "robots.txt":
            links = re.findall(r"^Sitemap: (\S+)", path.read_text(), re.MULTILINE)
        elif name.endswith(".css"):
            links = css_links(path)
        else:
            continue
        for link in links:
            parts = urlsplit(urljoin(BASE + address_of(name), link))
            if f"{parts.scheme}://{parts.netloc}" != BASE:
                continue  # another site
            checked += 1
            target = unquote(parts.path).lstrip("/")
            if not target or target.endswith("/"):
                target += "index.html"
            # A static host ignores query strings: pages must not need one.
            if parts.query or not (Path(directory) / target).is_file():
                broken.append((name, link))
    assert checked > 1000  # the crawl above did read the links
    return broken


def test_the_link_check_reads_stylesheets(out):
    (out / "static").mkdir(parents=True)
    (out / "static/site.css").write_text(
        'a { background: url("gone.svg") } b { background: url(data:x) }'
    )
    (out / "index.html").write_text(
        "".join(f'<a href="/index.html?{n}">.</a>' for n in range(1001))
    )
    from_stylesheet = [link for name, link in broken_links(out) if name.endswith("css")]
    assert from_stylesheet == ["gone.svg"]


# --- The whole site, every link resolving ---------------------------------------


def test_every_internal_link_resolves_to_an_exported_file(content, tmp_path, settings):
    aircop = with_image(Programme.objects.get(slug_fr="aircop"))
    output = export(tmp_path / "site")
    files = files_of(tmp_path / "site")

    assert broken_links(tmp_path / "site") == []
    # Both languages, the data, the feeds, the static and uploaded files.
    for name in (
        "index.html",
        "404.html",
        "fr/index.html",
        "en/index.html",
        "fr/programmes/aircop/index.html",
        f"en/programmes/{aircop.slug_en}/index.html",
        "fr/flux/index.atom",
        "en/feed/index.atom",
        "sitemap.xml",
        "sitemap-programmes.xml",
        "robots.txt",
        "api/v1/programmes.csv",
        "api/v1/organisations.csv",
        "api/v1/programmes/index.json",
        "api/v1/openapi.json",
    ):
        assert name in files, name
    assert any(re.fullmatch(r"static/css/site(\.\w+)?\.css", name) for name in files)
    image_files = [name for name in files if name.startswith("media/")]
    assert len(image_files) >= 2  # renditions, each named in the page's srcset
    page = files["fr/programmes/aircop/index.html"].read_text()
    assert all(f"/{name}" in page for name in image_files if "webp" in name)
    assert files["api/v1/programmes.csv"].read_text().count("\n") >= 4
    # Nothing of the application's back office.
    assert not any(name.startswith(("admin/", "healthz", "readyz")) for name in files)
    assert re.search(r"Exported \d+ files to .* \(\d+ written, 0 unchanged", output)


def test_with_hashed_static_files_every_link_resolves_too(
    content,
    out,
    production_static,
):
    # As make export runs: collected files with hashed names, as in production.
    export(out)

    assert broken_links(out) == []
    stylesheets = [name for name in files_of(out) if name.endswith(".css")]
    assert any(
        re.fullmatch(r"static/css/site\.[0-9a-f]{12}\.css", n) for n in stylesheets
    )


def test_pages_name_their_language_and_the_public_address(content, seed_export):
    out = seed_export
    for language, name in (
        ("fr", "fr/programmes/aircop/index.html"),
        ("en", "en/organisations/unodc/index.html"),
    ):
        page = (out / name).read_text()
        parser = LinkParser()
        parser.feed(page)
        assert parser.lang == language
        address = "/" + name.removesuffix("index.html")
        assert f'<link rel="canonical" href="{BASE}{address}">' in page
    index = (out / "sitemap.xml").read_text()
    assert f"<loc>{BASE}/sitemap-programmes.xml</loc>" in index
    sitemap = (out / "sitemap-programmes.xml").read_text()
    assert f"<loc>{BASE}/fr/programmes/aircop/</loc>" in sitemap
    assert "testserver" not in index + sitemap
    # "/" cannot negotiate a language on a static host: it opens French.
    root = (out / "index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=/fr/">' in root
    assert 'href="/en/"' in root


def test_share_cards_are_exported_and_keep_their_fingerprint(content, seed_export):
    out = seed_export
    for name, card in (
        ("fr/programmes/aircop/index.html", "fr/partage/programme/aircop.png"),
        ("en/index.html", "en/share/home.png"),
        ("en/regions/caribbean/index.html", "en/share/region/caribbean.png"),
    ):
        image = re.search(
            r'<meta property="og:image" content="([^"]*)">', (out / name).read_text()
        )[1]
        # The exported file's public address, with the page's ?v=<fingerprint>.
        assert re.fullmatch(re.escape(f"{BASE}/{card}") + r"\?v=[0-9a-f]+", image)
        assert (out / card).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_feeds_and_json_are_files_with_their_type_and_links_lead_to_them(
    content, seed_export
):
    out = seed_export
    home = (out / "fr/index.html").read_text()
    # A folder's index.html would be served as HTML: the feed is an .atom file.
    assert 'type="application/atom+xml"' in home
    assert 'href="/fr/flux/index.atom"' in home
    assert not (out / "fr/flux/index.html").exists()
    feed = (out / "en/feed/index.atom").read_text()
    assert f'<link href="{BASE}/en/feed/index.atom" rel="self"/>' in feed
    programmes = (out / "fr/programmes/index.html").read_text()
    assert 'href="/api/v1/programmes/index.json"' in programmes
    assert 'href="/api/v1/programmes.csv"' in programmes
    api = json.loads((out / "api/v1/index.json").read_text())
    assert api["programmes"] == f"{BASE}/api/v1/programmes/index.json"


def test_the_pages_of_a_long_list_are_files(content, out):
    for _number in range(21):
        make_programme()
    export(out)
    first = (out / "fr/programmes/index.html").read_text()
    assert 'href="/fr/programmes/page-2.html" rel="next"' in first
    second = (out / "fr/programmes/page-2.html").read_text()
    assert 'href="/fr/programmes/" rel="prev"' in second
    assert "programme-fr-" in second
    assert (out / "api/v1/programmes/page-2.json").is_file()
    assert broken_links(out) == []


def test_the_pages_of_a_sitemap_section_are_files(content, out, monkeypatch):
    monkeypatch.setattr(ProgrammeSitemap, "limit", 2)
    export(out)
    index = (out / "sitemap.xml").read_text()
    # ?p=2 means nothing to a static host: the index names the page's file.
    assert f"<loc>{BASE}/sitemap-programmes-page-2.xml</loc>" in index
    assert "?p=" not in index
    pages = sorted(out.glob("sitemap-programmes*.xml"))
    count = Programme.objects.published().count()
    assert len(pages) == count  # 2 languages, 2 addresses a page
    listed = "".join(page.read_text() for page in pages)
    assert listed.count("<url>") == 2 * count


def test_each_answer_goes_to_disk_as_it_is_rendered(content, out, monkeypatch):
    """Bounded memory: no body is kept in memory once rendered; each waits in
    the staging folder (outside the export folder) until the crawl ends."""
    seen = []  # (files staged, bodies in memory) before each render
    render = SiteExporter.render

    def watched(self, client, address, expected=200):
        staged = sum(1 for path in self.staging.rglob("*") if path.is_file())
        in_memory = sum(r.body is not None for r in self.resources.values())
        seen.append((staged, in_memory, out.exists()))
        return render(self, client, address, expected)

    monkeypatch.setattr(SiteExporter, "render", watched)
    output = export(out)

    staged = [count for count, _in_memory, _written in seen]
    assert staged == sorted(staged) and staged[-1] >= len(seen) - 2
    assert {in_memory for _staged, in_memory, _written in seen} == {0}
    # Nothing in the export folder until every page rendered (a refused export
    # writes nothing).
    assert not any(written for _staged, _in_memory, written in seen)
    assert re.search(r"Rendered 100 pages and files…", output)
    assert re.search(r"Wrote 100 of \d+ files…", output)
    assert broken_links(out) == []


# --- Re-running -----------------------------------------------------------------


def test_a_second_run_without_changes_writes_nothing(content, seed_export_in):
    out = seed_export_in
    before = mtimes(out)
    output = export(out)
    assert mtimes(out) == before
    assert re.search(r"\(0 written, \d+ unchanged, 0 removed\)", output)


def test_an_edit_rewrites_the_pages_that_show_it_only(content, seed_export_in):
    out = seed_export_in
    before = {name: path.read_bytes() for name, path in files_of(out).items()}
    before_times = mtimes(out)
    aircop = Programme.objects.get(slug_fr="aircop")
    aircop.summary_en = "Airports share what they find, at once."
    aircop.save()

    output = export(out)
    after = files_of(out)
    changed = {
        name for name, path in after.items() if path.read_bytes() != before[name]
    }
    touched = {name for name, time in mtimes(out).items() if time != before_times[name]}

    assert f"en/programmes/{aircop.slug_en}/index.html" in changed
    assert "en/feed/index.atom" in changed
    assert "api/v1/programmes.csv" in changed
    # Pages that do not show the programme's summary are left alone.
    for name in ("fr/regions/index.html", "en/organisations/index.html", "404.html"):
        assert name not in touched, name
    assert touched == changed  # what did not change was not rewritten
    assert len(changed) < len(after) / 4
    assert f"({len(changed)} written," in output


def test_an_archived_programme_is_removed_and_other_files_are_kept(
    content, seed_export_in
):
    out = seed_export_in
    aircop = Programme.objects.get(slug_fr="aircop")
    page = out / "fr/programmes/aircop/index.html"
    assert page.is_file()
    # Files someone else put in the folder: never the export's to remove.
    (out / "fr/programmes/aircop/notes.txt").write_text("mine")
    (out / "CNAME").write_text("drugs.example.org")
    aircop.status = "archived"
    aircop.save()

    output = export(out)

    assert not page.exists()
    assert not (out / f"en/programmes/{aircop.slug_en}").exists()
    assert not (out / f"api/v1/programmes/{aircop.pk}/index.json").exists()
    assert (out / "fr/programmes/aircop/notes.txt").read_text() == "mine"
    assert (out / "CNAME").read_text() == "drugs.example.org"
    assert re.search(r"\d+ written, \d+ unchanged, [1-9]\d* removed", output)
    assert broken_links(out) == []
    manifest = json.loads((out / MANIFEST).read_text())["files"]
    assert "fr/programmes/aircop/index.html" not in manifest
    assert "CNAME" not in manifest


def test_dry_run_changes_nothing(content, tmp_path):
    output = export(tmp_path / "site", "--dry-run")
    assert not (tmp_path / "site").exists()
    assert re.search(r"Would export \d+ files", output)


# --- Refusals -------------------------------------------------------------------


def test_former_addresses_are_pages_that_send_visitors_on(content, out):
    aircop = Programme.objects.get(slug_fr="aircop")
    aircop.slug_fr = "aircop-aeroports"
    aircop.description_en += '<p>Also <a href="/fr/programmes/aircop/">here</a>.</p>'
    aircop.save()
    archived = make_programme(slug_fr="ancien-nom")
    archived.slug_fr = "nouveau-nom"
    archived.status = "archived"
    archived.save()

    export(out)

    moved = (out / "fr/programmes/aircop/index.html").read_text()
    assert '<html lang="fr">' in moved
    assert (
        '<meta http-equiv="refresh" content="0; url=/fr/programmes/aircop-aeroports/">'
        in moved
    )
    assert (
        f'<link rel="canonical" href="{BASE}/fr/programmes/aircop-aeroports/">' in moved
    )
    assert "Cette page a changé d’adresse" in moved
    assert (out / "fr/programmes/aircop-aeroports/index.html").is_file()
    # The former address of a page no longer public is simply not there.
    assert not (out / "fr/programmes/ancien-nom").exists()
    assert broken_links(out) == []


def test_a_link_to_no_page_refuses_the_export_and_names_it(content, out):
    aircop = Programme.objects.get(slug_fr="aircop")
    aircop.description_fr += (
        '<p>Voir <a href="/fr/programmes/ancien-programme/">l’ancien</a>.</p>'
    )
    aircop.save()

    with pytest.raises(CommandError) as refusal:
        export(out)

    message = str(refusal.value)
    assert "1 internal links lead to no page or file" in message
    assert "/fr/programmes/ancien-programme/ (answers 404), on " in message
    assert "/fr/programmes/aircop/" in message
    assert "Nothing was written." in message
    assert not out.exists()


def test_broken_links_may_be_allowed_and_are_then_listed(content, out):
    aircop = Programme.objects.get(slug_fr="aircop")
    aircop.description_en += '<p><a href="/en/programmes/gone/">Gone</a>.</p>'
    aircop.save()
    errors = StringIO()

    call_command(
        "export_site",
        str(out),
        "--base-url",
        BASE,
        "--allow-broken-links",
        stdout=StringIO(),
        stderr=errors,
    )

    assert (out / "en/index.html").is_file()
    assert "1 internal links lead to no page or file" in errors.getvalue()
    assert "/en/programmes/gone/ (answers 404), on /en/programmes/" in errors.getvalue()


def test_a_file_is_refused(content, tmp_path):
    target = tmp_path / "site"
    target.write_text("not a folder")
    with pytest.raises(CommandError, match="is a file: choose an empty folder"):
        export(target)
    assert target.read_text() == "not a folder"


def test_a_folder_the_export_did_not_write_is_refused(content, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="choose an empty folder"):
        export(tmp_path / "site")
    assert set(files_of(tmp_path / "site")) == {"notes.txt"}


@pytest.mark.parametrize(
    "base_url", ["drugs.example.org", "ftp://example.org", "https://example.org/site/"]
)
def test_a_base_url_that_is_not_a_site_root_is_refused(content, tmp_path, base_url):
    with pytest.raises(CommandError, match="--base-url must be"):
        export(tmp_path / "site", base_url=base_url)
    assert not (tmp_path / "site").exists()


def test_uncollected_static_files_are_refused(content, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    with pytest.raises(CommandError, match="collectstatic"):
        export(tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_a_manifest_naming_files_outside_the_folder_removes_nothing_there(
    content, seed_export_in, tmp_path
):
    out = seed_export_in
    outside = tmp_path / "outside.txt"
    outside.write_text("not the export's")
    manifest = out / MANIFEST
    files = json.loads(manifest.read_text())["files"]
    manifest.write_text(json.dumps({"files": [*files, "../outside.txt", str(outside)]}))
    export(out)
    assert outside.read_text() == "not the export's"


def test_the_pages_only_the_export_writes_are_valid_html(content, out):
    checker_or_skip()
    aircop = Programme.objects.get(slug_en="aircop")
    aircop.slug_en = "aircop-airports"
    aircop.save()
    export(out)
    pages = ("index.html", "404.html", "en/programmes/aircop/index.html")
    messages = nu_html_messages(
        *(out / name for name in pages), options=["--errors-only"]
    )
    assert messages == []
