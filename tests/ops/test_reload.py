"""SIGHUP reloads the config file: valid changes apply, an invalid file is refused whole."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from adapters.console import ConsoleAdapter
from bot.app import Plein, build
from bot.cli import load_checked
from bot.clock import ManualClock
from bot.config import ConfigError
from bot.reload import ReloadResult
from bot.runtime import ReloadSignal
from tests.calendar.helpers import PLAN, START, config

pytestmark = pytest.mark.sqlite_file  # the reloaded TOML file names its own SQLite file

NEW_PROMPT = '  { type = "news", text = "The heron nest is back!" },\n]'


class Hup:
    """Sends this process a real SIGHUP and waits until the reload it triggers has run."""

    def __init__(self, plein: Plein) -> None:
        self.plein = plein
        self.results: list[ReloadResult] = []
        self._done = asyncio.Event()
        self.handler = ReloadSignal(self._reload).install()

    def _reload(self) -> ReloadResult:
        result = self.plein.reload()
        self.results.append(result)
        self._done.set()
        return result

    async def send(self) -> ReloadResult:
        self._done.clear()
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.wait_for(self._done.wait(), timeout=10)
        return self.results[-1]


@pytest.fixture
async def hup(tmp_path: Path) -> AsyncIterator[tuple[Hup, Path]]:
    file = tmp_path / "plein.toml"
    storage = f'\n[storage]\nurl = "sqlite:///{tmp_path / "plein.db"}"\n'
    file.write_text(config(PLAN) + storage, encoding="utf-8")
    cfg = load_checked(str(file))
    adapter = ConsoleAdapter(cfg, lines=[], out=io.StringIO(), json_output=True)
    plein = await build(
        cfg,
        adapter,
        clock=ManualClock(datetime.fromisoformat(START)),
        reload_config=lambda: load_checked(str(file)),
    )
    await plein.ready()
    sender = Hup(plein)
    yield sender, file
    sender.handler.remove()
    await plein.close()


def prompts(plein: Plein) -> list[str]:
    return [p.text for p in plein.features["calendar"].plan.themes[0].prompts]


async def test_sighup_applies_a_valid_change(hup: tuple[Hup, Path]) -> None:
    sender, file = hup
    assert len(prompts(sender.plein)) == 3
    text = file.read_text(encoding="utf-8")
    text = text.replace("\n]", "\n" + NEW_PROMPT, 1).replace("De Groene Ring", "De Blauwe Ring")
    file.write_text(text, encoding="utf-8")

    result = await sender.send()

    assert result.ok and result.applied == ("calendar",)
    assert result.restart_needed == ("community",)  # said so in the log, not applied half-way
    assert prompts(sender.plein)[-1] == "The heron nest is back!"


async def test_sighup_refuses_an_invalid_file_and_keeps_the_old_config(
    hup: tuple[Hup, Path], caplog: pytest.LogCaptureFixture
) -> None:
    sender, file = hup
    before = prompts(sender.plein)
    text = file.read_text(encoding="utf-8")
    broken = text.replace('when = "wed 09:00"', 'when = "wed 25:00"').replace(
        "\n]", "\n" + NEW_PROMPT, 1
    )
    file.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as check_config:  # what `plein check-config` prints
        load_checked(str(file))
    expected = check_config.value.lines()
    assert expected

    with caplog.at_level(logging.ERROR, logger="plein.reload"):
        result = await sender.send()

    assert not result.ok and list(result.problems) == expected
    logged = [r.getMessage() for r in caplog.records if r.name == "plein.reload"]
    for line in expected:
        assert line in logged
    assert prompts(sender.plein) == before

    file.write_text(text.replace("\n]", "\n" + NEW_PROMPT, 1), encoding="utf-8")
    assert (await sender.send()).applied == ("calendar",)  # fixed file: applies after all
    assert len(prompts(sender.plein)) == 4
