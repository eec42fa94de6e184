"""Tables and queries for polls and stellingen."""

from __future__ import annotations

from storage.db import Database
from storage.polls.store import SqlPollStore
from storage.polls.tables import poll_ballots, poll_options, poll_votes, polls

__all__ = ["SqlPollStore", "make_store", "poll_ballots", "poll_options", "poll_votes", "polls"]


def make_store(db: Database) -> SqlPollStore:
    return SqlPollStore(db)
