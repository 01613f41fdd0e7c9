"""The dependency direction of shared/style.md, read from the source with ``ast``.

Two rules. Pure modules import only the standard library, each other and their one library (never
Django, never a studyapp module that is not pure). Apps stack in layers, and an app imports only
from the layers below its own.
"""

import ast
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BASE = Path(__file__).resolve().parents[1]
ROOT = BASE / "studyapp"

# Bottom first. An app may import its own modules and any app in a lower layer, nothing else.
# srs sits below quizzes: a missed quiz question is enqueued for review (quizzes -> srs).
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core"}),  # htmx helpers, middleware, safe redirects: used by every app, accounts included
    frozenset({"accounts"}),
    frozenset({"questions"}),
    frozenset({"content"}),
    frozenset({"srs"}),
    frozenset({"quizzes"}),
    frozenset({"pricing", "classrooms"}),
    frozenset({"live"}),  # a game is played by a class, and counts in its gradebook
    frozenset({"authoring"}),  # the bank says where each question is used: practice, assignments, live games
)
LAYER_OF: dict[str, int] = {app: index for index, layer in enumerate(LAYERS) for app in layer}
PROJECT_MODULES = {"settings", "urls", "asgi", "wsgi", "__init__"}  # studyapp/*.py: the project wires every app together

PURE = sorted(
    {
        *ROOT.glob("*/parsing/*.py"),
        *ROOT.glob("*/formats/*.py"),  # questions/formats (GIFT; Aiken and Moodle XML to come)
        *ROOT.glob("pricing/calculators/*.py"),
        *(
            path
            for path in (
                ROOT / "questions/content.py",
                ROOT / "srs/scheduler.py",
                ROOT / "srs/charts.py",
                ROOT / "quizzes/grading.py",
                ROOT / "quizzes/blueprint.py",
                ROOT / "pricing/money.py",
                ROOT / "pricing/tables.py",
                ROOT / "live/scoring.py",
                ROOT / "classrooms/roster_csv.py",
                ROOT / "classrooms/item_stats.py",
                ROOT / "classrooms/progress.py",
                ROOT / "classrooms/export.py",
                ROOT / "authoring/diff.py",
            )
            if path.exists()
        ),
    }
)
# The one library each kind of pure module talks to (besides the standard library).
PURE_LIBRARIES = frozenset({"fsrs", "markdown", "pymdownx", "nh3", "pygments", "defusedxml"})


@dataclass(frozen=True, slots=True, kw_only=True)
class Import:
    module: str  # absolute dotted name, relative imports resolved
    line: int
    source: str  # the statement as written, for the failure message


def module_name(path: Path) -> str:
    parts = path.relative_to(BASE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.ImportFrom, package: str) -> str:
    if node.level == 0:
        return node.module or ""
    base = package.split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(source: str, name: str, *, is_package: bool = False) -> Iterator[Import]:
    """Every module ``source`` imports (module ``name``), at any depth: functions and
    ``TYPE_CHECKING`` blocks included. ``from x import y`` yields ``x.y`` as well as ``x``, since
    ``y`` may be a submodule (``from studyapp import srs``); ``importlib.import_module("literal")``
    counts too."""
    package = name if is_package else name.rpartition(".")[0]

    def written(node: ast.AST) -> str:
        return " ".join((ast.get_source_segment(source, node) or "").split())

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module=alias.name, line=node.lineno, source=written(node))
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(node, package)
            yield Import(module=module, line=node.lineno, source=written(node))
            for alias in node.names:
                if alias.name != "*":
                    yield Import(module=f"{module}.{alias.name}", line=node.lineno, source=written(node))
        elif isinstance(node, ast.Call) and (imported := _imported_module(node)) is not None:
            yield Import(module=imported, line=node.lineno, source=written(node))


def _imported_module(node: ast.Call) -> str | None:
    """The module an ``import_module("...")`` call names with a string constant; None for any other call."""
    called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    if called == "import_module" and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def app_of(module: str) -> str | None:
    """The studyapp app a dotted module name belongs to; None outside studyapp or at its top."""
    parts = module.split(".")
    if parts[0] != "studyapp" or len(parts) < 2 or parts[1] in PROJECT_MODULES:
        return None
    return parts[1]


