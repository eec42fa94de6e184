"""Slack payloads -> core events. Pure: no I/O; everything it needs comes in a `Context`.

Rules from the payloads README: ignore our own bot (joins and messages), a thread reply is
`thread_ts != ts`, `ts` stays a string, greet on `member_joined_channel` and never on the
`channel_join` message, DMs are `channel_type == "im"`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.slack.emoji import emoji_from_name
from bot.events import (
    Actor,
    ChoicePicked,
    DirectMessage,
    Event,
    FormSubmitted,
    Interaction,
    Member,
    MemberJoined,
    MemberLeft,
    MessagePosted,
    ReactionAdded,
    reads_as_question,
)

PLATFORM = "slack"
OPEN_FORM_ACTION = "plein-open-form"
"""action_id of the button offered when a modal could not be opened in time."""

# Message subtypes that are somebody saying something; everything else (joins, edits, bots) is not.
_SPOKEN_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def member_id(user: str) -> str:
    return f"{PLATFORM}:{user}"


def user_of(member: str) -> str:
    return member.removeprefix(f"{PLATFORM}:")


def message_ref(channel: str, ts: str) -> str:
    return f"{channel}/{ts}"


def split_ref(ref: str) -> tuple[str, str]:
    channel, sep, ts = ref.partition("/")
    if not sep or not channel or not ts:
        raise ValueError(f"not a Slack message ref: {ref!r}")
    return channel, ts


def unescape(text: str) -> str:
    """Slack escapes &, < and > in user text; mentions stay as <@U..> tokens."""
    return html.unescape(text or "")


@dataclass(frozen=True)
class Context:
    bot_user_id: str | None = None
    bot_id: str | None = None
    join_event: str = "team_join"
    community_channel_id: str | None = None
    channel_names: Mapping[str, str] = field(default_factory=dict)
    """channel id -> configured name, so features see "algemeen" and not "C0123"."""
    names: Mapping[str, str] = field(default_factory=dict)
    """user id -> display name, when the adapter already knows it."""
    managers: frozenset[str] = frozenset()
    """user ids allowed to run manager commands."""

    def channel_name(self, channel_id: str | None) -> str | None:
        if channel_id is None:
            return None
        return self.channel_names.get(channel_id, channel_id)

    def name(self, user: str, fallback: str | None = None) -> str:
        return self.names.get(user) or fallback or user

    def actor(self, user: str, fallback_name: str | None = None) -> Actor:
        return Actor(
            member_id(user),
            self.name(user, fallback_name),
            is_manager=user in self.managers,
        )

    def is_self(self, user: str | None) -> bool:
        return user is not None and user == self.bot_user_id


@dataclass(frozen=True)
class ReplyTarget:
    """Where answers to an interaction go: its response_url, else the channel, else a DM."""

    user: str
    channel_id: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None


@dataclass(frozen=True)
class SlashCommand:
    """`/plein <text>`: the adapter parses the text with the core's command parser."""

    actor: Actor
    text: str
    interaction: Interaction


@dataclass(frozen=True)
class OpenFormClicked:
    """The fallback button for a modal whose trigger had expired."""

    actor: Actor
    key: str
    interaction: Interaction


@dataclass(frozen=True)
class Incoming:
    event: Event | SlashCommand | OpenFormClicked | None
    target: ReplyTarget | None = None


NOTHING = Incoming(None)


def users_in(body: Mapping[str, Any]) -> set[str]:
    """User ids the adapter should know names for before translating this body."""
    event = body.get("event") or {}
    user = event.get("user")
    if isinstance(user, str):
        return {user}
    return set()


def translate_event(body: Mapping[str, Any], ctx: Context) -> Event | None:
    """An Events API `event_callback` body (HTTP or a Socket Mode envelope's payload)."""
    event = body.get("event") or {}
    event_id = body.get("event_id")
    kind = event.get("type")
    if kind == "team_join":
        return _team_join(event, ctx, event_id)
    if kind == "user_change":
        return _user_change(event, ctx, event_id)
    if kind in ("member_joined_channel", "member_left_channel"):
        return _channel_membership(event, ctx, event_id)
    if kind == "message":
        return _message(event, ctx, event_id)
    if kind == "reaction_added":
        return _reaction(event, ctx, event_id)
    return None


