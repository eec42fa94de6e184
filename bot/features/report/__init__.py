"""The managers' weekly community report: figures, goals, ambassador candidates, chart, CSV."""

from __future__ import annotations

from datetime import timedelta

from bot.config import PleinConfig
from bot.config.report import ReportConfig
from bot.features.manifest import FeatureManifest, Peers
from bot.features.report.facts import ReportStore
from bot.features.report.service import ReportService
from bot.kit import Kit
from bot.locales import report as report_messages
from bot.locales import report_health
from bot.scheduling import RecurringJob, TriggerMath


def install(kit: Kit, store: ReportStore, peers: Peers) -> ReportService | None:
    if not kit.config.report.enabled:
        return None
    service = ReportService(kit, store)
    service.install()
    kit.jobs.add_recurring(
        RecurringJob(
            "report.weekly",
            kit.config.report.when,
            service.run_weekly,
            catch_up=timedelta(days=1),  # a report missed while down goes out once, late
        )
    )
    return service


def config_problems(config: PleinConfig, cron: TriggerMath) -> list[str]:
    if not config.report.enabled:
        return []
    message = cron.validate(config.report.when)
    return [f"report.when: {message}"] if message else []


MANIFEST: FeatureManifest[ReportStore] = FeatureManifest(
    name="report",
    section="report",
    config_model=ReportConfig,
    messages={
        lang: {**report_messages.MESSAGES[lang], **report_health.MESSAGES[lang]}
        for lang in report_messages.MESSAGES
    },
    install=install,
    config_problems=config_problems,
)
