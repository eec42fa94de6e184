"""/poll nonvoters: the present members who have not voted on a named poll (managers only).

An anonymous poll never says who has not voted, since that would tell who did."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.features.polls.service import PollsService
from bot.kit import Kit


class PollNonVoters:
    def __init__(self, kit: Kit, polls: PollsService) -> None:
        self.kit = kit
        self.polls = polls

    def spec(self) -> CommandSpec:
        return CommandSpec(
            path=("poll", "nonvoters"),
            handler=self.nonvoters,
            options=(Option("ref", OptionKind.INTEGER, min_value=1),),
            manager_only=True,
        )

    async def nonvoters(self, call: CommandCall) -> Sequence[Action]:
        number = int(call.options["ref"])
        poll = await self.polls.store.get(number)
        if poll is None:
            raise UsageError("polls.error.unknown_ref", ref=str(number))
        if poll.anonymous:
            raise UsageError("polls.nonvoters.anonymous", number=number)
        voted = {v.member_id for v in await self.polls.store.named_votes(poll.id)}
        missing = [m for m in await self.kit.members.present_ids() if m not in voted]
        mention = self.kit.outbox.mention
        t = self.kit.t
        names = ", ".join(mention(m) for m in missing) or t("polls.nonvoters.none")
        return [call.reply(t("polls.nonvoters", number=number, count=len(missing), names=names))]
