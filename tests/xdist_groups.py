"""`--dist loadgroup` with groups chosen by test file, independent of xdist's nodeid suffix.

pytest-xdist 3.8 groups tests by appending `@group` to each item's `_nodeid` on the workers;
pytest 9 keeps the node id in `_id` instead, so that suffix is silently lost and every group
mark is ignored (each worker then started its own Synapse homeserver). The scheduler below
decides the group on the controller from the node id itself, through xdist's public
`pytest_xdist_make_scheduler` hook, and still honours explicit `xdist_group` marks where the
suffix does arrive.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from xdist.scheduler import LoadGroupScheduling

FILE_GROUPS = {"test_synapse_": "synapse"}
"""Test files whose name starts with the key run on one worker: they share a costly session
fixture (the Synapse homeserver takes about a minute of CPU to start)."""


def group_of(nodeid: str) -> str | None:
    name = PurePosixPath(nodeid.split("::", 1)[0]).name
    for prefix, group in FILE_GROUPS.items():
        if name.startswith(prefix):
            return group
    return None


class FileGroupScheduling(LoadGroupScheduling):
    def _split_scope(self, nodeid: str) -> str:
        group = group_of(nodeid)
        if group is not None:
            return group
        return str(super()._split_scope(nodeid))


def make_scheduler(config: Any, log: Any) -> FileGroupScheduling:
    return FileGroupScheduling(config, log)
