"""The console community: the terminal is the chat. Scriptable, so tests drive the whole bot."""

from __future__ import annotations

import asyncio
import re
import sys
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from adapters.console.files import PrivateFiles
from adapters.console.outgoing import ConsoleOutput
from adapters.console.prompt import PromptLine, load_readline
from adapters.console.render import Printed
from adapters.console.script import (
    Dm,
    DmSetting,
    Join,
    Leave,
    Line,
    Members,
    Pick,
    ReactTo,
    ReplyTo,
    Say,
    ScriptError,
    Wait,
    parse_line,
)
from adapters.console.state import ConsoleState, StoredMessage
from bot.actions import (
    Action,
    Delivery,
    Reply,
)
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
    ListedMember,
    Member,
    MemberJoined,
    MemberLeft,
    MembersListed,
    MessagePosted,
    ReactionAdded,
    reads_as_question,
)
from bot.host import Host

PLATFORM = "console"
MEMBER_BATCH = 500


def member_id(name: str) -> str:
    return f"{PLATFORM}:{name.lower()}"


_MENTION = re.compile(r"(?<![\w@])@([\w][\w.-]*\w|\w)")


def mentions_in(text: str) -> tuple[str, ...]:
    """`@name` in a console line mentions that member, as a platform's mention list would."""
    return tuple(dict.fromkeys(member_id(name) for name in _MENTION.findall(text)))


