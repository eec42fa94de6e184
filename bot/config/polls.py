from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.config.base import Duration, Section

MAX_DURATION = timedelta(days=32)
"""Discord's own limit for polls; we keep it on every platform so a poll behaves the same."""


class PollsConfig(Section):
    enabled: bool = True
    default_duration: Duration = Field(
        default=timedelta(days=2), description="How long a poll or stelling stays open by default."
    )
    edit_interval: Duration = Field(
        default=timedelta(seconds=3),
        description="At most one edit of a poll message per this interval (rate limits).",
    )
    anonymous_by_default: bool = Field(
        default=False, description="Polls are named unless the creator asks for anonymous:yes."
    )
    stelling_anonymous: bool = Field(
        default=True, description="Stellingen: members' positions are never shown by name."
    )
    second_round: bool = Field(
        default=False,
        description="After a stelling closes, ask again ('has the discussion changed your mind?').",
    )
    second_round_duration: Duration = Field(default=timedelta(days=1))

    @field_validator("default_duration", "second_round_duration")
    @classmethod
    def _within_limit(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=1) <= value <= MAX_DURATION:
            raise ValueError("must be between 1m and 32d")
        return value

    @field_validator("edit_interval")
    @classmethod
    def _edit_interval(cls, value: timedelta) -> timedelta:
        if not timedelta(0) <= value <= timedelta(minutes=5):
            raise ValueError("must be between 0s and 5m")
        return value
