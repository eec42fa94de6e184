"""Surveys (raadplegen beyond one question): 2-8 questions answered in a form, one reminder to
the members who have not answered, results and CSV for managers."""

from __future__ import annotations

from typing import Any

from bot.config.surveys import SurveysConfig
from bot.features.manifest import FeatureManifest, Peers
from bot.features.report.service import ReportService
from bot.features.surveys.ports import SurveyStore
from bot.features.surveys.report_lines import SurveyReportLines
from bot.features.surveys.service import JOB, PREFIX, SurveysService
from bot.kit import Kit
from bot.locales.surveys import MESSAGES
from bot.scheduling import Deadlines

__all__ = ["MANIFEST", "SurveysService", "install"]


class SurveysPersonalData:
    def __init__(self, store: SurveyStore) -> None:
        self.store = store

    async def export_member(self, member_id: str) -> dict[str, Any]:
        return {"survey_answers": await self.store.export_member(member_id)}

    async def erase_member(self, member_id: str) -> None:
        await self.store.erase_member(member_id)


def install(kit: Kit, store: SurveyStore, peers: Peers) -> SurveysService | None:
    if not kit.config.surveys.enabled:
        return None
    service = SurveysService(kit, store)
    for spec in service.specs():
        kit.commands.add(spec)
    kit.dispatcher.on_choice(PREFIX, service.on_choice)
    kit.dispatcher.on_form(PREFIX, service.on_form)
    kit.jobs.add_deadlines(Deadlines(JOB, service.next_due, service.run_due))
    kit.personal_data.register("surveys", SurveysPersonalData(store))
    calendar = peers.get("calendar")
    if calendar is not None and hasattr(calendar, "add_survey_publisher"):
        calendar.add_survey_publisher(service)
    report = peers.get("report")
    if isinstance(report, ReportService):
        lines = SurveyReportLines(kit.t, store)
        report.add_section(lambda built: lines(built.figures.since, built.figures.until))
    return service


MANIFEST: FeatureManifest[SurveyStore] = FeatureManifest(
    name="surveys",
    section="surveys",
    config_model=SurveysConfig,
    messages=MESSAGES,
    install=install,
    needs=("report", "calendar"),
)
