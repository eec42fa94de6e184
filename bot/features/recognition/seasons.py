"""Leaderboard seasons: a quarter or a month of the community's calendar, its board, and the
season's recognition posted once on its last day.

The board is summed from the daily aggregates over the season's days, so a season needs no
counters of its own and nothing is reset: when the next season starts, its board simply starts
empty. Ladder levels follow the rolling window and are never touched.

The post is a recurring job on the last possible days of a season's last month; the run whose
local day is the season's last claims the season (a unique row), so it is posted once across
restarts and processes, and `catch_up` posts it after downtime that spanned the moment.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.actions import Action, PostMessage
from bot.features.recognition.periods import LocalDays
from bot.features.recognition.ports import Ranked, RecognitionStore
from bot.kit import Kit
from bot.scheduling import RecurringJob

SEASON_JOB = "recognition.season"
CATCH_UP = timedelta(days=3)
"""After downtime over the post moment, the recognition is still posted within this window."""
BOARD = 10
HONOURS = 3


@dataclass(frozen=True)
class Season:
    key: str
    """'q2026-1' or 'm2026-03': the claim key of its recognition post."""
    start: date
    end: date
    """The first day after the season."""

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def season_of(kind: str, day: date) -> Season | None:
    if kind == "quarter":
        quarter = (day.month - 1) // 3
        start = date(day.year, quarter * 3 + 1, 1)
        key = f"q{day.year}-{quarter + 1}"
    elif kind == "month":
        start = date(day.year, day.month, 1)
        key = f"m{day.year}-{day.month:02d}"
    else:
        return None
    months = 3 if kind == "quarter" else 1
    year, month = divmod(start.month - 1 + months, 12)
    return Season(key, start, date(start.year + year, month + 1, 1))


def post_cron(kind: str, hour: int) -> str:
    """Every day a season can end on (28-31) of the months seasons end in; the run checks."""
    months = "3,6,9,12" if kind == "quarter" else "*"
    return f"0 {hour} 28-31 {months} *"


class Seasons:
    def __init__(
        self,
        kit: Kit,
        store: RecognitionStore,
        days: LocalDays,
        flush: Callable[[], Awaitable[None]],
    ) -> None:
        self.kit = kit
        self._flush = flush
        self.store = store
        self.days = days
        self.config = kit.config.recognition
        self.kind = self.config.season

    @property
    def on(self) -> bool:
        return self.kind != "none"

    def current(self) -> Season | None:
        return season_of(self.kind, self.days.of(self.kit.clock.now()))

    def job(self) -> RecurringJob:
        return RecurringJob(
            name=SEASON_JOB,
            cron=post_cron(self.kind, self.config.season_post_hour),
            run=self.post_if_last_day,
            catch_up=CATCH_UP,
        )

    async def post_if_last_day(self, fire_time: datetime) -> None:
        day = self.days.of(fire_time)
        season = season_of(self.kind, day)
        if season is None or day != season.last_day:
            return
        if not await self.store.claim_season_post(season.key, self.kit.clock.now()):
            return  # posted before (a restart, a catch-up, another process)
        await self._flush()
        actions = await self.recognition(season)
        await self.kit.outbox.send_all(list(actions))

    async def recognition(self, season: Season) -> Sequence[Action]:
        t = self.kit.t
        store = self.store
        window = self.kit.config.spotlight.newcomer_window
        sections = [
            ("points", await store.season_top(season.start, season.end, HONOURS)),
            (
                "newcomers",
                await store.season_newcomer_thanks(
                    self.days.start_of(season.start),
                    self.days.start_of(season.end),
                    window,
                    HONOURS,
                ),
            ),
            ("hosts", await store.season_kind_counts("hosted", season.start, season.end, HONOURS)),
            (
                "thanked",
                await store.season_kind_counts("kudos_received", season.start, season.end, HONOURS),
            ),
        ]
        if not any(ranked for _, ranked in sections):
            return []
        lines = [
            t(
                "recognition.season.post.title",
                start=t.date(season.start, year=True, weekday=False),
                end=t.date(season.last_day, year=True, weekday=False),
            )
        ]
        for name, ranked in sections:
            if not ranked:
                continue
            people = ", ".join(
                t(f"recognition.season.post.{name}.item", member=self._who(r), count=r.points)
                for r in ranked
            )
            lines.append(t(f"recognition.season.post.{name}", members=people))
        lines.append(t("recognition.season.post.footer"))
        channel = self.config.season_channel or self.config.announce_channel
        return [
            PostMessage(
                channel=channel or self.kit.config.community.default_channel,
                text="\n".join(lines),
            )
        ]

    def _who(self, ranked: Ranked) -> str:
        return self.kit.outbox.mention(ranked.member_id)
