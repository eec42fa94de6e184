"""The export's file name is the README's `plein-export-<id>-<time>.json`, whatever the id holds."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.features.privacy.commands import export_file_name

MOMENT = datetime(2026, 3, 23, 9, 5, 7, tzinfo=UTC)
SAFE = re.compile(r"^plein-export-[a-z0-9_-]{1,64}-20260323T090507\.json$")


@pytest.mark.parametrize(
    "member_id",
    [
        "console:../../etc/passwd",
        'console:Zoë "*?<>|\\/:x',
        "slack:CON",
        "discord:" + "a" * 300,
        "console:\x00\n\r\t",
        "console:🙂🙂",
        "console:-.-",
    ],
)
def test_a_hostile_id_never_leaves_the_file_name(member_id: str) -> None:
    name = export_file_name(member_id, MOMENT)
    assert SAFE.match(name), name
    assert "/" not in name and "\\" not in name and ".." not in name


def test_a_plain_id_is_kept_readable() -> None:
    assert export_file_name("discord:123456789", MOMENT) == (
        "plein-export-123456789-20260323T090507.json"
    )
    assert export_file_name("console:xandra", MOMENT) == "plein-export-xandra-20260323T090507.json"
