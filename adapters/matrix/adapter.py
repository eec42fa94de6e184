"""Plein on Matrix: a /sync loop on matrix-nio feeding the core through the host port.

The sync token is Plein's acknowledgement. Each timeline event is stored in the durable inbox
before it is handled; the token (kept in the bot's account data, `nl.plein.sync`) moves on only
after the whole batch is stored, so a restart resumes where Plein left off and never sees the
same join twice. The very first sync only takes the rooms' state: history from before Plein
ran is not replayed (no welcome for everyone who was already there).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Awaitable
from typing import Any

import aiohttp
from nio import AsyncClient, MessageDirection, RoomMessagesResponse, SyncResponse, WhoamiResponse

from adapters.matrix.api import MatrixError, RawCalls, checked, count_limits, make_client
from adapters.matrix.forms import DmForms
from adapters.matrix.help import command_rewriter
from adapters.matrix.ids import PLATFORM, is_user_id, member_id, message_link, user_of
from adapters.matrix.incoming import Incoming
from adapters.matrix.outgoing import Outgoing
from adapters.matrix.rooms import Rooms
from adapters.matrix.setup import RoomSetup
from bot.actions import Action, Delivery, ListMembers
from bot.config import PleinConfig
from bot.events import Member
from bot.health import StorageUnavailable
from bot.host import Host, PlatformUnavailable
from bot.i18n import Translator
from bot.inbox import InboxUnavailable

log = logging.getLogger("plein.matrix")

SYNC_STATE = "nl.plein.sync"
INBOX_KIND = "matrix.event"
FIRST_SYNC_FILTER = {"room": {"timeline": {"limit": 1}}}
TIMELINE_LIMIT = 100
"""Events per room in one sync; more since the last sync (downtime) are paged in with /messages."""
GAP_PAGE = 100
RESYNC_PAUSE = 2
TOKEN_GONE = frozenset({"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN"})


class MatrixAdapter:
    name = PLATFORM

    def __init__(
        self,
        config: PleinConfig,
        *,
        client: AsyncClient | None = None,
        timeline_limit: int = TIMELINE_LIMIT,
    ) -> None:
        self.config = config
        self.settings = config.matrix
        self.t = Translator(config.community.language)
        if client is None:
            if self.settings.homeserver is None or self.settings.access_token is None:
                raise PlatformUnavailable(
                    "Matrix needs [matrix].homeserver and PLEIN_MATRIX__ACCESS_TOKEN"
                )
            client = make_client(
                self.settings.homeserver, token=self.settings.access_token.get_secret_value()
            )
        self.client = client
        self.sync_filter = {"room": {"timeline": {"limit": timeline_limit}}}
        self.raw = RawCalls(client)
        self.rooms = Rooms(client, self.raw)
        self.forms = DmForms()
        self.out = Outgoing(client, self.rooms, self.forms, self.t, self.display_name)
        self.host: Host | None = None
        self.since: str | None = None
        self.connected = asyncio.Event()
        self.batches = 0
        """Sync batches handled since start (tests wait on `synced`)."""
        self.synced = asyncio.Condition()
        self._stopping = asyncio.Event()
        self._incoming: Incoming | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    # ---- Gateway ----------------------------------------------------------------------------

    def mention(self, member: str) -> str:
        return self.out.markers.user(user_of(member))

    def channel_mention(self, channel: str) -> str:
        room_id = self.rooms.channels.get(channel.removeprefix("#"))
        return self.out.markers.channel(room_id) if room_id else f"#{channel.removeprefix('#')}"

    async def message_link(self, ref: str) -> str | None:
        """MessageLinks (bot/host.py): a matrix.to link, no API call."""
        return message_link(ref)

    async def resolve_member(self, token: str) -> Member | None:
        """'@anna:example.org', or a display name / local part of someone in Plein's rooms."""
        typed = token.strip()
        if is_user_id(typed):
            return Member(member_id(typed), self.display_name(typed))
        wanted = typed.removeprefix("@").lower()
        for room in self.client.rooms.values():
            for user_id, user in room.users.items():
                local = user_id.removeprefix("@").split(":")[0].lower()
                if wanted in (local, (user.display_name or "").lower()):
                    return Member(member_id(user_id), user.display_name or local)
        return None

    def display_name(self, user_id: str) -> str:
        for room in self.client.rooms.values():
            user = room.users.get(user_id)
            if user is not None and user.display_name:
                return str(user.display_name)
        return user_id.removeprefix("@").split(":")[0]

    async def perform(self, action: Action) -> Delivery:
        if isinstance(action, ListMembers):
            # Streamed back from a task of its own: the core awaits this action mid-dispatch.
            task = asyncio.create_task(self._list_members(action.sync_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return Delivery()
        return await self.out.perform(action)

    # ---- running ----------------------------------------------------------------------------

    async def run(self, host: Host) -> None:
        self.host = host
        try:
            await self._run(host)
        finally:
            await self.client.close()

    async def _run(self, host: Host) -> None:
        count_limits(self.client, self.raw, lambda: host.metrics.rate_limited(PLATFORM))
        self.out.rewrite = command_rewriter(
            (spec.path[0] for spec in host.commands.all()), self.settings.command_prefix
        )
        whoami = await self.client.whoami()
        if not isinstance(whoami, WhoamiResponse):
            raise PlatformUnavailable(
                f"Matrix refused the access token ({getattr(whoami, 'status_code', '?')}); "
                "run `plein matrix login` for a new one"
            )
        self.client.user_id = whoami.user_id
        self.client.device_id = whoami.device_id or ""
        await self.rooms.load_direct()
        saved = await self.raw.account_data(SYNC_STATE) or {}
        self.since = saved.get("next_batch") if isinstance(saved.get("next_batch"), str) else None
        first = self.since is None
        setup = RoomSetup(self.client, self.rooms, self.settings, self.config)
        refused = await setup.configure()  # joins first, so the sync below has their state
        response = await self._sync(first_filter=first, full_state=True)
        self._incoming = Incoming(
            self.config, host, self.client, self.rooms, self.out, self.forms, self.display_name
        )
        host.connected(True)
        await host.ready()
        await self._replay_pending(host)
        if first:
            log.info("first Matrix sync: the rooms' history before now is not replayed")
            for room_id, info in response.rooms.join.items():
                self.rooms.note_joins(room_id, [e.source for e in info.state])
        else:
            await self._handle_batch(response)
        await self._save_since(response.next_batch)
        await self._list_members(f"matrix-start-{uuid.uuid4().hex}")  # the community as it is
        await self._announce_refused(refused)
        self.connected.set()
        await self._notify()
        await self._sync_forever()

    async def stop(self) -> None:
        self._stopping.set()

    async def _sync(
        self, *, first_filter: bool = False, full_state: bool = False, wait_ms: int = 0
    ) -> SyncResponse:
        response = await self.client.sync(
            timeout=wait_ms,
            sync_filter=FIRST_SYNC_FILTER if first_filter else self.sync_filter,
            since=self.since,
            full_state=full_state,
        )
        response = checked("sync", response)
        assert isinstance(response, SyncResponse)
        return response

    async def _sync_forever(self) -> None:
        timeout_ms = int(self.settings.sync_timeout.total_seconds() * 1000)
        host = self._host()
        up = True
        try:
            while not self._stopping.is_set() and host.healthy:
                syncing = asyncio.ensure_future(self._sync(wait_ms=timeout_ms))
                stopping = asyncio.ensure_future(self._stopping.wait())
                done, _ = await asyncio.wait(
                    {syncing, stopping}, return_when=asyncio.FIRST_COMPLETED
                )
                if syncing not in done:
                    syncing.cancel()
                    break
                stopping.cancel()
                try:
                    response = syncing.result()
                except MatrixError as err:
                    if err.errcode in TOKEN_GONE:
                        raise PlatformUnavailable(
                            f"Matrix no longer accepts the access token ({err.errcode}); "
                            "run `plein matrix login` for a new one"
                        ) from None
                    up = await self._lost(host, err)
                    continue
                except (OSError, TimeoutError, aiohttp.ClientError) as err:
                    up = await self._lost(host, err)
                    continue
                if not up:
                    host.metrics.reconnected(PLATFORM)
                up = True
                host.connected(True)
                stored = await self._handle_batch(response)
                if stored or response.next_batch != self.since:
                    await self._save_since(response.next_batch, write=stored)
                await self._notify()
        finally:
            for task in list(self._tasks):
                task.cancel()

    async def _lost(self, host: Host, err: Exception) -> bool:
        """Report the link down, pause, and return False (not up) for the loop."""
        log.warning("Matrix sync failed (%s); trying again in %d s", err, RESYNC_PAUSE)
        host.connected(False)
        await asyncio.sleep(RESYNC_PAUSE)
        return False

    async def _notify(self) -> None:
        self.batches += 1
        async with self.synced:
            self.synced.notify_all()

    async def _save_since(self, token: str, *, write: bool = True) -> None:
        self.since = token
        if write:
            await self.raw.set_account_data(SYNC_STATE, {"next_batch": token})

    async def _handle_batch(self, response: SyncResponse) -> bool:
        """Store and handle every followed event of the batch; True when any was stored."""
        incoming = self._incoming
        assert incoming is not None
        host = self._host()
        stored = False
        for room_id, invite in response.rooms.invite.items():
            states = [e.source for e in invite.invite_state]
            await self._guarded(incoming.invited(room_id, states), f"invite to {room_id}")
        for room_id, info in response.rooms.join.items():
            events = [e.source for e in info.timeline.events]
            if info.timeline.limited and info.timeline.prev_batch and self.since:
                events = await self._fill_gap(room_id, info.timeline.prev_batch) + events
            self.rooms.note_joins(room_id, [e.source for e in info.state] + events)
            for event in events:
                if not incoming.follows(room_id, event):
                    continue
                key = f"matrix:{event['event_id']}"
                payload = json.dumps({"room_id": room_id, "event": event})
                stored = True
                if await host.inbox.accept(key, INBOX_KIND, payload):
                    try:
                        await self._guarded(incoming.handle(room_id, event), key)
                    finally:
                        host.inbox.done(key)
        return stored

    async def _guarded(self, work: Awaitable[None], what: str) -> None:
        """A refusal by the homeserver or a malformed event costs that event, not the loop;
        storage failures still stop Plein (the core turns them unhealthy)."""
        try:
            await work
        except (StorageUnavailable, InboxUnavailable):
            raise
        except Exception:
            log.exception("Matrix event %s could not be handled; skipped", what)

    async def _fill_gap(self, room_id: str, prev_batch: str) -> list[dict[str, Any]]:
        """A limited timeline after downtime: page back to where the last sync ended."""
        older: list[dict[str, Any]] = []
        start: str | None = prev_batch
        while start:
            page = await self.client.room_messages(
                room_id,
                start=start,
                end=self.since,
                direction=MessageDirection.back,
                limit=GAP_PAGE,
            )
            if not isinstance(page, RoomMessagesResponse) or not page.chunk:
                break
            older += [e.source for e in page.chunk]
            start = page.end if page.end != start else None
        return list(reversed(older))

    async def _replay_pending(self, host: Host) -> None:
        incoming = self._incoming
        assert incoming is not None
        rows = await host.inbox.pending("matrix.")
        if rows:
            log.info("processing %d stored Matrix events from the inbox", len(rows))
        for row in rows:
            try:
                if row.payload:
                    data = json.loads(row.payload)
                    await incoming.handle(data["room_id"], data["event"])
            except Exception:
                log.exception("stored Matrix event %s failed again; dropped", row.event_id)
            host.inbox.done(row.event_id)

    async def _announce_refused(self, refused: list[str]) -> None:
        if not refused:
            return
        names = ", ".join(refused)
        log.error("encrypted rooms refused: %s", names)
        managers = self.rooms.channels.get(self.config.community.managers_channel)
        if managers is not None:
            await self.out.post_in(managers, self.t("matrix.encrypted.refused", rooms=names))

    async def _list_members(self, sync_id: str) -> None:
        from bot.events import ListedMember, MembersListed

        seen: dict[str, str] = {}
        for room_id in self.rooms.community:
            room = self.client.rooms.get(room_id)
            if room is None:
                continue
            for user_id, user in room.users.items():
                if user_id != self.client.user_id:
                    seen[user_id] = user.display_name or user_id
        listed = tuple(
            ListedMember(member_id(u), name, joined_at=self.rooms.joined_at.get(u))
            for u, name in seen.items()
        )
        await self._host().dispatch(MembersListed(sync_id=sync_id, batch=listed, last=True))

    def _host(self) -> Host:
        if self.host is None:
            raise RuntimeError("the Matrix adapter is not running: call run(host) first")
        return self.host
