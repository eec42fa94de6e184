"""Climbing the ladder: promotions after writes (announced once), quiet monthly demotions."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from bot.actions import Action, AddRole, PostMessage, RemoveRole, SendDM
from bot.features.recognition.ladder import level_for, next_step
from bot.features.recognition.periods import LocalDays, period_keys
from bot.features.recognition.ports import ContributionRow, KindStats, RecognitionStore
from bot.kit import Kit

log = logging.getLogger("plein.recognition.levels")


class Ladder:
    def __init__(self, kit: Kit, store: RecognitionStore, days: LocalDays) -> None:
        self.kit = kit
        self.config = kit.config.recognition
        self.store = store
        self.days = days
        self.rungs = self.config.levels
        self._gaps: dict[str, tuple[int, int, frozenset[str]]] = {}
        """member -> (points, contributions of the listed kinds) still missing for the next rung,
        as of their last check. Window decay only makes the real gap larger, so skipping members
        whose cached gap is not yet closed never misses a promotion."""
        self._kinds_of_rung = [frozenset(k.value for k in rung.requires_any) for rung in self.rungs]
        """One set per rung, shared by every member's gap (a set each cost 3 MiB at 10k members)."""

    def due(self, rows: Sequence[ContributionRow]) -> set[str]:
        """Members in these freshly written rows who may have reached a new rung."""
        gaps = self._gaps
        due: set[str] = set()
        for member, kind, _c, _a, _l, _r, points, _d in rows:
            gap = gaps.get(member)
            if gap is None:
                if points > 0:
                    due.add(member)
                continue
            missing_points, missing_count, kinds = gap
            missing_points -= points
            if kind in kinds:
                missing_count -= 1
            gaps[member] = (missing_points, missing_count, kinds)
            if missing_points <= 0 and missing_count <= 0:
                due.add(member)
        return due

    def forget(self, member_id: str) -> None:
        self._gaps.pop(member_id, None)

    def since(self, now: datetime) -> date:
        return self.days.of(now) - timedelta(days=max(1, self.config.window.days) - 1)

    async def stats(self, member_id: str) -> dict[str, KindStats]:
        found = await self.store.window_stats([member_id], self.since(self.kit.clock.now()))
        return found.get(member_id, {})

    async def current(self, member_id: str) -> int:
        states = await self.store.level_states([member_id])
        return states[member_id].level if member_id in states else 0

    async def check(self, member_ids: Iterable[str]) -> None:
        """Promote whoever now reaches a higher rung; announce a rung the first time only."""
        ids = sorted(set(member_ids))
        if not ids:
            return
        now = self.kit.clock.now()
        stats = await self.store.window_stats(ids, self.since(now))
        states = await self.store.level_states(ids)
        promotions: list[tuple[str, int, str | None]] = []
        for member in ids:
            mine = stats.get(member, {})
            reached = level_for(self.rungs, mine)
            self._remember_gap(member, mine, reached)
            state = states.get(member)
            if reached > (state.level if state else 0):
                promotions.append((member, reached, self.rungs[reached].role))
        if not promotions:
            return
        raised = await self.store.raise_levels(promotions, now)
        actions: list[Action] = []
        for member, reached, role in promotions:
            previous = raised.get(member)
            if previous is None:
                continue
            log.info("promoted %s to rung %d", member, reached)
            actions += self._roles(member, previous.role, role, "promotion")
            if reached > previous.announced:
                actions += self._announce(member, reached)
        if actions:
            await self.kit.outbox.send_all(actions)

    def _remember_gap(self, member: str, stats: dict[str, KindStats], level: int) -> None:
        step = next_step(self.rungs, stats, level)
        if step is None:
            self._gaps[member] = (1 << 62, 0, frozenset())
        else:
            kinds = self._kinds_of_rung[level + 1]
            self._gaps[member] = (step.points_missing, step.count_missing, kinds)

    def _roles(self, member: str, old: str | None, new: str | None, why: str) -> list[Action]:
        actions: list[Action] = []
        if old and old != new:
            actions.append(RemoveRole(member=member, role=old, reason=why))
        if new and new != old:
            actions.append(AddRole(member=member, role=new, reason=why))
        return actions

    def _announce(self, member: str, level: int) -> list[Action]:
        mode = self.config.announce
        if mode == "off":
            return []
        rung = self.rungs[level]
        text = self.kit.t(
            "recognition.promoted",
            member=self.kit.outbox.mention(member),
            level=rung.name,
            rung=level + 1,
            rungs=len(self.rungs),
        )
        channel = self.config.announce_channel or self.kit.config.community.default_channel
        if mode == "dm" or level < self.config.first_public_rung():
            # The first steps (a first vote) are a private pat on the back, not a public post.
            return [SendDM(member=member, text=text, fallback_channel=channel)]
        return [PostMessage(channel=channel, text=text)]

    async def daily(self, fire_time: datetime) -> None:
        """Retention roll-up, pruning old period totals, and quiet demotions."""
        now = self.kit.clock.now()
        cutoff = now - self.config.raw_retention
        deleted = await self.store.delete_raw_before(cutoff)
        today = self.days.of(now)
        keep = {key for back in range(0, 400, 7) for key in period_keys(today - timedelta(back))}
        keep |= set(period_keys(today - timedelta(days=399)))
        pruned = await self.store.prune_periods(sorted(keep))
        demoted = await self.demote(now)
        log.info(
            "recognition daily: %d raw events rolled up, %d old period totals, %d demotions",
            deleted,
            pruned,
            demoted,
        )

    async def demote(self, now: datetime) -> int:
        """One rung down for members inactive for `demote_after` whose window no longer holds
        their rung - at most once per `demote_after`, without any announcement."""
        gap = self.config.demote_after
        candidates = await self.store.demotion_candidates(now - gap)
        if not candidates:
            return 0
        ids = [c.member_id for c in candidates]
        active = await self.store.last_active(ids)
        stats = await self.store.window_stats(ids, self.since(now))
        quiet_since = self.days.of(now) - timedelta(days=gap.days)
        actions: list[Action] = []
        count = 0
        for state in candidates:
            last = active.get(state.member_id)
            if last is not None and last > quiet_since:
                continue
            if level_for(self.rungs, stats.get(state.member_id, {})) >= state.level:
                continue
            lower = state.level - 1
            role = self.rungs[lower].role
            if await self.store.lower_level(state.member_id, state.level, lower, now, role):
                count += 1
                actions += self._roles(state.member_id, state.role, role, "inactivity")
        if actions:
            await self.kit.outbox.send_all(actions)
        return count
