"""`[dashboard]` mistakes are told with the key path, in the community's language."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import semantic_problems
from bot.config import ConfigError
from tests.support import config_from


def test_discord_login_without_its_secret_or_server_is_named_in_dutch(tmp_path: Path) -> None:
    config = config_from(db_path=tmp_path / "p.db", PLEIN_DASHBOARD__DISCORD_CLIENT_ID="1234")
    problems = [p for p in semantic_problems(config) if "dashboard" in p or "guild_id" in p]
    assert problems == [
        "dashboard.discord_client_secret: discord_client_secret ontbreekt: zet "
        "PLEIN_DASHBOARD__DISCORD_CLIENT_SECRET in de omgeving",
        "discord.guild_id: Inloggen met Discord heeft discord.guild_id nodig (de server waarvan "
        "de beheerders mogen inloggen)",
    ]


def test_and_in_english_for_an_english_community(tmp_path: Path) -> None:
    config = config_from(
        db_path=tmp_path / "p.db",
        PLEIN_COMMUNITY__LANGUAGE="en",
        PLEIN_DASHBOARD__DISCORD_CLIENT_ID="1234",
        PLEIN_DASHBOARD__DISCORD_CLIENT_SECRET="s",
    )
    problems = [p for p in semantic_problems(config) if "guild_id" in p]
    assert problems == [
        "discord.guild_id: Log in with Discord needs discord.guild_id (the server whose managers "
        "may log in)"
    ]


def test_slack_sign_in_without_its_secret_or_bot_token_is_named_in_dutch(tmp_path: Path) -> None:
    config = config_from(
        db_path=tmp_path / "p.db", PLEIN_DASHBOARD__SLACK_CLIENT_ID="3660753192626.3667146496162"
    )
    problems = [p for p in semantic_problems(config) if "slack" in p]
    assert problems == [
        "dashboard.slack_client_secret: slack_client_secret ontbreekt: zet "
        "PLEIN_DASHBOARD__SLACK_CLIENT_SECRET in de omgeving",
        "slack.bot_token: Inloggen met Slack heeft slack.bot_token nodig (om de werkruimte en "
        "haar beheerders te kennen): zet PLEIN_SLACK__BOT_TOKEN",
    ]


def test_slack_sign_in_complete_has_no_problems_and_english_when_not(tmp_path: Path) -> None:
    base = {
        "PLEIN_COMMUNITY__LANGUAGE": "en",
        "PLEIN_DASHBOARD__SLACK_CLIENT_ID": "3660753192626.3667146496162",
        "PLEIN_DASHBOARD__SLACK_CLIENT_SECRET": "s",
    }
    complete = config_from(db_path=tmp_path / "p.db", **base, PLEIN_SLACK__BOT_TOKEN="xoxb-1")
    assert [p for p in semantic_problems(complete) if "slack" in p] == []
    missing = config_from(db_path=tmp_path / "p.db", **base)
    assert [p for p in semantic_problems(missing) if "slack" in p] == [
        "slack.bot_token: Sign in with Slack needs slack.bot_token (to learn the workspace and "
        "who administers it): set PLEIN_SLACK__BOT_TOKEN"
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "BASE_URL",
            "plein.example.org",
            "dashboard.base_url: must start with http:// or https://",
        ),
        ("PUBLIC_PAGES", '["leaderboard"]', "dashboard.public_pages[1]: must be one of"),
        ("DISCORD_CLIENT_ID", "my-app", "dashboard.discord_client_id: must be a Discord"),
        ("SESSION", "forever", "dashboard.session:"),
        ("SLACK_CLIENT_ID", "U0123", "dashboard.slack_client_id: must be a Slack client id"),
        ("SLACK_ISSUER", "slack.com", "dashboard.slack_issuer: must start with http://"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, key: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_from(db_path=tmp_path / "p.db", **{f"PLEIN_DASHBOARD__{key}": value})
    assert any(line.startswith(message) or message in line for line in error.value.lines())
