"""The surveys' lines in the managers' report: each survey closed in the report's period, with
how many answered (the report feature calls this through its `add_section` hook)."""

from __future__ import annotations

from datetime import datetime

from bot.features.surveys.ports import SurveyStore
from bot.i18n import Translator


class SurveyReportLines:
    def __init__(self, t: Translator, store: SurveyStore) -> None:
        self.t = t
        self.store = store

    async def __call__(self, since: datetime, until: datetime) -> list[str]:
        lines = []
        for survey_id in await self.store.closed_between(since, until):
            survey = await self.store.get(survey_id)
            if survey is None:
                continue
            answered = len(await self.store.responders(survey_id))
            lines.append(
                self.t("surveys.report", number=survey.id, title=survey.title, count=answered)
            )
        return lines
