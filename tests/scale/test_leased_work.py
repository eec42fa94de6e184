"""Two Plein processes on one database (both backends): poll-close announcements and welcomes are
claimed with a lease (bot/leases.py). A process that dies between its claim and the end of the
post leaves the work to the other, which does it once after the lease; never twice, never lost."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.actions import Action, Delivery, PostMessage, SendDM
from bot.app import Plein
from bot.events import MemberJoined
from bot.features.polls.service import PollRequest
from storage.claims import DEFAULT_LEASE
from tests.onboarding.helpers import BASE, START, Recorder, member, start_app

CONFIG = BASE.replace("[polls]\nenabled = false", "[polls]\nenabled = true")


@dataclass
class Dying(Recorder):
    """A platform that stops answering once `die()` was called: the process hangs in its post
    until it is killed (its task cancelled), as a SIGKILL would stop it mid-post."""

    dead: bool = False
    stuck: asyncio.Event = field(default_factory=asyncio.Event)

    async def perform(self, action: Action) -> Delivery:
        if self.dead:
            self.stuck.set()
            await asyncio.Event().wait()  # never answers
        return await super().perform(action)


async def two_processes(storage_url: str) -> tuple[Plein, Dying, Plein, Recorder]:
    a, _, _ = await start_app(storage_url, CONFIG)
    dying = Dying(clock=a.clock)  # type: ignore[arg-type]
    a.adapter = dying
    a.kit.outbox.gateway = dying
    b, recorder, _ = await start_app(storage_url, CONFIG)
    return a, dying, b, recorder


async def killed_in_its_post(dying: Dying, work: Callable[[], Awaitable[object]]) -> None:
    """Start `work` on the dying process, wait until it hangs in the platform call, kill it."""
    dying.dead = True
    task = asyncio.create_task(work())
    await asyncio.wait({task, asyncio.create_task(dying.stuck.wait())}, timeout=10)
    assert dying.stuck.is_set() and not task.done()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def posts(actions: list[Action], key_prefix: str) -> list[PostMessage]:
    return [
        a
        for a in actions
        if isinstance(a, PostMessage) and a.key is not None and a.key.startswith(key_prefix)
    ]


async def test_a_poll_close_whose_closer_died_is_announced_once_by_the_other(
    storage_url: str,
) -> None:
    a, dying, b, recorder = await two_processes(storage_url)
    try:
        poll = await a.features["polls"].create(
            PollRequest(
                question="Welke dag?",
                options=("Ma", "Di"),
                channel="algemeen",
                creator_id="test:mia",
                duration=timedelta(hours=1),
            )
        )
        await a.features["polls"].vote(poll, "test:ann", 1)
        closes = poll.closes_at
        assert closes is not None
        await killed_in_its_post(dying, lambda: a.features["polls"].close(poll.id, closes))

        await b.scheduler.advance_to(closes + DEFAULT_LEASE - timedelta(seconds=1))
        assert posts(recorder.take(), "polls.close") == []  # the lease holds: maybe it lives

        await b.scheduler.advance_to(closes + DEFAULT_LEASE + timedelta(minutes=1))
        [announced] = posts(recorder.take(), "polls.close")
        assert announced.look_first  # a takeover: Slack/Discord find a post the dead one made
        assert "Ma" in announced.text

        await b.scheduler.advance_to(closes + timedelta(days=1))
        assert posts(recorder.take(), "polls.close") == []
    finally:
        await b.close()
        await a.close()


async def test_two_processes_closing_at_once_announce_once(storage_url: str) -> None:
    a, _, b, recorder = await two_processes(storage_url)
    try:
        poll = await a.features["polls"].create(
            PollRequest(
                question="Welke dag?",
                options=("Ma", "Di"),
                channel="algemeen",
                creator_id="test:mia",
                duration=timedelta(hours=1),
            )
        )
        closes = poll.closes_at
        assert closes is not None
        won = await asyncio.gather(
            *(p.features["polls"].close(poll.id, closes) for p in (a, b, a, b))
        )
        assert sorted(won) == [False, False, False, True]
    finally:
        await b.close()
        await a.close()


async def test_a_welcome_whose_sender_died_is_sent_once_by_the_other(storage_url: str) -> None:
    a, dying, b, recorder = await two_processes(storage_url)
    try:
        await killed_in_its_post(dying, lambda: a.dispatch(MemberJoined(member=member("ann"))))

        await b.scheduler.advance_to(START + DEFAULT_LEASE - timedelta(seconds=1))
        assert [x for x in recorder.take() if isinstance(x, SendDM)] == []

        await b.scheduler.advance_to(START + DEFAULT_LEASE + timedelta(minutes=1))
        [welcome] = [x for x in recorder.take() if isinstance(x, SendDM)]
        assert welcome.member == "test:ann" and welcome.look_first and welcome.key is not None
        assert welcome.text.startswith("Welcome @ann to De Groene Ring!")

        # the join replayed on the living process, and a day later: no second welcome
        await b.dispatch(MemberJoined(member=member("ann")))
        await b.scheduler.advance_to(START + timedelta(days=1))
        assert [x for x in recorder.take() if isinstance(x, SendDM) and "Welcome" in x.text] == []
    finally:
        await b.close()
        await a.close()


WEEKLY = (
    BASE.replace("[spotlight]\nenabled = false", "[spotlight]\ninterview = false")
    .replace("[report]\nenabled = false", "[report]\nchart = false")
    .replace("[onboarding]\n", "[onboarding]\nenabled = false\n")
)
MONDAY = START + timedelta(hours=1)


async def test_weekly_posts_whose_poster_died_are_posted_once_by_the_other(
    storage_url: str,
) -> None:
    """The weekly report, the spotlight (here: nobody to spotlight, so the managers' notice) and
    the mission reminder."""
    a, _, _ = await start_app(storage_url, WEEKLY)
    dying = Dying(clock=a.clock)  # type: ignore[arg-type]
    a.kit.outbox.gateway = dying
    b, recorder, _ = await start_app(storage_url, WEEKLY)
    try:
        await killed_in_its_post(dying, lambda: a.features["report"].run_weekly(MONDAY))
        dying.stuck.clear()
        await killed_in_its_post(
            dying, lambda: a.features["spotlight"].spotlight.run_weekly(MONDAY)
        )

        dying.stuck.clear()
        week = a.features["spotlight"].spotlight.week(MONDAY)
        await killed_in_its_post(dying, lambda: a.features["spotlight"].mission.post(week, START))

        await b.scheduler.advance_to(START + DEFAULT_LEASE + timedelta(minutes=5))
        taken = recorder.take()
        [report] = posts(taken, "report.weekly")
        [notice] = posts(taken, "spotlight.post")
        [mission] = posts(taken, "spotlight.mission")
        assert report.look_first and notice.look_first and mission.look_first
        assert "Samen voor de natuur" in mission.text
        assert report.channel == notice.channel == "bestuur"

        # the weekly jobs' own run on the living process (a catch-up) finds them done
        await b.features["report"].run_weekly(MONDAY)
        await b.features["spotlight"].spotlight.run_weekly(MONDAY)
        assert not await b.features["spotlight"].mission.post(week, b.clock.now())
        await b.scheduler.advance_to(START + timedelta(days=1))
        taken = recorder.take()
        assert posts(taken, "report.weekly") == posts(taken, "spotlight.post") == []
        assert posts(taken, "spotlight.mission") == []
    finally:
        await b.close()
        await a.close()
