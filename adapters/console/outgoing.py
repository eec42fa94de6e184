"""What Plein does in the console community: posts, DMs, replies, edits, roles and forms are
printed (text or JSON lines) and remembered in the console's state, as a platform would keep them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from adapters.console.files import PrivateFiles
from adapters.console.prompt import PromptLine
from adapters.console.render import Printed, as_json, as_text
from adapters.console.state import ConsoleState, StoredMessage
from bot.actions import (
    DM_CLOSED,
    Action,
    AddRole,
    Attachment,
    Choice,
    Delivery,
    GroupDM,
    ListMembers,
    OpenForm,
    PostMessage,
    React,
    RemoveRole,
    Reply,
    SendDM,
    UpdateMessage,
)


class ConsoleOutput:
    def __init__(
        self,
        state: ConsoleState,
        files: PrivateFiles,
        prompt: PromptLine,
        json_output: bool,
        now: Callable[[], datetime],
    ) -> None:
        self.state = state
        self.files = files
        self.prompt = prompt
        self.json_output = json_output
        self.now = now
        self.forms: dict[str, tuple[OpenForm, dict[str, str]]] = {}
        """Forms asked field by field in DM (no modals in a terminal), by member name."""

    async def perform(self, action: Action) -> Delivery:
        now = self.now()
        if isinstance(action, PostMessage):
            root = self.state.messages.get(action.thread_of) if action.thread_of else None
            channel = root.channel if root else action.channel
            files = self.save_files(f"channel-{channel}", action.files)
            ref = self._post(now, channel, action.text, action.choices, files, action.thread_of)
            return Delivery(
                ref=ref, channel=channel, thread_ref=ref if action.open_thread else None
            )
        if isinstance(action, SendDM):
            name = action.member.split(":", 1)[-1]
            if name in self.state.closed_dms:
                return Delivery(ok=False, reason=DM_CLOSED)
            return Delivery(ref=self._dm(now, name, action.text, action.choices, action.files))
        if isinstance(action, GroupDM):
            names = [m.split(":", 1)[-1] for m in action.members]
            ref = self.store(None, "plein", None, action.choices, dm_member=",".join(names))
            self.emit(
                Printed(
                    "group_dm",
                    now,
                    action.text,
                    ref=ref,
                    choices=action.choices,
                    extra={"members": names},
                )
            )
            return Delivery(ref=ref)
        if isinstance(action, Reply):
            return self._reply(action, now)
        if isinstance(action, UpdateMessage):
            stored = self.state.messages.get(action.ref)
            if stored is None:
                return Delivery(ok=False, reason="unknown_message")
            if action.choices is not None:
                stored.choices = [
                    {"id": c.id, "label": c.label, "style": str(c.style)} for c in action.choices
                ]
            self.emit(
                Printed("update", now, action.text, ref=action.ref, choices=action.choices or ())
            )
            return Delivery(ref=action.ref)
        if isinstance(action, AddRole | RemoveRole):
            kind = "role_add" if isinstance(action, AddRole) else "role_remove"
            self.emit(Printed(kind, now, member=action.member.split(":", 1)[-1], role=action.role))
            return Delivery()
        if isinstance(action, React):
            self.emit(Printed("react", now, ref=action.ref, emoji=action.emoji))
            return Delivery()
        if isinstance(action, OpenForm):
            return await self._open_form(action, now)
        if isinstance(action, ListMembers):
            # The console's member list is what the script declares (`members ...`); nothing to add.
            return Delivery(reason="script_declares_members")
        return Delivery(ok=False, reason="unsupported")

    def _reply(self, action: Reply, now: datetime) -> Delivery:
        asker, _, channel = action.interaction.partition("@")
        if action.ephemeral or not channel:
            ref = self._dm(now, asker, action.text, action.choices, action.files, ephemeral=True)
            return Delivery(ref=ref)
        files = self.save_files(asker, action.files)
        return Delivery(
            ref=self._post(now, channel, action.text, action.choices, files), channel=channel
        )

    def _post(
        self,
        now: datetime,
        channel: str | None,
        text: str,
        choices: Sequence[Choice],
        files: tuple[str, ...],
        thread_of: str | None = None,
    ) -> str:
        ref = self.store(channel, "plein", thread_of, choices)
        self.emit(
            Printed(
                "post",
                now,
                text,
                channel=channel,
                ref=ref,
                thread_of=thread_of,
                choices=tuple(choices),
                files=files,
            )
        )
        return ref

    def _dm(
        self,
        now: datetime,
        member: str,
        text: str,
        choices: Sequence[Choice],
        files: tuple[Attachment, ...],
        *,
        ephemeral: bool = False,
    ) -> str:
        ref = self.store(None, "plein", None, choices, dm_member=member)
        self.emit(
            Printed(
                "dm",
                now,
                text,
                member=member,
                ref=ref,
                choices=tuple(choices),
                files=self.save_files(member, files),
                extra={"ephemeral": True} if ephemeral else {},
            )
        )
        return ref

    async def _open_form(self, action: OpenForm, now: datetime) -> Delivery:
        """No modals in a terminal: ask the fields one by one in DM."""
        name = action.member.split(":", 1)[-1]
        self.forms[name] = (action, {})
        self.emit(Printed("dm", now, action.form.title, member=name))
        self.ask_next_field(name)
        return Delivery()

    def ask_next_field(self, name: str) -> None:
        form, answers = self.forms[name]
        for spec in form.form.fields:
            if spec.id not in answers:
                hint = f" ({', '.join(spec.options)})" if spec.options else ""
                self.emit(Printed("dm", self.now(), f"{spec.label}{hint}", member=name))
                return

    def store(
        self,
        channel: str | None,
        author: str,
        thread_of: str | None,
        choices: Sequence[Choice],
        dm_member: str | None = None,
    ) -> str:
        ref = self.state.new_ref()
        self.state.messages[ref] = StoredMessage(
            ref=ref,
            channel=channel,
            author=author,
            thread_of=thread_of,
            choices=[{"id": c.id, "label": c.label, "style": str(c.style)} for c in choices],
            dm_member=dm_member,
        )
        return ref

    def save_files(self, owner: str, files: tuple[Attachment, ...]) -> tuple[str, ...]:
        return tuple(str(self.files.save(owner, a.filename, a.data)) for a in files)

    def emit(self, item: Printed) -> None:
        self.prompt.show(as_json(item) if self.json_output else as_text(item))