def _display_name(user: Mapping[str, Any]) -> str:
    profile = user.get("profile") or {}
    return (
        profile.get("display_name")
        or profile.get("real_name")
        or user.get("real_name")
        or user.get("name")
        or user.get("id", "")
    )


def _team_join(event: Mapping[str, Any], ctx: Context, event_id: str | None) -> Event | None:
    if ctx.join_event != "team_join":
        return None
    user = event.get("user") or {}
    if not user.get("id") or ctx.is_self(user["id"]):
        return None
    is_bot = bool(user.get("is_bot") or user.get("is_app_user"))
    return MemberJoined(
        member=Member(member_id(user["id"]), _display_name(user), is_bot=is_bot),
        event_id=event_id,
    )


def _user_change(event: Mapping[str, Any], ctx: Context, event_id: str | None) -> Event | None:
    """A deactivated account is the workspace-level 'left the community'."""
    user = event.get("user") or {}
    if ctx.join_event != "team_join" or not user.get("deleted") or not user.get("id"):
        return None
    return MemberLeft(member=Member(member_id(user["id"]), _display_name(user)), event_id=event_id)


def _channel_membership(
    event: Mapping[str, Any], ctx: Context, event_id: str | None
) -> Event | None:
    if ctx.join_event != "member_joined_channel":
        return None
    user = event.get("user")
    if not user or ctx.is_self(user) or event.get("channel") != ctx.community_channel_id:
        return None
    member = Member(member_id(user), ctx.name(user))
    if event["type"] == "member_joined_channel":
        return MemberJoined(member=member, event_id=event_id)
    return MemberLeft(member=member, event_id=event_id)


_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
"""A user mention in Slack's message markup, `<@U024BE7LH>` (older clients add `|name`)."""


def _message(event: Mapping[str, Any], ctx: Context, event_id: str | None) -> Event | None:
    user = event.get("user")
    if (
        event.get("subtype") not in _SPOKEN_SUBTYPES
        or event.get("bot_id")
        or not user
        or ctx.is_self(user)
    ):
        return None
    channel = event.get("channel", "")
    ts = event.get("ts", "")
    raw = event.get("text", "")
    text = unescape(raw)
    author = Member(member_id(user), ctx.name(user))
    ref = message_ref(channel, ts)
    if event.get("channel_type") == "im":
        return DirectMessage(author=author, text=text, message_ref=ref, event_id=event_id)
    thread_ts = event.get("thread_ts")
    thread_of = message_ref(channel, thread_ts) if thread_ts and thread_ts != ts else None
    return MessagePosted(
        author=author,
        channel=ctx.channel_name(channel) or channel,
        message_ref=ref,
        length=len(text),
        thread_of=thread_of,
        reply_to=thread_of,
        reply_to_author=_parent_author(event, ctx) if thread_of else None,
        question=reads_as_question(text),
        event_id=event_id,
        mentions=tuple(
            dict.fromkeys(member_id(u) for u in _USER_MENTION.findall(raw) if not ctx.is_self(u))
        ),
        text=text,
    )


def _parent_author(event: Mapping[str, Any], ctx: Context) -> str | None:
    """A thread reply carries `parent_user_id`, the author of the thread's root message."""
    parent = event.get("parent_user_id")
    return member_id(parent) if parent and not ctx.is_self(parent) else None


def _reaction(event: Mapping[str, Any], ctx: Context, event_id: str | None) -> Event | None:
    item = event.get("item") or {}
    user = event.get("user")
    if item.get("type") != "message" or not user or ctx.is_self(user):
        return None
    author = event.get("item_user")
    return ReactionAdded(
        member=Member(member_id(user), ctx.name(user)),
        message_ref=message_ref(item.get("channel", ""), item.get("ts", "")),
        emoji=emoji_from_name(event.get("reaction", "")),
        channel=ctx.channel_name(item.get("channel")),
        message_author=member_id(author) if author and not ctx.is_self(author) else None,
        event_id=event_id,
    )


# ---- slash commands and interactivity --------------------------------------------------------


