"""Shared helpers: a real app on the console adapter with a ManualClock and a temp SQLite."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from bot.app import Plein
from bot.clock import ManualClock
from bot.events import Member, MessagePosted, ReactionAdded
from tests.support import ConsoleRun


@asynccontextmanager
async def running(console: ConsoleRun) -> AsyncIterator[tuple[Plein, Any]]:
    plein, adapter, _ = await console.start()
    adapter.host = plein
    await plein.ready()
    try:
        yield plein, plein.features["recognition"]
    finally:
        await plein.close()


def advance(plein: Plein, **delta: float) -> None:
    clock = plein.clock
    assert isinstance(clock, ManualClock)
    clock.set(clock.now() + timedelta(**delta))


def member(name: str, *, bot: bool = False) -> Member:
    return Member(f"console:{name}", name, is_bot=bot)


_refs = iter(range(10**9))


def message(
    who: Member, length: int = 30, channel: str = "algemeen", thread_of: str | None = None
) -> MessagePosted:
    return MessagePosted(
        author=who,
        channel=channel,
        message_ref=f"r{next(_refs)}",
        length=length,
        thread_of=thread_of,
    )


def reaction(who: Member, author: Member | None, ref: str = "r0") -> ReactionAdded:
    return ReactionAdded(
        member=who,
        message_ref=ref,
        emoji="👍",
        channel="algemeen",
        message_author=author.id if author else None,
    )


async def totals(feature: Any, who: Member) -> dict[str, int]:
    """kind -> points over the rolling window, from the maintained aggregates."""
    await feature.writer.flush()
    stats = await feature.ladder.stats(who.id)
    return {kind: s.points for kind, s in stats.items()}


async def counts(feature: Any, who: Member) -> dict[str, int]:
    await feature.writer.flush()
    stats = await feature.ladder.stats(who.id)
    return {kind: s.count for kind, s in stats.items()}


def config_with(keys: str = "", levels: str = "") -> str:
    """The example config with its [recognition] section replaced (weights stay default)."""
    from bot.config import example_text

    text = example_text()
    start, end = text.index("[recognition]\n"), text.index("[spotlight]\n")
    return text[:start] + "[recognition]\n" + keys + "\n" + levels + "\n" + text[end:]


def rungs(*specs: tuple[str, int, str | None]) -> str:
    out = []
    for name, points, role in specs:
        out.append(f'[[recognition.levels]]\nname = "{name}"\npoints = {points}\n')
        if role:
            out.append(f'role = "{role}"\n')
    return "".join(out)
