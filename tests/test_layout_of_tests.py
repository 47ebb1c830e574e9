"""How the tests are laid out and run: no test module imports another; parallel
workers share no Redis database."""

import ast
from pathlib import Path

import pytest

from .helpers import worker_redis_url

TESTS = Path(__file__).resolve().parent


def is_test_module(name):
    return name.rpartition(".")[2].startswith("test_")


def imported_test_modules(source, package):
    """The test modules `source` imports, as dotted names (`package` is its own)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if is_test_module(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join(base if node.level else [])
            if node.module:
                module = f"{module}.{node.module}" if module else node.module
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            found += [name for name in names if is_test_module(name)]
    return found


def package_of(path):
    return ".".join(path.relative_to(TESTS.parent).parent.parts)


def test_no_test_module_imports_another():
    modules = sorted(TESTS.rglob("test_*.py"))
    found = {
        str(path.relative_to(TESTS)): imported
        for path in modules
        if (imported := imported_test_modules(path.read_text(), package_of(path)))
    }

    assert len(modules) > 40
    assert found == {}, "move what they share to tests/helpers.py or a conftest.py"


@pytest.mark.parametrize(
    ("source", "package", "expected"),
    [
        ("from .test_views import parse", "tests", ["tests.test_views"]),
        ("from ..test_views import parse", "tests.browser", ["tests.test_views"]),
        ("from . import test_cache", "tests", ["tests.test_cache"]),
        ("import tests.test_cache", "tests", ["tests.test_cache"]),
        (
            "from tests.browser.test_audits import run_axe",
            "tests",
            ["tests.browser.test_audits"],
        ),
        ("from .helpers import parse", "tests.browser", []),
        ("from ..pages import PUBLIC_PAGES", "tests.browser", []),
        ("from tests.browser import conftest", "tests", []),
    ],
)
def test_imports_of_test_modules_are_found(source, package, expected):
    assert imported_test_modules(source, package) == expected


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:18179/0", "gw0", "redis://127.0.0.1:18179/0"),
        ("redis://127.0.0.1:18179/0", "gw1", "redis://127.0.0.1:18179/1"),
        ("redis://127.0.0.1:18179/8", "gw1", "redis://127.0.0.1:18179/9"),
        (
            "redis://:secret@redis.example:6379",
            "gw3",
            "redis://:secret@redis.example:6379/3",
        ),
    ],
)
def test_each_parallel_worker_gets_a_redis_database_of_its_own(url, worker, expected):
    assert worker_redis_url(url, worker) == expected


def test_templates_render_as_in_production_and_responses_keep_the_views_context(
    admin_client,
):
    from django.template import Template

    # Not Django's instrumented_test_render (tests/conftest.py says why).
    assert Template._render.__qualname__ == "Template._render"
    response = admin_client.get("/admin/programmes/programme/")
    assert response.context is response.context_data
    assert "cl" in response.context
