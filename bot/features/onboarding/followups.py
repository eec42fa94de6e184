"""Follow-up contact moments: durable, once each, outside quiet hours, cancelled on leave.

Also keeps the cheap activity marks the conditions need ("has posted", "active"): at most one
mark per member per local day, guarded by a small in-memory set that resets each day. The marks
are gathered and written together (one transaction, ACTIVITY_DELAY after the first), never awaited
on the message path: a burst of first posts of the day costs one write, not one per member. A
crash loses the marks gathered since (at most ACTIVITY_DELAY); follow-ups write them first.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.actions import SendDM
from bot.config.onboarding import Followup
from bot.events import MessagePosted
from bot.features.onboarding.ports import DueFollowup, OnboardingState, OnboardingStore
from bot.features.onboarding.timing import local_day, outside_quiet_hours
from bot.kit import Kit
from bot.signals import MemberDeparted

log = logging.getLogger("plein.onboarding.followups")

SOURCE = "onboarding.followups"
ACTIVITY = "onboarding.activity"
ACTIVITY_DELAY = timedelta(seconds=1)
BATCH = 200


class Followups:
    def __init__(self, kit: Kit, store: OnboardingStore) -> None:
        self.kit = kit
        self.store = store
        self.config = kit.config.onboarding
        self._seen_day = ""
        self._seen: set[str] = set()
        # The UTC bounds of `_seen_day` in zone `_day_zone`: most messages fall inside them, so
        # the hot path compares instead of converting every moment to local time.
        self._day_zone = ""
        self._day_start = self._day_end = datetime.min.replace(tzinfo=UTC)
        self._marks: dict[str, datetime] = {}
        self._marks_since: datetime | None = None

    def morning_after(self, moment: datetime) -> datetime:
        quiet = self.config.quiet_hours
        return outside_quiet_hours(moment, self.kit.tz, quiet.start, quiet.end)

    async def schedule(self, member_id: str, joined_at: datetime) -> None:
        if not self.config.followups:
            return
        # Wall-clock arithmetic in the community's zone: "7d" after 08:00 is 08:00, across DST too.
        local = joined_at.astimezone(self.kit.tz)
        dues = [
            (index, self.morning_after((local + followup.after).astimezone(UTC)))
            for index, followup in enumerate(self.config.followups)
        ]
        await self.store.schedule_followups(member_id, dues)
        self.kit.jobs.poke(SOURCE)

    async def next_due(self) -> datetime | None:
        return await self.store.next_followup_due()

    async def run_due(self, now: datetime) -> None:
        await self.flush_activity()  # the conditions read the marks
        for _ in range(1000):
            due = await self.store.due_followups(now, BATCH)
            if not due:
                return
            latest: dict[str, int] = {}
            for row in due:
                latest[row.member_id] = max(latest.get(row.member_id, -1), row.index)
            for row in due:
                await self._handle(row, now, is_latest=latest[row.member_id] == row.index)

    async def _handle(self, row: DueFollowup, now: datetime, *, is_latest: bool) -> None:
        store = self.store
        if row.due_at < now - self.config.followup_grace:
            await store.finish_followup(row.member_id, row.index, "stale", now)
            return
        if not is_latest:
            # Several fell due during downtime: send only the newest, never a burst.
            await store.finish_followup(row.member_id, row.index, "stale", now)
            return
        morning = self.morning_after(now)
        if morning > now:
            await store.reschedule_followup(row.member_id, row.index, morning)
            return
        if row.index >= len(self.config.followups):
            await store.finish_followup(row.member_id, row.index, "skipped", now)
            return
        followup = self.config.followups[row.index]
        member = await self.kit.members.get(row.member_id)
        if member is None or member.left_at is not None:
            await store.finish_followup(row.member_id, row.index, "cancelled", now)
            return
        state = await store.state(row.member_id)
        if not self.condition_holds(followup, state, now):
            await store.finish_followup(row.member_id, row.index, "skipped", now)
            return
        if not await store.finish_followup(row.member_id, row.index, "sent", now):
            return
        community = self.kit.config.community
        text = followup.text.format(
            member=self.kit.outbox.mention(row.member_id),
            community=community.name,
            mission=community.mission,
        )
        # Closed DMs: the same channel fallback as the welcome (the outbox adds the mention).
        await self.kit.outbox.send(
            SendDM(member=row.member_id, text=text, fallback_channel=community.welcome_channel)
        )

    def condition_holds(
        self, followup: Followup, state: OnboardingState | None, now: datetime
    ) -> bool:
        condition = followup.only_if
        posted = state is not None and state.first_post_at is not None
        active = (
            state is not None
            and state.last_seen_at is not None
            and state.last_seen_at >= now - self.config.active_window
        )
        done = state is not None and state.questions_done_at is not None
        return {
            "always": True,
            "not_posted": not posted,
            "posted": posted,
            "active": active,
            "inactive": not active,
            "not_answered": not done,
        }[condition]

    async def on_departed(self, departed: MemberDeparted) -> None:
        await self.store.cancel_followups(departed.member_id, departed.at)

    async def on_message(self, event: MessagePosted) -> None:
        """Runs on every message: one write per member per local day at most."""
        if event.author.is_bot:
            return
        now = self.kit.clock.now()
        zone = self.kit.config.community.timezone
        if not (self._day_start <= now < self._day_end and zone == self._day_zone):
            self._new_day(now, zone)
        member_id = event.author.id
        if member_id in self._seen:
            return
        self._seen.add(member_id)
        if not self._marks:
            self._marks_since = now
            self.kit.jobs.poke(ACTIVITY)
        self._marks[member_id] = now

    async def activity_due(self) -> datetime | None:
        since = self._marks_since
        return since + ACTIVITY_DELAY if since is not None and self._marks else None

    async def write_activity(self, now: datetime) -> None:
        await self.flush_activity()

    async def flush_activity(self) -> None:
        """Write the gathered activity marks in one transaction (kept for a retry on failure)."""
        if not self._marks:
            return
        marks, self._marks, self._marks_since = self._marks, {}, None
        try:
            await self.store.record_activities(list(marks.items()))
        except Exception:
            for member_id, at in marks.items():
                self._marks.setdefault(member_id, at)
            self._marks_since = self.kit.clock.now()
            raise

    def _new_day(self, now: datetime, zone: str) -> None:
        tz = ZoneInfo(zone)
        day = local_day(now, tz)
        local = now.astimezone(tz).date()
        self._day_zone = zone
        self._day_start = datetime.combine(local, time(0), tzinfo=tz).astimezone(UTC)
        self._day_end = datetime.combine(local + timedelta(days=1), time(0), tzinfo=tz).astimezone(
            UTC
        )
        if day != self._seen_day:
            self._seen_day = day
            self._seen = set()
