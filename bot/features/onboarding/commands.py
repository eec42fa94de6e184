"""/profile (view, edit, another member's public answers) and the managers' /onboarding tools."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import Action, SendDM
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.events import Member
from bot.features.onboarding.conversation import Conversation
from bot.features.onboarding.ports import PendingMember
from bot.features.onboarding.service import OnboardingService
from bot.timespec import format_duration

MAX_NAMES = 30


class OnboardingCommands:
    def __init__(self, service: OnboardingService, conversation: Conversation) -> None:
        self.service = service
        self.conversation = conversation
        self.kit = service.kit
        self.store = service.store
        self.config = service.config
        self.texts = service.texts

    def specs(self) -> list[CommandSpec]:
        return [
            CommandSpec(
                path=("profile",),
                handler=self.profile,
                options=(Option("member", OptionKind.MEMBER, required=False),),
                alias="show",
            ),
            CommandSpec(path=("profile", "edit"), handler=self.edit),
            CommandSpec(path=("onboarding", "preview"), handler=self.preview, manager_only=True),
            CommandSpec(path=("onboarding", "status"), handler=self.status, manager_only=True),
        ]

    # -- /profile -------------------------------------------------------------------------------

    async def profile(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        target: Member | None = call.options.get("member")
        if target is None or target.id == call.actor.id:
            own, member_id, name = True, call.actor.id, call.actor.name
        else:
            own, member_id, name = False, target.id, target.name
        lines = [t("onboarding.profile.title", member=name)]
        answers = await self.store.answers(member_id)
        answer_lines = self.texts.answer_lines(answers, public_only=not own)
        lines += answer_lines or [t("onboarding.profile.no_answers")]
        lines += await self.kit.profile.render(member_id)
        if own and self.config.questions:
            lines.append(t("onboarding.profile.edit_hint"))
        return [call.reply("\n".join(lines))]

    async def edit(self, call: CommandCall) -> Sequence[Action]:
        if not self.config.questions:
            raise UsageError("onboarding.profile.no_questions")
        member_id = call.actor.id
        await self.store.ensure_state(member_id, self.kit.clock.now())
        await self.store.set_question_pos(member_id, 0)
        first = self.service.question_dm(member_id, 0)
        return [
            SendDM(
                member=member_id,
                text=self.kit.t("onboarding.profile.edit_intro") + "\n" + first.text,
                choices=first.choices,
            ),
            call.reply(self.kit.t("onboarding.profile.edit_sent")),
        ]

    # -- /onboarding preview --------------------------------------------------------------------

    async def preview(self, call: CommandCall) -> Sequence[Action]:
        """The whole flow as the manager would receive it, without buttons and without state."""
        t = self.kit.t
        member_id = call.actor.id
        texts = self.texts
        welcome, _ = await self.service.welcome_message(
            member_id,
            ask_acceptance=self.config.require_rules_acceptance,
            first_question=None,
            inline_question=False,
        )
        messages = [t("onboarding.preview.header") + "\n\n" + welcome]
        if self.config.questions:
            asked = [texts.question_text(pos) for pos in range(len(self.config.questions))]
            messages.append(
                t("onboarding.questions.intro", count=len(self.config.questions))
                + "\n\n"
                + "\n\n".join(asked)
                + "\n\n"
                + t("onboarding.questions.done")
            )
        if self.config.intro_channel:
            example = {q.id: f"<{q.text}>" for q in self.config.questions}
            intro = texts.intro_text(
                self.kit.outbox.mention(member_id), self.kit.config.community.name, example
            )
            channel = self.kit.outbox.gateway.channel_mention(self.config.intro_channel)
            messages.append(t("onboarding.preview.intro", channel=channel) + "\n" + intro)
        community = self.kit.config.community
        for followup in self.config.followups:
            text = followup.text.format(
                member=self.kit.outbox.mention(member_id),
                community=community.name,
                mission=community.mission,
            )
            messages.append(
                t(
                    "onboarding.preview.followup",
                    after=format_duration(followup.after),
                    condition=t(f"onboarding.only_if.{followup.only_if}"),
                )
                + "\n"
                + text
            )
        if self.config.rejoin == "welcome_back":
            back = await self.service.render_welcome(member_id, back=True)
            messages.append(t("onboarding.preview.welcome_back") + "\n" + back)
        actions: list[Action] = [SendDM(member=member_id, text=m) for m in messages]
        actions.append(call.reply(t("onboarding.preview.sent", count=len(messages))))
        return actions

    # -- /onboarding status ---------------------------------------------------------------------

    async def status(self, call: CommandCall) -> Sequence[Action]:
        t = self.kit.t
        lines = [t("onboarding.status.title")]
        if self.config.require_rules_acceptance:
            pending = await self.store.not_accepted()
            lines.append(
                t("onboarding.status.rules", count=len(pending), names=self._names(pending))
            )
        if self.config.questions:
            pending = await self.store.not_answered()
            lines.append(
                t("onboarding.status.questions", count=len(pending), names=self._names(pending))
            )
        if len(lines) == 1:
            lines.append(t("onboarding.status.nothing"))
        return [call.reply("\n".join(lines))]

    def _names(self, pending: list[PendingMember]) -> str:
        if not pending:
            return self.kit.t("onboarding.status.nobody")
        names = ", ".join(p.name for p in pending[:MAX_NAMES])
        if len(pending) > MAX_NAMES:
            names += " " + self.kit.t("onboarding.status.more", count=len(pending) - MAX_NAMES)
        return names
