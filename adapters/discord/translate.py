"""Discord payloads and discord.py objects -> Plein events (pure: no I/O, no client state).

Ids become "discord:<snowflake>" strings (snowflakes stay strings, never numbers); message refs
are "<channel_id>/<message_id>" so an UpdateMessage still finds its message after a restart.
Message text is never carried into events, only its length.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from adapters.discord.commands import Route, invoked_path
from bot.events import (
    Actor,
    ChoicePicked,
    CommandInvoked,
    FormSubmitted,
    Interaction,
    InterestChanged,
    Member,
    MemberJoined,
    MemberLeft,
    MemberUpdated,
    MessagePosted,
    ReactionAdded,
    reads_as_question,
)

PLATFORM = "discord"
USER_OPTION = 6


def interest(
    event_id: int | str, user_id: int | str, name: str, is_bot: bool, interested: bool
) -> InterestChanged:
    """GUILD_SCHEDULED_EVENT_USER_ADD / _REMOVE: a member's 'Interested' on an event."""
    return InterestChanged(
        member=Member(member_id(user_id), name, is_bot),
        platform_ref=str(event_id),
        interested=interested,
    )


def member_id(snowflake: int | str) -> str:
    return f"{PLATFORM}:{snowflake}"


def snowflake(ident: str) -> int | None:
    """'discord:123', '<@123>', '<@!123>' or '123' -> 123."""
    text = ident.strip().removeprefix(f"{PLATFORM}:")
    text = text.removeprefix("<@").removeprefix("!").removeprefix("&").removesuffix(">")
    return int(text) if text.isdigit() else None


def message_ref(channel_id: int | str, message_id: int | str) -> str:
    return f"{channel_id}/{message_id}"


def parse_ref(ref: str) -> tuple[int, int] | None:
    channel, sep, message = ref.partition("/")
    if not sep or not channel.isdigit() or not message.isdigit():
        return None
    return int(channel), int(message)


# ---- raw payload dicts -------------------------------------------------------------------------


def user_name(user: Mapping[str, Any], member: Mapping[str, Any] | None = None) -> str:
    nick = (member or {}).get("nick")
    return str(nick or user.get("global_name") or user.get("username") or user.get("id"))


def member_from_payload(user: Mapping[str, Any], member: Mapping[str, Any] | None = None) -> Member:
    return Member(member_id(user["id"]), user_name(user, member), bool(user.get("bot", False)))


def command_options(data: Mapping[str, Any], route: Route) -> dict[str, Any]:
    """Leaf options -> spec option values; users typed as Member, numbered options collected."""
    _, leaves = invoked_path(dict(data))
    resolved = data.get("resolved") or {}
    users = resolved.get("users") or {}
    members = resolved.get("members") or {}
    values: dict[str, Any] = {}
    numbered: dict[str, list[tuple[int, Any]]] = {}
    for option in leaves:
        name, value = option["name"], option.get("value")
        if option.get("type") == USER_OPTION:
            key = str(value)
            user = users.get(key, {"id": key})
            value = member_from_payload(user, members.get(key))
        if name in route.numbered:
            index = int(name.removeprefix(route.numbered[name]) or 0)
            numbered.setdefault(route.numbered[name], []).append((index, value))
        else:
            values[name] = value
    for name, items in numbered.items():
        values[name] = [value for _, value in sorted(items, key=lambda item: item[0])]
    return values


def modal_values(data: Mapping[str, Any]) -> dict[str, str]:
    """A modal submit's answers by custom_id: the legacy ActionRow (type 1) and the current
    Label (type 18) shapes; a select inside a label gives its values joined by ', '."""
    values: dict[str, str] = {}

    def take(component: Mapping[str, Any]) -> None:
        custom_id = component.get("custom_id")
        if custom_id is None:
            return
        if "values" in component:
            values[custom_id] = ", ".join(str(v) for v in component["values"])
        else:
            values[custom_id] = str(component.get("value") or "")

    for top in data.get("components") or []:
        if top.get("type") == 1:
            for inner in top.get("components") or []:
                take(inner)
        elif top.get("type") == 18 and "component" in top:
            take(top["component"])
        else:
            take(top)
    return values


def is_manager(
    user_id: str,
    role_ids: Collection[str],
    role_names: Collection[str],
    managers: Collection[str],
    manager_roles: Collection[str],
    username: str | None = None,
) -> bool:
    """A manager holds a configured manager role (name or id) or is listed in community.managers
    by user id or unique `username` (pass it only when unique: discriminator "0"); never by the
    display name, which anyone may set to a manager's name."""
    wanted = {r.lower() for r in manager_roles}
    if wanted & ({r.lower() for r in role_names} | set(role_ids)):
        return True
    listed = {m.lower() for m in managers}
    named = username is not None and username.lower() in listed
    return user_id in listed or member_id(user_id) in listed or named


