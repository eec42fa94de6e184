"""[health]: community health - fast answers, help to newcomers, connections, cohorts."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.config.base import Duration, Section


class HealthConfig(Section):
    enabled: bool = True
    question_channels: list[str] = Field(default_factory=list)
    """Help channels: a member's message there that reads as a question (a trailing `?`) waits
    for a first reply from someone else. Newcomers' first posts are followed everywhere."""
    answer_within: Duration = timedelta(hours=4)
    """A question answered within this long counts as a fast answer; one still open after it
    is sent to the channel's theme hosts (or the managers) once."""
    newcomer_days: int = Field(default=30, ge=1, le=365)
    """Replies and reactions to members in their first this-many days count as help given."""
    heatmap_weeks: int = Field(default=4, ge=1, le=26)
    """The activity heatmap averages this many weeks."""

    @field_validator("answer_within")
    @classmethod
    def _positive(cls, value: timedelta) -> timedelta:
        if value <= timedelta(0):
            raise ValueError("answer_within must be longer than 0, like '4h'")
        return value
