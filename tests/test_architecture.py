"""The dependency direction of shared/style.md: pure modules import no Django."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "studyapp"
PURE = sorted(
    [*ROOT.glob("*/parsing/*.py"), *ROOT.glob("*/formats/*.py"), *ROOT.glob("pricing/calculators/*.py")]
    + [p for p in [ROOT / "srs/scheduler.py", ROOT / "quizzes/grading.py", ROOT / "quizzes/blueprint.py", ROOT / "pricing/money.py", ROOT / "live/scoring.py"] if p.exists()]
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_there_are_pure_modules():
    assert len(PURE) >= 6


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_django(path: Path):
    bad = {name for name in imported_modules(path) if name == "django" or name.startswith(("django.", "studyapp.content.models"))}
    assert not bad, f"{path.name} imports {bad}"
