"""`plein doctor` against the fake Discord: a server set up right passes every check; each way of
setting it up wrong gets its own line saying what to do, in the community's language, and exit 1.

The community already ran once (commands synced, database migrated) before the doctor is asked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest

from bot.cli import doctor
from tests.adapters.discord.harness import DiscordRun
from tests.fakes.discord import FakeDiscord
from tests.support import EXAMPLE_START

CONFIG = """
[community]
name = "Buurtclub"
language = "nl"
timezone = "Europe/Amsterdam"
managers = []
welcome_channel = "welkom"
default_channel = "algemeen"
managers_channel = "bestuur"

[onboarding]
member_role = "Lid"
newcomer_role = "Nieuwkomer"
"""

VIEW = discord.Permissions(view_channel=True).value
PLEIN_ROLE = discord.Permissions(
    view_channel=True, send_messages=True, manage_roles=True, read_message_history=True
).value


@dataclass
class Community:
    fake: FakeDiscord
    run: DiscordRun
    plein_role: str

    async def doctor(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
        capsys.readouterr()
        code = await doctor(self.run.config())
        return code, capsys.readouterr().out.splitlines()


def managers_only(fake: FakeDiscord, *allowed: str) -> None:
    """Make #bestuur private: hidden from @everyone, visible to the given roles."""
    channel = fake.channels[fake.channel_id("bestuur")]
    channel["permission_overwrites"] = [
        {"id": fake.guild_id, "type": 0, "allow": "0", "deny": str(VIEW)},
        *({"id": role, "type": 0, "allow": str(VIEW), "deny": "0"} for role in allowed),
    ]


@pytest.fixture
async def community(
    fake: FakeDiscord, tmp_path: Path, storage_url: str
) -> AsyncIterator[Community]:
    plein_role = fake.add_role("Plein")
    fake.roles[plein_role]["permissions"] = str(PLEIN_ROLE)
    fake.roles[plein_role]["managed"] = True
    fake.members[fake.bot["id"]]["roles"] = [plein_role]
    managers_only(fake, fake.role_id("Bestuur"), plein_role)
    fake.populate(30)
    run = DiscordRun(
        fake=fake, db_path=tmp_path / "plein.db", config_text=CONFIG, storage_url=storage_url
    )
    await run.start(EXAMPLE_START)
    await run.stop()
    yield Community(fake, run, plein_role)


async def test_a_server_set_up_right_passes_every_check(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = await community.doctor(capsys)
    assert code == 0, lines
    assert all(line.startswith("OK") for line in lines[:-1]), lines
    assert lines[-1] == "Alles in orde."
    expected = [
        "Discord-token geldig",
        "Server Members-intent aan",
        "Kanaal #algemeen bestaat en Plein kan er posten",
        "Kanaal #bestuur bestaat en Plein kan er posten",
        "Rol Lid bestaat en staat onder de rol van Plein",
        "Slash-commando's gesynchroniseerd",
        "Database bereikbaar en bijgewerkt",
    ]
    assert all(any(text in line for line in lines) for text in expected), lines


def problems(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("DOEN")]


async def test_a_rejected_token_says_so_and_stops_asking_discord(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    community.fake.valid_token = "a-token-reset-in-the-portal"
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert problems(lines) == [
        "DOEN   Discord-token geldig: Discord weigert het token; kopieer een nieuw token uit "
        "het Developer Portal (Bot, Reset Token) naar PLEIN_DISCORD__TOKEN"
    ]
    assert lines[-1] == "1 controle vraagt aandacht."


async def test_the_members_intent_switched_off(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    community.fake.members_intent_enabled = False
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert len(problems(lines)) == 1
    assert "Server Members Intent" in problems(lines)[0]


async def test_the_content_intent_is_checked_only_when_asked_for(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    community.run.env["PLEIN_DISCORD__MESSAGE_CONTENT"] = "true"
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert [line.split(":")[0] for line in problems(lines)] == ["DOEN   Message Content-intent aan"]
    community.fake.content_intent_enabled = True
    code, lines = await community.doctor(capsys)
    assert code == 0, lines


async def test_a_missing_channel_is_named(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    del community.fake.channels[community.fake.channel_id("welkom")]
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert problems(lines) == [
        "DOEN   Kanaal #welkom bestaat en Plein kan er posten: er is geen kanaal welkom; maak "
        "het aan, of koppel de naam aan het id van het kanaal onder [discord] channels"
    ]


async def test_a_private_managers_channel_that_plein_cannot_see(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    managers_only(community.fake, community.fake.role_id("Bestuur"))
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert len(problems(lines)) == 1
    assert problems(lines)[0].startswith("DOEN   Kanaal #bestuur bestaat en Plein kan er posten:")


async def test_a_channel_overwrite_that_denies_sending(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = community.fake
    channel = fake.channels[fake.channel_id("algemeen")]
    deny = discord.Permissions(send_messages=True).value
    channel["permission_overwrites"] = [
        {"id": community.plein_role, "type": 0, "allow": "0", "deny": str(deny)}
    ]
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert [line.split(":")[0] for line in problems(lines)] == [
        "DOEN   Kanaal #algemeen bestaat en Plein kan er posten"
    ]


async def test_the_member_role_above_pleins_own(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = community.fake
    fake.roles[fake.role_id("Lid")]["position"] = fake.roles[community.plein_role]["position"] + 1
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert problems(lines) == [
        "DOEN   Rol Lid bestaat en staat onder de rol van Plein: sleep de rol van Plein boven "
        "Lid in Serverinstellingen > Rollen (Plein kan alleen rollen onder de eigen rol geven)"
    ]


async def test_a_missing_role(community: Community, capsys: pytest.CaptureFixture[str]) -> None:
    del community.fake.roles[community.fake.role_id("Nieuwkomer")]
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert "er is geen rol Nieuwkomer" in problems(lines)[0]


async def test_commands_from_an_older_sync(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = community.fake
    fake.commands = [c for c in fake.commands if c["name"] != "poll"]
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert len(problems(lines)) == 1
    assert "(/poll)" in problems(lines)[0]


async def test_plein_not_in_the_configured_server(
    community: Community, capsys: pytest.CaptureFixture[str]
) -> None:
    community.run.env["PLEIN_DISCORD__GUILD_ID"] = "1300000000000009999"
    code, lines = await community.doctor(capsys)
    assert code == 1
    assert "plein discord invite-url" in problems(lines)[0]
