"""bot/ is the platform-neutral core: it never imports a platform SDK, the scheduler library or
SQL. Only the composition root (bot/app.py) and the CLI it serves may import our outer packages."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN_EVERYWHERE = {
    "discord",
    "slack_bolt",
    "slack_sdk",
    "apscheduler",
    "sqlalchemy",
    "alembic",
    "aiohttp",
}
OUTER_PACKAGES = {"adapters", "storage", "scheduler"}
COMPOSITION_ROOT = {"bot/app.py", "bot/cli.py", "bot/feature_list.py"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def core_modules() -> list[Path]:
    return sorted((ROOT / "bot").rglob("*.py"))


def test_bot_never_imports_platforms_scheduler_or_sql() -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_roots(p) & FORBIDDEN_EVERYWHERE)
        for p in core_modules()
        if imported_roots(p) & FORBIDDEN_EVERYWHERE
    }
    assert offenders == {}


def test_only_the_composition_root_reaches_outward() -> None:
    offenders = {
        rel: sorted(imported_roots(p) & OUTER_PACKAGES)
        for p in core_modules()
        if (rel := str(p.relative_to(ROOT))) not in COMPOSITION_ROOT
        and imported_roots(p) & OUTER_PACKAGES
    }
    assert offenders == {}


def test_storage_and_scheduler_never_import_adapters() -> None:
    for package in ("storage", "scheduler"):
        for path in (ROOT / package).rglob("*.py"):
            assert not imported_roots(path) & {"adapters", "discord", "slack_bolt", "slack_sdk"}, (
                path
            )


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "import os\nfrom discord.ext import commands\nimport apscheduler.schedulers\n"
    )
    assert imported_roots(sample) & FORBIDDEN_EVERYWHERE == {"discord", "apscheduler"}
