"""A feature is one unit, listed once: what is not in the list has no command, job, table or text.

Each feature set is built in a fresh interpreter (tests/core/feature_probe.py) because the table
metadata is process-global. "No table" means: not on the metadata the feature set registers, so
no store, export or query of this Plein reaches it. The database itself is migrated by the one
linear chain (existing databases carry its revision ids), so a feature taken off the list keeps
its tables, untouched, and finds its data again when it is listed again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

from bot.app import semantic_problems
from bot.config import PleinConfig, example_text, parse_config
from bot.config.root import SHARED_SECTIONS
from bot.feature_list import CORE, FEATURES, with_core

ROOT = Path(__file__).resolve().parents[2]
NAMES = [f.name for f in FEATURES]
KINDS = ("commands", "jobs", "tables")

Probe = dict[str, list[str]]


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> dict[frozenset[str], Probe]:
    """Every feature alone, every feature left out, none and all: each built in a process of
    its own (forked by one probe driver after the imports, at most one per core at a time)."""
    sets = {frozenset(), frozenset(NAMES)}
    for name in NAMES:
        sets |= {frozenset({name}), frozenset(NAMES) - {name}}
    ordered = sorted(sets, key=sorted)
    work = tmp_path_factory.mktemp("probe")
    (work / "sets.json").write_text(json.dumps([sorted(names) for names in ordered]))
    process = subprocess.run(
        [sys.executable, "-m", "tests.core.feature_probe", "--sets", str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert process.returncode == 0, process.stderr
    return {
        names: cast(Probe, json.loads((work / f"{index}.json").read_text()))
        for index, names in enumerate(ordered)
    }


def own(probes: dict[frozenset[str], Probe], name: str, kind: str) -> set[str]:
    """What the feature adds to a Plein that has only CORE."""
    return set(probes[frozenset({name})][kind]) - set(probes[frozenset()][kind])


@pytest.mark.parametrize("name", NAMES)
def test_every_feature_brings_commands_jobs_and_tables(
    probes: dict[frozenset[str], Probe], name: str
) -> None:
    for kind in KINDS:
        assert own(probes, name, kind), f"{name} registers no {kind}"
    assert name in probes[frozenset({name})]["catalogs"]


@pytest.mark.parametrize("name", NAMES)
def test_a_feature_not_listed_has_no_command_job_table_or_text(
    probes: dict[frozenset[str], Probe], name: str
) -> None:
    everything = probes[frozenset(NAMES)]
    without = probes[frozenset(NAMES) - {name}]
    assert name not in without["features"]
    assert name not in without["catalogs"]
    for kind in KINDS:
        assert not own(probes, name, kind) & set(without[kind]), kind
        assert set(without[kind]) == set(everything[kind]) - own(probes, name, kind), kind


def test_core_alone_has_help_and_the_member_tables(probes: dict[frozenset[str], Probe]) -> None:
    core = probes[frozenset()]
    assert core["features"] == ["core"]
    assert core["commands"] == ["help"]
    # The durable inbox (issue 19), the daily member sync (issue 14) and the leased work's
    # takeovers and pruning (issue 17) are in every Plein.
    assert core["jobs"] == [
        "inbox.prune",
        "members.sync",
        "work-claims.prune",
        "work-claims.takeovers",
    ]
    assert core["tables"] == [
        "inbox",
        "member_syncs",
        "member_tombstones",
        "members",
        "privacy_settings",
        "work_claims",
    ]


def test_config_sections_are_the_shared_ones_and_the_listed_features() -> None:
    sections = {f.manifest.section: f.manifest.config_model for f in FEATURES if f.manifest.section}
    assert len(sections) == len(FEATURES), "every listed feature has a section of its own"
    fields: dict[str, Any] = PleinConfig.model_fields
    assert set(fields) == SHARED_SECTIONS | set(sections)
    for section, model in sections.items():
        assert fields[section].annotation is model, section


def test_the_example_config_shows_every_section() -> None:
    headers = {line.strip() for line in example_text().splitlines()}
    for section in SHARED_SECTIONS | {f.manifest.section for f in FEATURES if f.manifest.section}:
        assert f"[{section}]" in headers, section


def test_a_feature_is_installed_after_the_features_it_needs() -> None:
    by_name = {f.name: f for f in FEATURES}
    calendar, polls = by_name["calendar"], by_name["polls"]
    assert "polls" in calendar.manifest.needs
    assert [u.name for u in with_core([polls, calendar])] == ["core", "polls", "calendar"]
    assert [u.name for u in with_core([calendar])] == ["core", "calendar"]
    with pytest.raises(ValueError, match="needs"):
        with_core([calendar, polls])
    with pytest.raises(ValueError, match="twice"):
        with_core([polls, polls])
    assert with_core([CORE, polls]) == with_core([polls])


def test_config_checks_come_from_the_listed_features() -> None:
    valid = parse_config(example_text(), "<t>", {})
    config = valid.model_copy(
        update={"recognition": valid.recognition.model_copy(update={"daily_at": "70 3 * * *"})}
    )
    assert any(p.startswith("recognition.daily_at") for p in semantic_problems(config))
    others = [f for f in FEATURES if f.name != "recognition"]
    assert semantic_problems(config, others) == []
