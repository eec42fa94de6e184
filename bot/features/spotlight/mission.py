"""Every N weeks: the community's mission, with a recent story or spotlight that embodies it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.actions import PostMessage
from bot.features.spotlight.service import SpotlightService
from bot.features.spotlight.stories import StoryService
from bot.kit import Kit

EPOCH = date(2024, 1, 1)
"""A Monday; weeks are counted from here so 'every N weeks' survives restarts."""


class MissionReminder:
    def __init__(self, kit: Kit, spotlight: SpotlightService, stories: StoryService) -> None:
        self.kit = kit
        self.spotlight = spotlight
        self.stories = stories
        self.every = kit.config.spotlight.mission_every_weeks

    async def run(self, fire_time: datetime) -> None:
        week = self.spotlight.week(fire_time)
        if self.every <= 0 or ((week - EPOCH).days // 7) % self.every:
            return
        await self.post(week, self.kit.clock.now())

    async def post(self, week: date, now: datetime) -> bool:
        community = self.kit.config.community
        if not community.mission.strip():
            return False
        if not await self.spotlight.store.claim("mission", week.isoformat(), now):
            return False
        t = self.kit.t
        lines = [t("spotlight.mission.text", community=community.name, mission=community.mission)]
        example = await self._example(now)
        if example:
            lines.append(example)
        await self.kit.outbox.send(
            PostMessage(channel=self.spotlight.channel, text="\n".join(lines))
        )
        return True

    async def _example(self, now: datetime) -> str | None:
        t = self.kit.t
        since = now - timedelta(weeks=max(self.every, 1))
        for run in await self.spotlight.store.recent_runs(1):
            if run.member_id and run.posted_at and run.posted_at >= since:
                return t(
                    "spotlight.mission.spotlight",
                    member=self.kit.outbox.mention(run.member_id),
                )
        story = await self.stories.pick_story(now)
        if story is not None:
            return t("spotlight.mission.story", title=story.title, text=story.text)
        return None
