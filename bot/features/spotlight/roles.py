"""Community roles from the method (Expert, Host, Curator, ...): members ask, managers approve."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.actions import Action, AddRole, Choice, PostMessage, Reply, SendDM, Style
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.config.spotlight import CommunityRole
from bot.events import ChoicePicked
from bot.features.spotlight.ports import RoleStore
from bot.kit import Kit


class RoleService:
    def __init__(self, kit: Kit, store: RoleStore) -> None:
        self.kit = kit
        self.store = store
        self.roles = kit.config.spotlight.roles

    def install(self) -> None:
        add = self.kit.commands.add
        add(CommandSpec(path=("role",), handler=self.cmd_list, alias="list"))
        add(
            CommandSpec(
                path=("role", "request"), handler=self.cmd_request, options=(Option("role"),)
            )
        )
        add(
            CommandSpec(
                path=("role", "approve"),
                handler=self.cmd_approve,
                options=(Option("member", OptionKind.MEMBER), Option("role")),
                manager_only=True,
            )
        )
        self.kit.dispatcher.on_choice("role", self.on_choice)
        self.kit.profile.add("roles", self.profile_line)

    def describe(self, role: CommunityRole) -> str:
        if role.description:
            return role.description
        key = f"spotlight.role.{role.name.lower()}"
        return self.kit.t(key) if self.kit.t.has(key) else ""

    def _role(self, name: str) -> CommunityRole:
        role = self.kit.config.spotlight.role(name)
        if role is None:
            raise UsageError(
                "spotlight.role.unknown",
                role=name,
                allowed=", ".join(r.name for r in self.roles),
            )
        return role

    async def cmd_list(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        lines = [t("spotlight.role.title")]
        for role in self.roles:
            lines.append(f"• {role.name} - {self.describe(role)}".rstrip(" -"))
        mine = await self.store.roles_of(call.actor.id)
        if mine:
            lines.append(
                t(
                    "spotlight.role.yours",
                    roles=", ".join(
                        c.role
                        if c.status == "approved"
                        else t("spotlight.role.pending", role=c.role)
                        for c in mine
                    ),
                )
            )
        lines.append(t("spotlight.role.how"))
        return [call.reply("\n".join(lines))]

    async def cmd_request(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        role = self._role(str(call.options["role"]))
        status = await self.store.request_role(call.actor.id, role.name, self.kit.clock.now())
        if status == "approved":
            return [call.reply(t("spotlight.role.already", role=role.name))]
        return [
            call.reply(t("spotlight.role.requested", role=role.name)),
            PostMessage(
                channel=self.kit.config.community.managers_channel,
                text=t(
                    "spotlight.role.request_notice",
                    member=self.kit.outbox.mention(call.actor.id),
                    role=role.name,
                ),
                choices=(
                    Choice(
                        f"role:approve:{role.name}:{call.actor.id}",
                        t("spotlight.role.approve_button"),
                        Style.SUCCESS,
                    ),
                ),
            ),
        ]

    async def cmd_approve(self, call: CommandCall) -> Sequence[Action]:
        member = call.options["member"]
        role = self._role(str(call.options["role"]))
        return await self._approve(member.id, role, call.actor.id, call.reply)

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        parts = event.choice_id.split(":", 3)

        def reply(text: str) -> Reply:
            return Reply(interaction=event.interaction.id, text=text)

        if len(parts) != 4 or parts[1] != "approve":
            return []
        if not event.actor.is_manager:
            return [reply(self.kit.t("core.not_manager", command="/role approve"))]
        role = self.kit.config.spotlight.role(parts[2])
        if role is None:
            return []
        return await self._approve(parts[3], role, event.actor.id, reply)

    async def _approve(
        self, member_id: str, role: CommunityRole, by: str, reply: Callable[[str], Reply]
    ) -> list[Action]:
        t = self.kit.t
        mention = self.kit.outbox.mention(member_id)
        done = await self.store.approve_role(member_id, role.name, by, self.kit.clock.now())
        if not done:
            return [reply(t("spotlight.role.already_approved", member=mention, role=role.name))]
        actions: list[Action] = [
            reply(t("spotlight.role.approved", member=mention, role=role.name)),
            SendDM(
                member=member_id,
                text=t("spotlight.role.congrats", role=role.name, description=self.describe(role)),
            ),
        ]
        if role.platform_role:
            actions.append(
                AddRole(
                    member=member_id, role=role.platform_role, reason=f"community role {role.name}"
                )
            )
        return actions

    async def profile_line(self, member_id: str) -> str | None:
        roles = [c.role for c in await self.store.roles_of(member_id) if c.status == "approved"]
        if not roles:
            return None
        return self.kit.t("spotlight.role.profile", roles=", ".join(roles))
