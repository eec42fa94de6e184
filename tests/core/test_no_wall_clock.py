"""Only bot/clock.py reads the wall clock: everything else asks the Clock it was given, so tests
and scripted runs can move time."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "adapters", "storage", "scheduler", "ops")
ALLOWED = {Path("bot/clock.py")}
WALL_CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
}


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, call) for each call like datetime.now(), datetime.datetime.utcnow(), time.time()."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in WALL_CLOCK_READS:
            found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_the_check_finds_every_spelling() -> None:
    sample = (
        "import datetime, time\n"
        "a = datetime.now(UTC)\n"
        "b = datetime.datetime.utcnow()\n"
        "c = date.today()\n"
        "d = time.time()\n"
        "e = self.clock.now()\n"
        "f = loop.time()\n"
    )
    assert [line for line, _ in wall_clock_reads(sample)] == [2, 3, 4, 5]


def test_nothing_outside_the_clock_module_reads_the_wall_clock() -> None:
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in ALLOWED:
                continue
            for line, call in wall_clock_reads(path.read_text(encoding="utf-8")):
                offenders.append(f"{relative}:{line}: {call}")
    assert offenders == [], "read the time from the Clock instead:\n" + "\n".join(offenders)
