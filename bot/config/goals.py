from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.config.base import Section

Metric = Literal[
    "new_members",
    "active_members",
    "active_share",
    "welcome_completion",
    "rules_acceptance",
    "newcomer_activation",
    "creators_share",
    "prompt_answers",
    "poll_participation",
    "kudos_given",
    "median_first_response",
    "answered_share",
    "newcomer_connected_share",
    "retention_week4",
]


class Goal(Section):
    name: str = Field(min_length=1)
    metric: Metric
    target: float = Field(ge=0)
    period: Literal["week", "month"] = "week"


class GoalsConfig(Section):
    targets: list[Goal] = Field(default_factory=list)
