from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.harness import SlackRun


@pytest.fixture(params=["http", "socket"])
async def slack(
    request: pytest.FixtureRequest, tmp_path: Path, storage_url: str
) -> AsyncIterator[SlackRun]:
    """The real Plein on the Slack adapter, against the fake Slack, in both modes."""
    run = await SlackRun(tmp_path, storage_url=storage_url, mode=request.param).start()
    try:
        yield run
    finally:
        await run.stop()


@pytest.fixture
async def slack_http(tmp_path: Path, storage_url: str) -> AsyncIterator[SlackRun]:
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http").start()
    try:
        yield run
    finally:
        await run.stop()
