"""Time ``load_content --check`` (the loader: parse, render, every check) on the course and on
content at the bounds, at several sizes, to show the check stays linear in the content's size.

    .venv/bin/python bench/content_check.py [--repeat 3]

Cases: the course in the repository; the 60 kB line of ``<a `` that took 58 s before the bounds;
a note built from the course's own notes (ids renamed), at 250 kB, 500 kB and 1 MB; and notes of
the same sizes filled with Markdown that the renderer handles slowly (unclosed backticks, emphasis,
links, tags) but the bounds allow. Prints the median seconds of each, and for each size series the
time per 100 kB, which stays flat when checking is linear. Writes nothing to any database.
"""

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRONT = (
    "---\ntitle: Bench\ntopic: lambda\norder: {order}\ndomains: [domain-3]\nupdated: 2026-12-01\n"
    "sources: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]\n---\n"
)
SIZES = (250_000, 500_000, 990_000)


def _course_body() -> str:
    """The course's notes without their front matter, each copy's ids made unique by the caller."""
    bodies = []
    for path in sorted((ROOT / "content" / "compute").glob("*.md")):
        text = path.read_text()
        bodies.append(text.split("\n---\n", 1)[1])
    return "\n\n".join(bodies)


def course_note(size: int) -> str:
    body, parts, copy = _course_body(), list[str](), 0
    while sum(len(part) for part in parts) < size:
        copy += 1
        parts.append(re.sub(r"\[id:([^\]]+)\]", rf"[id:\1-{copy}]", body))
    return FRONT.format(order=1) + "\n\n".join(parts)[:size].rsplit("\n\n## ", 1)[0] + "\n"


def _filled(unit: str) -> Callable[[int], str]:
    def note(size: int) -> str:
        line = (unit * (9_000 // len(unit))).rstrip()
        return FRONT.format(order=1) + "\n\n".join([line] * (size // (len(line) + 2))) + "\n"

    return note


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "backticks": _filled("`a "),
    "emphasis": _filled("*a _b "),
    "links": _filled("[a](b) "),
    "tags": _filled("<b>x</b> "),
}


def timed(text: str, *, repeat: int) -> tuple[float, int]:
    """Median seconds of loading one course holding the note ``text``, and the problems found."""
    from studyapp.content.loader import load

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "compute").mkdir()
        (root / "compute" / "course.toml").write_text((ROOT / "content" / "compute" / "course.toml").read_text())
        (root / "compute" / "01-bench.md").write_text(text)
        times, problems = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            problems = len(load(root).problems)
            times.append(time.perf_counter() - start)
    return statistics.median(times), problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    import django

    django.setup()
    from studyapp.content.loader import load

    start = time.perf_counter()
    result = load(ROOT / "content")
    print(f"the course ({sum(p.stat().st_size for p in (ROOT / 'content').rglob('*.md')):,} bytes): {time.perf_counter() - start:.2f} s")
    seconds, problems = timed(FRONT.format(order=1) + "<a " * 20_000 + "\n", repeat=args.repeat)
    print(f"one 60 kB line of '<a ': {seconds:.3f} s, {problems} problem(s)")
    series = {"course notes": course_note, **ADVERSARIAL}
    for name, make in series.items():
        row = []
        for size in SIZES:
            text = make(size)
            seconds, problems = timed(text, repeat=args.repeat)
            row.append(
                f"{len(text.encode()) / 1e3:,.0f} kB {seconds:.2f} s ({seconds / len(text.encode()) * 1e5:.3f} s/100 kB, {problems} problems)"
            )
        print(f"{name}: " + "; ".join(row))
    assert result.ok


if __name__ == "__main__":
    main()
