"""The metrics port: what the pipeline, the outbox, the scheduler and the adapters count.

bot/ only calls this port; the Prometheus implementation lives outside the core (ops/metrics.py),
so the core never imports prometheus_client and a Plein without a web port counts nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class Metrics(Protocol):
    def event_received(self, kind: str) -> None:
        """An event reached the core (before replays and bots are dropped)."""

    def handling(self, kind: str) -> AbstractContextManager[object]:
        """Wraps the handlers of one admitted event: counts it handled and times it."""

    def ack_latency(self, platform: str, seconds: float) -> None:
        """How long the platform waited for its acknowledgement (Slack ack, Discord defer)."""

    def dm_failed(self, reason: str) -> None: ...

    def rate_limited(self, platform: str) -> None:
        """The platform answered 429."""

    def reconnected(self, platform: str) -> None: ...

    def job_ran(self, job: str, late_seconds: float) -> None:
        """Scheduled work ran, this long after it was due."""

    def job_missed(self, job: str) -> None:
        """Scheduled work woke up too late and was skipped (the misfire policy)."""

    def job_failed(self, job: str) -> None: ...

    def watch_depth(self, name: str, read: Callable[[], float]) -> None:
        """A queue or buffer whose depth is read when the metrics are scraped."""


class NoMetrics:
    """Counts nothing: the default when no web port serves metrics."""

    def event_received(self, kind: str) -> None:
        pass

    def handling(self, kind: str) -> AbstractContextManager[object]:
        return nullcontext()

    def ack_latency(self, platform: str, seconds: float) -> None:
        pass

    def dm_failed(self, reason: str) -> None:
        pass

    def rate_limited(self, platform: str) -> None:
        pass

    def reconnected(self, platform: str) -> None:
        pass

    def job_ran(self, job: str, late_seconds: float) -> None:
        pass

    def job_missed(self, job: str) -> None:
        pass

    def job_failed(self, job: str) -> None:
        pass

    def watch_depth(self, name: str, read: Callable[[], float]) -> None:
        pass
