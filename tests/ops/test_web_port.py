"""The web port: /healthz, /readyz and /metrics on a real aiohttp server, over real HTTP."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from adapters.console import ConsoleAdapter
from bot.app import Plein, build
from bot.clock import ManualClock
from bot.events import Member, MessagePosted
from ops.metrics import PrometheusMetrics
from ops.web import WebServer
from scheduler import ManualScheduler
from tests.support import EXAMPLE_START, ConsoleRun, config_from

pytestmark = pytest.mark.sqlite_file  # readiness drops when the SQLite file is deleted

MEMBERS = [Member(f"console:member{i}", f"member{i}") for i in range(5)]


@dataclass
class Running:
    plein: Plein
    web: WebServer
    session: aiohttp.ClientSession
    db_path: Path

    async def get(self, path: str) -> tuple[int, str]:
        async with self.session.get(f"http://127.0.0.1:{self.web.port}{path}") as response:
            return response.status, await response.text()

    async def sample(self, name: str, **labels: str) -> float:
        """One sample of the /metrics text, 0 when absent."""
        _, text = await self.get("/metrics")
        wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "")
        match = re.search(r"^" + pattern + r" ([0-9.e+-]+)$", text, re.M)
        return float(match.group(1)) if match else 0.0


async def start(db_path: Path) -> tuple[Plein, WebServer]:
    config = config_from(db_path=db_path)
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO(), json_output=True)
    metrics = PrometheusMetrics()
    plein = await build(
        config, adapter, clock=ManualClock(datetime.fromisoformat(EXAMPLE_START)), metrics=metrics
    )
    web = WebServer(plein.kit.health, metrics)
    await web.start("127.0.0.1", 0)
    return plein, web


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    """A community that already has members and history, restarted with its web port on."""
    db_path = tmp_path / "plein.db"
    history = "\n".join([*(f"join {m.name}" for m in MEMBERS), "member0: Goedemorgen!", "wait 1d"])
    out = await ConsoleRun(db_path=db_path, json=False).run(history)
    assert not [line for line in out if line.startswith("[error]")]

    plein, web = await start(db_path)
    async with aiohttp.ClientSession() as session:
        yield Running(plein, web, session, db_path)
    await web.stop()
    await plein.close()


async def test_healthz_answers_while_the_process_lives(running: Running) -> None:
    status, body = await running.get("/healthz")
    assert (status, body) == (200, '{"status": "alive"}')


async def test_readyz_waits_for_the_platform_and_the_scheduler(running: Running) -> None:
    status, body = await running.get("/readyz")
    assert status == 503
    assert '"platform"' in body and '"scheduler"' in body and '"database"' not in body
    await running.plein.ready()
    status, body = await running.get("/readyz")
    assert status == 200, body
    assert '"ready"' in body


async def test_not_ready_when_the_database_file_is_gone(running: Running) -> None:
    await running.plein.ready()
    assert (await running.get("/readyz"))[0] == 200
    for suffix in ("", "-wal", "-shm"):  # the volume is gone
        await asyncio.to_thread(Path(f"{running.db_path}{suffix}").unlink, missing_ok=True)
    status, body = await running.get("/readyz")
    assert status == 503
    assert '"database"' in body and "missing" in body
    assert (await running.get("/healthz"))[0] == 200  # alive, just not ready


async def test_not_ready_when_the_database_is_behind_the_code(running: Running) -> None:
    await running.plein.ready()
    async with running.plein.db.begin() as conn:
        await conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001_foundation'")
    status, body = await running.get("/readyz")
    assert status == 503 and "not yet migrated" in body


async def test_metrics_change_after_events_and_jobs(running: Running) -> None:
    plein = running.plein
    await plein.ready()
    status, _ = await running.get("/metrics")
    assert status == 200
    before = await running.sample("plein_events_received_total", kind="MessagePosted")
    handled = await running.sample("plein_handler_seconds_count", kind="MessagePosted")
    for i, member in enumerate(MEMBERS * 3):
        event = MessagePosted(
            author=member, channel="algemeen", message_ref=f"msg{i}", length=40, event_id=f"e{i}"
        )
        await plein.dispatch(event)
    await plein.dispatch(event)  # Slack redelivers: received again, handled once
    assert await running.sample("plein_events_received_total", kind="MessagePosted") == before + 16
    assert await running.sample("plein_handler_seconds_count", kind="MessagePosted") == handled + 15
    assert await running.sample("plein_events_handled_total", kind="MessagePosted") == 15
    # The contribution writer's buffer is a gauge read at scrape time.
    assert (
        'plein_queue_depth{queue="contribution_writer_buffer"}'
        in (await running.get("/metrics"))[1]
    )

    ran = await running.sample("plein_jobs_run_total", job="recognition.daily")
    scheduler = plein.scheduler
    assert isinstance(scheduler, ManualScheduler)
    await scheduler.advance_to(plein.clock.now() + timedelta(days=1))
    assert await running.sample("plein_jobs_run_total", job="recognition.daily") == ran + 1
    _, text = await running.get("/metrics")
    assert "plein_job_late_seconds_bucket" in text
