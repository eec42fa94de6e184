"""What members do on the fake Discord: join, accept the rules, post, react, write in DM,
invoke slash commands, click buttons and submit modals (payloads in the recorded shapes)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from tests.fakes.discord import payloads as p


class MemberActionsMixin:
    """Mixed into FakeDiscord, whose __init__ owns the state used here."""

    async def join(
        self,
        name: str,
        *,
        pending: bool = False,
        rejoin: bool = False,
        usr: dict | None = None,
        joined_at: str = p.TIMESTAMP,
    ) -> dict[str, Any]:
        usr = self.add_member(name, pending=pending, usr=usr, joined_at=joined_at)
        data = {**self.members[usr["id"]], "guild_id": self.guild_id}
        if rejoin:
            data["flags"] = 1
        await self.dispatch("GUILD_MEMBER_ADD", data)
        return usr

    async def accept_rules(self, user_id: str) -> None:
        member = self.members[user_id]
        member["pending"] = False
        await self.dispatch("GUILD_MEMBER_UPDATE", {**member, "guild_id": self.guild_id})

    async def leave(self, user_id: str) -> None:
        member = self.members.pop(user_id)
        await self.dispatch(
            "GUILD_MEMBER_REMOVE", {"guild_id": self.guild_id, "user": member["user"]}
        )

    async def say(
        self,
        user_id: str,
        channel: str,
        content: str,
        *,
        thread_of: str | None = None,
        mentions: list[str] = (),  # type: ignore[assignment]
    ) -> dict[str, Any]:
        """A member posts; without the content intent the bot receives empty content.
        `mentions` are user ids: Discord lists the mentioned users (with their member part)
        whether or not the content intent is on."""
        channel_id = thread_of or self.channel_id(channel)
        data = p.fixture("message_create.guild.json")["d"]
        member = self.members[user_id]
        data.update(
            id=self.new_id(),
            channel_id=channel_id,
            guild_id=self.guild_id,
            author=member["user"],
            member={k: v for k, v in member.items() if k != "user"},
            content=content if self.content_intent_enabled else "",
            timestamp=p.TIMESTAMP,
            components=[],
            attachments=[],
            embeds=[],
            mentions=[
                {
                    **self.members[m]["user"],
                    "member": {k: v for k, v in self.members[m].items() if k != "user"},
                }
                for m in mentions
            ],
        )
        data.pop("referenced_message", None)
        self.messages[data["id"]] = data
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    async def react(self, user_id: str, message_id: str, emoji: str) -> None:
        """MESSAGE_REACTION_ADD in the recorded shape (unicode emoji, member with user)."""
        data = p.fixture("message_reaction_add.json")["d"]
        message = self.messages[message_id]
        data.update(
            user_id=user_id,
            message_id=message_id,
            channel_id=message["channel_id"],
            guild_id=self.guild_id,
            member=self.members[user_id],
            emoji={"id": None, "name": emoji},
            message_author_id=message["author"]["id"],
        )
        await self.dispatch("MESSAGE_REACTION_ADD", data)

    async def _interact(
        self,
        kind: int,
        user_id: str,
        channel_id: str,
        data: dict[str, Any],
        message: dict[str, Any] | None = None,
    ) -> str:
        ident = self.new_id()
        dm = next((c for c in self.dm_channels.values() if c["id"] == channel_id), None)
        payload = p.interaction(
            kind,
            ident,
            f"token-{ident}",
            self.application_id,
            self.guild_id,
            dm or self.channels[channel_id],
            self.members[user_id],
            data,
            message,
        )
        if dm is not None:  # a DM interaction carries `user`, no `member`, no guild
            payload["user"] = payload.pop("member")["user"]
            payload.pop("guild_id")
            payload.pop("guild_locale", None)
            payload["context"] = 1
            payload["authorizing_integration_owners"] = {"0": self.guild_id}
        self.interactions[ident] = payload
        await self.dispatch("INTERACTION_CREATE", payload)
        return ident

    async def dm(self, user_id: str, content: str) -> dict[str, Any]:
        """A member writes to the bot in DM (DMs carry content without the content intent)."""
        channel = self.dm_channels[user_id]
        data = p.message(self.new_id(), channel["id"], self.members[user_id]["user"], content)
        data.pop("guild_id", None)
        self.messages[data["id"]] = data
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    async def slash(
        self, user_id: str, words: str, channel: str = "algemeen", **options: Any
    ) -> str:
        """Invoke a synced command: '/poll new' with options; users are passed as user dicts."""
        names = words.strip("/").split()
        command = next(c for c in self.commands if c["name"] == names[0])
        leaves: list[dict[str, Any]] = []
        resolved: dict[str, Any] = {}
        for name, value in options.items():
            if isinstance(value, dict):
                resolved.setdefault("users", {})[value["id"]] = value
                leaves.append({"name": name, "type": 6, "value": value["id"]})
            elif isinstance(value, bool):
                leaves.append({"name": name, "type": 5, "value": value})
            elif isinstance(value, int):
                leaves.append({"name": name, "type": 4, "value": value})
            else:
                leaves.append({"name": name, "type": 3, "value": value})
        tree: list[dict[str, Any]] = leaves
        for depth, name in reversed(list(enumerate(names[1:], 1))):
            tree = [{"name": name, "type": 1 if depth == len(names) - 1 else 2, "options": tree}]
        data = {
            "id": command["id"],
            "name": names[0],
            "type": 1,
            "options": tree,
            "guild_id": self.guild_id,
        }
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, user_id, self.channel_id(channel), data)

    async def click(self, user_id: str, message_id: str, custom_id: str) -> str:
        message = self.messages[message_id]
        channel_id = message["channel_id"]
        return await self._interact(
            3, user_id, channel_id, {"custom_id": custom_id, "component_type": 2}, message
        )

    async def submit(
        self,
        user_id: str,
        custom_id: str,
        values: dict[str, Any],
        channel_id: str | None = None,
    ) -> str:
        """A modal submit in the current Label (type 18) shape; a list value is a select."""
        components = []
        for n, (key, value) in enumerate(values.items(), 1):
            inner: dict[str, Any] = {"id": n + 100, "custom_id": key}
            if isinstance(value, list):
                inner.update(type=3, values=value)
            else:
                inner.update(type=4, value=value)
            components.append({"type": 18, "id": n, "component": inner})
        data = {"custom_id": custom_id, "components": components}
        return await self._interact(5, user_id, channel_id or self.channel_id("algemeen"), data)

    def buttons(self, message_id: str) -> list[dict[str, Any]]:
        rows = self.messages[message_id].get("components") or []
        return [c for row in rows for c in row.get("components", [])]

    def response_to(self, interaction_id: str) -> dict[str, Any] | None:
        return self.callbacks.get(interaction_id)

    def audit_reasons(self) -> list[str]:
        return [
            unquote(c.headers.get("X-Audit-Log-Reason", ""))
            for c in self.calls
            if "/roles/" in c.path
        ]
