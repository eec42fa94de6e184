"""The roles a member-week is counted in, shared by the week-people writer and the report.

Table-free on purpose: the report, health and dashboard queries import this, never the module
that defines recognition's tables (storage/week_people.py), so a Plein without recognition has
none of them on its metadata.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.features.report.facts import CREATE_KINDS, OWN_KINDS

ACTIVE, CREATOR, VOTER = "active", "creator", "voter"
ROLES = (ACTIVE, CREATOR, VOTER)

WEEK_PEOPLE = "contribution_week_people"
WEEK_COUNTS = "contribution_week_counts"
DAY_KINDS = "contribution_day_kinds"
UNREGISTERED = "contribution_unregistered"


def roles_of(kind: str) -> tuple[str, ...]:
    if kind not in OWN_KINDS:
        return ()
    if kind in CREATE_KINDS:
        return (ACTIVE, CREATOR)
    if kind == "vote":
        return (ACTIVE, VOTER)
    return (ACTIVE,)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def mondays(first: date, last: date) -> list[date]:
    """The Mondays in [first, last] (the weeks of a weekly table in that range)."""
    day = first + timedelta(days=-first.weekday() % 7)
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=7)
    return out
