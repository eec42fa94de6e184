"""Due work that any process may run and exactly one finishes: a claim with a lease.

`LeasedWork` is the one place this is done for every kind of work (poll closes, welcomes,
spotlight posts, weekly reports, ...):

    claim (key, with a lease) -> perform (post, with the key on the message) -> done

A process killed between claim and done leaves the claim open. Once its lease has run out the
`LeaseBoard` deadline source of whichever process looks first claims it again and performs the
work once more, told that it is a takeover: the post carries its key and `look_first`, so an
adapter that can find the dead process's message (Slack: message metadata; Discord: the send's
nonce) delivers that one instead of posting a second. Work that fails with an error is finished
too (logged): at most one attempt per error, as before; only a dead process's work is retried.

The storage side (storage/claims.py) implements `Leases` on the `work_claims` table.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.actions import Action, Delivery, PostMessage, SendDM
from bot.clock import Clock
from bot.gateway import Outbox
from bot.scheduling import Deadlines

log = logging.getLogger(__name__)

KEEP_FINISHED = timedelta(days=30)
"""Finished claims are pruned after this long; the work's own row keeps it from repeating."""


@dataclass(frozen=True)
class Lease:
    kind: str
    key: str
    attempts: int
    """1 for a first claim; more when this process took over from one that did not finish."""
    ref: str | None = None
    """What an earlier holder recorded before it stopped (the post it made), if anything."""
    owner: str = ""
    """Who holds it (this process; stores may claim through their own `Claims`)."""

    @property
    def taken_over(self) -> bool:
        return self.attempts > 1


class Leases(Protocol):
    async def claim(self, kind: str, key: str, now: datetime) -> Lease | None:
        """The claim on (kind, key) for this process; None when another holds it or it is done."""

    async def renew(self, lease: Lease, now: datetime) -> bool:
        """True (and the lease runs from `now` again) while `lease` is still its holder's."""

    async def finish(self, lease: Lease, now: datetime) -> None:
        """The work is done, if `lease` is still its holder's (a holder that lost it to a
        takeover must not finish the taker's work before the taker posts)."""

    async def release(self, lease: Lease, now: datetime) -> None:
        """Give an unfinished claim back at once, if `lease` is still its holder's: the work
        failed here and may be claimed again now (by anyone), not only after the lease."""

    async def abandoned_of(self, kinds: Collection[str], now: datetime) -> list[tuple[str, str]]:
        """(kind, key) of claims of these kinds, never finished, whose lease has run out."""

    async def next_expiry_of(self, kinds: Collection[str]) -> datetime | None:
        """When the earliest unfinished claim of these kinds may be taken over."""

    async def prune(self, before: datetime) -> int: ...


ClaimFn = Callable[[str, datetime], Awaitable[Lease | None]]
PerformFn = Callable[[str, Lease, datetime], Awaitable[None]]


class LeasedWork:
    """One kind of due work: `run(key)` performs it once across processes.

    `claim` defaults to the bare lease; a store passes its own when the work's row must change
    in the same transaction as the claim (a poll's `closed_at`, a queued welcome's `sent_at`),
    so that no process sees the work as still due while its claim is held.
    """

    def __init__(
        self,
        kind: str,
        leases: Leases,
        clock: Clock,
        perform: PerformFn,
        claim: ClaimFn | None = None,
    ) -> None:
        self.kind = kind
        self.leases = leases
        self.clock = clock
        self.perform = perform
        self._claim: ClaimFn = claim or (lambda key, now: leases.claim(kind, key, now))

    async def run(self, key: str, now: datetime, perform: PerformFn | None = None) -> bool:
        """True when this process claimed the work (and so performed it). `perform`: this
        call's own way to do it (with what the caller prepared); a takeover uses the default."""
        lease = await self._claim(key, now)
        if lease is None:
            return False
        if lease.taken_over:
            log.warning("taking over %s %s: the process that claimed it stopped", self.kind, key)
            perform = None
        try:
            await (perform or self.perform)(key, lease, now)
        except Exception:  # one failed post must not come back every lease; a death does
            log.exception("%s %s failed", self.kind, key)
        await self.leases.finish(lease, self.clock.now())
        return True


class LeaseBoard:
    """Every kind of leased work of this process, and the one deadline source that takes over
    what dead processes left (one query per scheduler look, however many kinds there are)."""

    name = "work-claims.takeovers"

    def __init__(self, leases: Leases, clock: Clock) -> None:
        self.leases = leases
        self.clock = clock
        self._works: dict[str, LeasedWork] = {}

    def work(self, kind: str, perform: PerformFn, claim: ClaimFn | None = None) -> LeasedWork:
        """A kind of leased work; `perform` also does its takeovers."""
        if kind in self._works:
            raise ValueError(f"leased work {kind!r} added twice")
        work = LeasedWork(kind, self.leases, self.clock, perform, claim)
        self._works[kind] = work
        return work

    async def holds(self, lease: Lease) -> bool:
        """Just before the platform call: is this still our claim? A process that was slow, not
        dead (a stall, a long rate-limit wait) may have lost it to a takeover that posts in its
        place; posting now would post twice. Renews the lease when it is still ours."""
        if await self.leases.renew(lease, self.clock.now()):
            return True
        log.warning(
            "%s %s was taken over while this process worked on it; not posting",
            lease.kind,
            lease.key,
        )
        return False

    async def send(
        self, outbox: Outbox, actions: Sequence[Action], lease: Lease
    ) -> list[Delivery] | None:
        """The work's posts and DMs, keyed, sent if the claim is still ours (None: it was
        taken over while this process composed them; the taker posts)."""
        if not await self.holds(lease):
            return None
        return await outbox.send_all(keyed(actions, lease))

    async def next_due(self) -> datetime | None:
        return await self.leases.next_expiry_of(tuple(self._works)) if self._works else None

    async def run_due(self, now: datetime) -> None:
        for kind, key in await self.leases.abandoned_of(tuple(self._works), now):
            await self._works[kind].run(key, now)

    def deadlines(self) -> Deadlines:
        return Deadlines(self.name, self.next_due, self.run_due)


def prune_job(leases: Leases) -> Callable[[datetime], Awaitable[None]]:
    """The daily job: finished claims older than KEEP_FINISHED go."""

    async def prune(fire_time: datetime) -> None:
        removed = await leases.prune(fire_time - KEEP_FINISHED)
        if removed:
            log.info("pruned %d finished work claims", removed)

    return prune


def keyed(actions: Sequence[Action], lease: Lease) -> list[Action]:
    """The lease's posts and DMs, each with a key of its own derived from the lease's, and told
    to look first when this is a takeover (see PostMessage.key)."""
    out: list[Action] = []
    n = 0
    for action in actions:
        if isinstance(action, PostMessage | SendDM):
            key = f"{lease.kind}:{lease.key}" + (f":{n}" if n else "")
            action = dataclasses.replace(action, key=key[:200], look_first=lease.taken_over)
            n += 1
        out.append(action)
    return out
