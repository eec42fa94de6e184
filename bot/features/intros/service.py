"""The introductions' rules: make each round once, send each group's introduction once, ask a
week later whether they met.

A round is one row, unique on its scheduled time, written together with its groups in one
transaction: a second process, a replayed fire or a restart finds it and makes nothing. Each
group's introduction is claimed (sent_at set) before it is sent, and so is its follow-up.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from bot.actions import Choice, GroupDM, SendDM, Style
from bot.config.intros import IntrosConfig
from bot.config.onboarding import OnboardingConfig
from bot.features.intros.pairing import Candidate, Group, Round, interest_tokens, make_round
from bot.features.intros.ports import GroupRow, IntrosStore, Levels, Pool, WelcomeAnswers
from bot.features.intros.schedule import is_round, round_seed
from bot.features.intros.text import IntroText
from bot.features.report.weeks import week_of
from bot.kit import Kit

log = logging.getLogger("plein.intros")

MET_PREFIX = "intros"
FOLLOWUP_BATCH = 200


def met_choice_id(group_id: int, answer: str) -> str:
    return f"{MET_PREFIX}:met:{group_id}:{answer}"


class IntrosService:
    def __init__(
        self,
        kit: Kit,
        store: IntrosStore,
        text: IntroText,
        welcome: WelcomeAnswers | None,
        levels: Levels | None,
    ) -> None:
        self.kit = kit
        self.store = store
        self.text = text
        self.welcome = welcome
        self.levels = levels

    @property
    def config(self) -> IntrosConfig:
        return self.kit.config.intros

    @property
    def onboarding(self) -> OnboardingConfig:
        return self.kit.config.onboarding

    # ---- a round ----------------------------------------------------------------------------

    def next_round(self, after: datetime) -> datetime | None:
        current = after
        for _ in range(60):
            fire = self.kit.cron.next_fire(self.config.when, current)
            if fire is None:
                return None
            if is_round(fire, self.config.every, self.kit.tz):
                return fire
            current = fire
        return None

    async def fire(self, fire_time: datetime) -> None:
        if not is_round(fire_time, self.config.every, self.kit.tz):
            return
        if not await self.store.round_exists(fire_time):
            await self.make(fire_time)
        await self.send_unsent()

    async def make(self, fire_time: datetime) -> Round | None:
        now = self.kit.clock.now()
        pool = await self.pool(now)
        skipped = [p.member_id for p in pool if p.skip_next]
        taking = [p for p in pool if not p.skip_next]
        seed = round_seed(fire_time, self.config.seed, self.kit.tz)
        made = await asyncio.to_thread(  # seconds for a large community: off the event loop
            make_round,
            [self._candidate(p, now) for p in taking],
            await self.store.last_met(),
            now=fire_time,
            repeat_after=self.config.repeat_after,
            seed=seed,
        )
        created = await self.store.create_round(
            fire_time,
            seed % 2**31,
            made.groups,
            skipped,
            now=now,
            # local wall-clock arithmetic: a week later at the same local time, across DST
            followup_due=fire_time.astimezone(self.kit.tz) + self.config.followup_after,
        )
        if not created:
            return None
        log.info(
            "intros round %s: %d groups, %d skipped, %d unpaired",
            fire_time.isoformat(),
            len(made.groups),
            len(skipped),
            len(made.unpaired),
        )
        for member in made.unpaired:
            await self.kit.outbox.send(SendDM(member=member, text=self.kit.t("intros.unpaired")))
        return made

    async def pool(self, now: datetime, *, active_only: bool = True) -> list[Pool]:
        """Opted-in members present now and seen (or opted in) within `active_within`, with
        their welcome answers (without onboarding: none) and rung (without recognition: 0)."""
        since = now - self.config.active_within
        opted = await self.store.opted_in()
        levels = await self.levels.level_states([o.member_id for o in opted]) if self.levels else {}
        pool = []
        for member in opted:
            answers: dict[str, str | None] = {}
            seen = member.opted_at
            if self.welcome is not None:
                answers = await self.welcome.answers(member.member_id)
                state = await self.welcome.state(member.member_id)
                if state is not None and state.last_seen_at is not None:
                    seen = max(seen, state.last_seen_at)
            if active_only and seen < since:
                continue
            level = levels.get(member.member_id)
            pool.append(
                Pool(
                    member_id=member.member_id,
                    first_joined_at=member.first_joined_at,
                    answers=answers,
                    rung=level.level if level is not None else 0,
                    trios=member.trios,
                    skip_next=member.skip_next,
                )
            )
        return pool

    def _candidate(self, pool: Pool, now: datetime) -> Candidate:
        questions = [q for q in self.onboarding.questions if q.public]  # a reason is shown
        tokens = interest_tokens(
            pool.answers,
            [q.id for q in questions if q.is_choice],
            [q.id for q in questions if q.match and not q.is_choice],
        )
        return Candidate(
            id=pool.member_id,
            interests=tokens,
            rung=pool.rung,
            newcomer=now - pool.first_joined_at < self.config.newcomer_for,
            trios=pool.trios,
        )

    async def send_unsent(self) -> None:
        rows = await self.store.unsent()
        if not rows:
            return
        now = self.kit.clock.now()
        pool = {p.member_id: p for p in await self.pool(now, active_only=False)}
        for row in rows:
            if not await self.store.claim_send(row.id, now):
                continue
            await self._introduce(row, pool, now)

    async def _introduce(self, row: GroupRow, pool: dict[str, Pool], now: datetime) -> None:
        candidates = [
            self._candidate(pool[m], now)
            if m in pool
            else Candidate(m, {})  # left or went quiet since the round: no answers to share
            for m in row.members
        ]
        shared = set(candidates[0].interests)
        for candidate in candidates[1:]:
            shared &= candidate.interests.keys()
        things = tuple(sorted({candidates[0].interests[s] for s in shared}))[:3]
        group = Group(row.members, things)
        newcomers = [c.id for c in candidates if c.newcomer]
        text = self.text.introduction(group, newcomers, row.id)
        delivery = await self.kit.outbox.send(
            GroupDM(
                members=row.members,
                text=text,
                title=self.kit.t("intros.thread_title"),
                channel=self.config.channel,
            )
        )
        if delivery.ok:
            return
        log.info("no group conversation (%s); introducing one by one", delivery.reason)
        for member in row.members:
            others = [m for m in row.members if m != member]
            await self.kit.outbox.send(
                SendDM(
                    member=member,
                    text=self.kit.t("intros.introduction.alone", others=self.text.names(others))
                    + "\n\n"
                    + text,
                )
            )

    # ---- a week later -----------------------------------------------------------------------

    async def next_followup_due(self) -> datetime | None:
        return await self.store.next_followup_due()

    async def run_followups(self, now: datetime) -> None:
        t = self.kit.t
        for row in await self.store.due_followups(now, FOLLOWUP_BATCH):
            if not await self.store.claim_followup(row.id, now):
                continue
            if now - row.followup_due > self.config.catch_up + self.config.followup_after:
                continue  # long stale after downtime: not asked in a burst
            for member in row.members:
                others = [m for m in row.members if m != member]
                await self.kit.outbox.send(
                    SendDM(
                        member=member,
                        text=t("intros.followup", others=self.text.names(others)),
                        choices=(
                            Choice(
                                met_choice_id(row.id, "yes"), t("intros.met.yes"), Style.SUCCESS
                            ),
                            Choice(met_choice_id(row.id, "no"), t("intros.met.no")),
                        ),
                    )
                )

    async def report_lines(self, start: datetime, end: datetime) -> list[str]:
        figures = await self.store.figures(start, end)
        if not figures.groups and not figures.answered:
            return []
        t = self.kit.t
        if not figures.answered:
            return [t("intros.report.no_answers", groups=figures.groups)]
        share = f"{t.number(round(100 * figures.met / figures.answered))}%"
        return [
            t(
                "intros.report",
                groups=figures.groups,
                met=figures.met,
                answered=figures.answered,
                share=share,
            )
        ]

    async def answered(self, group_id: int, member: str, met: bool) -> bool:
        now = self.kit.clock.now()
        return await self.store.record_met(group_id, member, met, now, week_of(now, self.kit.tz))
