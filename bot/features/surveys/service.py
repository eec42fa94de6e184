"""/survey: create, answer in a form (changeable until the close), one reminder to those who have
not answered, close once with the distributions, results, CSV export and non-responders.

Anonymous surveys key a response by an HMAC of the member under the survey's salt, which is
dropped at the close: while open, a member can change their answers and be told apart from the
non-responders; nothing stored links the answers to them. "Who has not answered" is shown for
named surveys only.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
import logging
import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from pydantic_core import PydanticCustomError

from bot.actions import (
    Action,
    Attachment,
    Choice,
    Form,
    FormField,
    OpenForm,
    PostMessage,
    Reply,
    SendDM,
    Style,
)
from bot.commands import CommandCall, CommandSpec, Option, OptionKind, UsageError
from bot.config.survey_questions import split_question
from bot.events import ChoicePicked, FormSubmitted
from bot.features.surveys.ports import Question, QuestionKind, Survey, SurveyStore
from bot.kit import Kit

log = logging.getLogger("plein.surveys")

PREFIX = "survey"
JOB = "surveys.due"
FORM_FIELDS = 5
"""Discord's modal holds five inputs: a longer survey is answered in parts."""
SCALE = 5
MAX_TEXT = 1000


def responder_key(survey: Survey, member_id: str) -> str | None:
    if not survey.anonymous:
        return member_id
    if survey.salt is None:
        return None
    return hmac.new(bytes.fromhex(survey.salt), member_id.encode(), hashlib.sha256).hexdigest()


