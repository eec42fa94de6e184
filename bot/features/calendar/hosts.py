"""A theme's hosts as members: config handles (console names, platform ids) -> member ids."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config.calendar import Theme
from bot.gateway import Outbox
from bot.members import MemberStore


@dataclass(frozen=True)
class ResolvedHosts:
    members: tuple[str, ...]
    backup: str | None
    missing: tuple[str, ...]


def matches(handle: str, member_id: str) -> bool:
    """The same rule as Kit.is_manager: a full id or a bare platform id (a console name is its
    id). Never a display name: on Discord or Slack anyone may call themselves "anna"."""
    bare = member_id.split(":", 1)[-1]
    wanted = handle.strip().lstrip("@").lower()
    return wanted in (member_id.lower(), bare.lower())


def is_host(theme: Theme, member_id: str) -> bool:
    handles = [*theme.hosts, *([theme.backup] if theme.backup else [])]
    return any(matches(h, member_id) for h in handles)


class Hosts:
    def __init__(self, outbox: Outbox, members: MemberStore) -> None:
        self.outbox = outbox
        self.members = members

    async def member_id(self, handle: str) -> str | None:
        found = await self.outbox.gateway.resolve_member(handle)
        if found is not None:
            return found.id
        info = await self.members.find_by_name(handle.strip().lstrip("@"))
        return info.id if info is not None and info.left_at is None else None

    async def resolve(self, theme: Theme) -> ResolvedHosts:
        members: list[str] = []
        missing: list[str] = []
        for handle in theme.hosts:
            member = await self.member_id(handle)
            if member is None:
                missing.append(handle)
            elif member not in members:
                members.append(member)
        backup = await self.member_id(theme.backup) if theme.backup else None
        if theme.backup and backup is None:
            missing.append(theme.backup)
        return ResolvedHosts(
            tuple(members), backup if backup not in members else None, tuple(missing)
        )
