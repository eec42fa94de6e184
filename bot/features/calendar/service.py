"""The calendar's rules: decide, remind, claim and post each occurrence exactly once.

Every occurrence is a row (unique slot key + scheduled time). The prompt is decided when the
hosts are reminded (or at posting time if there was no reminder) and kept in that row, so the
reminded prompt is the posted one. Posting first claims the row with a lease (planned ->
posting, one transaction): a second process, a replay or a restart finds it claimed and does
nothing. A claim whose process died before it finished is taken over once the lease expires
(`take_over`, a deadline source), so the post is late but not lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.actions import PostMessage
from bot.config.calendar import CalendarConfig
from bot.features.api import EventPublisher, PostedPrompt, PromptListener, SurveyPublisher
from bot.features.calendar.hosts import Hosts
from bot.features.calendar.plan import (
    MANUAL_PREFIX,
    Pick,
    SlotPlan,
    choose,
    choose_prompt,
    find_prompt,
    find_theme,
)
from bot.features.calendar.ports import CalendarStore, Occurrence, Status, Usage
from bot.features.calendar.posting import Poster
from bot.features.calendar.reminding import alert_nothing, next_fires, remind_hosts
from bot.features.calendar.replies import ReplyLinker
from bot.features.calendar.text import CalendarText
from bot.kit import Kit

log = logging.getLogger("plein.calendar")

MAX_PER_SLOT = 200
"""Bound on occurrences looked at per slot in one pass (a '* * * * *' slot must not hang us)."""


@dataclass(frozen=True)
class Upcoming:
    slot: SlotPlan
    at: datetime
    occurrence: Occurrence | None
    pick: Pick | None

    @property
    def skipped(self) -> bool:
        return self.occurrence is not None and self.occurrence.status is Status.SKIPPED


@dataclass(frozen=True)
class ManualResult:
    pick: Pick | None
    channel: str
    ok: bool
    reason: str | None = None


class CalendarService:
    def __init__(
        self,
        kit: Kit,
        store: CalendarStore,
        plan: CalendarConfig,
        slots: list[SlotPlan],
        *,
        poster: Poster,
        hosts: Hosts,
        text: CalendarText,
        linker: ReplyLinker,
    ) -> None:
        self.kit = kit
        self.store = store
        self.plan = plan
        self.slots = slots
        self.poster = poster
        self.hosts = hosts
        self.text = text
        self.linker = linker
        self.post_listeners: list[PromptListener] = []

    def add_event_publisher(self, events: EventPublisher) -> None:
        """The events feature: event prompts with a time become events with RSVP."""
        self.poster.events = events

    def add_survey_publisher(self, surveys: SurveyPublisher) -> None:
        """The surveys feature: survey prompts open a survey with reminders and a close."""
        self.poster.surveys = surveys

    def add_post_listener(self, listener: PromptListener) -> None:
        """Another feature hears of every posted prompt (health: question prompts are asks)."""
        self.post_listeners.append(listener)

    async def _tell_listeners(self, pick: Pick, channel: str, ref: str, now: datetime) -> None:
        posted = PostedPrompt(pick.prompt.type, pick.theme.name, channel, ref, now)
        for listener in self.post_listeners:
            try:
                await listener(posted)
            except Exception:
                log.exception("a listener failed on the %s post of %s", posted.type, posted.theme)

    # ---- deciding ---------------------------------------------------------------------------

    def _choose(self, slot: SlotPlan, usage: Usage, at: datetime) -> Pick | None:
        return choose(
            slot,
            self.plan.themes,
            usage,
            at,
            tz=self.kit.tz,
            rotation=self.plan.rotation,
            gap=self.plan.repeat_gap,
        )

    async def _planned(self, slot: SlotPlan, at: datetime) -> Occurrence:
        """The occurrence row, deciding its prompt now if nobody did yet."""
        existing = await self.store.get(slot.key, at)
        if existing is not None:
            return existing
        pick = self._choose(slot, await self.store.usage(), at)
        occurrence, _ = await self.store.plan(
            slot_key=slot.key,
            scheduled_at=at,
            now=self.kit.clock.now(),
            theme=pick.theme.name if pick else None,
            prompt_key=pick.key if pick else None,
            prompt_type=pick.prompt.type if pick else None,
            channel=slot.channel,
        )
        return occurrence

    def _pick_of(self, occurrence: Occurrence) -> Pick | None:
        if occurrence.theme is None or occurrence.prompt_key is None:
            return None
        return find_prompt(self.plan.themes, occurrence.theme, occurrence.prompt_key)

    # ---- posting ----------------------------------------------------------------------------

    async def fire(self, slot: SlotPlan, at: datetime) -> None:
        """Post this slot's occurrence at `at` - at most once, whoever calls and however often."""
        now = self.kit.clock.now()
        if await self.store.is_paused():
            occurrence, created = await self.store.plan(
                slot_key=slot.key, scheduled_at=at, now=now, status=Status.SKIPPED, note="paused"
            )
            if not created:
                await self.store.skip_planned(occurrence.id, "paused")
            return
        occurrence = await self._planned(slot, at)
        if occurrence.status is not Status.PLANNED:
            return
        pick = self._pick_of(occurrence)
        if pick is None:
            # decided before a TOML change removed it, or nothing was left then: decide again
            pick = self._choose(slot, await self.store.usage(), at)
        if not await self.store.claim_post(occurrence.id, now):
            return
        if pick is None:
            await self.store.finish(occurrence.id, Status.SKIPPED, now, note="nothing to post")
            if occurrence.reminded_at is None:
                await alert_nothing(self.kit, self.text, slot, at)
            return
        await self._publish(occurrence.id, pick, slot.channel, now)

    async def _publish(
        self, occurrence_id: int, pick: Pick, channel: str, now: datetime, takeover: bool = False
    ) -> bool:
        published = await self.poster.publish(pick, channel, occurrence_id, now, takeover=takeover)
        if not published.ok:
            await self.store.finish(occurrence_id, Status.FAILED, now, note=published.reason)
            await self.kit.outbox.send(
                PostMessage(
                    channel=self.kit.config.community.managers_channel,
                    text=self.kit.t(
                        "calendar.alert.failed",
                        type=self.text.type_label(pick.prompt.type).lower(),
                        theme=pick.theme.name,
                        channel=self.text.channel(channel),
                        reason=published.reason or "?",
                    ),
                )
            )
            return False
        if published.message_ref:  # before `finish`: a crash in between re-tells the same ref
            await self._tell_listeners(pick, channel, published.message_ref, now)
        await self.store.finish(
            occurrence_id,
            Status.POSTED,
            now,
            message_ref=published.message_ref,
            thread_ref=published.thread_ref,
            note=None,
        )
        self.linker.remember(occurrence_id, pick.theme.name, published)
        return True

    async def next_takeover(self) -> datetime | None:
        return await self.store.next_takeover()

    async def take_over(self, now: datetime) -> None:
        """Posts another process claimed and never finished (it died): post them now, once."""
        for occurrence_id in await self.store.abandoned_posts(now):
            occurrence = await self.store.by_id(occurrence_id)
            if occurrence is None or occurrence.status is not Status.POSTING:
                await self.store.close_post_claim(occurrence_id, now)  # or it comes due forever
                continue
            if not await self.store.claim_post(occurrence_id, now):
                continue  # another process took it over first
            log.warning(
                "taking over calendar post %s (%s): the process that claimed it stopped",
                occurrence_id,
                occurrence.scheduled_at.isoformat(),
            )
            pick = self._pick_of(occurrence)
            if pick is None:
                await self.store.finish(occurrence_id, Status.SKIPPED, now, note="nothing to post")
                continue
            channel = occurrence.channel or self.kit.config.community.default_channel
            await self._publish(occurrence_id, pick, channel, now, takeover=True)

    async def post_now(self, theme_name: str) -> ManualResult | None:
        """`/calendar post THEME`: the theme's next prompt, now, in the theme's slot channel."""
        theme = find_theme(self.plan.themes, theme_name)
        if theme is None:
            return None
        channel = next(
            (s.channel for s in self.slots if s.theme.lower() == theme.name.lower()),
            next((s.channel for s in self.slots), self.kit.config.community.default_channel),
        )
        now = self.kit.clock.now()
        pick = choose_prompt(
            theme, await self.store.usage(), at=now, tz=self.kit.tz, rotation=self.plan.rotation
        )
        if pick is None:
            return ManualResult(None, channel, ok=False)
        occurrence, created = await self.store.plan(
            slot_key=f"{MANUAL_PREFIX}{theme.name}"[:200],
            scheduled_at=now,
            now=now,
            theme=theme.name,
            prompt_key=pick.key,
            prompt_type=pick.prompt.type,
            channel=channel,
        )
        if not created or not await self.store.claim_post(occurrence.id, now):
            return ManualResult(pick, channel, ok=False, reason="already posted")
        ok = await self._publish(occurrence.id, pick, channel, now)
        return ManualResult(pick, channel, ok=ok, reason=None if ok else "not delivered")

    # ---- after downtime ---------------------------------------------------------------------

    async def catch_up(self) -> None:
        """Misfire policy, once adapters are ready: per slot, the latest missed occurrence is
        posted once if it is at most `misfire_grace` late; older ones are skipped; never a burst."""
        now = self.kit.clock.now()
        grace = self.plan.misfire_grace
        for slot in self.slots:
            latest = None
            for fire in self.kit.cron.fire_times(slot.cron, now - grace - _TICK, now):
                latest = fire
            last_seen = await self.store.last_scheduled(slot.key)
            if last_seen is None:
                continue  # a slot that never ran (first start, new slot) missed nothing
            if last_seen < now - grace:
                skipped = self._count(slot, last_seen, now - grace - _TICK)
                if skipped:
                    log.warning(
                        "calendar slot %s: skipped %s occurrence(s) missed while down (older than %s)",
                        slot.key,
                        f"{skipped}+" if skipped >= MAX_PER_SLOT else skipped,
                        grace,
                    )
            if latest is not None:
                # fire() claims the row: a missed occurrence that was in fact posted stays posted
                await self.fire(slot, latest)

    def _count(self, slot: SlotPlan, after: datetime, until: datetime) -> int:
        count = 0
        for _ in self.kit.cron.fire_times(slot.cron, after, until):
            count += 1
            if count >= MAX_PER_SLOT:
                break
        return count

    # ---- reminders --------------------------------------------------------------------------

    def _fires(self, slot: SlotPlan, after: datetime, until: datetime) -> Iterator[datetime]:
        for count, fire in enumerate(self.kit.cron.fire_times(slot.cron, after, until)):
            if count >= MAX_PER_SLOT:
                return
            yield fire

    async def _unreminded(self, now: datetime) -> list[tuple[SlotPlan, datetime]]:
        """Future occurrences whose reminder time has come and who were not yet handled."""
        horizon = now + self.plan.reminder_before
        rows = await self.store.between(now, horizon)
        done = {
            (r.slot_key, r.scheduled_at)
            for r in rows
            if r.reminded_at is not None or r.status is not Status.PLANNED
        }
        due = []
        for slot in self.slots:
            for fire in self._fires(slot, now, horizon):
                if (slot.key, fire) not in done:
                    due.append((slot, fire))
        return sorted(due, key=lambda d: d[1])

    async def next_reminder_due(self) -> datetime | None:
        if not self.slots or await self.store.is_paused():
            return None
        now = self.kit.clock.now()
        due = await self._unreminded(now)
        if due:
            return due[0][1] - self.plan.reminder_before
        horizon = now + self.plan.reminder_before
        nexts = [self.kit.cron.next_fire(s.cron, horizon) for s in self.slots]
        upcoming = [n for n in nexts if n is not None]
        return min(upcoming) - self.plan.reminder_before if upcoming else None

    async def run_reminders(self, now: datetime) -> None:
        if await self.store.is_paused():
            return
        for slot, at in await self._unreminded(now):
            occurrence = await self._planned(slot, at)
            if occurrence.status is not Status.PLANNED:
                continue
            if not await self.store.claim_reminder(occurrence.id, now):
                continue
            if at - self.plan.reminder_before < now - self.plan.misfire_grace:
                # started (or came back) long after the reminder moment: same misfire rule as
                # posts - a stale reminder is dropped, not sent in a burst
                log.info("calendar slot %s: reminder for %s is too late, not sent", slot.key, at)
                continue
            pick = self._pick_of(occurrence)
            if pick is None:
                await alert_nothing(self.kit, self.text, slot, at)
                continue
            await remind_hosts(self.kit, self.hosts, self.text, slot, at, pick)

    # ---- looking ahead ----------------------------------------------------------------------

    async def upcoming(self, count: int) -> list[Upcoming]:
        """The next `count` occurrences with the prompt each will post (decided or predicted)."""
        now = self.kit.clock.now()
        fires = next_fires(self.slots, self.kit.cron, count, now)
        if not fires:
            return []
        rows = {
            (r.slot_key, r.scheduled_at): r for r in await self.store.between(now, fires[-1][0])
        }
        usage = (await self.store.usage()).copy()
        out = []
        for at, slot in fires:
            row = rows.get((slot.key, at))
            if row is not None and row.status is not Status.PLANNED:
                out.append(Upcoming(slot, at, row, self._pick_of(row)))
                continue
            pick = self._pick_of(row) if row is not None else None
            if pick is None:
                pick = self._choose(slot, usage, at)
                if pick is not None:
                    usage.record(slot.key, pick.theme.name, pick.key, at)
            out.append(Upcoming(slot, at, row, pick))
        return out

    async def skip_next(self, by: str) -> Upcoming | None:
        for item in await self.upcoming(max(len(self.slots), 1) * 3):
            if item.skipped:
                continue
            now = self.kit.clock.now()
            occurrence, created = await self.store.plan(
                slot_key=item.slot.key,
                scheduled_at=item.at,
                now=now,
                status=Status.SKIPPED,
                theme=item.pick.theme.name if item.pick else None,
                channel=item.slot.channel,
                note=f"skipped by {by}"[:200],
            )
            if created or await self.store.skip_planned(occurrence.id, f"skipped by {by}"[:200]):
                return item
        return None


_TICK = timedelta(microseconds=1)
