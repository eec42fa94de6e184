"""[recognition]: contribution weights, anti-farming, the participation ladder, kudos, retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, model_validator

from bot.config.base import CronSpec, Duration, Section
from bot.signals import ContributionKind


class Weights(Section):
    """Points per contribution kind. A kind weighted 0 is still counted, just not rewarded."""

    message: int = Field(default=1, ge=0, le=1000)
    reply: int = Field(default=2, ge=0, le=1000)
    reaction_given: int = Field(default=1, ge=0, le=1000)
    reaction_received: int = Field(default=1, ge=0, le=1000)
    vote: int = Field(default=2, ge=0, le=1000)
    prompt_answer: int = Field(default=5, ge=0, le=1000)
    questions_completed: int = Field(default=5, ge=0, le=1000)
    kudos_received: int = Field(default=5, ge=0, le=1000)
    hosted: int = Field(default=20, ge=0, le=1000)
    attended: int = Field(default=5, ge=0, le=1000)
    event_attended: int = Field(default=10, ge=0, le=1000)

    def of(self, kind: ContributionKind) -> int:
        return int(getattr(self, kind.value))


class Rung(Section):
    """One rung of the participation ladder."""

    name: str = Field(min_length=1, max_length=60)
    points: int = Field(ge=0, description="Weighted points needed within the rolling window.")
    requires_any: list[ContributionKind] = Field(
        default_factory=list,
        description="Kinds of which the member needs `requires_count` contributions (together).",
    )
    requires_count: int = Field(default=0, ge=0)
    role: str | None = Field(default=None, description="Platform role granted at this rung.")

    @model_validator(mode="after")
    def _requirement_is_complete(self) -> Rung:
        if self.requires_count > 0 and not self.requires_any:
            raise ValueError("requires_count needs requires_any (the kinds that count)")
        return self


def _k(*names: str) -> list[ContributionKind]:
    return [ContributionKind(n) for n in names]


DEFAULT_LEVELS = [
    Rung(name="Informeren", points=0),
    Rung(
        name="Raadplegen",
        points=5,
        requires_any=_k("reaction_given", "vote", "message", "reply", "prompt_answer"),
        requires_count=1,
    ),
    Rung(
        name="Betrekken",
        points=40,
        requires_any=_k("reply", "prompt_answer", "attended", "event_attended"),
        requires_count=3,
    ),
    Rung(
        name="Samenwerken", points=150, requires_any=_k("prompt_answer", "hosted"), requires_count=5
    ),
    Rung(name="Aansturen", points=400, requires_any=_k("hosted"), requires_count=3),
]


class RecognitionConfig(Section):
    enabled: bool = True
    weights: Weights = Field(default_factory=Weights)
    # Anti-farming
    message_cooldown: Duration = Field(default=timedelta(seconds=60))
    reaction_cooldown: Duration = Field(default=timedelta(seconds=10))
    min_length: int = Field(default=10, ge=0, description="Shorter messages earn no points.")
    excluded_channels: list[str] = Field(default_factory=list)
    # The ladder
    window: Duration = Field(default=timedelta(days=90), description="Rolling window for levels.")
    levels: list[Rung] = Field(default_factory=lambda: list(DEFAULT_LEVELS))
    announce: Literal["channel", "dm", "off"] = "channel"
    announce_channel: str | None = None
    announce_from: int | str = Field(
        default=3,
        description="The first rung worth a public post (its number from 1, or its name); "
        "reaching a lower rung is told to the member privately.",
    )
    demote_after: Duration = Field(
        default=timedelta(days=30),
        description="Inactivity before a quiet demotion; also the least time between two changes.",
    )
    # Kudos
    kudos_per_day: int = Field(default=5, ge=0, le=1000)
    kudos_pair_cooldown: Duration = Field(default=timedelta(hours=12))
    kudos_reason_max: int = Field(default=300, ge=10, le=2000)
    thanks_words: list[str] | None = Field(
        default=None,
        max_length=50,
        description="Words or emoji that, with a mention, make a message count as kudos to the "
        "mentioned members; unset: the defaults of the community's language.",
    )
    kudos_emoji: str = Field(
        default="🙏",
        min_length=1,
        max_length=40,
        description="A reaction with this emoji on someone's message counts as kudos.",
    )
    thanks_reaction: str = Field(
        default="🌻",
        min_length=1,
        max_length=40,
        description="Plein's quiet confirmation of thanks in plain words (no extra message).",
    )
    # Leaderboard
    leaderboard: bool = Field(default=True, description="false hides /top for members.")
    season: Literal["quarter", "month", "none"] = Field(
        default="none",
        description="The leaderboard's season: /top shows it by default and Plein posts the "
        "season's recognition on its last day; the ladder is never reset.",
    )
    season_channel: str | None = Field(
        default=None, description="Where the season's recognition is posted (default channel)."
    )
    season_post_hour: int = Field(
        default=18,
        ge=0,
        le=23,
        description="The local hour on the season's last day at which its recognition is posted.",
    )
    # Storage
    raw_retention: Duration = Field(default=timedelta(days=90))
    daily_at: CronSpec = "30 3 * * *"
    flush_ms: int = Field(default=250, ge=10, le=60_000)
    flush_batch: int = Field(default=5000, ge=1, le=100_000)

    def first_public_rung(self) -> int:
        """The index (from 0) of the first rung announced in the channel."""
        if isinstance(self.announce_from, int):
            return self.announce_from - 1
        names = [r.name.lower() for r in self.levels]
        return names.index(self.announce_from.lower())

    @model_validator(mode="after")
    def _ladder_is_a_ladder(self) -> RecognitionConfig:
        if not self.levels:
            raise ValueError("levels: give at least one rung")
        if self.levels[0].points != 0 or self.levels[0].requires_count:
            raise ValueError("levels: the first rung must need 0 points and nothing else")
        names = [r.name.lower() for r in self.levels]
        if len(set(names)) != len(names):
            raise ValueError("levels: rung names must be unique")
        for lower, upper in zip(self.levels, self.levels[1:], strict=False):
            if upper.points <= lower.points:
                raise ValueError(
                    f"levels: {upper.name!r} must need more points than {lower.name!r}"
                )
        if isinstance(self.announce_from, str) and self.announce_from.lower() not in names:
            raise ValueError(f"announce_from: no rung is called {self.announce_from!r}")
        if isinstance(self.announce_from, int) and self.announce_from < 1:
            raise ValueError("announce_from: rungs count from 1")
        if self.raw_retention < timedelta(days=1):
            raise ValueError("raw_retention: keep raw events at least '1d'")
        return self
