"""Replies to posted prompts count as prompt answers; event RSVPs count as attendance.

The message handler runs for every message in the community, so it only looks in an in-memory
map of recent prompt refs (loaded on start, extended on each post) before touching the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Protocol

from bot.actions import Action, Reply
from bot.config.calendar import Theme
from bot.events import ChoicePicked, MessagePosted
from bot.features.calendar.hosts import is_host
from bot.features.calendar.plan import find_theme
from bot.features.calendar.ports import CalendarStore
from bot.kit import Kit
from bot.signals import Contributed, ContributionKind

RECENT = timedelta(days=60)
"""Replies to prompts older than this are ordinary messages again."""


class _Published(Protocol):
    @property
    def message_ref(self) -> str | None: ...
    @property
    def thread_ref(self) -> str | None: ...


class ReplyLinker:
    def __init__(
        self, kit: Kit, store: CalendarStore, themes: Callable[[], Sequence[Theme]]
    ) -> None:
        self.kit = kit
        self.store = store
        self.themes = themes
        self._refs: dict[str, tuple[int, str]] = {}
        self._loaded = False

    async def load(self) -> None:
        since = self.kit.clock.now() - RECENT
        for ref, found in (await self.store.prompt_refs(since)).items():
            self._refs.setdefault(ref, found)
        self._loaded = True

    def remember(self, occurrence_id: int, theme: str, published: _Published) -> None:
        for ref in (published.message_ref, published.thread_ref):
            if ref:
                self._refs[ref] = (occurrence_id, theme)

    def knows(self, ref: str) -> bool:
        return ref in self._refs

    async def on_message(self, event: MessagePosted) -> Sequence[Action]:
        if event.author.is_bot or (event.thread_of is None and event.reply_to is None):
            return []
        if not self._loaded:
            await self.load()
        found = self._refs.get(event.thread_of or "") or self._refs.get(event.reply_to or "")
        if found is None:
            return []
        occurrence_id, theme_name = found
        now = self.kit.clock.now()
        if not await self.store.link_reply(occurrence_id, event.author.id, event.message_ref, now):
            return []
        theme = find_theme(self.themes(), theme_name) if theme_name else None
        if theme is not None and is_host(theme, event.author.id):
            if await self.store.record_hosted(occurrence_id, event.author.id, now):
                await self.kit.signals.emit(
                    Contributed(
                        member_id=event.author.id,
                        kind=ContributionKind.HOSTED,
                        at=now,
                        channel=event.channel,
                        ref=event.message_ref,
                    )
                )
            return []
        await self.kit.signals.emit(
            Contributed(
                member_id=event.author.id,
                kind=ContributionKind.PROMPT_ANSWER,
                at=now,
                channel=event.channel,
                length=event.length,
                ref=event.message_ref,
            )
        )
        return []

    async def on_rsvp(self, event: ChoicePicked) -> Sequence[Action]:
        t = self.kit.t
        reply_to = event.interaction.id
        try:
            occurrence_id = int(event.choice_id.rsplit(":", 1)[-1])
        except ValueError:
            return [Reply(interaction=reply_to, text=t("calendar.event.gone"))]
        if await self.store.by_id(occurrence_id) is None:
            return [Reply(interaction=reply_to, text=t("calendar.event.gone"))]
        now = self.kit.clock.now()
        added, count = await self.store.add_rsvp(occurrence_id, event.actor.id, now)
        if not added:
            return [Reply(interaction=reply_to, text=t("calendar.event.already", count=count))]
        await self.kit.signals.emit(
            Contributed(
                member_id=event.actor.id,
                kind=ContributionKind.ATTENDED,
                at=now,
                channel=event.interaction.channel,
                ref=event.message_ref,
            )
        )
        return [Reply(interaction=reply_to, text=t("calendar.event.noted", count=count))]
