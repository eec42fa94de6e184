"""`python -m bot` imports and builds with the garbage collector off (a quarter of start-up's CPU
went to collecting objects that live as long as the process). Every command must turn it back
on: a long-running Plein without a collector would keep every reference cycle it ever made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import example_text


@pytest.fixture
def collector_off_as_in_main() -> Iterator[None]:
    gc.collect()
    gc.disable()
    yield
    gc.enable()
    gc.unfreeze()


@pytest.fixture
def community(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "plein.toml"
    config.write_text(example_text(), encoding="utf-8")
    monkeypatch.setenv("PLEIN_STORAGE__URL", f"sqlite:///{tmp_path / 'plein.db'}")
    return config


@pytest.mark.usefixtures("collector_off_as_in_main")
def test_a_console_run_collects_again_once_the_app_is_built(
    community: Path, tmp_path: Path
) -> None:
    script = tmp_path / "script.txt"
    script.write_text("anna: /top\n", encoding="utf-8")
    assert (
        main(["run", "--adapter", "console", "--config", str(community), "--script", str(script)])
        == 0
    )
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what start-up built is out of the collector's sight


@pytest.mark.usefixtures("collector_off_as_in_main")
def test_every_other_command_collects_from_the_start(community: Path) -> None:
    assert main(["check-config", str(community)]) == 0
    assert gc.isenabled()