def translate_command(body: Mapping[str, Any], ctx: Context) -> Incoming:
    """A slash command body (form fields, already parsed by bolt)."""
    user = body.get("user_id", "")
    channel = body.get("channel_id")
    is_dm = body.get("channel_name") == "directmessage" or str(channel or "").startswith("D")
    trigger = body.get("trigger_id") or f"cmd-{user}-{channel}"
    interaction = Interaction(id=trigger, channel=None if is_dm else ctx.channel_name(channel))
    target = ReplyTarget(user, channel, body.get("response_url"), body.get("trigger_id"))
    text = _normalise_command_text(body.get("text", ""))
    return Incoming(SlashCommand(ctx.actor(user, body.get("user_name")), text, interaction), target)


def _normalise_command_text(text: str) -> str:
    """Unescape, and turn the curly quotes Slack clients like to type into straight ones."""
    text = unescape(text)
    return text.replace("\u201c", '"').replace("\u201d", '"').replace("\u201e", '"')


def translate_action(body: Mapping[str, Any], ctx: Context) -> Incoming:
    """A `block_actions` payload: a button click becomes ChoicePicked (value = Choice.id)."""
    user_obj = body.get("user") or {}
    user = user_obj.get("id", "")
    actions = body.get("actions") or []
    if not user or not actions:
        return NOTHING
    action = actions[0]
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    trigger = body.get("trigger_id") or f"act-{user}-{action.get('action_ts', '')}"
    is_dm = str(channel or "").startswith("D")
    interaction = Interaction(id=trigger, channel=None if is_dm else ctx.channel_name(channel))
    target = ReplyTarget(user, channel, body.get("response_url"), body.get("trigger_id"))
    actor = ctx.actor(user, user_obj.get("name") or user_obj.get("username"))
    value = action.get("value") or action.get("action_id") or ""
    if action.get("action_id", "").startswith(OPEN_FORM_ACTION):
        return Incoming(OpenFormClicked(actor, value, interaction), target)
    if not channel or not ts:
        return NOTHING
    return Incoming(
        ChoicePicked(
            actor=actor,
            message_ref=message_ref(channel, ts),
            choice_id=value,
            interaction=interaction,
            # The click's own id: a multi-choice toggle is stored once under it (an inbox
            # replay after a crash does not toggle back).
            event_id=f"slack:action:{body['trigger_id']}" if body.get("trigger_id") else None,
        ),
        target,
    )


def translate_view_submission(body: Mapping[str, Any], ctx: Context) -> Incoming:
    """A modal submit: values by block_id (= FormField.id); the origin channel rides along
    in private_metadata as JSON ({"channel": "C.."})."""
    user_obj = body.get("user") or {}
    user = user_obj.get("id", "")
    view = body.get("view") or {}
    if not user or not view.get("callback_id"):
        return NOTHING
    channel = _metadata(view.get("private_metadata")).get("channel")
    trigger = body.get("trigger_id") or f"view-{view.get('id', '')}"
    is_dm = str(channel or "").startswith("D")
    interaction = Interaction(id=trigger, channel=None if is_dm else ctx.channel_name(channel))
    return Incoming(
        FormSubmitted(
            actor=ctx.actor(user, user_obj.get("name") or user_obj.get("username")),
            form_id=view["callback_id"],
            values=view_values(view),
            interaction=interaction,
        ),
        ReplyTarget(user, channel, None, body.get("trigger_id")),
    )


def _metadata(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def view_values(view: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    state = (view.get("state") or {}).get("values") or {}
    for block_id, elements in state.items():
        for element in elements.values():
            value = element.get("value")
            if value is None and element.get("selected_option"):
                value = element["selected_option"].get("value")
            if value is not None:
                values[block_id] = value
    return values


_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$")
_RAW_ID = re.compile(r"^(?:slack:)?@?([UW][A-Z0-9]{2,})$")


def parse_member_token(token: str) -> tuple[str, str | None] | None:
    """'<@U123|anna>' -> ('U123', 'anna'); '<@U123>', 'U123', 'slack:U123' -> ('U123', None)."""
    token = token.strip()
    match = _MENTION.match(token)
    if match:
        return match.group(1), match.group(2) or None
    match = _RAW_ID.match(token)
    if match:
        return match.group(1), None
    return None
