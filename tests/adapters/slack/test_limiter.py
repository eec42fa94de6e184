"""chat.update pacing: one edit per interval per channel, newer edits replace queued ones."""

from __future__ import annotations

import asyncio

from adapters.slack.limiter import UpdateCoalescer
from bot.actions import Delivery, UpdateMessage


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_burst_is_coalesced_per_message_and_flushed_on_stop() -> None:
    sent: list[UpdateMessage] = []

    async def send(action: UpdateMessage) -> Delivery:
        sent.append(action)
        return Delivery(ref=action.ref)

    clock = Clock()
    limiter = UpdateCoalescer(send, interval=3600.0, monotonic=clock)  # never elapses by itself
    first = await limiter.submit("C1", UpdateMessage(ref="C1/1", text="v1"))
    assert first.extra == {} and [a.text for a in sent] == ["v1"]
    for n in range(2, 6):
        queued = await limiter.submit("C1", UpdateMessage(ref="C1/1", text=f"v{n}"))
        assert queued.extra == {"queued": "true"}
    await limiter.submit("C1", UpdateMessage(ref="C1/2", text="other"))
    other_channel = await limiter.submit("C2", UpdateMessage(ref="C2/1", text="free"))
    assert other_channel.extra == {}  # another channel has its own budget
    assert [a.text for a in sent] == ["v1", "free"]
    await asyncio.wait_for(limiter.flush(), 1)
    assert [a.text for a in sent] == ["v1", "free", "v5", "other"]


async def test_queued_edit_goes_out_when_the_interval_passed() -> None:
    sent: list[str] = []

    async def send(action: UpdateMessage) -> Delivery:
        sent.append(action.text)
        return Delivery(ref=action.ref)

    limiter = UpdateCoalescer(send, interval=0.01)
    await limiter.submit("C1", UpdateMessage(ref="C1/1", text="a"))
    await limiter.submit("C1", UpdateMessage(ref="C1/1", text="b"))
    await asyncio.wait_for(limiter.idle(), 1)
    assert sent == ["a", "b"]
