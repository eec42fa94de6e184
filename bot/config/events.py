"""[events]: community events with RSVP, reminders and attendance."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field, field_validator

from bot.config.base import Duration, Section


class EventsConfig(Section):
    enabled: bool = True
    channel: str = ""
    """Where announcements go; empty: community.default_channel."""
    remind_before: list[Duration] = Field(
        default_factory=lambda: [timedelta(days=1), timedelta(hours=1)]
    )
    """Reminders to everyone going (and the hosts), this long before the start."""
    duration: Duration = timedelta(hours=2)
    """How long an event lasts when no end is given."""
    attendance_after: Duration = timedelta(hours=1)
    """How long after the end the hosts get the 'who came?' list."""
    hosts_may_create: bool = True
    """Theme hosts of the calendar may use /event create too (managers always may)."""

    @field_validator("remind_before")
    @classmethod
    def _positive(cls, value: list[timedelta]) -> list[timedelta]:
        if any(v <= timedelta(0) for v in value):
            raise ValueError("each reminder needs a positive time, like '1d' or '1h'")
        if len(value) > 5:
            raise ValueError("at most 5 reminders")
        return sorted(set(value), reverse=True)