class ConsoleAdapter:
    name = PLATFORM

    def __init__(
        self,
        config: PleinConfig,
        *,
        lines: Iterable[str] | None = None,
        out: TextIO | None = None,
        json_output: bool = False,
        state_path: Path | None = None,
        files_dir: Path | None = None,
        history_path: Path | None = None,
    ) -> None:
        self.config = config
        self.lines = lines
        self.out = out or sys.stdout
        self.json_output = json_output
        self.state_path = state_path
        self.files = PrivateFiles(files_dir)
        self.prompt = PromptLine(self.out, history_path)
        self.state = ConsoleState.load(state_path)
        self.host: Host | None = None
        self.output = ConsoleOutput(self.state, self.files, self.prompt, json_output, self._now)
        self._interactions = 0
        self._stopping = False

    # ---- Gateway ----------------------------------------------------------------------------

    def mention(self, member: str) -> str:
        return "@" + member.split(":", 1)[-1]

    def channel_mention(self, channel: str) -> str:
        return f"#{channel}"

    async def resolve_member(self, token: str) -> Member | None:
        name = token.strip().removeprefix("@").lower()
        if name in self.state.members:
            return Member(member_id(name), self.state.members[name])
        return None

    async def perform(self, action: Action) -> Delivery:
        return await self.output.perform(action)

    # ---- platform bookkeeping ---------------------------------------------------------------

    def _now(self) -> datetime:
        return self._host().clock.now()

    def _host(self) -> Host:
        if self.host is None:
            raise RuntimeError("the console adapter is not running: call run(host) first")
        return self.host

    def _actor(self, name: str) -> Actor:
        key = name.lower()
        self.state.members.setdefault(key, name)
        managers = {m.lower() for m in self.config.community.managers}
        return Actor(
            member_id(name),
            self.state.members[key],
            is_manager=key in managers or member_id(name) in managers,
        )

    def _interaction(self, name: str, channel: str | None) -> Interaction:
        self._interactions += 1
        return Interaction(id=f"{name.lower()}@{channel or ''}", channel=channel)

    # ---- running ----------------------------------------------------------------------------

    async def run(self, host: Host) -> None:
        self.host = host
        await host.ready()
        interactive = self.lines is None and sys.stdin.isatty()
        if interactive:
            await self._run_interactive(host)
            return
        lines = self.lines if self.lines is not None else sys.stdin
        for number, raw in enumerate(lines, 1):
            if self._stopping or not host.healthy:
                break
            await self.handle_line(raw, number)
        if host.healthy:
            await self._settle(final=True)
        self.state.save(self.state_path)

    async def _run_interactive(self, host: Host) -> None:
        print(host.t("console.banner", community=self.config.community.name), file=self.out)
        number = 0
        self.prompt.readline = load_readline()
        self.prompt.open()
        try:
            while not self._stopping and host.healthy:
                try:
                    raw = await asyncio.to_thread(self.prompt.read)
                except EOFError:
                    break
                number += 1
                await self.handle_line(raw, number)
        finally:
            self.prompt.close()
        self.state.save(self.state_path)

    async def stop(self) -> None:
        self._stopping = True

    async def _settle(self, final: bool = False) -> None:
        host = self._host()
        time = host.time_control
        if time is not None:
            await (time.drain() if final else time.run_pending())
        await host.flush()

    async def handle_line(self, raw: str, number: int) -> None:
        try:
            line = parse_line(raw)
        except ScriptError as exc:
            self.output.emit(Printed("error", self._now(), f"line {number}: {exc}"))
            return
        if line is None:
            return
        try:
            await self._handle(line)
        except ScriptError as exc:
            self.output.emit(Printed("error", self._now(), f"line {number}: {exc}"))
            return
        await self._settle()

    async def _handle(self, line: Line) -> None:
        host = self._host()
        if isinstance(line, Wait):
            time = host.time_control
            if time is None:
                raise ScriptError("wait only works in scripted runs, where the clock is simulated")
            await time.advance_to(host.clock.now() + line.duration)
            return
        if isinstance(line, DmSetting):
            name = line.name.lower()
            if line.open and name in self.state.closed_dms:
                self.state.closed_dms.remove(name)
            elif not line.open and name not in self.state.closed_dms:
                self.state.closed_dms.append(name)
            return
        if isinstance(line, Members):
            await self._members(line)
            return
        actor = self._actor(line.name)
        if isinstance(line, Join):
            await host.dispatch(MemberJoined(member=Member(actor.id, actor.name)))
        elif isinstance(line, Leave):
            await host.dispatch(MemberLeft(member=Member(actor.id, actor.name)))
        elif isinstance(line, Dm):
            await self._direct_message(actor, line.text)
        elif isinstance(line, Say):
            await self._say(actor, line.channel or self.config.community.default_channel, line.text)
        elif isinstance(line, ReplyTo):
            await self._reply_to(actor, line)
        elif isinstance(line, ReactTo):
            stored = self._message(line.ref)
            await host.dispatch(
                ReactionAdded(
                    member=actor,
                    message_ref=stored.ref,
                    emoji=line.emoji,
                    channel=stored.channel,
                    message_author=None if stored.author == "plein" else member_id(stored.author),
                )
            )
        elif isinstance(line, Pick):
            await self._pick(actor, line)

    async def _members(self, line: Members) -> None:
        """Stream the declared member list to the core, as a platform adapter would."""
        now = self._now()
        listed = []
        for name, ago in line.entries:
            actor = self._actor(name)
            joined = now - ago if ago is not None else None
            listed.append(ListedMember(actor.id, actor.name, joined_at=joined))
        sync_id = f"console-{uuid.uuid4().hex}"
        batches = [listed[i : i + MEMBER_BATCH] for i in range(0, len(listed), MEMBER_BATCH)]
        batches = batches or [[]]
        for number, batch in enumerate(batches, 1):
            await self._host().dispatch(
                MembersListed(sync_id=sync_id, batch=tuple(batch), last=number == len(batches))
            )

    def _message(self, ref: str) -> StoredMessage:
        stored = self.state.messages.get(ref)
        if stored is None:
            raise ScriptError(f"there is no message #{ref}")
        return stored

    async def _say(self, actor: Actor, channel: str, text: str) -> None:
        if text.startswith("/"):
            await self._command(actor, channel, text)
            return
        ref = self.output.store(channel, actor.name, None, ())
        self.output.emit(
            Printed("message", self._now(), text, channel=channel, ref=ref, author=actor.name)
        )
        await self._host().dispatch(
            MessagePosted(
                author=actor,
                channel=channel,
                message_ref=ref,
                length=len(text),
                question=reads_as_question(text),
                mentions=mentions_in(text),
                text=text,
            )
        )

    async def _command(self, actor: Actor, channel: str | None, text: str) -> None:
        host = self._host()
        interaction = self._interaction(actor.name, channel)
        try:
            parsed = parse_command_text(text, host.commands, CommandWords(host.t))
        except UsageError as err:
            await self.perform(
                Reply(interaction=interaction.id, text=CommandWords(host.t).explain(err))
            )
            return
        await host.dispatch(
            CommandInvoked(
                actor=actor, path=parsed.path, options=parsed.options, interaction=interaction
            )
        )

    async def _reply_to(self, actor: Actor, line: ReplyTo) -> None:
        target = self._message(line.ref)
        root = target.thread_of or target.ref
        channel = target.channel or self.config.community.default_channel
        ref = self.output.store(channel, actor.name, root, ())
        self.output.emit(
            Printed(
                "message",
                self._now(),
                line.text,
                channel=channel,
                ref=ref,
                thread_of=root,
                author=actor.name,
            )
        )
        await self._host().dispatch(
            MessagePosted(
                author=actor,
                channel=channel,
                message_ref=ref,
                length=len(line.text),
                thread_of=root,
                reply_to=target.ref,
                reply_to_author=None if target.author == "plein" else member_id(target.author),
                question=reads_as_question(line.text),
                mentions=mentions_in(line.text),
                text=line.text,
            )
        )

    async def _direct_message(self, actor: Actor, text: str) -> None:
        key = actor.name.lower()
        if key in self.output.forms:
            form, answers = self.output.forms[key]
            pending = [f for f in form.form.fields if f.id not in answers]
            answers[pending[0].id] = text
            if len(pending) > 1:
                self.output.ask_next_field(key)
                return
            del self.output.forms[key]
            await self._host().dispatch(
                FormSubmitted(
                    actor=actor,
                    form_id=form.form.id,
                    values=answers,
                    interaction=self._interaction(actor.name, None),
                )
            )
            return
        if text.startswith("/"):
            await self._command(actor, None, text)
            return
        await self._host().dispatch(DirectMessage(author=actor, text=text))

    async def _pick(self, actor: Actor, line: Pick) -> None:
        stored = self._message(line.ref)
        choices = stored.choice_objects()
        if not choices:
            raise ScriptError(f"message #{line.ref} has no choices")
        chosen = None
        if line.choice.isdigit() and 1 <= int(line.choice) <= len(choices):
            chosen = choices[int(line.choice) - 1]
        else:
            chosen = next((c for c in choices if c.label.lower() == line.choice.lower()), None)
        if chosen is None:
            labels = ", ".join(f"{i} ({c.label})" for i, c in enumerate(choices, 1))
            raise ScriptError(
                f"message #{line.ref} has no choice {line.choice!r}; pick one of {labels}"
            )
        channel = stored.channel
        await self._host().dispatch(
            ChoicePicked(
                actor=actor,
                message_ref=stored.ref,
                choice_id=chosen.id,
                interaction=self._interaction(actor.name, channel),
            )
        )
