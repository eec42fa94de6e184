"""The README's console example is a real script: keep it runnable."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import README_TEST_COMMAND, ConsoleRun

README = Path(__file__).resolve().parents[2] / "README.md"


def example_session() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"Example session .*?```text\n(.*?)```", text, re.S)
    assert match, "README lost its example console session"
    return match.group(1)


async def test_readme_example_session_runs(console: ConsoleRun) -> None:
    console.json = False
    out = await console.run(example_session())
    assert not [line for line in out if line.startswith("[error]")]
    assert any(line.startswith("[dm anna] #1 plein: Welkom") for line in out)
    assert any(line.startswith("[#welkom]") and "@bob" in line for line in out)


def test_readme_names_both_commands_and_ci_runs_the_test_one() -> None:
    text = README.read_text(encoding="utf-8")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert f"{README_TEST_COMMAND}\n" in text and ci.rstrip().endswith(README_TEST_COMMAND)
    assert "pip install -e . && plein run" in text