class SurveysService:
    def __init__(self, kit: Kit, store: SurveyStore) -> None:
        self.kit = kit
        self.t = kit.t
        self.store = store
        self.config = kit.config.surveys

    def specs(self) -> list[CommandSpec]:
        ref = Option("ref", OptionKind.INTEGER, min_value=1)
        return [
            CommandSpec(
                path=("survey",),
                handler=self.new,
                alias="new",
                options=(
                    Option("title", max_length=200),
                    Option("question", variadic=True, min_count=2, max_count=8, max_length=300),
                    Option("anonymous", OptionKind.BOOLEAN, required=False),
                    Option("duration", OptionKind.DURATION, required=False),
                ),
            ),
            CommandSpec(
                path=("survey", "results"), handler=self.results, options=(ref,), manager_only=True
            ),
            CommandSpec(
                path=("survey", "export"), handler=self.export, options=(ref,), manager_only=True
            ),
            CommandSpec(
                path=("survey", "nonresponders"),
                handler=self.nonresponders,
                options=(ref,),
                manager_only=True,
            ),
        ]

    # ---- creating ----------------------------------------------------------------------------

    def parse_question(self, position: int, raw: str) -> Question:
        """'poll: Which day? / Saturday / Sunday', 'stelling: ...' or plain text (free text)."""
        try:
            kind_name, text, options = split_question(raw)
        except PydanticCustomError as exc:
            key = (
                "surveys.new.options"
                if exc.type == "survey_options"
                else "surveys.new.empty_question"
            )
            raise UsageError(key, number=position + 1) from None
        kind = QuestionKind(kind_name)
        if kind is QuestionKind.POLL:
            return Question(position, kind, text, options)
        if kind is QuestionKind.STELLING:
            scale = tuple(self.t(f"surveys.scale.{i}") for i in range(1, SCALE + 1))
            return Question(position, kind, text, scale)
        return Question(position, kind, text)

    async def new(self, call: CommandCall) -> Sequence[Action]:
        title = " ".join(str(call.options["title"]).split())
        if not title:
            raise UsageError("surveys.new.no_title")
        survey = await self.open(
            title=title,
            questions=[str(q) for q in call.options["question"]],
            channel=call.channel or self.kit.config.community.default_channel,
            creator_id=call.actor.id,
            anonymous=bool(call.options.get("anonymous", False)),
            duration=call.options.get("duration"),
        )
        return [
            call.reply(
                self.t("surveys.created", number=survey.id, until=self.t.datetime(survey.closes_at))
            )
        ]

    async def open(
        self,
        *,
        title: str,
        questions: Sequence[str],
        channel: str,
        creator_id: str,
        anonymous: bool,
        duration: timedelta | None,
    ) -> Survey:
        """Store the survey and post its invitation (with the answer buttons) in `channel`."""
        parsed = [self.parse_question(i, q) for i, q in enumerate(questions)]
        now = self.kit.clock.now()
        closes_at = now + (duration or self.config.default_duration)
        remind_at = None
        if self.config.remind_non_responders and closes_at - self.config.remind_before > now:
            remind_at = closes_at - self.config.remind_before  # none for a survey shorter than that
        survey = await self.store.create(
            title=title,
            channel=channel,
            creator_id=creator_id,
            anonymous=anonymous,
            created_at=now,
            closes_at=closes_at,
            remind_at=remind_at,
            salt=secrets.token_hex(32) if anonymous else None,
            questions=parsed,
        )
        delivery = await self.kit.outbox.send(
            PostMessage(
                channel=survey.channel, text=self._invitation(survey), choices=self._buttons(survey)
            )
        )
        if delivery.ok and delivery.ref:
            await self.store.set_message(survey.id, delivery.ref)
            survey = dataclasses.replace(survey, message_ref=delivery.ref)
        self.kit.jobs.poke(JOB)
        return survey

    async def publish_survey(
        self,
        *,
        title: str,
        questions: Sequence[str],
        anonymous: bool,
        duration: timedelta | None,
        channel: str,
        source_key: str,
    ) -> str | None:
        """A calendar occurrence's survey. The calendar's claim of the occurrence makes this run
        once; the source key stands as the creator (no member asked it), so a process taking over
        a dead one's claim finds the survey already made and opens no second one."""
        creator = source_key[:100]
        made = await self.store.by_creator(creator)
        if made is not None:  # a process that took over a dead one's claim: it was made
            return made.message_ref or f"survey:{made.id}"
        survey = await self.open(
            title=" ".join(title.split())[:200],
            questions=questions,
            channel=channel,
            creator_id=creator,
            anonymous=anonymous,
            duration=duration,
        )
        return survey.message_ref or f"survey:{survey.id}"

    def _invitation(self, survey: Survey) -> str:
        t = self.t
        key = "surveys.post.anonymous" if survey.anonymous else "surveys.post.named"
        return "\n".join(
            [
                t("surveys.post.title", number=survey.id, title=survey.title),
                t("surveys.post.count", count=len(survey.questions)),
                t(key),
                t("surveys.post.until", until=t.datetime(survey.closes_at)),
            ]
        )

    def _buttons(self, survey: Survey) -> tuple[Choice, ...]:
        parts = range(0, len(survey.questions), FORM_FIELDS)
        if len(parts) == 1:
            return (Choice(f"{PREFIX}:{survey.id}:0", self.t("surveys.answer"), Style.PRIMARY),)
        return tuple(
            Choice(
                f"{PREFIX}:{survey.id}:{n}",
                self.t("surveys.answer_part", part=n + 1),
                Style.PRIMARY,
            )
            for n, _ in enumerate(parts)
        )

    # ---- answering ---------------------------------------------------------------------------

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        reply = event.interaction.id
        survey, part = await self._target(event.choice_id)
        if survey is None:
            return [Reply(interaction=reply, text=self.t("surveys.unknown_button"))]
        if not survey.is_open(self.kit.clock.now()):
            return [Reply(interaction=reply, text=self.t("surveys.closed", number=survey.id))]
        questions = survey.questions[part * FORM_FIELDS : (part + 1) * FORM_FIELDS]
        fields = tuple(
            FormField(
                id=str(q.position),
                label=q.text[:45],
                required=False,
                max_length=MAX_TEXT if q.kind is QuestionKind.TEXT else 100,
                multiline=q.kind is QuestionKind.TEXT,
                options=q.options,
                placeholder=q.text[45:145] if len(q.text) > 45 else "",
            )
            for q in questions
        )
        form = Form(id=f"{PREFIX}:{survey.id}:{part}", title=survey.title[:45], fields=fields)
        return [OpenForm(interaction=reply, member=event.actor.id, form=form)]

    async def _target(self, ident: str) -> tuple[Survey | None, int]:
        parts = ident.split(":")
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            return None, 0
        return await self.store.get(int(parts[1])), int(parts[2])

    def _value(self, question: Question, raw: str) -> str | None:
        """The stored value, '' for no answer, None when it is not one of the options."""
        text = raw.strip()
        if not text or question.kind is QuestionKind.TEXT:
            return text[:MAX_TEXT]
        if text.isdigit() and 1 <= int(text) <= len(question.options):
            return question.options[int(text) - 1]
        lowered = {o.casefold(): o for o in question.options}
        return lowered.get(text.casefold())

    async def on_form(self, event: FormSubmitted) -> Sequence[Action]:
        reply = event.interaction.id
        survey, _ = await self._target(event.form_id)
        now = self.kit.clock.now()
        if survey is None:
            return [Reply(interaction=reply, text=self.t("surveys.unknown_button"))]
        key = responder_key(survey, event.actor.id)
        if key is None or not survey.is_open(now):
            return [Reply(interaction=reply, text=self.t("surveys.closed", number=survey.id))]
        by_position = {str(q.position): q for q in survey.questions}
        answers: dict[int, str] = {}
        problems = []
        for field_id, raw in event.values.items():
            question = by_position.get(field_id)
            if question is None:
                continue
            value = self._value(question, raw)
            if value is None:
                problems.append(
                    self.t(
                        "surveys.not_an_option",
                        question=question.text,
                        options=", ".join(question.options),
                    )
                )
                continue
            answers[question.position] = value
        member = None if survey.anonymous else event.actor.id
        await self.store.answer(survey.id, key, member, answers, now)
        lines = [self.t("surveys.saved", until=self.t.datetime(survey.closes_at)), *problems]
        return [Reply(interaction=reply, text="\n".join(lines))]

    # ---- reminders and the close -------------------------------------------------------------

    async def next_due(self) -> datetime | None:
        return await self.store.next_due()

    async def run_due(self, now: datetime) -> None:
        for survey_id in await self.store.due_reminders(now):
            if await self.store.claim_reminder(survey_id, now):
                await self._remind(survey_id)
        for survey_id in await self.store.due_closes(now):
            await self.close(survey_id, now)

    async def non_responders(self, survey: Survey) -> list[str]:
        answered = await self.store.responders(survey.id)
        present = await self.kit.members.present_ids()
        return [m for m in present if responder_key(survey, m) not in answered]

    async def _remind(self, survey_id: int) -> None:
        survey = await self.store.get(survey_id)
        if survey is None or survey.salt is None and survey.anonymous:
            return
        text = self.t(
            "surveys.reminder",
            title=survey.title,
            until=self.t.datetime(survey.closes_at),
            channel=self.kit.outbox.gateway.channel_mention(survey.channel),
        )
        actions: list[Action] = [
            SendDM(member=m, text=text, choices=self._buttons(survey))
            for m in await self.non_responders(survey)
        ]
        await self.kit.outbox.send_all(actions)

    async def close(self, survey_id: int, now: datetime) -> bool:
        if not await self.store.claim_close(survey_id, now):
            return False
        survey = await self.store.get(survey_id)
        if survey is None:
            return False
        text = "\n".join(
            [
                self.t("surveys.closed_post", number=survey.id, title=survey.title),
                *(await self._distributions(survey)),
            ]
        )
        await self.kit.outbox.send(PostMessage(channel=survey.channel, text=text))
        return True

    async def _distributions(self, survey: Survey) -> list[str]:
        responses = await self.store.responses(survey.id)
        lines = [self.t("surveys.responses", count=len(responses))]
        for q in survey.questions:
            given = [r.answers[q.position] for r in responses if r.answers.get(q.position)]
            lines.append(f"{q.position + 1}. {q.text}")
            if q.kind is QuestionKind.TEXT:
                lines.append("   " + self.t("surveys.text_answers", count=len(given)))
                continue
            counts = Counter(given)
            for option in q.options:
                share = round(100 * counts[option] / len(given)) if given else 0
                lines.append(f"   {option}: {counts[option]} ({share}%)")
        return lines

    # ---- managers ----------------------------------------------------------------------------

    async def _survey(self, call: CommandCall) -> Survey:
        survey = await self.store.get(int(call.options["ref"]))
        if survey is None:
            raise UsageError("surveys.unknown", number=int(call.options["ref"]))
        return survey

    async def results(self, call: CommandCall) -> Sequence[Action]:
        survey = await self._survey(call)
        lines = [self.t("surveys.results.title", number=survey.id, title=survey.title)]
        lines += await self._distributions(survey)
        texts = [
            (q, r.answers[q.position])
            for r in await self.store.responses(survey.id)
            for q in survey.questions
            if q.kind is QuestionKind.TEXT and r.answers.get(q.position)
        ]
        if texts:
            lines.append(self.t("surveys.results.texts"))
            lines += [f"   {q.position + 1}. “{answer}”" for q, answer in texts]
        return [call.reply("\n".join(lines))]

    async def export(self, call: CommandCall) -> Sequence[Action]:
        survey = await self._survey(call)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["responder", *(q.text for q in survey.questions)])
        for n, response in enumerate(await self.store.responses(survey.id), 1):
            who = response.member_id or self.t("surveys.export.anonymous", number=n)
            writer.writerow(
                [who, *(response.answers.get(q.position, "") for q in survey.questions)]
            )
        return [
            call.reply(
                self.t("surveys.export.done", number=survey.id),
                files=(Attachment(f"survey-{survey.id}.csv", out.getvalue().encode()),),
            )
        ]

    async def nonresponders(self, call: CommandCall) -> Sequence[Action]:
        survey = await self._survey(call)
        if survey.anonymous:
            raise UsageError("surveys.nonresponders.anonymous", number=survey.id)
        missing = await self.non_responders(survey)
        mention = self.kit.outbox.mention
        names = ", ".join(mention(m) for m in missing) or self.t("surveys.nonresponders.none")
        return [call.reply(self.t("surveys.nonresponders", count=len(missing), names=names))]