def unique_username(user: Any) -> str | None:
    """The user name when Discord keeps it unique (new-style names, discriminator "0")."""
    name = getattr(user, "name", None)
    return name if name and str(getattr(user, "discriminator", "0")) in ("0", "0000") else None


# ---- discord.py objects (duck-typed so tests can pass the real ones) -------------------------


class _User(Protocol):
    id: int
    bot: bool

    @property
    def display_name(self) -> str: ...


def member_of(user: _User) -> Member:
    return Member(member_id(user.id), user.display_name, bool(user.bot))


def member_joined(member: Any) -> MemberJoined:
    flags = getattr(member, "flags", None)
    return MemberJoined(
        member=member_of(member),
        pending_screening=bool(getattr(member, "pending", False)),
        platform_says_rejoin=bool(getattr(flags, "did_rejoin", False)),
    )


def member_left(user: Any) -> MemberLeft:
    return MemberLeft(member=member_of(user))


def member_updated(before: Any, after: Any) -> MemberUpdated | None:
    """Only `pending` true -> false (rules accepted in Membership Screening) is news to Plein;
    `pending: false` also arrives on nickname changes, so the cached value must have been true."""
    if getattr(before, "pending", False) and not getattr(after, "pending", False):
        return MemberUpdated(member=member_of(after), passed_screening=True)
    return None


def message_posted(message: Any, channel_name: str, thread_root: str | None) -> MessagePosted:
    """A guild message; `length` is what the platform reports (0 without the content intent)."""
    reference = getattr(message, "reference", None)
    reply_to = reply_to_author = None
    if reference is not None and reference.message_id is not None:
        reply_to = message_ref(reference.channel_id, reference.message_id)
        replied = getattr(reference, "resolved", None)  # the replied-to message, when sent along
        replied_author = getattr(replied, "author", None)
        if replied_author is not None and not getattr(replied_author, "bot", False):
            reply_to_author = member_id(replied_author.id)
    content = message.content or ""
    return MessagePosted(
        event_id=f"{PLATFORM}:message:{message.id}",
        author=member_of(message.author),
        channel=channel_name,
        message_ref=message_ref(message.channel.id, message.id),
        length=len(content),
        thread_of=thread_root,
        reply_to=reply_to,
        reply_to_author=reply_to_author,
        question=reads_as_question(content),
        mentions=tuple(
            dict.fromkeys(
                member_id(user.id) for user in getattr(message, "mentions", ()) if not user.bot
            )
        ),
        text=content,
    )


def reaction_added(payload: Any, channel_name: str | None, user: Member) -> ReactionAdded:
    """From discord.RawReactionActionEvent (the message need not be cached)."""
    author = getattr(payload, "message_author_id", None)
    return ReactionAdded(
        event_id=f"{PLATFORM}:reaction:{payload.message_id}:{payload.user_id}:{payload.emoji}",
        member=user,
        message_ref=message_ref(payload.channel_id, payload.message_id),
        emoji=str(payload.emoji),
        channel=channel_name,
        message_author=member_id(author) if author else None,
    )


def command_invoked(
    interaction_id: int,
    data: Mapping[str, Any],
    actor: Actor,
    channel: str | None,
    routes: Mapping[tuple[str, ...], Route],
) -> CommandInvoked:
    path, _ = invoked_path(dict(data))
    route = routes.get(path)
    if route is None:  # a stale registration: the core answers "unknown command"
        return CommandInvoked(
            event_id=f"{PLATFORM}:interaction:{interaction_id}",
            actor=actor,
            path=path,
            interaction=Interaction(str(interaction_id), channel),
        )
    return CommandInvoked(
        event_id=f"{PLATFORM}:interaction:{interaction_id}",
        actor=actor,
        path=route.spec_path,
        options=command_options(data, route),
        interaction=Interaction(str(interaction_id), channel),
    )


def choice_picked(
    interaction_id: int, data: Mapping[str, Any], actor: Actor, channel: str | None, ref: str
) -> ChoicePicked:
    choice = str(data.get("custom_id", ""))
    selected = data.get("values")
    if selected:  # a select menu: the chosen option's value is the choice id
        choice = str(selected[0])
    return ChoicePicked(
        event_id=f"{PLATFORM}:interaction:{interaction_id}",
        actor=actor,
        message_ref=ref,
        choice_id=choice,
        interaction=Interaction(str(interaction_id), channel),
    )


def form_submitted(
    interaction_id: int, data: Mapping[str, Any], actor: Actor, channel: str | None
) -> FormSubmitted:
    return FormSubmitted(
        event_id=f"{PLATFORM}:interaction:{interaction_id}",
        actor=actor,
        form_id=str(data.get("custom_id", "")),
        values=modal_values(data),
        interaction=Interaction(str(interaction_id), channel),
    )
