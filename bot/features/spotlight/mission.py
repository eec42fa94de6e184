"""Every N weeks: the community's mission, with a recent story or spotlight that embodies it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.actions import PostMessage
from bot.features.spotlight.service import SpotlightService
from bot.features.spotlight.stories import StoryService
from bot.kit import Kit
from bot.leases import Lease

MISSION_CLAIM = "spotlight.mission"
"""The leased claim on a week's mission reminder (bot/leases.py)."""
EPOCH = date(2024, 1, 1)
"""A Monday; weeks are counted from here so 'every N weeks' survives restarts."""


class MissionReminder:
    def __init__(self, kit: Kit, spotlight: SpotlightService, stories: StoryService) -> None:
        self.kit = kit
        self.spotlight = spotlight
        self.stories = stories
        self.every = kit.config.spotlight.mission_every_weeks
        self.posts = kit.leases.work(MISSION_CLAIM, self._take_over)

    async def run(self, fire_time: datetime) -> None:
        week = self.spotlight.week(fire_time)
        if self.every <= 0 or ((week - EPOCH).days // 7) % self.every:
            return
        await self.post(week, self.kit.clock.now())

    async def post(self, week: date, now: datetime) -> bool:
        if not self.kit.config.community.mission.strip():
            return False
        posted = False

        async def post(key: str, lease: Lease, now: datetime) -> None:
            nonlocal posted
            posted = await self._post(key, lease, now)

        await self.posts.run(week.isoformat(), now, post)
        return posted

    async def _post(self, key: str, lease: Lease, now: datetime) -> bool:
        """Once per week: the lease across processes, and the week's own claim row (which also
        holds for weeks posted before claims had leases)."""
        if not await self.spotlight.store.claim("mission", key, now) and not lease.taken_over:
            return False
        community = self.kit.config.community
        t = self.kit.t
        lines = [t("spotlight.mission.text", community=community.name, mission=community.mission)]
        example = await self._example(now)
        if example:
            lines.append(example)
        post = PostMessage(channel=self.spotlight.channel, text="\n".join(lines))
        await self.kit.leases.send(self.kit.outbox, [post], lease)
        return True

    async def _take_over(self, key: str, lease: Lease, now: datetime) -> None:
        await self._post(key, lease, now)

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
