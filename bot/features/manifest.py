"""What a feature is: one unit with a name, a config section, a message catalog and an install.

Each feature package exports a `MANIFEST`. The composition root pairs every manifest with the
storage side of the feature (tables, `make_store`) in one list, `bot/feature_list.py`, and reads
only that list: the translator, the handlers, commands, jobs and tables of a Plein are exactly
those of the listed features.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

from bot.config import PleinConfig
from bot.i18n import Messages
from bot.kit import Kit
from bot.scheduling import TriggerMath

StoreT = TypeVar("StoreT")

ConfigCheck = Callable[[PleinConfig, TriggerMath], list[str]]
"""Checks the schema cannot express, as 'key.path: message' lines."""


class Peers:
    """The installed features a feature declared in `needs`, by name.

    A peer that is not listed, or switched off in the config, is None: the feature must work
    without it (the calendar then posts plain text instead of a real poll).
    """

    def __init__(self, installed: Mapping[str, object]) -> None:
        self._installed = dict(installed)

    def get(self, name: str) -> object | None:
        return self._installed.get(name)


@dataclass(frozen=True)
class FeatureManifest(Generic[StoreT]):
    name: str
    """Also the key of its installed object in `Plein.features`."""
    section: str | None
    """Its key in the TOML file and the attribute of PleinConfig (None: no section of its own)."""
    config_model: type[BaseModel] | None
    messages: Messages
    install: Callable[[Kit, StoreT, Peers], object]
    """Registers handlers, commands, jobs, personal-data providers and profile sections on the
    kit and returns what the feature offers others (or None when it is switched off)."""
    config_problems: ConfigCheck | None = None
    needs: tuple[str, ...] = ()
    """Features whose installed object `install` receives through Peers; listed before it."""
