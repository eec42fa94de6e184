from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.config.calendar import CalendarConfig
from bot.config.community import CommunityConfig
from bot.config.dashboard import DashboardConfig
from bot.config.discord import DiscordConfig
from bot.config.events import EventsConfig
from bot.config.goals import GoalsConfig
from bot.config.health import HealthConfig
from bot.config.intros import IntrosConfig
from bot.config.matrix import MatrixConfig
from bot.config.onboarding import OnboardingConfig
from bot.config.polls import PollsConfig
from bot.config.privacy import PrivacyConfig
from bot.config.recognition import RecognitionConfig
from bot.config.report import ReportConfig
from bot.config.rules import RulesConfig
from bot.config.slack import SlackConfig
from bot.config.spotlight import SpotlightConfig
from bot.config.storage import StorageConfig
from bot.config.surveys import SurveysConfig
from bot.config.web import WebConfig

SHARED_SECTIONS = frozenset({"community", "goals", "storage", "web", "discord", "slack", "matrix"})
"""Sections that belong to no one feature. Every other field below is the section of exactly one
listed feature (its manifest names the key and the model; tests/core/test_features.py checks)."""


class PleinConfig(BaseSettings):
    """The whole TOML file. Environment variables PLEIN_<SECTION>__<KEY> override any key."""

    model_config = SettingsConfigDict(
        env_prefix="PLEIN_",
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
    )

    community: CommunityConfig
    goals: GoalsConfig = Field(default_factory=GoalsConfig)
    onboarding: OnboardingConfig = Field(default_factory=OnboardingConfig)
    calendar: CalendarConfig = Field(default_factory=CalendarConfig)
    polls: PollsConfig = Field(default_factory=PollsConfig)
    rules: RulesConfig = Field(default_factory=RulesConfig)
    surveys: SurveysConfig = Field(default_factory=SurveysConfig)
    recognition: RecognitionConfig = Field(default_factory=RecognitionConfig)
    spotlight: SpotlightConfig = Field(default_factory=SpotlightConfig)
    report: ReportConfig = Field(default_factory=ReportConfig)
    health: HealthConfig = Field(default_factory=HealthConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    dashboard: DashboardConfig = Field(default_factory=DashboardConfig)
    intros: IntrosConfig = Field(default_factory=IntrosConfig)
    events: EventsConfig = Field(default_factory=EventsConfig)
    storage: StorageConfig = Field(default_factory=StorageConfig)
    web: WebConfig = Field(default_factory=WebConfig)
    discord: DiscordConfig = Field(default_factory=DiscordConfig)
    slack: SlackConfig = Field(default_factory=SlackConfig)
    matrix: MatrixConfig = Field(default_factory=MatrixConfig)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values arrive as init kwargs; the environment wins over the file.
        return (env_settings, init_settings)
