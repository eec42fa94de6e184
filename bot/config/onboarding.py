from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from string import Formatter
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bot.config.base import ClockTime, Duration, Section
from bot.config.polls import MAX_DURATION as MAX_VOTE_DURATION

WELCOME_FIELDS = ("member", "community", "mission", "member_count")
FOLLOWUP_FIELDS = ("member", "community", "mission")
INTRO_FIELDS = ("member", "community", "answers")
MAX_QUESTIONS = 6
MIN_VOTE_DURATION = timedelta(minutes=1)
ERRORS = frozenset({"rules_vote_duration"})
"""Mistakes the config loader tells in the community's language (bot/locales/rules.py)."""


def check_template(text: str, allowed: tuple[str, ...]) -> str:
    """A str.format template may only use the listed fields; say which ones are allowed."""
    try:
        names = {name for _, name, _, _ in Formatter().parse(text) if name is not None}
    except ValueError as exc:
        raise ValueError(
            f"cannot read template ({exc}); write fields as {{member}}, a literal brace as {{{{"
        ) from None
    fields = ", ".join("{" + f + "}" for f in allowed)
    for name in names:
        if name == "" or name.isdigit():
            raise ValueError(f"empty or numbered field '{{{name}}}'; allowed fields: {fields}")
        if name.split(".")[0].split("[")[0] not in allowed:
            raise ValueError(f"unknown template field '{{{name}}}'; allowed fields: {fields}")
    return text


class Question(Section):
    id: str
    """Short stable name ("interests"): answers are stored under it, reports count by it."""
    text: str
    choices: list[str] = Field(default_factory=list)
    """Empty = a free-text answer; otherwise the member picks one of these."""
    kind: Literal["text", "choice"] | None = None
    """Optional; inferred from `choices`. 'choice' without choices is an error."""
    required: bool = True
    public: bool = True
    """Public answers show on the member's /profile for others and in an introduction post."""
    match: bool = False
    """A text answer whose keywords pair members in [intros] (choice answers always match)."""

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", value):
            raise ValueError(
                "use a short name of lowercase letters, digits and _ (like 'interests')"
            )
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the question is empty; write the question members will see")
        return value.strip()

    @field_validator("choices")
    @classmethod
    def _choices(cls, value: list[str]) -> list[str]:
        cleaned = [c.strip() for c in value]
        if any(not c for c in cleaned):
            raise ValueError("a choice is empty")
        if len({c.lower() for c in cleaned}) != len(cleaned):
            raise ValueError("the same choice is listed twice")
        if len(cleaned) > 20:
            raise ValueError("at most 20 choices")
        return cleaned

    @model_validator(mode="after")
    def _kind(self) -> Question:
        if self.kind == "choice" and not self.choices:
            raise ValueError('a choice question needs choices = ["...", "..."]')
        if self.kind == "text" and self.choices:
            raise ValueError("a text question cannot have choices; remove kind or the choices")
        return self

    @property
    def is_choice(self) -> bool:
        return bool(self.choices)


class Followup(Section):
    after: Duration
    """How long after joining ("7d", "30d")."""
    text: str
    """Template; fields: {member}, {community}, {mission}."""
    only_if: Literal["always", "not_posted", "posted", "active", "inactive", "not_answered"] = (
        "always"
    )

    @field_validator("after")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("the delay must be positive, like '7d'")
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the follow-up text is empty")
        return check_template(value, FOLLOWUP_FIELDS)


class QuietHours(Section):
    """Follow-ups falling in this local-time window wait until `end` (the morning)."""

    start: ClockTime = time(21, 0)
    end: ClockTime = time(9, 0)


