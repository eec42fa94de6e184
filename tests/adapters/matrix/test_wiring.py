"""Matrix is chosen and built like the other platforms, and refuses to start half-configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.matrix import MatrixAdapter
from bot.app import default_adapter_name, make_adapter
from bot.config import ConfigError
from bot.host import PlatformUnavailable
from tests.support import config_from


def test_a_matrix_token_makes_matrix_the_platform(tmp_path: Path) -> None:
    config = config_from(
        db_path=tmp_path / "plein.db",
        PLEIN_MATRIX__HOMESERVER="https://matrix.example.org/",
        PLEIN_MATRIX__ACCESS_TOKEN="syt_secret",
    )
    assert default_adapter_name(config) == "matrix"
    assert isinstance(make_adapter("matrix", config), MatrixAdapter)
    assert config.matrix.homeserver == "https://matrix.example.org"
    assert "syt_secret" not in repr(config.matrix)


def test_without_a_homeserver_matrix_says_what_is_missing(tmp_path: Path) -> None:
    config = config_from(db_path=tmp_path / "plein.db", PLEIN_MATRIX__ACCESS_TOKEN="syt_secret")
    with pytest.raises(PlatformUnavailable, match=r"\[matrix\].homeserver"):
        MatrixAdapter(config)


@pytest.mark.parametrize(
    ("key", "value"),
    [("HOMESERVER", "matrix.example.org"), ("COMMAND_PREFIX", "! plein"), ("SYNC_TIMEOUT", "soon")],
)
def test_bad_matrix_settings_are_config_errors(tmp_path: Path, key: str, value: str) -> None:
    with pytest.raises(ConfigError):
        config_from(db_path=tmp_path / "plein.db", **{f"PLEIN_MATRIX__{key}": value})
