"""The cross-feature queries behind CommunityFacts (read by the report and the spotlight).

This module defines no table of its own (the report's claims are in storage/weekly_report.py).

Other features' tables are found on the shared metadata, where their own storage modules define
them: a feature that is not part of this Plein has no table there, and its figures are empty.
A table that is there is read through its definition: a column it lacks (renamed, dropped) or a
failing query raises ReportDataError - the managers see an error, never a zero that looks like
a fact. Assumed tables: members, contributions, kudos, member_levels, onboarding_state,
onboarding_answers, polls, poll_ballots, calendar_occurrences, calendar_replies, calendar_hosted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.features.report.facts import (
    Activity,
    CalendarFacts,
    KudosRow,
    MemberRow,
    OnboardingRow,
    PollFacts,
    ReportDataError,
)
from storage.db import Database
from storage.health_figures import HealthFigureQueries
from storage.report_figures import ReportFigureQueries, present_at
from storage.report_rows import table as _table

log = logging.getLogger("plein.storage.report")

T = TypeVar("T")


class SqlCommunityFacts(ReportFigureQueries, HealthFigureQueries):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _safe(self, what: str, default: T, query: Callable[[], Awaitable[T]]) -> T:
        """Run a query; a database error becomes a ReportDataError naming the figures (the
        `default` is what an absent feature yields, never what a failure yields)."""
        try:
            return await query()
        except SQLAlchemyError as err:
            log.error("community facts: reading %s failed", what, exc_info=True)
            raise ReportDataError(what, type(err).__name__) from err

    # ---- members ---------------------------------------------------------------------------

    async def present_members(self, at: datetime) -> list[MemberRow]:
        m = _table("members", "id", "name", "is_bot", "first_joined_at", "joined_at", "left_at")
        if m is None:
            return []
        query = select(m.c.id, m.c.name, m.c.first_joined_at, m.c.joined_at).where(
            present_at(m, at)
        )
        return await self._safe("members", [], lambda: self._members(query))

    async def _members(self, query: Any) -> list[MemberRow]:
        async with self.db.connect() as conn:
            rows = (await conn.execute(query.order_by("id"))).all()
        return [MemberRow(r.id, r.name, r.first_joined_at, r.joined_at) for r in rows]

    async def names(self, member_ids: list[str]) -> dict[str, str]:
        m = _table("members", "id", "name")
        if m is None or not member_ids:
            return {}

        async def run() -> dict[str, str]:
            async with self.db.connect() as conn:
                rows = (
                    await conn.execute(select(m.c.id, m.c.name).where(m.c.id.in_(member_ids)))
                ).all()
            return {r.id: r.name for r in rows}

        return await self._safe("member names", {}, run)

    # ---- recognition -----------------------------------------------------------------------

    async def activity(self, since: datetime, until: datetime) -> Activity:
        c = _table("contributions", "member_id", "kind", "at")
        if c is None:
            return {}

        async def run() -> Activity:
            query = (
                select(c.c.member_id, c.c.kind, func.count())
                .where(c.c.at >= since, c.c.at < until)
                .group_by(c.c.member_id, c.c.kind)
            )
            out: Activity = {}
            async with self.db.connect() as conn:
                for member_id, kind, count in (await conn.execute(query)).all():
                    out.setdefault(member_id, {})[kind] = int(count)
            return out

        return await self._safe("contributions", {}, run)

    async def kudos(
        self, since: datetime, until: datetime, receiver_id: str | None = None
    ) -> list[KudosRow]:
        k = _table("kudos", "giver_id", "receiver_id", "reason", "at")
        if k is None:
            return []

        async def run() -> list[KudosRow]:
            query = select(k.c.giver_id, k.c.receiver_id, k.c.reason, k.c.at).where(
                k.c.at >= since, k.c.at < until
            )
            if receiver_id is not None:
                query = query.where(k.c.receiver_id == receiver_id)
            async with self.db.connect() as conn:
                rows = (await conn.execute(query.order_by(k.c.at))).all()
            return [KudosRow(r.giver_id, r.receiver_id, r.reason, r.at) for r in rows]

        return await self._safe("kudos", [], run)

    async def levels(self) -> dict[str, int]:
        lv = _table("member_levels", "member_id", "level")
        if lv is None:
            return {}

        async def run() -> dict[str, int]:
            async with self.db.connect() as conn:
                rows = (await conn.execute(select(lv.c.member_id, lv.c.level))).all()
            return {r.member_id: int(r.level) for r in rows}

        return await self._safe("member levels", {}, run)

    async def promotions(self, since: datetime, until: datetime) -> int:
        lv = _table("member_levels", "member_id", "level", "announced", "changed_at")
        if lv is None:
            return 0

        async def run() -> int:
            query = (
                select(func.count())
                .select_from(lv)
                .where(
                    lv.c.changed_at >= since,
                    lv.c.changed_at < until,
                    lv.c.level > 0,
                    lv.c.level >= lv.c.announced,
                )
            )
            async with self.db.connect() as conn:
                return int((await conn.execute(query)).scalar_one())

        return await self._safe("promotions", 0, run)

    # ---- onboarding ------------------------------------------------------------------------

    async def welcome_answers(self, member_id: str) -> list[tuple[str, str]]:
        a = _table("onboarding_answers", "member_id", "question_id", "answer")
        if a is None:
            return []

        async def run() -> list[tuple[str, str]]:
            query = select(a.c.question_id, a.c.answer).where(
                a.c.member_id == member_id, a.c.answer.is_not(None)
            )
            async with self.db.connect() as conn:
                rows = (await conn.execute(query)).all()
            return [(r.question_id, r.answer) for r in rows if str(r.answer).strip()]

        return await self._safe("welcome answers", [], run)

    async def onboarding(self, member_ids: list[str]) -> dict[str, OnboardingRow]:
        s = _table(
            "onboarding_state",
            "member_id",
            "rules_accepted_at",
            "questions_done_at",
            "intro_posted_at",
        )
        if s is None or not member_ids:
            return {}

        async def run() -> dict[str, OnboardingRow]:
            columns = (s.c.rules_accepted_at, s.c.questions_done_at, s.c.intro_posted_at)
            query = select(s.c.member_id, *columns).where(s.c.member_id.in_(member_ids))
            async with self.db.connect() as conn:
                rows = (await conn.execute(query)).all()
            return {
                r.member_id: OnboardingRow(
                    r.member_id,
                    r.rules_accepted_at is not None,
                    r.questions_done_at is not None,
                    intro_posted=r.intro_posted_at is not None,
                )
                for r in rows
            }

        return await self._safe("onboarding state", {}, run)

    # ---- polls and calendar ----------------------------------------------------------------

    async def polls(self, since: datetime, until: datetime) -> PollFacts:
        p = _table("polls", "id", "created_at")
        b = _table("poll_ballots", "poll_id", "voter_key", "first_at")

        async def run() -> PollFacts:
            opened = ballots = 0
            async with self.db.connect() as conn:
                if p is not None:
                    opened = (
                        await conn.execute(
                            select(func.count())
                            .select_from(p)
                            .where(p.c.created_at >= since, p.c.created_at < until)
                        )
                    ).scalar_one()
                if b is not None:
                    ballots = (
                        await conn.execute(
                            select(func.count())
                            .select_from(b)
                            .where(b.c.first_at >= since, b.c.first_at < until)
                        )
                    ).scalar_one()
            # Voters are people, counted across polls and stellingen: see activity_summary.
            return PollFacts(int(opened), int(ballots))

        return await self._safe("polls", PollFacts(), run)

    async def calendar(self, since: datetime, until: datetime) -> CalendarFacts:
        o = _table("calendar_occurrences", "id", "posted_at")
        r = _table("calendar_replies", "occurrence_id", "member_id")
        h = _table("calendar_hosted", "occurrence_id", "member_id", "at")
        if o is None:
            return CalendarFacts()

        async def run() -> CalendarFacts:
            window = and_(o.c.posted_at >= since, o.c.posted_at < until)
            answered = replies = 0
            hosts: list[str] = []
            async with self.db.connect() as conn:
                posted = (
                    await conn.execute(select(func.count()).select_from(o).where(window))
                ).scalar_one()
                if r is not None:
                    answered, replies = (
                        await conn.execute(
                            select(func.count(distinct(r.c.occurrence_id)), func.count())
                            .select_from(r.join(o, o.c.id == r.c.occurrence_id))
                            .where(window)
                        )
                    ).one()
                if h is not None:
                    hosts = list(
                        (
                            await conn.execute(
                                select(h.c.member_id)
                                .where(h.c.at >= since, h.c.at < until)
                                .distinct()
                                .order_by(h.c.member_id)
                            )
                        ).scalars()
                    )
            return CalendarFacts(int(posted), int(answered), int(replies), tuple(hosts))

        return await self._safe("calendar", CalendarFacts(), run)
