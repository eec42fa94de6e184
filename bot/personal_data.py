"""Every feature that stores something about a member registers how to export and erase it.

This is what `/privacy export` and `/privacy forget` walk (Red-DiscordBot's per-cog deletion hook).
"""

from __future__ import annotations

from typing import Any, Protocol


class PersonalDataProvider(Protocol):
    async def export_member(self, member_id: str) -> dict[str, Any]: ...

    async def erase_member(self, member_id: str) -> None: ...


class PersonalDataRegistry:
    def __init__(self) -> None:
        self._providers: dict[str, PersonalDataProvider] = {}

    def register(self, name: str, provider: PersonalDataProvider) -> None:
        if name in self._providers:
            raise ValueError(f"personal data provider {name!r} registered twice")
        self._providers[name] = provider

    def providers(self) -> dict[str, PersonalDataProvider]:
        return dict(self._providers)
