"""[surveys]: short surveys (2-8 questions) members answer in a form, with one reminder."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from bot.config.base import Duration, Section


class SurveysConfig(Section):
    enabled: bool = True
    default_duration: Duration = Field(
        default=timedelta(days=7), description="How long a survey stays open by default."
    )
    remind_non_responders: bool = Field(
        default=True,
        description="Send one DM to present members who have not answered, `remind_before` "
        "the close.",
    )
    remind_before: Duration = Field(default=timedelta(days=1))
