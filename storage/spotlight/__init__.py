"""Storage for the spotlight feature: three stores over the tables in `tables`."""

from __future__ import annotations

from bot.features.spotlight.ports import SpotlightStorage
from storage.db import Database
from storage.report import SqlCommunityFacts
from storage.spotlight.candidates import SqlSpotlightCandidates
from storage.spotlight.roles_store import SqlRoleStore
from storage.spotlight.spotlight_store import SqlSpotlightStore
from storage.spotlight.stories_store import SqlStoryStore

__all__ = ["SqlRoleStore", "SqlSpotlightStore", "SqlStoryStore", "make_store"]


def make_store(db: Database) -> SpotlightStorage:
    facts = SqlCommunityFacts(db)
    return SpotlightStorage(
        spotlight=SqlSpotlightStore(db, facts),
        stories=SqlStoryStore(db),
        roles=SqlRoleStore(db),
        facts=facts,
        candidates=SqlSpotlightCandidates(db),
    )
