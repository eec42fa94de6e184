"""Handling one followed event: joins, messages, `!plein` commands, numbered picks, poll votes,
reactions and DM form answers, turned into core events for `host.dispatch`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from nio import AsyncClient, RoomGetEventResponse, RoomMessagesResponse

from adapters.matrix import content as c
from adapters.matrix.forms import DmForms
from adapters.matrix.help import help_text
from adapters.matrix.ids import interaction_id, member_id, message_ref
from adapters.matrix.outgoing import Outgoing
from adapters.matrix.rooms import Rooms, event_time
from adapters.matrix.translate import Joined, Left, PollVoted, Reacted, Said, translate
from bot.actions import Choice, Reply
from bot.command_words import CommandWords
from bot.commands import UsageError, parse_command_text
from bot.config import PleinConfig
from bot.events import (
    Actor,
    ChoicePicked,
    CommandInvoked,
    DirectMessage,
    FormSubmitted,
    Interaction,
    Member,
    MemberJoined,
    MemberLeft,
    MessagePosted,
    ReactionAdded,
)
from bot.host import Host

log = logging.getLogger("plein.matrix")

FOLLOWED = frozenset(
    {"m.room.member", "m.room.message", "m.reaction", c.POLL_RESPONSE, c.STABLE_POLL_RESPONSE}
)
LIVE = timedelta(minutes=10)
"""A join younger than this is a live join; an older one happened while Plein was away."""
RECENT = 20
"""How far back a DM room is read for Plein's latest message after a restart."""


