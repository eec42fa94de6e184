"""The features of Plein, listed once: each manifest paired with the storage side of the feature.

This is part of the composition root (with bot/app.py and bot/cli.py): the one place in bot/ that
may name storage modules. A feature's storage module is imported only when the feature is used
(`Feature.storage()`), so a Plein built from a shorter list never puts the missing features'
tables on the metadata. build(), semantic_problems(), the translator and storage/tables.py (what
Alembic and the exports see) all read this list.

Adding a feature: its package with a MANIFEST, its storage module with tables and `make_store`,
its section on PleinConfig, its migration, and one line in FEATURES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.features import (
    calendar,
    core,
    dashboard,
    events,
    health,
    intros,
    onboarding,
    polls,
    privacy,
    recognition,
    report,
    rules,
    spotlight,
    surveys,
)
from bot.features.calendar.ports import CalendarStore
from bot.features.dashboard.ports import DashboardStore
from bot.features.events.ports import EventStore
from bot.features.health.ports import HealthStore
from bot.features.intros.ports import IntrosStore
from bot.features.manifest import FeatureManifest
from bot.features.onboarding.ports import OnboardingStore
from bot.features.polls.ports import PollStore
from bot.features.privacy.ports import PrivacyStore
from bot.features.recognition.ports import RecognitionStore
from bot.features.report.facts import ReportStore
from bot.features.rules.ports import RulesStore
from bot.features.spotlight.ports import SpotlightStorage
from bot.features.surveys.ports import SurveyStore
from bot.i18n import Messages
from bot.locales import discord as discord_messages
from bot.locales import matrix as matrix_messages
from bot.locales import slack as slack_messages
from bot.members import MemberStore
from storage.db import Database

StoreT = TypeVar("StoreT")

StoreFactory = Callable[[Database], StoreT]


@dataclass(frozen=True)
class Feature(Generic[StoreT]):
    manifest: FeatureManifest[StoreT]
    storage: Callable[[], StoreFactory[StoreT]]
    """Imports the feature's storage module (its tables join the metadata); returns make_store."""

    @property
    def name(self) -> str:
        return self.manifest.name


def _members() -> StoreFactory[MemberStore]:
    from storage.member_sync import SqlMembers

    return SqlMembers


def _onboarding() -> StoreFactory[OnboardingStore]:
    from storage.onboarding import make_store

    return make_store


def _recognition() -> StoreFactory[RecognitionStore]:
    from storage.recognition import make_store

    return make_store


def _polls() -> StoreFactory[PollStore]:
    from storage.polls import make_store

    return make_store


def _rules() -> StoreFactory[RulesStore]:
    from storage.rules import make_store

    return make_store


def _surveys() -> StoreFactory[SurveyStore]:
    from storage.surveys import make_store

    return make_store


def _spotlight() -> StoreFactory[SpotlightStorage]:
    from storage.spotlight import make_store

    return make_store


def _calendar() -> StoreFactory[CalendarStore]:
    from storage.calendar import make_store

    return make_store


def _report() -> StoreFactory[ReportStore]:
    from storage.weekly_report import make_store

    return make_store


def _health() -> StoreFactory[HealthStore]:
    from storage.health import make_store

    return make_store


def _privacy() -> StoreFactory[PrivacyStore]:
    from storage.privacy import make_store

    return make_store


def _dashboard() -> StoreFactory[DashboardStore]:
    from storage.dashboard import make_store

    return make_store


def _intros() -> StoreFactory[IntrosStore]:
    from storage.intros import make_store

    return make_store


def _events() -> StoreFactory[EventStore]:
    from storage.events import make_store

    return make_store


CORE: Feature[MemberStore] = Feature(core.MANIFEST, _members)
"""Always installed, first: the member registry (the kit's `members`) and /help."""

FEATURES: tuple[Feature[Any], ...] = (
    Feature(onboarding.MANIFEST, _onboarding),
    Feature(recognition.MANIFEST, _recognition),
    Feature(polls.MANIFEST, _polls),
    Feature(rules.MANIFEST, _rules),
    Feature(spotlight.MANIFEST, _spotlight),
    Feature(calendar.MANIFEST, _calendar),
    Feature(health.MANIFEST, _health),
    Feature(report.MANIFEST, _report),
    Feature(surveys.MANIFEST, _surveys),
    Feature(privacy.MANIFEST, _privacy),
    Feature(dashboard.MANIFEST, _dashboard),
    Feature(intros.MANIFEST, _intros),
    Feature(events.MANIFEST, _events),
)
"""The optional features, in install order (a feature comes after the ones it `needs`)."""

PLATFORM_CATALOGS: tuple[tuple[str, Messages], ...] = (
    ("discord", discord_messages.MESSAGES),
    ("slack", slack_messages.MESSAGES),
    ("matrix", matrix_messages.MESSAGES),
)
"""The adapters' own strings; every Plein carries them, whichever features it has."""


def with_core(features: Sequence[Feature[Any]]) -> tuple[Feature[Any], ...]:
    """CORE first, then `features` in order; fails when a feature comes before one it needs."""
    units: tuple[Feature[Any], ...] = (CORE, *(f for f in features if f is not CORE))
    seen: set[str] = set()
    listed = {unit.name for unit in units}
    for unit in units:
        if unit.name in seen:
            raise ValueError(f"feature {unit.name!r} is listed twice")
        late = [need for need in unit.manifest.needs if need in listed and need not in seen]
        if late:
            raise ValueError(f"feature {unit.name!r} needs {late} installed before it")
        seen.add(unit.name)
    return units


def catalogs(units: Iterable[Feature[Any]]) -> list[tuple[str, Messages]]:
    return [*((u.name, u.manifest.messages) for u in units), *PLATFORM_CATALOGS]


def load_storage(units: Iterable[Feature[Any]]) -> None:
    """Put the features' tables on the metadata (for Alembic, exports and table checks)."""
    for unit in units:
        unit.storage()
