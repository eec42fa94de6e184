"""Plein's actions performed on Matrix: posts, DMs, replies, edits, native polls, reactions,
files and DM forms. Roles are not a Matrix concept: AddRole/RemoveRole answer "unsupported"."""

from __future__ import annotations

import io
import logging
import mimetypes
import uuid
from collections.abc import Callable
from typing import Any

from nio import AsyncClient, RoomGetEventResponse, RoomSendResponse, UploadResponse

from adapters.markup import MentionMarkers
from adapters.matrix import content as c
from adapters.matrix.api import MatrixError, checked
from adapters.matrix.forms import DmForms
from adapters.matrix.ids import message_ref, parse_interaction, parse_ref, user_of
from adapters.matrix.rooms import Rooms
from bot.actions import (
    DM_CLOSED,
    Action,
    Attachment,
    Choice,
    Delivery,
    OpenForm,
    PostMessage,
    React,
    Reply,
    SendDM,
    UpdateMessage,
)
from bot.i18n import Translator

log = logging.getLogger("plein.matrix")


class Outgoing:
    def __init__(
        self,
        client: AsyncClient,
        rooms: Rooms,
        forms: DmForms,
        t: Translator,
        name_of: Callable[[str], str],
    ) -> None:
        self.client = client
        self.rooms = rooms
        self.forms = forms
        self.t = t
        self.name_of = name_of
        self.markers = MentionMarkers()
        self.rewrite: Callable[[str], str] = lambda text: text
        self.polls: set[str] = set()
        """Event ids of the native polls Plein started (others are fetched to tell)."""
        self.last_choices: dict[str, tuple[str, tuple[Choice, ...]]] = {}
        """DM room -> Plein's latest message there and its choices (empty: a plain message)."""

    # ---- text -------------------------------------------------------------------------------

    def render(
        self, text: str, choices: tuple[Choice, ...] = ()
    ) -> tuple[str, str, tuple[str, ...]]:
        """Plain body, HTML body and the members Plein itself mentions."""
        text = self.rewrite(text)
        if choices:
            text = c.numbered(text, choices, self.t("matrix.choices.hint"))
        plain = self.markers.render(
            text, user=self.name_of, channel=lambda room: f"#{self.rooms.name_of(room) or room}"
        )
        rich = self.markers.render(
            text,
            user=lambda user: c.pill(user, self.name_of(user)),
            channel=lambda room: (
                f'<a href="https://matrix.to/#/{room}">#{self.rooms.name_of(room) or room}</a>'
            ),
            escape=c.html_text,
        )
        return plain.text, rich.text, plain.users

    def message(self, text: str, choices: tuple[Choice, ...] = ()) -> dict[str, Any]:
        body, formatted, users = self.render(text, choices)
        return c.text_content(body, formatted, users, choices=choices)

    async def send(self, room_id: str, kind: str, content: dict[str, Any]) -> str:
        sent = checked(
            f"send {kind}",
            await self.client.room_send(room_id, kind, content, tx_id=uuid.uuid4().hex),
        )
        assert isinstance(sent, RoomSendResponse)
        return sent.event_id

    # ---- actions ----------------------------------------------------------------------------

    async def perform(self, action: Action) -> Delivery:
        try:
            return await self._perform(action)
        except MatrixError as err:
            log.warning("Matrix refused %s: %s", type(action).__name__, err)
            return Delivery(ok=False, reason=err.errcode or "matrix_error")

    async def _perform(self, action: Action) -> Delivery:
        if isinstance(action, PostMessage):
            return await self._post(action)
        if isinstance(action, SendDM):
            return await self._dm(action)
        if isinstance(action, Reply):
            return await self._reply(action)
        if isinstance(action, UpdateMessage):
            return await self._update(action)
        if isinstance(action, React):
            return await self._react(action)
        if isinstance(action, OpenForm):
            return await self.open_form(action)
        return Delivery(ok=False, reason="unsupported")  # roles among them: no roles on Matrix

    async def _post(self, action: PostMessage) -> Delivery:
        thread = parse_ref(action.thread_of) if action.thread_of else None
        room_id = thread[0] if thread else self.rooms.channels.get(action.channel)
        if room_id is None:
            return Delivery(ok=False, reason="unknown_channel")
        ref = await self.post_in(room_id, action.text, action.choices, action.files, thread)
        return Delivery(
            ref=ref, channel=action.channel, thread_ref=ref if action.open_thread else None
        )

    async def post_in(
        self,
        room_id: str,
        text: str,
        choices: tuple[Choice, ...] = (),
        files: tuple[Attachment, ...] = (),
        thread: tuple[str, str] | None = None,
        reply_to: str | None = None,
    ) -> str:
        if c.is_poll(choices):
            body, _, _ = self.render(text)
            question = body.split("\n", 1)[0]
            event_id = await self.send(room_id, c.POLL_START, c.poll_start(question, body, choices))
            self.polls.add(event_id)
        else:
            content = self.message(text, choices)
            if thread is not None:
                c.in_thread(content, thread[1])
            elif reply_to is not None:
                c.reply_to(content, reply_to)
            event_id = await self.send(room_id, "m.room.message", content)
        if self.rooms.is_direct(room_id):
            self.last_choices[room_id] = (event_id, () if c.is_poll(choices) else choices)
        for attachment in files:
            await self._upload(room_id, attachment)
        return message_ref(room_id, event_id)

    async def _upload(self, room_id: str, attachment: Attachment) -> None:
        mime = mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
        uploaded, _ = await self.client.upload(
            io.BytesIO(attachment.data),
            content_type=mime,
            filename=attachment.filename,
            filesize=len(attachment.data),
        )
        uploaded = checked("upload", uploaded)
        assert isinstance(uploaded, UploadResponse)
        msgtype = "m.image" if mime.startswith("image/") else "m.file"
        content = {
            "msgtype": msgtype,
            "body": attachment.filename,
            "filename": attachment.filename,
            "url": uploaded.content_uri,
            "info": {"mimetype": mime, "size": len(attachment.data)},
            "m.mentions": {},
        }
        await self.send(room_id, "m.room.message", content)

    async def _dm(self, action: SendDM) -> Delivery:
        try:
            room_id = await self.rooms.direct_room(user_of(action.member))
        except MatrixError as err:
            log.info("no DM room with a member: %s", err.errcode)
            return Delivery(ok=False, reason=DM_CLOSED)
        ref = await self.post_in(room_id, action.text, action.choices, action.files)
        return Delivery(ref=ref)

    async def _reply(self, action: Reply) -> Delivery:
        """Matrix has no ephemeral messages: an ephemeral answer goes to the member's DM room."""
        where = parse_interaction(action.interaction)
        if where is None:
            return Delivery(ok=False, reason="unknown_interaction")
        room_id, event_id, user_id = where
        if action.ephemeral and not self.rooms.is_direct(room_id):
            try:
                room_id = await self.rooms.direct_room(user_id)
            except MatrixError:
                return Delivery(ok=False, reason=DM_CLOSED)
            event_id = ""
        reply_to = event_id or None
        ref = await self.post_in(
            room_id, action.text, action.choices, action.files, reply_to=reply_to
        )
        return Delivery(ref=ref, channel=self.rooms.name_of(room_id))

    async def is_poll(self, room_id: str, event_id: str) -> bool:
        if event_id in self.polls:
            return True
        fetched = await self.client.room_get_event(room_id, event_id)
        if isinstance(fetched, RoomGetEventResponse):
            kind = fetched.event.source.get("type")
            if kind in (c.POLL_START, c.STABLE_POLL_START):
                self.polls.add(event_id)
                return True
        return False

    async def _update(self, action: UpdateMessage) -> Delivery:
        target = parse_ref(action.ref)
        if target is None:
            return Delivery(ok=False, reason="unknown_message")
        room_id, event_id = target
        if await self.is_poll(room_id, event_id):
            # Element shows a disclosed poll's live counts itself; closing it is an m.poll.end.
            if action.choices == ():
                body, _, _ = self.render(action.text)
                await self.send(room_id, c.POLL_END, c.poll_end(event_id, body))
            return Delivery(ref=action.ref)
        new = self.message(action.text, action.choices or ())
        await self.send(room_id, "m.room.message", c.edit(event_id, new))
        if self.last_choices.get(room_id, ("",))[0] == event_id:
            self.last_choices[room_id] = (event_id, action.choices or ())
        return Delivery(ref=action.ref)

    async def _react(self, action: React) -> Delivery:
        target = parse_ref(action.ref)
        if target is None:
            return Delivery(ok=False, reason="unknown_message")
        room_id, event_id = target
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": action.emoji}
        await self.send(room_id, "m.reaction", {"m.relates_to": relation})
        return Delivery(ref=action.ref)

    async def open_form(self, action: OpenForm) -> Delivery:
        user_id = user_of(action.member)
        where = parse_interaction(action.interaction)
        channel = self.rooms.name_of(where[0]) if where else None
        first = self.forms.start(user_id, action.form, channel)
        try:
            room_id = await self.rooms.direct_room(user_id)
        except MatrixError:
            self.forms.finish(user_id)
            return Delivery(ok=False, reason=DM_CLOSED)
        intro = self.t("matrix.form.intro", title=action.form.title)
        if first is not None:
            intro += "\n\n" + self.forms.field_prompt(first, self.t("matrix.form.optional"))
        ref = await self.post_in(room_id, intro)
        return Delivery(ref=ref)