def layer_violations(source: str, name: str, *, is_package: bool = False) -> list[str]:
    """How module ``name`` (whose code is ``source``) imports against the layers: one line each."""
    here = app_of(name)
    if here is None:
        return []
    if here not in LAYER_OF:
        return [f"{name}: app {here!r} has no place in LAYERS (tests/test_architecture.py): add it"]
    problems = []
    for found in imports(source, name, is_package=is_package):
        there = app_of(found.module)
        if there is None or there == here or (there in LAYER_OF and LAYER_OF[there] < LAYER_OF[here]):
            continue
        where = "the same layer" if LAYER_OF.get(there) == LAYER_OF[here] else "a higher layer"
        file = name.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        problem = f"{file}:{found.line}: {found.source!r} imports {there} ({where}) into {here}"
        if problem not in problems:  # `from x import a, b` yields x.a and x.b: say it once
            problems.append(problem)
    return problems


def pure_violations(source: str, name: str, *, is_package: bool = False) -> list[str]:
    """What pure module ``name`` imports that is neither the standard library, a pure module nor its library."""
    pure = {module_name(path) for path in PURE} | {name}
    problems = []
    for found in imports(source, name, is_package=is_package):
        top = found.module.split(".")[0]
        if top in sys.stdlib_module_names or top in PURE_LIBRARIES or top == "__future__":
            continue
        if top == "studyapp" and (found.module in pure or _is_package_of_pure(found.module, pure)):
            continue
        if found.module.rpartition(".")[0] in pure and found.module not in _all_modules():
            continue  # `from pure_module import SomeName`: a name, not a submodule
        problem = f"{name}:{found.line}: {found.source!r} ({found.module})"
        if problem not in problems:
            problems.append(problem)
    return problems


def _is_package_of_pure(module: str, pure: set[str]) -> bool:
    """``studyapp`` or ``studyapp.pricing`` on the way to a pure module: only their __init__ runs,
    and those are docstrings (test_parents_of_pure_modules_import_nothing)."""
    return any(p.startswith(module + ".") for p in pure)


def _all_modules() -> set[str]:
    return {module_name(path) for path in ROOT.rglob("*.py")}


def _source_files() -> list[Path]:
    # Migrations are included: they run on every `migrate`, so an upward import there is just as real.
    return sorted(path for path in ROOT.rglob("*.py") if "__pycache__" not in path.parts)


# Pure modules ----------------------------------------------------------------------------------


def test_there_are_pure_modules() -> None:
    names = {str(path.relative_to(ROOT)) for path in PURE}
    assert {
        "srs/scheduler.py",
        "srs/charts.py",
        "quizzes/grading.py",
        "quizzes/blueprint.py",
        "pricing/money.py",
        "pricing/tables.py",
        "content/parsing/limits.py",
        "content/parsing/style.py",
    } <= names
    assert len(PURE) >= 15


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_only_the_standard_library_pure_modules_and_its_library(path: Path) -> None:
    problems = pure_violations(path.read_text(), module_name(path), is_package=path.name == "__init__.py")
    assert not problems, f"{path.relative_to(BASE)} is pure but imports:\n" + "\n".join(problems)


def test_parents_of_pure_modules_import_nothing() -> None:
    """Importing studyapp.pricing.money runs studyapp/__init__.py and studyapp/pricing/__init__.py first."""
    parents = {parent / "__init__.py" for path in PURE for parent in path.relative_to(ROOT).parents if parent != Path(".")}
    parents = {ROOT / p for p in parents} | {ROOT / "__init__.py"}
    for init in sorted(parents):
        if init in PURE:
            continue  # checked as a pure module itself
        found = list(imports(init.read_text(), module_name(init), is_package=True))
        assert not found, f"{init.relative_to(BASE)} imports {[f.module for f in found]}: every pure module below it would too"


def test_pure_modules_load_without_django() -> None:
    """The same rule, run: import every pure module in a fresh interpreter and look for Django."""
    names = [module_name(path) for path in PURE]
    code = f"import sys\nfor name in {names!r}: __import__(name)\nprint(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"pure modules pulled in Django: {result.stdout}"


# Layers ----------------------------------------------------------------------------------------


