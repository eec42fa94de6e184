"""The session's Synapse (tests/adapters/matrix/synapse_server.py): started once, on first use."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.adapters.matrix.synapse_server import Synapse, SynapseUnavailable, start


@pytest.fixture(scope="session")
def synapse(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Synapse]:
    if request.config.getoption("loadgroup", False):
        _claim_the_one_homeserver(tmp_path_factory)
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


def _claim_the_one_homeserver(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under `--dist loadgroup` the Synapse tests share one worker (tests/xdist_groups.py), so
    one homeserver serves the run; a second start means the grouping broke (it did once, silently:
    pytest 9 dropped the node id suffix xdist's group marks relied on)."""
    run_root = tmp_path_factory.getbasetemp().parent  # shared by the run's workers
    try:
        (run_root / "synapse-started").open("x").close()
    except FileExistsError:
        pytest.fail(
            "a second Synapse homeserver started in this run: the Synapse tests were not "
            "grouped on one xdist worker",
            pytrace=False,
        )
