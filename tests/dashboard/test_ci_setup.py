"""CI installs the system Chromium before the README's test command, and says CI."""

from __future__ import annotations

from pathlib import Path

from tests.support import README_TEST_COMMAND

ROOT = Path(__file__).resolve().parents[2]


def test_ci_installs_chromium_before_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = README_TEST_COMMAND
    assert command in readme and script.rstrip().endswith(command)
    install = script.index("apt-get install -y -qq --no-install-recommends chromium")
    assert "DEBIAN_FRONTEND=noninteractive" in script
    assert install < script.index('export CI="${CI:-1}"') < script.index(command)
    assert "sudo apt-get install chromium" in readme and "PLEIN_CHROMIUM" in readme
