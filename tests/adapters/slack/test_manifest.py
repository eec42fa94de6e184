from __future__ import annotations

from pathlib import Path

from adapters.slack.manifest import manifest, manifest_yaml
from bot.config import load_config
from tests.support import config_from


def test_socket_mode_manifest(tmp_path: Path) -> None:
    data = manifest(config_from(db_path=tmp_path / "p.db"))
    settings = data["settings"]
    assert settings["socket_mode_enabled"] is True
    assert "request_url" not in settings["interactivity"]
    assert settings["event_subscriptions"]["bot_events"][:2] == ["team_join", "user_change"]
    [command] = data["features"]["slash_commands"]
    assert command["command"] == "/plein" and command["should_escape"] is True
    scopes = data["oauth_config"]["scopes"]["bot"]
    for needed in ("chat:write", "commands", "im:write", "users:read", "files:write"):
        assert needed in scopes
    assert "usergroups:read" not in scopes
    assert len(scopes) == len(set(scopes))


def test_http_mode_manifest_has_request_urls(tmp_path: Path) -> None:
    config = config_from(
        db_path=tmp_path / "p.db",
        PLEIN_SLACK__MODE="http",
        PLEIN_SLACK__PUBLIC_URL="https://bot.example.nl/",
        PLEIN_SLACK__JOIN_EVENT="member_joined_channel",
        PLEIN_SLACK__MANAGER_USERGROUP="S0123",
    )
    data = manifest(config)
    url = "https://bot.example.nl/slack/events"
    assert data["settings"]["socket_mode_enabled"] is False
    assert data["settings"]["event_subscriptions"]["request_url"] == url
    assert data["settings"]["interactivity"]["request_url"] == url
    assert data["features"]["slash_commands"][0]["url"] == url
    assert "member_joined_channel" in data["settings"]["event_subscriptions"]["bot_events"]
    assert "usergroups:read" in data["oauth_config"]["scopes"]["bot"]


def test_yaml_output(tmp_path: Path) -> None:
    text = manifest_yaml(config_from(db_path=tmp_path / "p.db"))
    assert text.startswith('display_information:\n  name: "Plein"\n')
    assert '    - command: "/plein"\n' in text
    assert "  socket_mode_enabled: true\n" in text
    assert "\t" not in text


def test_example_config_gives_a_manifest() -> None:
    example = Path(__file__).resolve().parents[3] / "config.example.toml"
    assert "socket_mode_enabled: true" in manifest_yaml(load_config(str(example)))
