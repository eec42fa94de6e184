"""[intros]: members meeting each other in pairs, matched by what they told Plein at the welcome."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.config.base import CronSpec, Duration, Section


class IntrosConfig(Section):
    enabled: bool = True
    """Nothing happens until members opt in (the welcome's button or /intros join)."""
    when: CronSpec = Field(default="mon 10:00", validate_default=True)
    """The local weekday and time of a round (like 'mon 10:00')."""
    every: Duration = timedelta(weeks=2)
    """How often a round comes: whole weeks ('1w', '2w', '4w')."""
    repeat_after: Duration = timedelta(days=182)
    """Two members are not paired again within this time."""
    newcomer_for: Duration = timedelta(days=30)
    """A member who joined within this time counts as a newcomer (mixed with established ones)."""
    active_within: Duration = timedelta(days=60)
    """Only members seen (or who opted in) within this time are paired."""
    followup_after: Duration = timedelta(days=7)
    """When Plein asks 'did you meet?'."""
    channel: str = "intros"
    """Discord: the channel under which each pair gets a private thread."""
    catch_up: Duration = timedelta(hours=12)
    """A round missed while Plein was down is made once if it is at most this late."""
    seed: int = Field(default=0, ge=0)
    """Mixed with each round's date: the same seed and history give the same pairs."""

    @field_validator("every")
    @classmethod
    def _whole_weeks(cls, value: timedelta) -> timedelta:
        if value < timedelta(weeks=1) or value % timedelta(weeks=1):
            raise ValueError("use whole weeks, like '1w' or '2w'")
        return value
