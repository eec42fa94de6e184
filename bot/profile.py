"""Sections other features add to a member's /profile (ladder level, community roles, ...)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

ProfileSection = Callable[[str], Awaitable[str | None]]
"""Given a member id, a localised line or block for their profile, or None to show nothing."""


class ProfileSections:
    def __init__(self) -> None:
        self._sections: list[tuple[str, ProfileSection]] = []

    def add(self, name: str, section: ProfileSection) -> None:
        self._sections.append((name, section))

    async def render(self, member_id: str) -> list[str]:
        lines = []
        for _, section in self._sections:
            text = await section(member_id)
            if text:
                lines.append(text)
        return lines
