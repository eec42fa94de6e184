"""Actions flowing out to adapters. Every feature is built from these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Style(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True)
class Choice:
    """A button/select option. `id` encodes the object (e.g. "poll:12:3") so it survives restarts."""

    id: str
    label: str
    style: Style = Style.SECONDARY


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class FormField:
    id: str
    label: str
    required: bool = True
    max_length: int = 1000
    multiline: bool = False
    options: tuple[str, ...] = ()
    placeholder: str = ""


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True, kw_only=True)
class Action:
    pass


@dataclass(frozen=True, kw_only=True)
class PostMessage(Action):
    """Post in a channel (by its configured name), or in the thread under message `thread_of`.

    `open_thread` asks the platform to open a thread under the new message with that title.
    """

    channel: str
    text: str
    choices: tuple[Choice, ...] = ()
    thread_of: str | None = None
    open_thread: str | None = None
    files: tuple[Attachment, ...] = ()
    key: str | None = None
    """One post per key, across processes: the adapter tags the message with it (Slack: message
    metadata) so that a process taking over a post another one died during can find it."""
    look_first: bool = False
    """With `key`: a takeover. If a message with this key is already there, deliver that one
    instead of posting again."""


@dataclass(frozen=True, kw_only=True)
class SendDM(Action):
    """A direct message. When the member's DMs are closed the outbox posts to `fallback_channel`."""

    member: str
    text: str
    choices: tuple[Choice, ...] = ()
    fallback_channel: str | None = None
    files: tuple[Attachment, ...] = ()
    key: str | None = None
    """One DM per key, across processes (like PostMessage.key); the fallback post keeps it."""
    look_first: bool = False
    """With `key`: a takeover; deliver the DM already there instead of sending it again."""


@dataclass(frozen=True, kw_only=True)
class GroupDM(Action):
    """One private conversation with several members (an introduction): a Slack multi-person DM,
    a Discord private thread under `channel`, a shared DM on the console. An adapter without one
    answers `unsupported`; the sender then writes to each member on their own."""

    members: tuple[str, ...]
    text: str
    title: str = ""
    """The thread's name where the platform names it (Discord)."""
    channel: str | None = None
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ScheduleEvent(Action):
    """A platform's own event (Discord's Guild Scheduled Event): created when `platform_ref` is
    None, else edited (moved) or cancelled. Platforms without one answer `unsupported`; the
    announcement with RSVP buttons is the event there."""

    name: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    description: str = ""
    platform_ref: str | None = None
    cancelled: bool = False


@dataclass(frozen=True, kw_only=True)
class UpdateMessage(Action):
    ref: str
    text: str
    choices: tuple[Choice, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class Reply(Action):
    """The answer to an interaction; ephemeral means only the actor sees it."""

    interaction: str
    text: str
    ephemeral: bool = True
    choices: tuple[Choice, ...] = ()
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OpenForm(Action):
    """A modal where the platform has one; the console asks the fields one by one."""

    interaction: str
    member: str
    form: Form


@dataclass(frozen=True, kw_only=True)
class AddRole(Action):
    member: str
    role: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RemoveRole(Action):
    member: str
    role: str
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class React(Action):
    ref: str
    emoji: str


@dataclass(frozen=True)
class Delivery:
    """What an adapter reports back: the platform ref of what it created, or why it could not."""

    ok: bool = True
    ref: str | None = None
    channel: str | None = None
    thread_ref: str | None = None
    reason: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


DM_CLOSED = "dm_closed"


@dataclass(frozen=True, kw_only=True)
class ListMembers(Action):
    """Ask the adapter to stream the platform's member list back as `MembersListed` batches
    under `sync_id` (the daily member sync). An adapter without a member list answers
    `Delivery(ok=False, reason="unsupported")`."""

    sync_id: str
