"""Polls, their options, ballots and votes.

Integrity is the database's job:
- one ballot per (poll, voter_key) - a unique key, claimed with an upsert that also serialises one
  member's concurrent taps (SQLite: the write lock; PostgreSQL: the ballot row lock);
- one vote row per (ballot, slot): single choice uses slot 0 (an upsert replaces the pick),
  multi-choice uses slot = option position (a toggle), keyed by the click's event id in the
  same transaction (storage/inbox.claim_effect), so a click the inbox replays after a crash
  does not toggle back;
- closing is a conditional UPDATE ... WHERE closed_at IS NULL: exactly one caller wins.
Anonymous polls store a keyed hash as voter_key and no member id; the key (salt) is dropped at close.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.features.polls.ports import (
    CLOSE_CLAIM,
    NamedVote,
    NewPoll,
    Poll,
    PollKind,
    PollOption,
    Tally,
    VoteOutcome,
    VoteStatus,
)
from bot.leases import Lease
from storage.claims import Claims
from storage.db import Database
from storage.inbox import claim_effect
from storage.polls.tables import poll_ballots, poll_options, poll_votes, polls
from storage.schema import conflict_insert


class _Abort(Exception):
    def __init__(self, status: VoteStatus) -> None:
        super().__init__(status)
        self.status = status


class _Replayed(Exception):
    """Leaves the transaction without writing: the click was applied before."""

    def __init__(self, outcome: VoteOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class SqlPollStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.claims = Claims(db)
        self._insert = conflict_insert(db.engine.dialect.name)

    # ---- polls -------------------------------------------------------------------------------

    async def create(self, new: NewPoll) -> Poll:
        async with self.db.begin() as conn:
            result = await conn.execute(
                insert(polls).values(
                    kind=str(new.kind),
                    question=new.question,
                    channel=new.channel,
                    creator_id=new.creator_id,
                    max_choices=new.max_choices,
                    anonymous=new.anonymous,
                    live_results=new.live_results,
                    allow_add=new.allow_add,
                    salt=new.salt,
                    parent_id=new.parent_id,
                    created_at=new.created_at,
                    closes_at=new.closes_at,
                    reply_count=0,
                )
            )
            primary_key = result.inserted_primary_key
            if primary_key is None:  # only an executemany lacks it; this is one row
                raise RuntimeError("the database returned no id for the new poll")
            poll_id = primary_key[0]
            await conn.execute(
                insert(poll_options),
                [
                    {"poll_id": poll_id, "position": i, "label": label, "added_by": new.creator_id}
                    for i, label in enumerate(new.options, 1)
                ],
            )
            poll = await self._load(conn, poll_id)
        assert poll is not None
        return poll

    async def set_message(self, poll_id: int, message_ref: str, thread_ref: str | None) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(polls)
                .where(polls.c.id == poll_id)
                .values(message_ref=message_ref, thread_ref=thread_ref)
            )

    async def get(self, poll_id: int) -> Poll | None:
        async with self.db.connect() as conn:
            return await self._load(conn, poll_id)

    async def _load(self, conn: AsyncConnection, poll_id: int) -> Poll | None:
        row = (await conn.execute(select(polls).where(polls.c.id == poll_id))).one_or_none()
        if row is None:
            return None
        options = (
            await conn.execute(
                select(poll_options.c.position, poll_options.c.label)
                .where(poll_options.c.poll_id == poll_id)
                .order_by(poll_options.c.position)
            )
        ).all()
        return Poll(
            id=row.id,
            kind=PollKind(row.kind),
            question=row.question,
            channel=row.channel,
            creator_id=row.creator_id,
            max_choices=row.max_choices,
            anonymous=row.anonymous,
            live_results=row.live_results,
            allow_add=row.allow_add,
            created_at=row.created_at,
            closes_at=row.closes_at,
            options=tuple(PollOption(o.position, o.label) for o in options),
            closed_at=row.closed_at,
            message_ref=row.message_ref,
            thread_ref=row.thread_ref,
            salt=row.salt,
            parent_id=row.parent_id,
            reply_count=row.reply_count,
        )

    # ---- voting ------------------------------------------------------------------------------

    async def cast(
        self,
        poll_id: int,
        voter_key: str,
        member_id: str | None,
        position: int,
        now: datetime,
        stamp: datetime | None = None,
        event_id: str | None = None,
    ) -> VoteOutcome:
        try:
            async with self.db.begin() as conn:
                return await self._cast(
                    conn, poll_id, voter_key, member_id, position, now, stamp or now, event_id
                )
        except _Abort as abort:
            return VoteOutcome(abort.status)
        except _Replayed as replayed:
            return replayed.outcome

    async def _cast(
        self,
        conn: AsyncConnection,
        poll_id: int,
        voter_key: str,
        member_id: str | None,
        position: int,
        now: datetime,
        stamp: datetime,
        event_id: str | None,
    ) -> VoteOutcome:
        exists = (await conn.execute(select(polls.c.id).where(polls.c.id == poll_id))).first()
        if exists is None:
            raise _Abort(VoteStatus.UNKNOWN_POLL)
        # The ballot upsert comes first: it takes the write lock (SQLite) or the ballot row lock
        # (PostgreSQL), so one member's concurrent taps run one after the other from here on.
        claim = self._insert(poll_ballots).values(
            poll_id=poll_id,
            voter_key=voter_key,
            member_id=member_id,
            taps=1,
            first_at=stamp,
            updated_at=stamp,
        )
        await conn.execute(
            claim.on_conflict_do_update(
                index_elements=[poll_ballots.c.poll_id, poll_ballots.c.voter_key],
                set_={"taps": poll_ballots.c.taps + 1, "updated_at": stamp},
            )
        )
        poll = (
            await conn.execute(
                select(polls.c.closed_at, polls.c.closes_at, polls.c.max_choices)
                .where(polls.c.id == poll_id)
                .with_for_update(read=True)
            )
        ).one()
        if poll.closed_at is not None or now >= poll.closes_at:
            raise _Abort(VoteStatus.CLOSED)
        valid = (
            await conn.execute(
                select(poll_options.c.position).where(
                    poll_options.c.poll_id == poll_id, poll_options.c.position == position
                )
            )
        ).first()
        if valid is None:
            raise _Abort(VoteStatus.UNKNOWN_OPTION)
        ballot = (
            await conn.execute(
                select(poll_ballots.c.id, poll_ballots.c.taps).where(
                    poll_ballots.c.poll_id == poll_id, poll_ballots.c.voter_key == voter_key
                )
            )
        ).one()
        current = await self._positions(conn, ballot.id)
        if (
            poll.max_choices > 1
            and event_id is not None
            and not await claim_effect(conn, event_id, now)
        ):
            # This click's toggle is stored already: a replay. (The ballot's tap count went up
            # in this transaction too; it is rolled back with it.)
            raise _Replayed(VoteOutcome(VoteStatus.RECORDED, tuple(current)))
        if poll.max_choices == 1:
            row = self._insert(poll_votes).values(
                ballot_id=ballot.id, slot=0, poll_id=poll_id, position=position, cast_at=stamp
            )
            await conn.execute(
                row.on_conflict_do_update(
                    index_elements=[poll_votes.c.ballot_id, poll_votes.c.slot],
                    set_={"position": position, "cast_at": stamp},
                )
            )
        elif position in current:
            await conn.execute(
                delete(poll_votes).where(
                    poll_votes.c.ballot_id == ballot.id, poll_votes.c.slot == position
                )
            )
        else:
            if len(current) >= poll.max_choices:
                raise _Abort(VoteStatus.TOO_MANY)
            row = self._insert(poll_votes).values(
                ballot_id=ballot.id,
                slot=position,
                poll_id=poll_id,
                position=position,
                cast_at=stamp,
            )
            await conn.execute(row.on_conflict_do_nothing())
        after = await self._positions(conn, ballot.id)
        return VoteOutcome(VoteStatus.RECORDED, tuple(after), first_vote=ballot.taps == 1)

    @staticmethod
    async def _positions(conn: AsyncConnection, ballot_id: int) -> list[int]:
        rows = await conn.execute(
            select(poll_votes.c.position)
            .where(poll_votes.c.ballot_id == ballot_id)
            .order_by(poll_votes.c.position)
        )
        return [r.position for r in rows]

    async def tally(self, poll_id: int) -> Tally:
        async with self.db.connect() as conn:
            counts = (
                await conn.execute(
                    select(poll_votes.c.position, func.count())
                    .where(poll_votes.c.poll_id == poll_id)
                    .group_by(poll_votes.c.position)
                )
            ).all()
            voters = (
                await conn.execute(
                    select(func.count(func.distinct(poll_votes.c.ballot_id))).where(
                        poll_votes.c.poll_id == poll_id
                    )
                )
            ).scalar_one()
        return Tally({pos: n for pos, n in counts}, voters)

    async def named_votes(self, poll_id: int) -> list[NamedVote]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(poll_ballots.c.member_id, poll_votes.c.position, poll_votes.c.cast_at)
                .join(poll_votes, poll_votes.c.ballot_id == poll_ballots.c.id)
                .join(polls, polls.c.id == poll_ballots.c.poll_id)
                .where(
                    poll_ballots.c.poll_id == poll_id,
                    poll_ballots.c.member_id.is_not(None),
                    polls.c.anonymous.is_(False),
                )
                .order_by(poll_votes.c.position, poll_votes.c.cast_at)
            )
            return [NamedVote(r.member_id, r.position, r.cast_at) for r in rows]

    async def add_option(self, poll_id: int, label: str, added_by: str, limit: int) -> int | None:
        async with self.db.begin() as conn:
            # Touch the poll row first: serialises concurrent additions (write lock / row lock).
            await conn.execute(
                update(polls).where(polls.c.id == poll_id).values(allow_add=polls.c.allow_add)
            )
            highest = (
                await conn.execute(
                    select(func.coalesce(func.max(poll_options.c.position), 0)).where(
                        poll_options.c.poll_id == poll_id
                    )
                )
            ).scalar_one()
            if highest >= limit:
                return None
            await conn.execute(
                insert(poll_options).values(
                    poll_id=poll_id, position=highest + 1, label=label, added_by=added_by
                )
            )
            return int(highest + 1)

    # ---- closing -----------------------------------------------------------------------------

    async def claim_close(self, poll_id: int, now: datetime) -> Lease | None:
        return await self.claims.claim_with(
            CLOSE_CLAIM,
            str(poll_id),
            now,
            update(polls)
            .where(polls.c.id == poll_id, polls.c.closed_at.is_(None))
            .values(closed_at=now, salt=None),
        )

    async def next_close(self) -> datetime | None:
        async with self.db.connect() as conn:
            return (
                await conn.execute(
                    select(func.min(polls.c.closes_at)).where(polls.c.closed_at.is_(None))
                )
            ).scalar_one()

    async def overdue(self, now: datetime) -> list[int]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(polls.c.id)
                .where(polls.c.closed_at.is_(None), polls.c.closes_at <= now)
                .order_by(polls.c.closes_at, polls.c.id)
            )
            return [r.id for r in rows]

    async def open_stelling_threads(self) -> dict[str, int]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(polls.c.id, polls.c.message_ref, polls.c.thread_ref).where(
                    polls.c.kind == str(PollKind.STELLING), polls.c.closed_at.is_(None)
                )
            )
            refs: dict[str, int] = {}
            for row in rows:
                for ref in (row.message_ref, row.thread_ref):
                    if ref:
                        refs[ref] = row.id
            return refs

    async def count_reply(self, poll_id: int) -> None:
        async with self.db.begin() as conn:
            await conn.execute(
                update(polls)
                .where(polls.c.id == poll_id)
                .values(reply_count=polls.c.reply_count + 1)
            )

    async def children(self, parent_id: int) -> Sequence[int]:
        async with self.db.connect() as conn:
            rows = await conn.execute(select(polls.c.id).where(polls.c.parent_id == parent_id))
            return [r.id for r in rows]

    # ---- personal data -----------------------------------------------------------------------

    async def export_member(self, member_id: str) -> list[dict[str, Any]]:
        async with self.db.connect() as conn:
            rows = await conn.execute(
                select(
                    polls.c.id,
                    polls.c.kind,
                    polls.c.question,
                    poll_options.c.label,
                    poll_votes.c.cast_at,
                )
                .select_from(poll_ballots)
                .join(poll_votes, poll_votes.c.ballot_id == poll_ballots.c.id)
                .join(polls, polls.c.id == poll_ballots.c.poll_id)
                .join(
                    poll_options,
                    (poll_options.c.poll_id == poll_votes.c.poll_id)
                    & (poll_options.c.position == poll_votes.c.position),
                )
                .where(poll_ballots.c.member_id == member_id)
                .order_by(polls.c.id, poll_votes.c.position)
            )
            votes = [
                {
                    "poll": r.id,
                    "kind": r.kind,
                    "question": r.question,
                    "choice": r.label,
                    "at": r.cast_at.isoformat(),
                }
                for r in rows
            ]
            created = await conn.execute(
                select(polls.c.id, polls.c.kind, polls.c.question, polls.c.created_at).where(
                    polls.c.creator_id == member_id
                )
            )
            made = [
                {
                    "poll": r.id,
                    "kind": r.kind,
                    "question": r.question,
                    "at": r.created_at.isoformat(),
                }
                for r in created
            ]
        return [{"votes": votes, "created": made}]

    async def erase_member(self, member_id: str) -> int:
        """Named ballots keep counting but no longer name anyone; created polls lose the creator."""
        async with self.db.begin() as conn:
            ballots = (
                await conn.execute(
                    select(poll_ballots.c.id).where(poll_ballots.c.member_id == member_id)
                )
            ).all()
            for ballot in ballots:
                await conn.execute(
                    update(poll_ballots)
                    .where(poll_ballots.c.id == ballot.id)
                    .values(member_id=None, voter_key="erased:" + secrets.token_hex(16))
                )
            await conn.execute(
                update(polls).where(polls.c.creator_id == member_id).values(creator_id=None)
            )
            return len(ballots)
