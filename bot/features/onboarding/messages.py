"""Builds onboarding texts and buttons from the config and the catalog. No I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.actions import Choice, Style
from bot.config.onboarding import OnboardingConfig, Question
from bot.i18n import Translator

PREFIX = "onboarding"
ACCEPT = f"{PREFIX}:accept"
FORM = f"{PREFIX}:form"
INTRO_YES = f"{PREFIX}:intro:yes"
INTRO_NO = f"{PREFIX}:intro:no"
FORM_ID = f"{PREFIX}:answers"
MAX_ANSWER = 500
FORM_FIELDS = 5
"""Discord modals hold at most five fields; later questions continue in DM."""


def answer_choice_id(question: Question, index: int) -> str:
    return f"{PREFIX}:a:{question.id}:{index}"


def skip_choice_id(question: Question) -> str:
    return f"{PREFIX}:skip:{question.id}"


class Texts:
    def __init__(self, config: OnboardingConfig, t: Translator) -> None:
        self.config = config
        self.t = t

    # -- welcome ----------------------------------------------------------------------------

    def rules_block(self, *, ask_acceptance: bool, extra: Sequence[str] = ()) -> str:
        """The configured rules, then those the community added (`extra`, already worded)."""
        rules = [*self.config.rules, *extra]
        if not rules:
            return ""
        lines = [self.t("onboarding.rules.title")]
        lines += [f"{n}. {rule}" for n, rule in enumerate(rules, 1)]
        if ask_acceptance:
            lines.append(
                self.t("onboarding.rules.accept_hint", button=self.t("onboarding.choice.accept"))
            )
        return "\n".join(lines)

    def welcome_choices(self, *, ask_acceptance: bool, offer_form: bool) -> list[Choice]:
        choices = []
        if ask_acceptance:
            choices.append(Choice(ACCEPT, self.t("onboarding.choice.accept"), Style.SUCCESS))
        if offer_form:
            choices.append(Choice(FORM, self.t("onboarding.choice.form"), Style.SECONDARY))
        return choices

    # -- questions --------------------------------------------------------------------------

    def skip_words(self) -> set[str]:
        words = {self.t("onboarding.skip_word").lower(), "skip", "overslaan"}
        return words | {w.strip().lower() for w in self.config.skip_words if w.strip()}

    def question_text(self, pos: int) -> str:
        question = self.config.questions[pos]
        total = len(self.config.questions)
        lines = [
            self.t("onboarding.question.text", number=pos + 1, total=total, question=question.text)
        ]
        if question.is_choice:
            options = ", ".join(f"{n}. {c}" for n, c in enumerate(question.choices, 1))
            lines.append(self.t("onboarding.question.choices_hint", options=options))
        if not question.required:
            lines.append(
                self.t("onboarding.question.optional", skip=self.t("onboarding.skip_word"))
            )
        return "\n".join(lines)

    def question_choices(self, pos: int) -> list[Choice]:
        question = self.config.questions[pos]
        choices = [Choice(answer_choice_id(question, n), c) for n, c in enumerate(question.choices)]
        if not question.required:
            choices.append(Choice(skip_choice_id(question), self.t("onboarding.choice.skip")))
        return choices

    def parse_answer(self, question: Question, text: str) -> tuple[str | None, str | None]:
        """(answer, None) or (None, error message key); a skip gives (None, None)."""
        cleaned = text.strip()
        if cleaned.lower() in self.skip_words() or not cleaned:
            return (None, None) if not question.required else (None, "onboarding.answer.required")
        if len(cleaned) > MAX_ANSWER:
            return None, "onboarding.answer.too_long"
        if question.is_choice:
            if cleaned.isdigit() and 1 <= int(cleaned) <= len(question.choices):
                return question.choices[int(cleaned) - 1], None
            for choice in question.choices:
                if choice.lower() == cleaned.lower():
                    return choice, None
            return None, "onboarding.answer.bad_choice"
        return cleaned, None

    def error_text(self, key: str, question: Question) -> str:
        return self.t(
            key,
            max=MAX_ANSWER,
            options=", ".join(question.choices),
            skip=self.t("onboarding.skip_word"),
        )

    # -- answers, profile, intro --------------------------------------------------------------

    def answer_lines(self, answers: dict[str, str | None], *, public_only: bool) -> list[str]:
        lines = []
        for question in self.config.questions:
            if question.id not in answers or (public_only and not question.public):
                continue
            answer = answers[question.id]
            shown = answer if answer is not None else self.t("onboarding.profile.skipped")
            marker = "" if question.public else " " + self.t("onboarding.profile.private")
            lines.append(
                self.t("onboarding.profile.line", question=question.text, answer=shown)
                + ("" if public_only else marker)
            )
        return lines

    def intro_text(self, mention: str, community: str, answers: Mapping[str, str | None]) -> str:
        lines = [
            self.t("onboarding.profile.line", question=q.text, answer=answers[q.id])
            for q in self.config.questions
            if q.public and answers.get(q.id)
        ]
        template = self.config.intro or self.t("onboarding.intro.default")
        return template.format(member=mention, community=community, answers="\n".join(lines))

    def intro_offer_choices(self) -> list[Choice]:
        return [
            Choice(INTRO_YES, self.t("onboarding.choice.intro_yes"), Style.PRIMARY),
            Choice(INTRO_NO, self.t("onboarding.choice.intro_no")),
        ]
