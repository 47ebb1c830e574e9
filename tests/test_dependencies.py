"""The direction of dependencies between the folders (issue 14).

pyproject.toml states it as import-linter contracts: the project package
uses the apps, operations use programmes, and inside programmes each workflow
builds on the folders below it (content, then editing, then translating, then
the public site and the API, then Django's entry points). No model imports an
admin, a view or the project, and no package has an import cycle.
"""

import tomllib
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_every_dependency_contract_is_kept(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    status = lint_imports(no_cache=True, no_logo=True)
    assert status == 0, capsys.readouterr().out


def programmes_layers():
    (contract,) = [
        contract
        for contract in CONTRACTS["contracts"]
        if contract.get("containers") == ["programmes"]
    ]
    return {
        name.strip()
        for layer in contract["layers"]
        for name in layer.replace(":", "|").split("|")
    }


def test_every_folder_and_module_of_programmes_is_in_a_layer():
    # A new folder outside every layer would escape the contract unseen.
    package = ROOT / "programmes"
    children = {
        path.stem
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__")
        or (path / "__init__.py").exists()
    }
    assert children - {"migrations"} == programmes_layers()


def test_the_checked_packages_are_the_project_and_its_apps(settings):
    from django.apps import apps

    apps_here = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if ROOT in Path(config.path).parents
        and "site-packages" not in Path(config.path).parts
    }
    project = settings.ROOT_URLCONF.split(".")[0]
    assert set(CONTRACTS["root_packages"]) == apps_here | {project}
