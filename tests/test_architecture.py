"""The rules the code's shape keeps (README, 'Where things are'), checked on the source itself:
who may import Dash or Plotly, which packages may not import each other, the one module that
reads the environment, the one error root, and how long a module may grow."""

import ast
import inspect
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest

import dashboard
from dashboard.errors import TripvizError

PACKAGE = Path(dashboard.__file__).parent
MAX_LINES = 600
# The article drafter is split in its own issue.
LONGER_FOR_NOW = {"sources/article.py"}


def modules() -> dict[str, ast.Module]:
    return {str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))}


def imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def importers(prefixes: tuple[str, ...]) -> set[str]:
    return {name for name, tree in modules().items()
            if any(m == p or m.startswith(p + ".") for m in imported(tree) for p in prefixes)}


def test_only_the_dashboard_side_imports_dash():
    allowed = {"app.py", "layout.py", "callbacks.py"}
    assert {m for m in importers(("dash", "dash_ag_grid", "flask"))
            if m not in allowed and not m.startswith("features/")} == set()


def test_the_layers_import_only_downwards():
    assert {m for m in importers(("plotly",)) if m.startswith(("geocoding/", "store/", "sources/", "itinerary/"))} == set()
    assert {m for m in importers(("dashboard.store",)) if m.startswith("geocoding/")} == set()
    assert {m for m in importers(("dashboard.geocoding",)) if m.startswith(("store/", "itinerary/", "figures/"))} == set()
    assert {m for m in importers(("dashboard.figures",)) if m.startswith(("sources/", "itinerary/", "store/"))} == set()


def test_the_environment_is_read_in_the_settings_alone():
    readers = set()
    for name, tree in modules().items():
        for node in ast.walk(tree):
            uses_environ = (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")
                            and isinstance(node.value, ast.Name) and node.value.id == "os")
            if uses_environ or (isinstance(node, ast.Name) and node.id == "getpass"):
                readers.add(name)
    # export/images.py only *writes* BROWSER_PATH, which is how kaleido is told the browser.
    assert readers - {"settings.py", "export/images.py"} == set()
    images = (PACKAGE / "export/images.py").read_text()
    assert "os.environ.get" not in images and "os.environ.setdefault" not in images


def test_every_project_exception_has_the_one_root():
    defined = []
    for info in pkgutil.walk_packages(dashboard.__path__, "dashboard."):
        if info.name == "dashboard.__main__":  # running it is the command line
            continue
        module = import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == info.name:
                defined.append(value)
    assert len(defined) >= 8
    assert [e.__name__ for e in defined if not issubclass(e, TripvizError)] == []


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_grows_past_one_concern(name):
    lines = (PACKAGE / name).read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES or name in LONGER_FOR_NOW, f"{name}: {lines} lines; split it by what each part does"
