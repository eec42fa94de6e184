"""The session's Synapse (tests/adapters/matrix/synapse_server.py): started once, on first use."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.adapters.matrix.synapse_server import Synapse, SynapseUnavailable, start


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    try:
        server = start(tmp_path_factory.mktemp("synapse"))
    except SynapseUnavailable as error:
        reason = f"a real Synapse homeserver is needed for the Matrix tests: {error}"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        print(f"\nSKIPPED Matrix end-to-end tests: {reason}")
        pytest.skip(reason)
    yield server
    server.stop()
