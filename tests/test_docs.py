"""The docs state what the code does: limits, settings, variables and links.

Each figure is read out of the sentence that states it and compared with the
value the code uses, so that changing either alone fails here.
"""

import ast
import inspect
import re
import runpy
from datetime import timedelta
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings as django_settings

from programmes.editing.images import checks as images
from programmes.translating.exchange import formats as exchange

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MEGABYTE = 1024 * 1024
# Where the environment is read: Django's settings and gunicorn's.
ENVIRONMENT_READERS = [
    ROOT / "interpol_drugs" / "settings.py",
    ROOT / "gunicorn.conf.py",
]


def stated(page, pattern):
    """The match of `pattern` in a docs page, its lines joined into one."""
    text = " ".join((DOCS / page).read_text(encoding="utf-8").split())
    match = re.search(pattern, text)
    assert match, f"docs/{page} no longer says /{pattern}/: update it or this test"
    return match


def number(text):
    return int(text.replace(",", ""))


# --- Limits and settings ------------------------------------------------------


def gunicorn_config():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_worker_recycling():
    config = gunicorn_config()
    match = stated(
        "operations.md", r"Each worker is replaced after ([\d,]+) ± ([\d,]+) requests"
    )
    assert number(match[1]) == config["max_requests"]
    assert number(match[2]) == config["max_requests_jitter"]


def test_gunicorn_timeouts_and_request_limits():
    config = gunicorn_config()
    timeout = stated("operations.md", r"A request running (\d+) s loses its worker")
    graceful = stated("operations.md", r"workers get (\d+) s to finish their requests")
    limits = stated(
        "operations.md",
        r"Request lines over (\d+) bytes, more than (\d+) headers or a header "
        r"over (\d+) bytes are refused",
    )
    assert number(timeout[1]) == config["timeout"]
    assert number(graceful[1]) == config["graceful_timeout"]
    assert [number(limit) for limit in limits.groups()] == [
        config["limit_request_line"],
        config["limit_request_fields"],
        config["limit_request_field_size"],
    ]


def test_nginx_request_line_and_proxy_buffers():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    buffers = stated(
        "operations.md", r"`large_client_header_buffers (\d+ (\d+)k)` in `deploy/nginx"
    )
    proxy = stated("operations.md", r"`proxy_buffer_size` \((\d+) KB\)")
    assert f"large_client_header_buffers {buffers[1]};" in nginx
    # One buffer holds the longest request line gunicorn takes, and its CRLF.
    assert number(buffers[2]) * 1024 == gunicorn_config()["limit_request_line"] + 2
    assert f"proxy_buffer_size {proxy[1]}k;" in nginx


# "at most 10 MB (setting `IMAGE_MAX_UPLOAD_BYTES`) and 40 million pixels
# (setting `IMAGE_MAX_PIXELS`)"
IMAGE_LIMITS = (
    r"at most (\d+) MB \(setting `(\w+)`\) and (\d+) million pixels "
    r"\(setting `(\w+)`\)"
)


def test_image_limits():
    match = stated("editing.md", IMAGE_LIMITS)
    assert number(match[1]) * MEGABYTE == images.max_upload_bytes()
    assert number(match[3]) * 1_000_000 == images.max_pixels()


def test_image_limits_are_the_settings_the_docs_name(settings):
    match = stated("editing.md", IMAGE_LIMITS)
    setattr(settings, match[2], 1234)
    setattr(settings, match[4], 5678)
    assert (images.max_upload_bytes(), images.max_pixels()) == (1234, 5678)


def test_translation_file_upload_limit():
    match = stated("translating.md", r"Uploaded files may be up to (\d+) MB")
    assert number(match[1]) * MEGABYTE == exchange.MAX_UPLOAD_BYTES


def test_login_lockout():
    match = stated(
        "operations.md",
        r"(\d+) failed sign-ins for one username from one address .{0,80}? "
        r"lock that pair out for (\d+) minutes",
    )
    assert number(match[1]) == django_settings.AXES_FAILURE_LIMIT
    assert timedelta(minutes=number(match[2])) == django_settings.AXES_COOLOFF_TIME


