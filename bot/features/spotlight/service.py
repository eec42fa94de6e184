"""The weekly spotlight: pick fairly, optionally interview, post exactly once per week."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import cast

from bot.actions import PostMessage
from bot.features.report.facts import OWN_KINDS, OnboardingRow
from bot.features.report.health_facts import HealthFacts
from bot.features.report.weeks import local_day, week_of
from bot.features.spotlight.ports import Nomination, SpotlightStorage
from bot.features.spotlight.render import SpotlightContent, render
from bot.features.spotlight.selection import (
    NEWCOMERS_HELPED,
    WEIGHED_KINDS,
    Candidate,
    Pick,
    Rules,
    allowed,
    choose,
)
from bot.kit import Kit
from bot.leases import Lease

log = logging.getLogger("plein.spotlight")

POST_CLAIM = "spotlight.post"
"""The leased claim on posting a week's spotlight (bot/leases.py)."""
KUDOS_WINDOW = timedelta(days=90)
OWN = tuple(sorted(OWN_KINDS))


class SpotlightService:
    def __init__(self, kit: Kit, storage: SpotlightStorage) -> None:
        self.kit = kit
        self.store = storage.spotlight
        self.facts = storage.facts
        self.roles = storage.roles
        self.source = storage.candidates
        self.cfg = kit.config.spotlight
        self.posts = kit.leases.work(POST_CLAIM, self._take_over)

    @property
    def channel(self) -> str:
        return self.cfg.channel or self.kit.config.community.default_channel

    @property
    def rules(self) -> Rules:
        return Rules(
            self.cfg.cooldown_weeks,
            self.cfg.mode,
            self.cfg.newcomer_window,
            require_rules=self._rules_required,
        )

    @property
    def _rules_required(self) -> bool:
        onboarding = self.kit.config.onboarding
        return bool(onboarding.enabled and onboarding.require_rules_acceptance)

    def week(self, moment: datetime) -> date:
        return week_of(moment, self.kit.tz)

    # ---- choosing ----------------------------------------------------------------------------

    def lookback_days(self, now: datetime) -> tuple[date, date]:
        """The local days the activity is counted on: the last `lookback` days up to today
        (whole days, read from the daily rows; a part of a day counts as a day)."""
        days = max(1, -(-self.cfg.lookback // timedelta(days=1)))
        last = local_day(now, self.kit.tz)
        return last - timedelta(days=days - 1), last

    async def candidates(
        self, now: datetime, nominations: list[Nomination] | None = None
    ) -> tuple[list[Candidate], frozenset[str]]:
        """The members the draw can weigh (present, human, active on the lookback days) and the
        nominated present members; with the ones not to pick (managers, unless included)."""
        if nominations is None:
            nominations = await self.store.open_nominations()
        first, last = self.lookback_days(now)
        active = await self.source.active_members(first, last, now, WEIGHED_KINDS, OWN)
        nominated = {n.member_id for n in nominations} - {a.member_id for a in active}
        rows = [(a.member_id, a.first_joined_at, dict(a.kinds)) for a in active]
        rows += [
            (member_id, joined, {})
            for member_id, joined in (await self.source.present(sorted(nominated), now)).items()
        ]
        helped = await self.newcomers_helped(now)
        for member_id, _, kinds in rows:
            if member_id in helped:
                kinds[NEWCOMERS_HELPED] = helped[member_id]
        ids = [member_id for member_id, _, _ in rows]
        welcomed = await self.facts.onboarding(ids) if self._rules_required else {}
        excluded = frozenset(
            member_id
            for member_id in ids
            if not self.cfg.include_managers and self.kit.is_manager(member_id)
        )
        candidates = [
            Candidate(member_id, joined, kinds, accepted_rules=_accepted(welcomed.get(member_id)))
            for member_id, joined, kinds in rows
        ]
        return candidates, excluded

    async def newcomers_helped(self, now: datetime) -> dict[str, int]:
        """Who helped newcomers in the lookback weeks (health figures; none without them)."""
        health = self.kit.config.health
        if not health.enabled or not getattr(self.facts, "available", False):
            return {}
        facts = cast(HealthFacts, self.facts)
        last = self.week(now)
        first = self.week(now - self.cfg.lookback)
        rows = await facts.newcomer_helpers(first, last, health.newcomer_days, 10_000)
        return {row.member_id: row.newcomers for row in rows}

    async def pick(
        self, week: date, now: datetime, exclude: frozenset[str] = frozenset()
    ) -> Pick | None:
        nominations = await self.store.open_nominations()
        candidates, excluded = await self.candidates(now, nominations)
        since = week - timedelta(weeks=self.cfg.cooldown_weeks)
        return choose(
            candidates,
            week=week,
            now=now,
            rules=self.rules,
            last_spotlight=await self.store.last_spotlights(since),
            prefs=await self.store.preferences(),
            nominations=nominations,
            exclude=excluded | exclude,
            seed=self.kit.config.community.name,
        )

    async def still_allowed(self, member_id: str, week: date, now: datetime) -> bool:
        present = await self.source.present([member_id], now)
        prefs = await self.store.preferences()
        if self._rules_required:
            welcomed = await self.facts.onboarding([member_id])
            if not _accepted(welcomed.get(member_id)):
                return False
        return member_id in present and allowed(member_id, week, self.rules, {}, prefs)

    # ---- posting -----------------------------------------------------------------------------

    async def publish(self, week: date, now: datetime) -> str:
        """Post this week's spotlight once across processes (a leased claim on the week, taken
        over when the poster died). Returns 'posted', 'already' or 'skipped'."""
        outcome = "already"

        async def post(key: str, lease: Lease, now: datetime) -> None:
            nonlocal outcome
            outcome = await self._publish(week, now, lease)

        await self.posts.run(week.isoformat(), now, post)
        return outcome

    async def _take_over(self, key: str, lease: Lease, now: datetime) -> None:
        await self._publish(date.fromisoformat(key), now, lease)

    async def _publish(self, week: date, now: datetime, lease: Lease) -> str:
        run = await self.store.run_for(week)
        if lease.taken_over and run is not None and run.message_ref is None:
            # the dead process chose (and maybe posted): the same post, found or made once
            if run.status == "posted" and run.member_id:
                return await self._post(week, run.member_id, now, lease)
            if run.status == "skipped":
                await self._notify_skipped(week, lease)
                return "skipped"
        if run is not None and run.status in ("posted", "skipped"):
            return "already"
        member_id: str | None = None
        if run is not None and run.status == "chosen" and run.member_id:
            if await self.still_allowed(run.member_id, week, now):
                if not await self.store.mark_posted(week, now, None):
                    return "already"
                member_id = run.member_id
            else:
                await self.store.decline(week, run.member_id)
                run = await self.store.run_for(week)
        if member_id is None and run is not None and run.status == "declined":
            exclude = frozenset({run.member_id}) if run.member_id else frozenset()
            pick = await self.pick(week, now, exclude)
            if not await self.store.replace_declined(week, pick.member_id if pick else None, now):
                return "already"
            member_id = pick.member_id if pick else None
            if member_id is None:
                await self._notify_skipped(week, lease)
                return "skipped"
        if member_id is None and run is None:
            pick = await self.pick(week, now)
            status = "posted" if pick else "skipped"
            if not await self.store.claim_week(
                week, pick.member_id if pick else None, status, now, "none"
            ):
                return "already"
            if pick is None:
                await self._notify_skipped(week, lease)
                return "skipped"
            member_id = pick.member_id
        if member_id is None:
            return "already"
        return await self._post(week, member_id, now, lease)

    async def _post(self, week: date, member_id: str, now: datetime, lease: Lease) -> str:
        text = await self.compose(member_id, week, now)
        post = PostMessage(
            channel=self.channel,
            text=text,
            open_thread=self.kit.t("spotlight.post.thread", name=await self._name(member_id)),
        )
        sent = await self.kit.leases.send(self.kit.outbox, [post], lease)
        if sent is None:
            return "already"  # another process took the post over while this one composed it
        [delivery] = sent
        await self.store.set_message_ref(week, delivery.ref)
        await self.store.use_nominations(member_id, week)
        log.info("spotlight posted for week %s", week)
        return "posted"

    async def _notify_skipped(self, week: date, lease: Lease) -> None:
        post = PostMessage(
            channel=self.kit.config.community.managers_channel,
            text=self.kit.t("spotlight.skipped", week=self.kit.t.date(week)),
        )
        await self.kit.leases.send(self.kit.outbox, [post], lease)

    async def _name(self, member_id: str) -> str:
        names = await self.facts.names([member_id])
        return names.get(member_id, member_id.split(":", 1)[-1])

    async def compose(
        self,
        member_id: str,
        week: date,
        now: datetime,
        nominations: list[Nomination] | None = None,
    ) -> str:
        t = self.kit.t
        if nominations is None:
            nominations = [
                n for n in await self.store.open_nominations() if n.member_id == member_id
            ]
        activity = await self.facts.activity(now - self.cfg.lookback, now)
        kudos = await self.facts.kudos(now - KUDOS_WINDOW, now, receiver_id=member_id)
        about = await self._quotable_welcome_answers(member_id)
        run = await self.store.run_for(week)
        interview: list[tuple[str, str]] = []
        if run is not None and run.member_id == member_id:
            answers = await self.store.answers(week)
            interview = [(q, a) for q, a in zip(self.questions(), answers, strict=False) if a]
        roles = [c.role for c in await self.roles.roles_of(member_id) if c.status == "approved"]
        givers = [k.giver_id for k in kudos]
        names = await self.facts.names(givers)
        content = SpotlightContent(
            member_id=member_id,
            mention=self.kit.outbox.mention(member_id),
            about=about,
            kinds=activity.get(member_id, {}),
            kudos=kudos,
            roles=roles,
            nominations=nominations,
            interview=interview,
        )
        return render(t, content, names, self.kit.outbox.mention)

    async def _quotable_welcome_answers(self, member_id: str) -> list[tuple[str, str]]:
        """Welcome answers go into a public post only with the member's consent: the question
        is `public` in the config and the member said yes to a public introduction with them."""
        welcomed = await self.facts.onboarding([member_id])
        if member_id not in welcomed or not welcomed[member_id].intro_posted:
            return []
        questions = {q.id: q for q in self.kit.config.onboarding.questions}
        return [
            (questions[qid].text, answer)
            for qid, answer in await self.facts.welcome_answers(member_id)
            if qid in questions and questions[qid].public
        ]

    def questions(self) -> list[str]:
        if self.cfg.questions:
            return list(self.cfg.questions)
        return [self.kit.t("spotlight.interview.q1"), self.kit.t("spotlight.interview.q2")]

    # ---- the weekly job ----------------------------------------------------------------------

    async def run_weekly(self, fire_time: datetime) -> None:
        await self.publish(self.week(fire_time), self.kit.clock.now())

    async def upcoming(
        self, now: datetime
    ) -> tuple[str, date, tuple[Nomination, ...] | None] | None:
        """Who would be spotlighted next if nothing changes, without claiming anything: the
        member already chosen for this or the coming week, or the pick the weekly job would make
        (the same `pick`). (member id, week, the nominations behind a nominated pick)"""
        fire = self.kit.cron.next_fire(self.cfg.when, now) or now
        week = self.week(fire)
        for run in (await self.store.run_for(self.week(now)), await self.store.run_for(week)):
            if run is not None and run.status == "chosen" and run.member_id:
                return run.member_id, run.week, None
        pick = await self.pick(week, now)
        return None if pick is None else (pick.member_id, week, pick.nominations)

    async def preview(self, now: datetime) -> tuple[str | None, str]:
        """(member id, text) of who would be spotlighted next, without claiming anything."""
        upcoming = await self.upcoming(now)
        if upcoming is None:
            return None, ""
        member_id, week, nominations = upcoming
        listed = None if nominations is None else list(nominations)
        return member_id, await self.compose(member_id, week, now, listed)


def _accepted(row: OnboardingRow | None) -> bool:
    """Members who were there before Plein were never asked (no row) and are not held back."""
    return row is None or row.rules_accepted