class Incoming:
    def __init__(
        self,
        config: PleinConfig,
        host: Host,
        client: AsyncClient,
        rooms: Rooms,
        out: Outgoing,
        forms: DmForms,
        display_name: Callable[[str], str],
    ) -> None:
        self.config = config
        self.settings = config.matrix
        self.host = host
        self.client = client
        self.rooms = rooms
        self.out = out
        self.forms = forms
        self.t = out.t
        self.display_name = display_name
        self.prefix = self.settings.command_prefix
        self.ballots: dict[tuple[str, str], tuple[str, ...]] = {}
        """(poll event, member) -> the answers ticked last time (to take back removed ticks)."""

    def follows(self, room_id: str, event: dict[str, Any]) -> bool:
        if event.get("type") not in FOLLOWED or not isinstance(event.get("event_id"), str):
            return False
        if event.get("sender") == self.client.user_id and event.get("type") != "m.room.member":
            return False
        return room_id in self.rooms.channels.values() or self.rooms.is_direct(room_id)

    # ---- invites ----------------------------------------------------------------------------

    async def invited(self, room_id: str, state: list[dict[str, Any]]) -> None:
        """Join the configured rooms and members' unencrypted DMs; refuse encrypted DMs."""
        inviter = None
        direct = False
        encrypted = False
        for event in state:
            if event.get("type") == "m.room.encryption":
                encrypted = True
            if (
                event.get("type") == "m.room.member"
                and event.get("state_key") == self.client.user_id
            ):
                inviter = event.get("sender")
                direct = bool((event.get("content") or {}).get("is_direct"))
        wanted = self.rooms.wanted_name(room_id)
        if wanted is not None:
            if encrypted:
                log.error("the configured room %s is encrypted; not joined", wanted)
                return
            await self.client.join(room_id)
            self.rooms.serve(wanted, room_id)
            return
        if not direct or not isinstance(inviter, str):
            return
        if encrypted:
            await self.client.room_leave(room_id)
            log.info("declined an encrypted DM room")
            room = await self.rooms.direct_room(inviter)
            await self.out.post_in(room, self.t("matrix.encrypted.dm"))
            return
        await self.client.join(room_id)
        await self.rooms.remember_direct(inviter, room_id)

    # ---- events -----------------------------------------------------------------------------

    async def handle(self, room_id: str, event: dict[str, Any]) -> None:
        happening = translate(room_id, event, self.client.user_id)
        event_id = f"matrix:{event.get('event_id')}"
        if isinstance(happening, Joined | Left):
            if room_id not in self.rooms.community:
                return
            member = Member(member_id(happening.user_id), happening.name)
            if isinstance(happening, Joined):
                if self._long_ago(event):
                    return  # the member sync after the start registers them, by its own rule
                await self.host.dispatch(MemberJoined(member=member, event_id=event_id))
            else:
                await self.host.dispatch(MemberLeft(member=member, event_id=event_id))
        elif isinstance(happening, Said):
            await self._said(happening, event_id)
        elif isinstance(happening, Reacted):
            await self._reacted(happening, event_id)
        elif isinstance(happening, PollVoted):
            await self._voted(happening)

    def _long_ago(self, event: dict[str, Any]) -> bool:
        """A join from before a long downtime: too old for a welcome by onboarding's
        catch_up_window (the Discord and Slack member syncs apply the same rule)."""
        joined = event_time(event)
        now = self.host.clock.now()
        if joined is None or now - joined <= LIVE:
            return False
        return not self.config.onboarding.welcomes_late_joiner(joined, now)

    def actor(self, user_id: str, room_id: str | None) -> Actor:
        managers = {m.removeprefix("matrix:") for m in self.config.community.managers}
        level = 0
        default = self.rooms.channels.get(self.config.community.default_channel)
        for rid in (room_id, default):
            room = self.client.rooms.get(rid) if rid else None
            if room is not None:
                level = max(level, room.power_levels.get_user_level(user_id))
        is_manager = user_id in managers or level >= self.settings.manager_power_level
        name = self.display_name(user_id)
        return Actor(member_id(user_id), name, is_manager=is_manager)

    async def _said(self, said: Said, event_id: str) -> None:
        direct = self.rooms.is_direct(said.room_id)
        actor = self.actor(said.user_id, None if direct else said.room_id)
        text = said.body.strip()
        first, _, rest = text.partition(" ")
        if first.lower() == self.prefix.lower():
            await self._command(actor, said, rest.strip())
            return
        if direct and self.forms.is_open(said.user_id):
            await self._form_answer(actor, said)
            return
        picked = await self._numbered_pick(said, text, direct)
        if picked is not None:
            await self._pick(actor, said.room_id, said.event_id, picked)
            return
        if direct:
            ref = message_ref(said.room_id, said.event_id)
            await self.host.dispatch(
                DirectMessage(author=actor, text=said.body, message_ref=ref, event_id=event_id)
            )
            return
        channel = self.rooms.name_of(said.room_id)
        if channel is None:
            return
        thread = message_ref(said.room_id, said.thread_root) if said.thread_root else None
        reply = message_ref(said.room_id, said.reply_to) if said.reply_to else None
        await self.host.dispatch(
            MessagePosted(
                author=actor,
                channel=channel,
                message_ref=message_ref(said.room_id, said.event_id),
                length=len(said.body),
                thread_of=thread,
                reply_to=reply or thread,
                mentions=tuple(member_id(user) for user in said.mentions),
                text=said.body,
                event_id=event_id,
            )
        )

    async def _command(self, actor: Actor, said: Said, text: str) -> None:
        interaction = Interaction(
            id=interaction_id(said.room_id, said.event_id, said.user_id),
            channel=self.rooms.name_of(said.room_id),
        )
        commands = self.host.commands
        words = text.split()
        if not words or words[0].lower() in ("help", "hulp"):
            await self._answer(interaction, self._help(actor))
            return
        try:
            parsed = parse_command_text(text, commands, CommandWords(self.t))
        except UsageError as err:
            if err.key == "core.usage.unknown_command":
                answer = self._help(actor, unknown=words[0])
            else:
                answer = CommandWords(self.t).explain(err)
            await self._answer(interaction, answer)
            return
        await self.host.dispatch(
            CommandInvoked(
                actor=actor, path=parsed.path, options=parsed.options, interaction=interaction
            )
        )

    def _help(self, actor: Actor, unknown: str | None = None) -> str:
        community = self.config.community.name
        return help_text(self.t, self.host.commands, actor, community, self.prefix, unknown=unknown)

    async def _answer(self, interaction: Interaction, text: str) -> None:
        await self.host.send(Reply(interaction=interaction.id, text=text))

    async def _choices_of(self, room_id: str, event_id: str) -> tuple[str, list[Choice]]:
        """Sender and Plein's choices of a message, fetched from the homeserver."""
        fetched = await self.client.room_get_event(room_id, event_id)
        if not isinstance(fetched, RoomGetEventResponse):
            return "", []
        source = fetched.event.source
        return str(source.get("sender", "")), c.stored_choices(source.get("content") or {})

    async def _latest_in_dm(self, room_id: str) -> tuple[str, tuple[Choice, ...]] | None:
        known = self.out.last_choices.get(room_id)
        if known is not None:
            return known
        page = await self.client.room_messages(room_id, limit=RECENT)
        if not isinstance(page, RoomMessagesResponse):
            return None
        for event in page.chunk:
            source = event.source
            if source.get("sender") == self.client.user_id and source.get("type") in (
                "m.room.message",
                c.POLL_START,
            ):
                found = (str(source["event_id"]), tuple(c.stored_choices(source["content"])))
                self.out.last_choices[room_id] = found
                return found
        return None

    async def _numbered_pick(self, said: Said, text: str, direct: bool) -> Choice | None:
        """'2' as a reply to Plein's message with choices (or, in a DM, after it)."""
        if said.reply_to is not None:
            sender, choices = await self._choices_of(said.room_id, said.reply_to)
            if sender != self.client.user_id:
                return None
        elif direct:
            latest = await self._latest_in_dm(said.room_id)
            choices = list(latest[1]) if latest else []
        else:
            return None
        index = c.picked_number(text, len(choices))
        return choices[index] if index is not None else None

    async def _pick(self, actor: Actor, room_id: str, event_id: str, choice: Choice) -> None:
        interaction = Interaction(
            id=interaction_id(room_id, event_id, user_of_actor(actor)),
            channel=self.rooms.name_of(room_id),
        )
        await self.host.dispatch(
            ChoicePicked(
                actor=actor,
                message_ref=message_ref(room_id, event_id),
                choice_id=choice.id,
                interaction=interaction,
            )
        )

    async def _form_answer(self, actor: Actor, said: Said) -> None:
        user = said.user_id
        skip = self.t("matrix.form.skip_word")
        following, problem = self.forms.answer(user, said.body, skip)
        if problem or following is not None:
            text = self.t(problem) + "\n" if problem else ""
            assert following is not None
            text += self.forms.field_prompt(following, self.t("matrix.form.optional"))
            await self.out.post_in(said.room_id, text)
            return
        state = self.forms.finish(user)
        await self.host.dispatch(
            FormSubmitted(
                actor=actor,
                form_id=state.form.id,
                values=state.answers,
                interaction=Interaction(
                    id=interaction_id(said.room_id, said.event_id, user), channel=state.channel
                ),
            )
        )

    async def _reacted(self, reacted: Reacted, event_id: str) -> None:
        direct = self.rooms.is_direct(reacted.room_id)
        actor = self.actor(reacted.user_id, None if direct else reacted.room_id)
        sender, choices = await self._choices_of(reacted.room_id, reacted.target)
        index = c.picked_number(reacted.key, len(choices))
        if sender == self.client.user_id and index is not None:
            await self._pick(actor, reacted.room_id, reacted.target, choices[index])
            return
        author = member_id(sender) if sender and sender != self.client.user_id else None
        await self.host.dispatch(
            ReactionAdded(
                member=actor,
                message_ref=message_ref(reacted.room_id, reacted.target),
                emoji=reacted.key,
                channel=self.rooms.name_of(reacted.room_id),
                message_author=author,
                event_id=event_id,
            )
        )

    async def _voted(self, vote: PollVoted) -> None:
        """Native poll ticks: removed ticks are picked again (taken back), then added ones."""
        key = (vote.poll_event, vote.user_id)
        before = self.ballots.get(key)
        if before is None:
            before = await self._earlier_ticks(vote)
        self.ballots[key] = vote.selections
        removed = [s for s in before if s not in vote.selections]
        added = [s for s in vote.selections if s not in before]
        actor = self.actor(vote.user_id, vote.room_id)
        for answer in removed + added:
            await self._pick(actor, vote.room_id, vote.poll_event, Choice(answer, answer))

    async def _earlier_ticks(self, vote: PollVoted) -> tuple[str, ...]:
        """After a restart: the member's previous response, read back from the homeserver."""
        for event in await self.rooms.raw.references(vote.room_id, vote.poll_event):
            if event.get("sender") != vote.user_id or event.get("event_id") == vote.event_id:
                continue
            earlier = translate(vote.room_id, event, self.client.user_id)
            if isinstance(earlier, PollVoted):
                return earlier.selections
        return ()


def user_of_actor(actor: Actor) -> str:
    return actor.id.removeprefix("matrix:")