# --- Environment variables ----------------------------------------------------


def is_os_environ(node):
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def reads_environment(call):
    """os.environ.get(...) or os.getenv(...)."""
    func = call.func
    return isinstance(func, ast.Attribute) and (
        (func.attr == "get" and is_os_environ(func.value))
        or (
            func.attr == "getenv"
            and isinstance(func.value, ast.Name)
            and func.value.id == "os"
        )
    )


def first_string(call):
    if (
        call.args
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    ):
        return call.args[0].value
    return None


def environment_helpers(tree):
    """Module functions passing their first parameter to os.environ.get."""
    helpers = set()
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef) or not function.args.args:
            continue
        parameter = function.args.args[0].arg
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and reads_environment(node)
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == parameter
            ):
                helpers.add(function.name)
    return helpers


def database_url_variable(call):
    """The variable dj_database_url.config() reads: env=..., else its default."""
    for keyword in call.keywords:
        if keyword.arg == "env" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    return inspect.signature(dj_database_url.config).parameters["env"].default


def variables_read(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    helpers = environment_helpers(tree)
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Subscript)
            and is_os_environ(node.value)
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(node.slice.value)
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if reads_environment(node) or (
            isinstance(func, ast.Name) and func.id in helpers
        ):
            if name := first_string(node):
                names.add(name)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "config"
            and isinstance(func.value, ast.Name)
            and func.value.id == "dj_database_url"
        ):
            names.add(database_url_variable(node))
    return names


def test_the_variable_finder_sees_every_way_settings_read_them():
    found = variables_read(ENVIRONMENT_READERS[0])
    # os.environ.get, env_bool, env_list and dj_database_url respectively.
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS"} <= found
    assert "DATABASE_URL" in found


@pytest.mark.parametrize("path", ENVIRONMENT_READERS, ids=lambda path: path.name)
def test_every_environment_variable_is_documented(path):
    documented = set(
        re.findall(r"`([A-Z][A-Z0-9_]+)`", (DOCS / "configuration.md").read_text())
    )
    missing = sorted(variables_read(path) - documented)
    assert not missing, f"docs/configuration.md does not describe {missing}"


# --- The pages and their links ------------------------------------------------


def test_readme_stays_short():
    assert len(README.read_bytes()) <= 8500


def test_readme_links_every_docs_page_and_each_exists():
    linked = set(re.findall(r"\]\((docs/[^)#\s]+)", README.read_text()))
    assert linked == {f"docs/{page.name}" for page in DOCS.glob("*.md")}
    assert all((ROOT / link).is_file() for link in linked)


def anchors(path):
    """GitHub's anchors for a Markdown file's headings."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(), flags=re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        for heading in headings
    }


@pytest.mark.parametrize(
    "page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda path: path.name
)
def test_links_between_pages_lead_somewhere(page):
    text = page.read_text()
    for target, anchor in re.findall(r"\]\(([^):#\s]*\.md)?(?:#([\w-]+))?\)", text):
        if not target and not anchor:
            continue
        linked = (page.parent / target).resolve() if target else page
        assert linked.is_file(), f"{page.name} links to a missing {target}"
        if anchor:
            assert anchor in anchors(linked), f"{page.name}: no #{anchor} in {target}"


# Paths of the repository written in the docs: "programmes/editing/roles.py".
REPOSITORY_PATH = re.compile(
    r"\b(?:programmes|operations|interpol_drugs|accounts|tests|bench|tools|deploy|"
    r"templates|static)/[\w./-]*\w/?"
)


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=str)
def test_every_file_the_docs_name_exists(page):
    named = set(REPOSITORY_PATH.findall(page.read_text(encoding="utf-8")))
    assert named, f"{page.name} names no file: is the pattern still right?"
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert not missing, f"{page.name} names files that moved or went: {missing}"
