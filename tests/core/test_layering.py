"""bot/ is the platform-neutral core: it never imports a platform SDK, the scheduler library or
SQL. Only the composition root (bot/app.py) and the CLI it serves may import our outer packages.
Adapters see the core through the host port (bot/host.py), never the composition root, and the
module import graph (TYPE_CHECKING imports included) has no circle."""

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
    "prometheus_client",
}
OUTER_PACKAGES = {"adapters", "storage", "scheduler", "ops"}
TREE = ("bot", "adapters", "storage", "scheduler", "ops")
COMPOSITION_ROOT = {
    "bot/app.py",
    "bot/app_run.py",
    "bot/cli.py",
    "bot/feature_list.py",
    "bot/database_commands.py",
    "bot/web_port.py",
}


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


def test_the_web_port_sees_only_the_core_ports() -> None:
    """ops/ (health, metrics, the web port) knows bot's ports, never platforms or storage."""
    for path in (ROOT / "ops").rglob("*.py"):
        assert not imported_roots(path) & {"adapters", "storage", "scheduler", "discord"}, path


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text(
        "import os\nfrom discord.ext import commands\nimport apscheduler.schedulers\n"
    )
    assert imported_roots(sample) & FORBIDDEN_EVERYWHERE == {"discord", "apscheduler"}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, known: set[str], root: Path = ROOT) -> set[str]:
    """The modules of the tree that `path` imports anywhere in it (TYPE_CHECKING blocks and
    function bodies included). `from a import b` points at a.b when that is a module, else at a."""
    name = module_name(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                if f"{module}.{alias.name}" in known:
                    found.add(f"{module}.{alias.name}")
                elif module in known:
                    found.add(module)
    found.discard(name)
    return found


def import_graph(root: Path = ROOT, packages: tuple[str, ...] = TREE) -> dict[str, set[str]]:
    paths = {module_name(p, root): p for pkg in packages for p in (root / pkg).rglob("*.py")}
    known = set(paths)
    return {name: imported_modules(path, known, root) for name, path in paths.items()}


def find_circle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle as [a, b, ..., a], or [] when the graph is acyclic (depth-first)."""
    done: set[str] = set()
    trail: list[str] = []
    on_trail: set[str] = set()

    def visit(node: str) -> list[str]:
        trail.append(node)
        on_trail.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_trail:
                return [*trail[trail.index(target) :], target]
            if target not in done and (circle := visit(target)):
                return circle
        trail.pop()
        on_trail.discard(node)
        done.add(node)
        return []

    for start in sorted(graph):
        if start not in done and (circle := visit(start)):
            return circle
    return []


def test_the_tree_has_no_import_circle() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the walk really found the tree
    assert find_circle(graph) == []


def test_adapters_never_import_the_composition_root() -> None:
    graph = import_graph()
    adapters = {name for name in graph if name.split(".")[0] == "adapters"}
    assert "adapters.console.adapter" in adapters
    assert {name for name in adapters if "bot.app" in graph[name]} == set()


def test_the_circle_check_finds_a_circle_through_type_checking(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "app.py").write_text("from pkg import adapter\n")
    (package / "adapter.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.app import App\n"
    )
    (package / "leaf.py").write_text("from . import adapter\n")
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.leaf"] == {"pkg.adapter"}
    assert find_circle(graph) == ["pkg.adapter", "pkg.app", "pkg.adapter"]
    (package / "adapter.py").write_text("import os\n")
    assert find_circle(import_graph(tmp_path, ("pkg",))) == []
