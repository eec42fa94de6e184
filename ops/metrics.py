"""The metrics port (bot/metrics.py) on prometheus-client, in a registry of its own per Plein."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ACK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
"""Slack and Discord want an answer within 3 s: the buckets bracket that deadline."""
LATE_BUCKETS = (0.1, 1.0, 10.0, 60.0, 300.0, 1800.0, 3600.0, 86400.0)


class PrometheusMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.received = Counter(
            "plein_events_received", "Events that reached the core", ["kind"], registry=r
        )
        self.handled = Counter(
            "plein_events_handled", "Events the handlers ran for", ["kind"], registry=r
        )
        self.handler_seconds = Histogram(
            "plein_handler_seconds",
            "Time the handlers of one event took, actions sent included",
            ["kind"],
            buckets=HANDLER_BUCKETS,
            registry=r,
        )
        self.ack_seconds = Histogram(
            "plein_ack_seconds",
            "Time until the platform's interaction or event was acknowledged",
            ["platform"],
            buckets=ACK_BUCKETS,
            registry=r,
        )
        self.dm_failures = Counter(
            "plein_dm_failures", "Direct messages not delivered", ["reason"], registry=r
        )
        self.rate_limits = Counter(
            "plein_platform_rate_limited", "429 answers from the platform", ["platform"], registry=r
        )
        self.reconnects = Counter(
            "plein_platform_reconnects", "Reconnects to the platform", ["platform"], registry=r
        )
        self.jobs_run = Counter("plein_jobs_run", "Scheduled work that ran", ["job"], registry=r)
        self.jobs_missed = Counter(
            "plein_jobs_missed", "Scheduled work skipped by the misfire policy", ["job"], registry=r
        )
        self.jobs_failed = Counter(
            "plein_jobs_failed", "Scheduled work that raised", ["job"], registry=r
        )
        self.job_late = Histogram(
            "plein_job_late_seconds",
            "How long after it was due scheduled work ran",
            ["job"],
            buckets=LATE_BUCKETS,
            registry=r,
        )
        self.depth = Gauge(
            "plein_queue_depth", "Items waiting in a queue or write buffer", ["queue"], registry=r
        )

    def event_received(self, kind: str) -> None:
        self.received.labels(kind).inc()

    def handling(self, kind: str) -> AbstractContextManager[object]:
        self.handled.labels(kind).inc()
        return self.handler_seconds.labels(kind).time()

    def ack_latency(self, platform: str, seconds: float) -> None:
        self.ack_seconds.labels(platform).observe(seconds)

    def dm_failed(self, reason: str) -> None:
        self.dm_failures.labels(reason).inc()

    def rate_limited(self, platform: str) -> None:
        self.rate_limits.labels(platform).inc()

    def reconnected(self, platform: str) -> None:
        self.reconnects.labels(platform).inc()

    def job_ran(self, job: str, late_seconds: float) -> None:
        self.jobs_run.labels(job).inc()
        self.job_late.labels(job).observe(late_seconds)

    def job_missed(self, job: str) -> None:
        self.jobs_missed.labels(job).inc()

    def job_failed(self, job: str) -> None:
        self.jobs_failed.labels(job).inc()

    def watch_depth(self, name: str, read: Callable[[], float]) -> None:
        self.depth.labels(name).set_function(read)

    def exposition(self) -> tuple[bytes, str]:
        """The text format and its content type, for GET /metrics."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST
