"""[spotlight]: the weekly member spotlight, its interview, stories, mission reminders and roles."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from pydantic import Field, field_validator

from bot.config.base import CronSpec, Duration, Section

DEFAULT_ROLES = (
    "Expert",
    "Host",
    "Curator",
    "Writer",
    "Organiser",
    "Coach",
    "Moderator",
    "Promoter",
)


class CommunityRole(Section):
    """A community role from the method; the description is shown by /role."""

    name: str = Field(min_length=1, max_length=40)
    description: str = ""
    """Empty = the catalog's description for the method's roles (Expert, Host, ...)."""
    platform_role: str = ""
    """When set, approving the role also grants this platform role."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not re.fullmatch(r"[\w\- ]+", value.strip()):
            raise ValueError("use letters, digits, spaces, - or _ in a role name")
        return value.strip()


class SpotlightConfig(Section):
    enabled: bool = True
    when: CronSpec = "0 10 * * fri"
    """When the weekly spotlight is posted ('fri 10:00' or a cron expression); once per week."""
    channel: str = ""
    """Where spotlights and mission reminders go; empty = [community].default_channel."""
    mode: Literal["opt-out", "opt-in"] = "opt-out"
    """opt-out: everyone active can be picked unless they /spotlight optout;
    opt-in: only members who said /spotlight optin."""
    cooldown_weeks: int = Field(default=12, ge=1, le=104)
    """Nobody is spotlighted twice within this many weeks."""
    lookback: Duration = timedelta(days=28)
    """Eligible members contributed something on one of the last `lookback` local days (whole
    days, today included: the daily totals are read, one query however large the community)."""
    newcomer_window: Duration = timedelta(days=60)
    """Members who joined within this window and contribute count as 'newcomers who found their way'."""
    include_managers: bool = False
    interview: bool = True
    interview_lead: Duration = timedelta(days=3)
    """How long before the spotlight the chosen member is asked the interview questions."""
    questions: list[str] = Field(default_factory=list)
    """2-3 interview questions; empty = the catalog's default questions."""
    story_emoji: str = "📖"
    """A manager reacting with this emoji marks a message for the story archive."""
    mission_every_weeks: int = Field(default=4, ge=0, le=52)
    """Repeat the mission every N weeks (0 = never)."""
    mission_when: CronSpec = "0 10 * * mon"
    roles: list[CommunityRole] = Field(
        default_factory=lambda: [CommunityRole(name=name) for name in DEFAULT_ROLES]
    )
    """Community roles members can request (/role); empty = no roles."""

    @field_validator("questions")
    @classmethod
    def _questions(cls, value: list[str]) -> list[str]:
        cleaned = [q.strip() for q in value]
        if any(not q for q in cleaned):
            raise ValueError("an interview question is empty")
        if len(cleaned) > 3:
            raise ValueError("at most 3 interview questions; keep the interview light")
        return cleaned

    @field_validator("interview_lead")
    @classmethod
    def _lead(cls, value: timedelta) -> timedelta:
        if not timedelta(hours=1) <= value < timedelta(days=7):
            raise ValueError("interview_lead must be between '1h' and '6d' (before the spotlight)")
        return value

    @field_validator("lookback", "newcomer_window")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value < timedelta(days=1):
            raise ValueError("use at least '1d'")
        return value

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, value: list[CommunityRole]) -> list[CommunityRole]:
        names = [r.name.lower() for r in value]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"role {name!r} is listed twice")
        return value

    def role(self, name: str) -> CommunityRole | None:
        return next((r for r in self.roles if r.name.lower() == name.strip().lower()), None)
