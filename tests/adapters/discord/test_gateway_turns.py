"""The gateway reader gives the event loop a turn during a burst of buffered frames
(adapters/discord/message_worker.py, `hold_back`): aiohttp hands over buffered frames without
suspending, so without it a burst held every interaction's task for as long as it lasted."""

from __future__ import annotations

import asyncio

from adapters.discord.message_worker import MessageWorker, hold_back


class BufferedSocket:
    """aiohttp's side of a socket whose frames are all buffered already: no receive suspends."""

    def __init__(self, frames: int) -> None:
        self.left = frames

    async def receive(self) -> str:
        self.left -= 1
        return "frame"


async def nothing(_event: object) -> None:
    return None


async def test_a_burst_of_buffered_frames_lets_other_tasks_run() -> None:
    socket = BufferedSocket(200)
    hold_back(socket, MessageWorker(nothing), turn=0.0)
    others_ran = 0
    reading = True

    async def interaction() -> None:
        nonlocal others_ran
        while reading:
            others_ran += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(interaction())
    await asyncio.sleep(0)
    before = others_ran
    while socket.left:
        await socket.receive()
    reading = False
    await other
    assert others_ran - before >= 100, "the loop had a turn during the burst"


async def test_a_full_queue_still_holds_the_socket() -> None:
    worker = MessageWorker(nothing)
    worker.high_water, worker.low_water = 3, 1
    socket = BufferedSocket(10)
    hold_back(socket, worker, turn=60.0)
    for _ in range(3):
        worker.take(object())  # type: ignore[arg-type]
    read = asyncio.create_task(socket.receive())
    for _ in range(20):
        await asyncio.sleep(0)
    assert not read.done() and socket.left == 10, "a full queue: the frame is not read"
    await worker.work_off(float("inf"))
    assert await read == "frame"
