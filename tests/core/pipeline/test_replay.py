from __future__ import annotations

from bot.pipeline.replay import DropReplays, InMemorySeen, ReplayMemory
from tests.core.pipeline.steps import message


def test_an_id_is_new_once() -> None:
    memory = ReplayMemory()
    assert memory.first_time("Ev1") is True
    assert memory.first_time("Ev1") is False
    assert memory.first_time("Ev2") is True


def test_the_memory_forgets_the_oldest_id_first() -> None:
    memory = ReplayMemory(capacity=2)
    for event_id in ("a", "b", "c"):
        assert memory.first_time(event_id)
    assert len(memory) == 2
    assert memory.first_time("a") is True  # forgotten, so new again
    assert memory.first_time("c") is False


async def test_a_redelivered_event_is_dropped_and_one_without_id_never() -> None:
    step = DropReplays(InMemorySeen(ReplayMemory()))
    assert await step.admits(message(event_id="slack:Ev1"))
    assert not await step.admits(message(event_id="slack:Ev1"))
    assert await step.admits(message()) and await step.admits(message())