def test_every_app_has_a_layer() -> None:
    apps = {path.name for path in ROOT.iterdir() if (path / "__init__.py").exists()}
    assert apps - set(LAYER_OF) == set(), "add the new app to LAYERS"


def test_no_app_imports_from_its_own_layer_or_above() -> None:
    problems = [
        problem
        for path in _source_files()
        for problem in layer_violations(path.read_text(), module_name(path), is_package=path.name == "__init__.py")
    ]
    assert not problems, (
        "imports against the layers (core → accounts → questions → content → srs → quizzes → pricing, classrooms, live, authoring):\n"
        + "\n".join(problems)
    )


# The checks catch what they should -------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name", "expected"),
    [
        (
            "from studyapp.srs.reports import recall_by_topic\n",
            "studyapp.content.views",
            "studyapp/content/views.py:1: 'from studyapp.srs.reports import recall_by_topic' imports srs (a higher layer) into content",
        ),
        (
            "import os\n\n\ndef f():\n    from studyapp.pricing import embedding\n",
            "studyapp.content.views",
            "studyapp/content/views.py:5: 'from studyapp.pricing import embedding' imports pricing (a higher layer) into content",
        ),
        ("from ...quizzes.reports import readiness\n", "studyapp.content.parsing.note", "imports quizzes (a higher layer) into content"),
        ("from .. import srs\n", "studyapp.content.views", "'from .. import srs' imports srs (a higher layer) into content"),
        (
            "import importlib\nimportlib.import_module('studyapp.live.scoring')\n",
            "studyapp.questions.models",
            ":2: \"importlib.import_module('studyapp.live.scoring')\" imports live (a higher layer) into questions",
        ),
        ("from studyapp.accounts.models import User\n", "studyapp.core.views", "imports accounts (a higher layer) into core"),
        (
            "from studyapp.classrooms.models import Classroom\n",
            "studyapp.pricing.views",
            "imports classrooms (the same layer) into pricing",
        ),
        ("from studyapp.authoring.formats import gift\n", "studyapp.live.views", "imports authoring (a higher layer) into live"),
        ("from studyapp.quizzes import services\n", "studyapp.srs.services", "imports quizzes (a higher layer) into srs"),
        ("from studyapp.content.models import Note\n", "studyapp.newapp.models", "app 'newapp' has no place in LAYERS"),
    ],
)
def test_layer_check_catches_an_import_against_the_layers(source: str, name: str, expected: str) -> None:
    problems = layer_violations(source, name)
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("from studyapp.content.models import Card\nfrom studyapp.questions.models import Question\n", "studyapp.srs.models"),
        ("from . import queue, reports\nfrom .models import ReviewState\n", "studyapp.srs.views"),
        ("from studyapp.srs.services import enqueue_question\n", "studyapp.quizzes.services"),
        ("from studyapp.core.htmx import template_for\nfrom studyapp.content.embeds import register_embed\n", "studyapp.pricing.apps"),
        ("from django.db import models\nimport fsrs\n", "studyapp.accounts.models"),
        ("from studyapp.content.urls import urlpatterns\n", "studyapp.urls"),  # the project sits above every app
    ],
)
def test_layer_check_allows_imports_downward_and_within_an_app(source: str, name: str) -> None:
    assert layer_violations(source, name) == []


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("from django.utils.html import escape\n", "django.utils.html"),
        ("import django\n", "django"),
        ("from studyapp.content.models import Note\n", "studyapp.content.models"),
        ("from studyapp.pricing import registry\n", "studyapp.pricing.registry"),
        ("import requests\n", "requests"),
    ],
)
def test_pure_check_catches_django_and_impure_imports(source: str, bad: str) -> None:
    problems = pure_violations(source, "studyapp.srs.scheduler")
    assert any(p.endswith(f"({bad})") for p in problems), problems


def test_pure_check_allows_the_standard_library_pure_modules_and_their_library() -> None:
    source = (
        "from __future__ import annotations\nimport re\nfrom decimal import Decimal\nimport markdown\nfrom pygments.lexers import get_lexer_by_name\n"
        "from studyapp.pricing.money import Estimate\nfrom studyapp.pricing.calculators import fargate\nfrom .types import SLUG\n"
    )
    assert pure_violations(source, "studyapp.content.parsing.note") == []
