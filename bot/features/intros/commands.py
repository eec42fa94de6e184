"""/intros join|leave|skip|status, the welcome's opt-in button and the 'did you meet?' buttons."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action, Reply
from bot.commands import CommandCall, CommandSpec
from bot.events import ChoicePicked
from bot.features.intros.service import IntrosService

JOIN_CHOICE = "intros:join"


class IntrosCommands:
    def __init__(self, service: IntrosService) -> None:
        self.service = service
        self.kit = service.kit

    def register(self) -> None:
        for name, handler in (
            ("join", self.join),
            ("leave", self.leave),
            ("skip", self.skip),
            ("status", self.status),
        ):
            self.kit.commands.add(CommandSpec(path=("intros", name), handler=handler))

    def _next(self) -> str:
        upcoming = self.service.next_round(self.kit.clock.now())
        return self.kit.t.datetime(upcoming) if upcoming else "-"

    async def _join(self, member: str) -> str:
        added = await self.service.store.join(member, self.kit.clock.now())
        return self.kit.t("intros.joined" if added else "intros.already_in", when=self._next())

    async def join(self, call: CommandCall) -> Sequence[Action]:
        return [call.reply(await self._join(call.actor.id))]

    async def leave(self, call: CommandCall) -> Sequence[Action]:
        left = await self.service.store.leave(call.actor.id, self.kit.clock.now())
        return [call.reply(self.kit.t("intros.left" if left else "intros.not_in"))]

    async def skip(self, call: CommandCall) -> Sequence[Action]:
        skipping = await self.service.store.skip(call.actor.id, self.kit.clock.now())
        key = "intros.skipping" if skipping else "intros.not_in"
        return [call.reply(self.kit.t(key, when=self._next()))]

    async def status(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        found = await self.service.store.optin(call.actor.id)
        if found is None or not found.opted_in:
            return [call.reply(t("intros.status.out"))]
        key = "intros.status.skipping" if found.skip_next else "intros.status.in"
        return [call.reply(t(key, when=self._next(), count=found.groups))]

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action] | None:
        t = self.kit.t
        reply_to = event.interaction.id
        if event.choice_id == JOIN_CHOICE:
            return [Reply(interaction=reply_to, text=await self._join(event.actor.id))]
        parts = event.choice_id.split(":")
        if len(parts) != 4 or parts[1] != "met" or not parts[2].isdigit():
            return [Reply(interaction=reply_to, text=t("intros.gone"))]
        met = parts[3] == "yes"
        if not await self.service.answered(int(parts[2]), event.actor.id, met):
            return [Reply(interaction=reply_to, text=t("intros.gone"))]
        return [
            Reply(
                interaction=reply_to,
                text=t("intros.met.thanks_yes" if met else "intros.met.thanks_no"),
            )
        ]
