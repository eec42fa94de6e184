"""The member sync: reconcile the registry with the platform's member list, batch by batch.

Adapters stream the list as `MembersListed` batches (at start, after a reconnect that is not a
resume, and when the daily job asks with `ListMembers`). The first sync ever registers everyone as
"present since before Plein": never welcomed, never new. A later sync finds who joined while Plein
was offline (welcomed only within `onboarding.catch_up_window`) and who left (the ordinary leave
path: follow-ups cancelled, retention rules apply).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.actions import Action, ListMembers
from bot.events import MembersListed
from bot.kit import Kit
from bot.members import MemberStore, SyncRun
from bot.scheduling import RecurringJob
from bot.signals import MemberArrived, MemberDeparted

log = logging.getLogger("plein.members")

DAILY_JOB = "members.sync"
DAILY_CRON = "30 4 * * *"
"""Once a day, at a quiet local hour."""


@dataclass
class Tally:
    run: SyncRun
    present: int = 0
    joined: int = 0
    welcomed: int = 0
    left: int = 0


class MemberSync:
    def __init__(self, kit: Kit, store: MemberStore) -> None:
        self.kit = kit
        self.store = store
        self._tallies: dict[str, Tally] = {}
        """The syncs under way in this process, by sync id, with their counts for the log line."""

    async def on_listed(self, event: MembersListed) -> Sequence[Action]:
        now = self.kit.clock.now()
        tally = self._tallies.get(event.sync_id)
        if tally is None:
            run = await self.store.start_sync(event.sync_id, now)
            tally = self._tallies[event.sync_id] = Tally(run)
        run = tally.run
        tally.present += sum(1 for m in event.batch if not m.is_bot)
        for arrival in await self.store.sync_batch(run, event.batch, now):
            welcome = self.kit.config.onboarding.welcomes_late_joiner(arrival.joined_at, now)
            tally.joined += 1
            tally.welcomed += welcome
            await self.kit.signals.emit(
                MemberArrived(
                    member_id=arrival.member_id,
                    name=arrival.name,
                    at=arrival.joined_at,
                    first_time=arrival.first_time,
                    already_present=False,
                    join_count=arrival.join_count,
                    welcome=welcome,
                )
            )
        if event.last:
            tally.left = await self._mark_gone(run, now)
            await self.store.finish_sync(run, now)
            self._log(run, self._tallies.pop(event.sync_id))
        return []

    async def _mark_gone(self, run: SyncRun, now: datetime) -> int:
        gone = await self.store.gone_since(run)
        for member_id in gone:
            await self.kit.members.record_leave(member_id, now)
            await self.kit.signals.emit(MemberDeparted(member_id=member_id, at=now))
        return len(gone)

    @staticmethod
    def _log(run: SyncRun, tally: Tally) -> None:
        if run.first:
            log.info("sync: %d present (first sync: all here since before Plein)", tally.present)
            return
        log.info(
            "sync: %d present, %d joined while offline (%d welcomed), %d left",
            tally.present,
            tally.joined,
            tally.welcomed,
            tally.left,
        )

    async def daily(self, fire_time: datetime) -> None:
        """Ask the adapter for the member list; its batches come back as MembersListed."""
        await self.kit.outbox.send(ListMembers(sync_id=f"daily-{fire_time.isoformat()}"))


def install_member_sync(kit: Kit, store: MemberStore) -> MemberSync:
    sync = MemberSync(kit, store)
    kit.dispatcher.on(MembersListed, sync.on_listed)
    kit.jobs.add_recurring(RecurringJob(DAILY_JOB, DAILY_CRON, sync.daily))
    return sync
