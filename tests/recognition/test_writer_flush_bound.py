"""A flush writes what was buffered when it was called, and does not chase a steady stream
(bot/features/recognition/writer.py): the inbox marker waits on that flush before it marks
events processed, and a flush that took every row arriving while it wrote kept the marker (and
the acks behind its writes) waiting for as long as the stream ran, batch after small batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import ManualClock
from bot.features.recognition.writer import BatchedWriter
from tests.support import EXAMPLE_START


async def test_a_flush_writes_what_was_buffered_and_leaves_what_came_while_it_wrote() -> None:
    batches: list[list[str]] = []
    writer: BatchedWriter[str]

    async def sink(rows: Sequence[str]) -> None:
        batches.append(list(rows))
        if len(batches) <= 5:  # the stream goes on while each batch is written
            writer.append(f"later {len(batches)}")

    writer = BatchedWriter(sink, clock=ManualClock(datetime.fromisoformat(EXAMPLE_START)))
    writer.append("before 1")
    writer.append("before 2")
    await writer.flush()
    assert batches == [["before 1", "before 2"]]
    assert writer.pending == 1  # "later 1": the next flush (or the deadline) writes it
    await writer.flush()
    assert batches[1] == ["later 1"] and writer.pending == 1
