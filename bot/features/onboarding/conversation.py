"""The newcomer's side of the conversation: accepting rules, answering questions, the intro post."""

from __future__ import annotations

from collections.abc import Sequence

from bot.actions import (
    Action,
    AddRole,
    Choice,
    Form,
    FormField,
    OpenForm,
    PostMessage,
    RemoveRole,
    Reply,
    SendDM,
)
from bot.events import ChoicePicked, DirectMessage, FormSubmitted, MemberUpdated
from bot.features.onboarding.messages import (
    ACCEPT,
    FORM,
    FORM_FIELDS,
    FORM_ID,
    INTRO_NO,
    INTRO_YES,
    MAX_ANSWER,
    PREFIX,
)
from bot.features.onboarding.service import OnboardingService
from bot.signals import Contributed, ContributionKind


class Conversation:
    def __init__(self, service: OnboardingService) -> None:
        self.service = service
        self.kit = service.kit
        self.store = service.store
        self.config = service.config
        self.texts = service.texts

    # -- groundrules ------------------------------------------------------------------------

    async def accept(self, member_id: str) -> tuple[bool, list[Action]]:
        """Record acceptance first; then the roles. False when it was accepted before."""
        if not await self.store.accept_rules(member_id, self.kit.clock.now()):
            return False, []
        actions: list[Action] = []
        if self.config.member_role:
            actions.append(
                AddRole(member=member_id, role=self.config.member_role, reason="rules accepted")
            )
        if self.config.newcomer_role:
            actions.append(
                RemoveRole(
                    member=member_id, role=self.config.newcomer_role, reason="rules accepted"
                )
            )
        return True, actions

    async def on_member_updated(self, event: MemberUpdated) -> Sequence[Action]:
        """Passing the platform's own rules screening (Discord) counts as accepting."""
        if not event.passed_screening or event.member.is_bot:
            return []
        _, actions = await self.accept(event.member.id)
        return actions

    # -- answers by DM --------------------------------------------------------------------------

    async def on_direct_message(self, event: DirectMessage) -> Sequence[Action] | None:
        """The answer to the open welcome question; None when no question is open."""
        member_id = event.author.id
        state = await self.store.state(member_id)
        if state is None or state.question_pos is None:
            return None
        pos = state.question_pos
        if pos >= len(self.config.questions):
            await self.store.set_question_pos(member_id, None)
            return []
        question = self.config.questions[pos]
        answer, error = self.texts.parse_answer(question, event.text)
        if error:
            return [SendDM(member=member_id, text=self.texts.error_text(error, question))]
        return await self._answered(member_id, pos, answer, reply=None)

    async def _answered(
        self, member_id: str, pos: int, answer: str | None, *, reply: str | None, in_dm: bool = True
    ) -> list[Action]:
        """Store the answer (committed before anything is said), then ask the next open question."""
        question = self.config.questions[pos]
        now = self.kit.clock.now()
        await self.store.save_answer(member_id, question.id, answer, now)
        answers = await self.store.answers(member_id)
        following = next(
            (
                p
                for p in range(pos + 1, len(self.config.questions))
                if self.config.questions[p].id not in answers
            ),
            None,
        )
        await self.store.set_question_pos(member_id, following)
        if following is not None:
            text = self.texts.question_text(following)
            choices = tuple(self.texts.question_choices(following))
        else:
            text, choices = await self._finished(member_id, answers)
        return [self._say(member_id, text, choices, reply=reply, in_dm=in_dm)]

    def _say(
        self,
        member_id: str,
        text: str,
        choices: tuple[Choice, ...] = (),
        *,
        reply: str | None,
        in_dm: bool = True,
    ) -> Action:
        if reply is not None:
            return Reply(interaction=reply, text=text, choices=choices, ephemeral=not in_dm)
        return SendDM(member=member_id, text=text, choices=choices)

    async def _finished(
        self, member_id: str, answers: dict[str, str | None]
    ) -> tuple[str, tuple[Choice, ...]]:
        t = self.kit.t
        lines = [t("onboarding.questions.done")]
        choices: tuple[Choice, ...] = ()
        required = [q.id for q in self.config.questions if q.required]
        complete = all(answers.get(qid) for qid in required)
        if complete and await self.store.mark_questions_done(member_id, self.kit.clock.now()):
            await self.kit.signals.emit(
                Contributed(
                    member_id=member_id,
                    kind=ContributionKind.QUESTIONS_COMPLETED,
                    at=self.kit.clock.now(),
                )
            )
            state = await self.store.state(member_id)
            has_public = any(q.public and answers.get(q.id) for q in self.config.questions)
            if self.config.intro_channel and has_public and state and state.intro_posted_at is None:
                lines.append(
                    t(
                        "onboarding.intro.offer",
                        channel=self.kit.outbox.gateway.channel_mention(self.config.intro_channel),
                    )
                )
                choices = tuple(self.texts.intro_offer_choices())
        return "\n".join(lines), choices

    # -- buttons --------------------------------------------------------------------------------

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        member_id = event.actor.id
        reply = event.interaction.id
        in_dm = event.interaction.channel is None
        t = self.kit.t
        if event.choice_id == ACCEPT:
            accepted, actions = await self.accept(member_id)
            key = "onboarding.rules.accepted" if accepted else "onboarding.rules.already"
            return [*actions, Reply(interaction=reply, text=t(key))]
        if event.choice_id == FORM:
            return [await self.open_form(member_id, reply)]
        if event.choice_id in (INTRO_YES, INTRO_NO):
            return await self._intro(member_id, reply, event.choice_id == INTRO_YES)
        parts = event.choice_id.split(":")
        if len(parts) >= 3 and parts[1] in ("a", "skip"):
            return await self._picked_answer(member_id, reply, parts, in_dm)
        return [Reply(interaction=reply, text=t("onboarding.choice.outdated"))]

    async def _picked_answer(
        self, member_id: str, reply: str, parts: list[str], in_dm: bool
    ) -> list[Action]:
        t = self.kit.t
        qid = parts[2]
        pos = next((p for p, q in enumerate(self.config.questions) if q.id == qid), None)
        if pos is None:
            return [Reply(interaction=reply, text=t("onboarding.choice.outdated"))]
        question = self.config.questions[pos]
        answer: str | None = None
        if parts[1] == "a":
            try:
                answer = question.choices[int(parts[3])]
            except (IndexError, ValueError):
                return [Reply(interaction=reply, text=t("onboarding.choice.outdated"))]
        elif question.required:
            return [
                Reply(
                    interaction=reply,
                    text=self.texts.error_text("onboarding.answer.required", question),
                )
            ]
        state = await self.store.state(member_id)
        if state is None or state.question_pos != pos:
            # An older question's button: update that answer, keep the conversation where it is.
            await self.store.save_answer(member_id, question.id, answer, self.kit.clock.now())
            return [Reply(interaction=reply, text=t("onboarding.answer.saved"))]
        return await self._answered(member_id, pos, answer, reply=reply, in_dm=in_dm)

    # -- the form (a modal on Discord and Slack; field by field on the console) ------------------

    async def open_form(self, member_id: str, interaction: str) -> Action:
        answers = await self.store.answers(member_id)
        open_questions = [q for q in self.config.questions if q.id not in answers]
        if not open_questions:
            return Reply(interaction=interaction, text=self.kit.t("onboarding.form.nothing"))
        fields = tuple(
            FormField(
                id=q.id,
                label=q.text[:45],
                required=q.required,
                max_length=MAX_ANSWER,
                multiline=not q.is_choice,
                options=tuple(q.choices),
                placeholder=q.text[45:145] if len(q.text) > 45 else "",
            )
            for q in open_questions[:FORM_FIELDS]
        )
        form = Form(id=FORM_ID, title=self.kit.t("onboarding.form.title")[:45], fields=fields)
        return OpenForm(interaction=interaction, member=member_id, form=form)

    async def on_form(self, event: FormSubmitted) -> Sequence[Action]:
        member_id = event.actor.id
        reply = event.interaction.id
        now = self.kit.clock.now()
        problems = []
        by_id = {q.id: q for q in self.config.questions}
        for field_id, raw in event.values.items():
            question = by_id.get(field_id)
            if question is None:
                continue
            answer, error = self.texts.parse_answer(question, raw)
            if error:
                problems.append(f"{question.text}: {self.texts.error_text(error, question)}")
                continue
            await self.store.save_answer(member_id, question.id, answer, now)
        answers = await self.store.answers(member_id)
        following = self.service.first_open_question(answers)
        await self.store.set_question_pos(member_id, following)
        if following is not None:
            saved = "\n".join([self.kit.t("onboarding.form.saved"), *problems])
            return [
                Reply(interaction=reply, text=saved),
                self.service.question_dm(member_id, following),
            ]
        text, choices = await self._finished(member_id, answers)
        return [Reply(interaction=reply, text=text, choices=choices)]

    # -- the introduction post -------------------------------------------------------------------

    async def _intro(self, member_id: str, reply: str, agreed: bool) -> list[Action]:
        t = self.kit.t
        channel = self.config.intro_channel
        if not agreed:
            return [Reply(interaction=reply, text=t("onboarding.intro.declined"))]
        if not channel:
            return [Reply(interaction=reply, text=t("onboarding.choice.outdated"))]
        if not await self.store.claim_intro(member_id, self.kit.clock.now()):
            return [Reply(interaction=reply, text=t("onboarding.intro.already"))]
        answers = await self.store.answers(member_id)
        text = self.texts.intro_text(
            self.kit.outbox.mention(member_id), self.kit.config.community.name, answers
        )
        mention = self.kit.outbox.gateway.channel_mention(channel)
        return [
            PostMessage(channel=channel, text=text),
            Reply(interaction=reply, text=t("onboarding.intro.posted", channel=mention)),
        ]


__all__ = ["Conversation", "PREFIX"]
