"""The bounded work queue of Slack requests (adapters/slack/work.py): acknowledged work waits in
a queue for a few workers, so a request that arrives behind a backlog gets the event loop (its
inbox write and its ack) before the backlog is worked off; a full queue refuses; a shutdown
gives every place back (the inbox keeps the work for the next start)."""

from __future__ import annotations

import asyncio

from adapters.slack.work import WorkQueue


def queue(capacity: int = 1000, workers: int = 2) -> tuple[WorkQueue, list[BaseException]]:
    errors: list[BaseException] = []
    return WorkQueue(capacity, errors.append, workers=workers), errors


async def test_a_request_behind_a_backlog_gets_the_loop_before_the_backlog_is_done() -> None:
    work, _ = queue(workers=2)
    done: list[int] = []

    async def piece(n: int) -> None:
        done.append(n)  # CPU only: a piece that never waits for I/O

    for n in range(200):  # the backlog: acknowledged, not processed yet
        assert work.reserve()
        work.run(piece(n))
    for _ in range(10):  # an ack needs a few turns of the loop (read, store, answer)
        await asyncio.sleep(0)
    assert len(done) <= 2 * 11, f"the backlog ran ahead of the request: {len(done)} pieces"
    await work.idle()
    assert done == list(range(200)), "pieces run in arrival order"
    assert work.depth == 0


async def test_no_more_than_the_workers_run_at_once() -> None:
    work, _ = queue(workers=3)
    running = 0
    most = 0
    gate = asyncio.Event()

    async def piece() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await gate.wait()  # a slow users.info, say
        running -= 1

    for _ in range(20):
        assert work.reserve()
        work.run(piece())
    for _ in range(5):
        await asyncio.sleep(0)
    assert (running, work.waiting, work.depth) == (3, 17, 20)
    gate.set()
    await work.idle()
    assert (most, work.depth) == (3, 0)


async def test_a_full_queue_refuses_and_a_finished_piece_makes_room() -> None:
    work, _ = queue(capacity=2)
    gate = asyncio.Event()
    assert work.reserve() and work.reserve()
    assert not work.reserve() and work.refused == 1
    work.run(gate.wait())  # type: ignore[arg-type]
    work.release()  # the second was a repeat: its place is given back at once
    assert work.reserve()
    assert not work.reserve() and work.refused == 2
    work.run(gate.wait())  # type: ignore[arg-type]
    gate.set()
    await work.idle()
    assert work.depth == 0 and work.reserve()


async def test_a_failing_piece_is_reported_and_the_next_ones_still_run() -> None:
    work, errors = queue(workers=1)
    done: list[str] = []

    async def fails() -> None:
        raise RuntimeError("users.info answered 500")

    async def fine() -> None:
        done.append("fine")

    for piece in (fails(), fine()):
        assert work.reserve()
        work.run(piece)
    await work.idle()
    assert [str(e) for e in errors] == ["users.info answered 500"]
    assert done == ["fine"] and work.depth == 0


async def test_a_shutdown_gives_back_every_place_and_awaits_nothing_left_behind() -> None:
    work, errors = queue(workers=2)
    started: list[int] = []

    async def piece(n: int) -> None:
        started.append(n)
        await asyncio.Event().wait()  # never finishes: cancelled by the shutdown

    for n in range(6):
        assert work.reserve()
        work.run(piece(n))
    for _ in range(3):
        await asyncio.sleep(0)
    assert started == [0, 1]
    for task in list(work._running):
        task.cancel()
    await work.idle()
    # The four that never started were closed (no "never awaited" warning) and their places
    # given back: they are in the inbox, unprocessed, for the next start.
    assert work.depth == 0 and work.waiting == 0 and errors == []
    assert started == [0, 1]


async def test_an_orderly_stop_finishes_the_running_pieces_and_starts_no_more() -> None:
    work, errors = queue(workers=2)
    finished: list[int] = []
    gate = asyncio.Event()

    async def piece(n: int) -> None:
        await gate.wait()  # a slow users.info, say
        finished.append(n)

    for n in range(6):
        assert work.reserve()
        work.run(piece(n))
    for _ in range(3):
        await asyncio.sleep(0)
    work.stop()
    assert (work.waiting, work.depth) == (0, 2)  # the four waiting stay in the inbox
    assert work.reserve()
    work.run(piece(99))  # stored while stopping: left to the next start as well
    gate.set()
    await work.idle()
    assert finished == [0, 1] and work.depth == 0 and errors == []
