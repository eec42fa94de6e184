"""/spotlight now | preview (managers), optout | optin | nominate (everyone)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.features.spotlight.service import SpotlightService
from bot.kit import Kit

REASON_MAX = 300


class SpotlightCommands:
    def __init__(self, kit: Kit, spotlight: SpotlightService) -> None:
        self.kit = kit
        self.spotlight = spotlight
        self.store = spotlight.store

    def install(self) -> None:
        add = self.kit.commands.add
        add(CommandSpec(path=("spotlight", "now"), handler=self.now, manager_only=True))
        add(CommandSpec(path=("spotlight", "preview"), handler=self.preview, manager_only=True))
        add(CommandSpec(path=("spotlight", "optout"), handler=self.optout))
        add(CommandSpec(path=("spotlight", "optin"), handler=self.optin))
        add(
            CommandSpec(
                path=("spotlight", "nominate"),
                handler=self.nominate,
                options=(
                    Option("member", OptionKind.MEMBER),
                    Option("reason", max_length=REASON_MAX),
                ),
            )
        )

    async def now(self, call: CommandCall) -> Sequence[Action]:
        moment = self.kit.clock.now()
        outcome = await self.spotlight.publish(self.spotlight.week(moment), moment)
        return [call.reply(self.kit.t(f"spotlight.now.{outcome}"))]

    async def preview(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        member_id, text = await self.spotlight.preview(self.kit.clock.now())
        if member_id is None:
            return [call.reply(t("spotlight.preview.nobody"))]
        return [call.reply(t("spotlight.preview.head") + "\n" + text)]

    async def optout(self, call: CommandCall) -> Sequence[Action]:
        await self.store.set_preference(call.actor.id, "out", self.kit.clock.now())
        return [call.reply(self.kit.t("spotlight.optout"))]

    async def optin(self, call: CommandCall) -> Sequence[Action]:
        await self.store.set_preference(call.actor.id, "in", self.kit.clock.now())
        return [call.reply(self.kit.t("spotlight.optin"))]

    async def nominate(self, call: CommandCall) -> Sequence[Action]:
        member = call.options["member"]
        reason = str(call.options["reason"]).strip()
        if member.id == call.actor.id:
            raise UsageError("spotlight.nominate.self")
        if member.is_bot:
            raise UsageError("spotlight.nominate.bot")
        if not reason:
            raise UsageError("spotlight.nominate.reason")
        await self.store.add_nomination(member.id, call.actor.id, reason, self.kit.clock.now())
        prefs = await self.store.preferences()
        mode = self.kit.config.spotlight.mode
        blocked = prefs.get(member.id) == "out" or (
            mode == "opt-in" and prefs.get(member.id) != "in"
        )
        key = "spotlight.nominate.waiting" if blocked else "spotlight.nominate.thanks"
        return [call.reply(self.kit.t(key, member=self.kit.outbox.mention(member.id)))]
