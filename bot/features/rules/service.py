"""/rules propose|list|vote and the managers' /rules adopt|reject; re-acceptance of new versions.

A proposal is voted on as a real poll (agree/disagree, one ballot per member, open for
`[onboarding] rules_vote_duration`), so votes get everything polls guarantee. Managers decide:
an adopted rule gets the next version number (the configured rules are version 1), joins the
groundrules newcomers see and, with `require_reacceptance`, is put once to every member who had
accepted the groundrules, by DM with a button.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from bot.actions import Action, Choice, PostMessage, Reply, SendDM, Style
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.events import ChoicePicked
from bot.features.polls.service import PollRequest, PollsService
from bot.features.rules.ports import Proposal, ProposalStatus, RulesStore, versions
from bot.kit import Kit

log = logging.getLogger("plein.rules")

PREFIX = "rules"
ASK_JOB = "rules.reaccept"
MAX_RULE = 200
ASK_BATCH = 50


class RulesService:
    def __init__(
        self, kit: Kit, store: RulesStore, polls: PollsService | None, *, reaccept: bool
    ) -> None:
        self.kit = kit
        self.reaccept = reaccept
        """Onboarding is there and asks for re-acceptance of new versions."""
        self.t = kit.t
        self.store = store
        self.polls = polls
        self.config = kit.config.onboarding
        self.channel = kit.config.rules.channel or kit.config.community.default_channel

    def specs(self) -> list[CommandSpec]:
        ref = Option("ref", OptionKind.INTEGER, min_value=1)
        vote = Option("vote", OptionKind.CHOICE, choices=("agree", "disagree"))
        return [
            CommandSpec(
                path=("rules", "propose"),
                handler=self.propose,
                options=(Option("text", max_length=MAX_RULE),),
            ),
            CommandSpec(path=("rules", "list"), handler=self.show),
            CommandSpec(path=("rules", "vote"), handler=self.vote, options=(ref, vote)),
            CommandSpec(
                path=("rules", "adopt"),
                handler=self.adopt,
                options=(ref, Option("reason", required=False, max_length=300)),
                manager_only=True,
            ),
            CommandSpec(
                path=("rules", "reject"),
                handler=self.reject,
                options=(ref, Option("reason", max_length=300)),
                manager_only=True,
            ),
        ]

    # ---- what the groundrules are ------------------------------------------------------------

    def rule_line(self, proposal: Proposal) -> str:
        when = proposal.decided_at or proposal.proposed_at
        return self.t(
            "rules.adopted_line",
            text=proposal.text,
            date=self.t.date(when, year=True, weekday=False),
        )

    async def adopted_lines(self) -> list[str]:
        """For the welcome: the rules the community added, after the configured ones."""
        return [self.rule_line(p) for p in await self.store.adopted()]

    # ---- members -----------------------------------------------------------------------------

    async def propose(self, call: CommandCall) -> Sequence[Action]:
        text = " ".join(str(call.options["text"]).split())
        if not text:
            raise UsageError("rules.propose.empty")
        if self.polls is None:
            raise UsageError("rules.propose.no_polls")
        now = self.kit.clock.now()
        proposal = await self.store.propose(text, call.actor.id, now)
        poll = await self.polls.create(
            PollRequest(
                question=self.t("rules.poll.question", number=proposal.id, text=text),
                options=(self.t("rules.poll.agree"), self.t("rules.poll.disagree")),
                channel=self.channel,
                creator_id=call.actor.id,
                duration=self.config.rules_vote_duration,
            )
        )
        await self.store.set_poll(proposal.id, poll.id)
        return [
            call.reply(
                self.t(
                    "rules.proposed",
                    number=proposal.id,
                    until=self.t.datetime(poll.closes_at),
                )
            )
        ]

    async def show(self, call: CommandCall) -> Sequence[Action]:
        t = self.t
        adopted = await self.store.adopted()
        rules = [*self.config.rules, *(self.rule_line(p) for p in adopted)]
        lines = [t("rules.list.title", version=versions(adopted))]
        lines += [f"{n}. {rule}" for n, rule in enumerate(rules, 1)] or [t("rules.list.none")]
        proposals = await self.store.open_proposals()
        if proposals:
            lines += ["", t("rules.list.proposals")]
            lines += [t("rules.list.proposal", number=p.id, text=p.text) for p in proposals]
        lines += ["", t("rules.list.how")]
        return [call.reply("\n".join(lines))]

    async def vote(self, call: CommandCall) -> Sequence[Action]:
        proposal = await self._proposal(call)
        if self.polls is None or proposal.poll_id is None:
            raise UsageError("rules.propose.no_polls")
        poll = await self.polls.store.get(proposal.poll_id)
        if poll is None or proposal.status is not ProposalStatus.OPEN:
            raise UsageError("rules.decided", number=proposal.id)
        position = poll.options[0 if call.options["vote"] == "agree" else 1].position
        outcome = await self.polls.vote(poll, call.actor.id, position)
        return [call.reply(self.polls.confirmation(poll, outcome))]

    # ---- managers ----------------------------------------------------------------------------

    async def adopt(self, call: CommandCall) -> Sequence[Action]:
        proposal = await self._proposal(call)
        reason = str(call.options.get("reason") or "").strip() or None
        now = self.kit.clock.now()
        version = await self.store.adopt(proposal.id, call.actor.id, reason, now)
        if version is None:
            raise UsageError("rules.decided", number=proposal.id)
        await self._close_vote(proposal, now)
        asked = 0
        if self.reaccept:
            asked = await self.store.ask_reacceptance(version)
            self.kit.jobs.poke(ASK_JOB)
        adopted = await self.store.get(proposal.id)
        assert adopted is not None
        t = self.t
        post = t("rules.adopted.post", version=version, rule=self.rule_line(adopted))
        if reason:
            post += "\n" + t("rules.reason", reason=reason)
        reply = t("rules.adopted.reply", number=proposal.id, version=version)
        if self.reaccept:
            reply += " " + t("rules.adopted.asking", count=asked)
        return [
            PostMessage(channel=self.channel, text=post),
            call.reply(reply),
        ]

    async def reject(self, call: CommandCall) -> Sequence[Action]:
        proposal = await self._proposal(call)
        reason = str(call.options["reason"]).strip()
        if not reason:
            raise UsageError("rules.reject.no_reason")
        now = self.kit.clock.now()
        if not await self.store.reject(proposal.id, call.actor.id, reason, now):
            raise UsageError("rules.decided", number=proposal.id)
        await self._close_vote(proposal, now)
        actions: list[Action] = [
            call.reply(self.t("rules.rejected.reply", number=proposal.id)),
        ]
        if proposal.proposed_by and proposal.proposed_by != call.actor.id:
            actions.append(
                SendDM(
                    member=proposal.proposed_by,
                    text=self.t(
                        "rules.rejected.dm", number=proposal.id, text=proposal.text, reason=reason
                    ),
                )
            )
        return actions

    async def _proposal(self, call: CommandCall) -> Proposal:
        number = int(call.options["ref"])
        proposal = await self.store.get(number)
        if proposal is None:
            raise UsageError("rules.unknown", number=number)
        return proposal

    async def _close_vote(self, proposal: Proposal, now: datetime) -> None:
        if self.polls is not None and proposal.poll_id is not None:
            await self.polls.close(proposal.poll_id, now)

    # ---- re-acceptance -----------------------------------------------------------------------

    async def next_ask(self) -> datetime | None:
        return self.kit.clock.now() if await self.store.has_unsent_asks() else None

    async def send_asks(self, now: datetime) -> None:
        asks = await self.store.claim_asks(ASK_BATCH, now)
        if not asks:
            return
        adopted = {p.version: p for p in await self.store.adopted()}
        actions: list[Action] = []
        for ask in asks:
            rule = adopted.get(ask.version)
            if rule is None:
                continue
            actions.append(
                SendDM(
                    member=ask.member_id,
                    text=self.t("rules.reaccept.ask", version=ask.version, rule=rule.text),
                    choices=(
                        Choice(
                            f"{PREFIX}:accept:{ask.version}",
                            self.t("rules.reaccept.button"),
                            Style.PRIMARY,
                        ),
                    ),
                )
            )
        await self.kit.outbox.send_all(actions)

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        parts = event.choice_id.split(":")
        if len(parts) != 3 or parts[1] != "accept" or not parts[2].isdigit():
            return [Reply(interaction=event.interaction.id, text=self.t("rules.choice.outdated"))]
        version = int(parts[2])
        done = await self.store.accept_version(event.actor.id, version, self.kit.clock.now())
        key = "rules.reaccept.thanks" if done else "rules.reaccept.already"
        return [Reply(interaction=event.interaction.id, text=self.t(key, version=version))]

    async def not_reaccepted(self, version: int) -> list[str]:
        return await self.store.not_reaccepted(version)