class OnboardingConfig(Section):
    enabled: bool = True
    welcome: str = ""
    """Template; fields: {member}, {community}, {mission}, {member_count}. Empty = the catalog's text."""
    deliver: Literal["dm", "channel"] = "dm"
    rules: list[str] = Field(default_factory=list)
    """The groundrules, one sentence each, shown with the welcome."""
    require_rules_acceptance: bool = False
    rules_vote_duration: Duration = Field(default=timedelta(days=7))
    """How long a rule proposed with /rules propose is open for votes (a poll: 1m to 32d)."""
    require_reacceptance: bool = False
    """When a rule is adopted, ask members who accepted an earlier version to accept the new one."""
    member_role: str = ""
    """Granted when the rules are accepted (or at once when acceptance is not required)."""
    newcomer_role: str = ""
    """Granted on join, removed when the rules are accepted."""
    questions: list[Question] = Field(default_factory=list)
    skip_words: list[str] = Field(default_factory=list)
    """Extra words that skip an optional question (the catalog already knows 'skip'/'overslaan')."""
    intro_channel: str = ""
    """When set, members who answered are offered an introduction post in this channel."""
    intro: str = ""
    """Template for the introduction post; fields: {member}, {community}, {answers}."""
    followups: list[Followup] = Field(default_factory=list)
    quiet_hours: QuietHours = Field(default_factory=QuietHours)
    followup_grace: Duration = timedelta(days=1)
    """A follow-up that fell due while the bot was down is still sent within this window."""
    active_window: Duration = timedelta(days=7)
    """'active' in only_if = posted within this window."""
    rejoin: Literal["welcome_back", "full", "none"] = "welcome_back"
    welcome_back: str = ""
    """Template for returning members; fields as in `welcome`. Empty = the catalog's text."""
    dm_per_minute: int = Field(default=20, ge=1, le=600)
    """Welcome DMs beyond this rate wait in a durable queue (raids, imports)."""
    catch_up_window: Duration = timedelta(hours=24)
    """A member the member sync finds who joined while Plein was offline is welcomed only if they
    joined within this window; older joiners are registered silently. "0" = never welcome them."""

    @field_validator("rules_vote_duration")
    @classmethod
    def _vote_duration(cls, value: timedelta) -> timedelta:
        """A proposal is a poll, so the polls' range; refused here, not at /rules propose."""
        if not MIN_VOTE_DURATION <= value <= MAX_VOTE_DURATION:
            raise PydanticCustomError(
                "rules_vote_duration",
                "must be between 1m and {max_days}d (a proposal is a poll)",
                {"max_days": MAX_VOTE_DURATION.days},
            )
        return value

    @field_validator("catch_up_window", mode="before")
    @classmethod
    def _zero_window(cls, value: object) -> object:
        return timedelta(0) if value in (0, "0") else value

    def welcomes_late_joiner(self, joined_at: datetime, now: datetime) -> bool:
        """Whether a member who joined while Plein was offline still gets a welcome."""
        window = self.catch_up_window
        return self.enabled and window > timedelta(0) and now - joined_at <= window

    @field_validator("welcome", "welcome_back")
    @classmethod
    def _welcome(cls, value: str) -> str:
        return check_template(value, WELCOME_FIELDS)

    @field_validator("intro")
    @classmethod
    def _intro(cls, value: str) -> str:
        return check_template(value, INTRO_FIELDS)

    @field_validator("rules")
    @classmethod
    def _rules(cls, value: list[str]) -> list[str]:
        if any(not rule.strip() for rule in value):
            raise ValueError("a rule is empty")
        return [rule.strip() for rule in value]

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[Question]) -> list[Question]:
        if len(value) > MAX_QUESTIONS:
            raise ValueError(
                f"at most {MAX_QUESTIONS} welcome questions; newcomers drop out of long forms"
            )
        ids = [q.id for q in value]
        for qid in ids:
            if ids.count(qid) > 1:
                raise ValueError(f"question id {qid!r} is used twice")
        return value

    @model_validator(mode="after")
    def _acceptance(self) -> OnboardingConfig:
        if self.require_rules_acceptance and not self.rules:
            raise ValueError("require_rules_acceptance is on but no rules are listed")
        return self
