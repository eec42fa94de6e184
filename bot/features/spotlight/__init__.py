"""The weekly member spotlight, the story archive, mission reminders and community roles."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import PleinConfig
from bot.config.spotlight import SpotlightConfig
from bot.features.api import ArchivedStory
from bot.features.manifest import FeatureManifest, Peers
from bot.features.spotlight.commands import SpotlightCommands
from bot.features.spotlight.interview import Interview
from bot.features.spotlight.mission import MissionReminder
from bot.features.spotlight.ports import SpotlightStorage
from bot.features.spotlight.roles import RoleService
from bot.features.spotlight.service import SpotlightService
from bot.features.spotlight.stories import StoryService
from bot.kit import Kit
from bot.locales.spotlight import MESSAGES
from bot.personal_data import PersonalDataProvider
from bot.scheduling import Deadlines, RecurringJob, TriggerMath

CATCH_UP = timedelta(days=1)
"""A weekly post missed while Plein was down goes out once if Plein is back within a day."""
INTERVIEW_JOB = "spotlight.interview"


class SpotlightFeature:
    """What the composition root keeps; the calendar uses it as its StorySource."""

    def __init__(
        self,
        spotlight: SpotlightService,
        stories: StoryService,
        roles: RoleService | None,
        mission: MissionReminder,
        interview: Interview,
    ) -> None:
        self.spotlight = spotlight
        self.stories = stories
        self.roles = roles
        self.mission = mission
        self.interview = interview

    async def pick_story(self, now: datetime) -> ArchivedStory | None:
        return await self.stories.pick_story(now)


class _Personal:
    def __init__(self, *providers: PersonalDataProvider) -> None:
        self.providers = providers

    async def export_member(self, member_id: str) -> dict[str, object]:
        out: dict[str, object] = {}
        for provider in self.providers:
            out.update(await provider.export_member(member_id))
        return out

    async def erase_member(self, member_id: str) -> None:
        for provider in self.providers:
            await provider.erase_member(member_id)


def install(kit: Kit, store: SpotlightStorage, peers: Peers) -> SpotlightFeature | None:
    cfg = kit.config.spotlight
    if not cfg.enabled:
        return None
    spotlight = SpotlightService(kit, store)
    stories = StoryService(kit, store.stories)
    stories.install()
    roles = None
    if cfg.roles:
        roles = RoleService(kit, store.roles)
        roles.install()
    SpotlightCommands(kit, spotlight).install()
    interview = Interview(kit, spotlight)
    mission = MissionReminder(kit, spotlight, stories)

    async def weekly(fire: datetime) -> None:
        await spotlight.run_weekly(fire)
        if cfg.interview:  # this week's spotlight fired: next week's interview is the upcoming one
            kit.jobs.poke(INTERVIEW_JOB)

    kit.jobs.add_recurring(RecurringJob("spotlight.weekly", cfg.when, weekly, catch_up=CATCH_UP))
    if cfg.interview:
        kit.jobs.add_deadlines(Deadlines(INTERVIEW_JOB, interview.next_due, interview.run_due))
        kit.dispatcher.on_choice("spotlight", interview.on_choice)
        kit.dispatcher.on_form("spotlight", interview.on_form)
    if cfg.mission_every_weeks > 0 and kit.config.community.mission.strip():
        kit.jobs.add_recurring(
            RecurringJob("spotlight.mission", cfg.mission_when, mission.run, catch_up=CATCH_UP)
        )
    kit.personal_data.register("spotlight", _Personal(store.spotlight, store.roles))
    kit.personal_data.register("stories", store.stories)
    return SpotlightFeature(spotlight, stories, roles, mission, interview)


def config_problems(config: PleinConfig, cron: TriggerMath) -> list[str]:
    problems: list[str] = []
    cfg = config.spotlight
    if not cfg.enabled:
        return problems
    for key in ("when", "mission_when"):
        message = cron.validate(getattr(cfg, key))
        if message:
            problems.append(f"spotlight.{key}: {message}")
    if not problems:
        start = datetime(2026, 1, 5, 12, 0).astimezone()
        fires = list(cron.fire_times(cfg.when, start, start + timedelta(days=14)))
        if len(fires) > 2:
            problems.append(
                "spotlight.when: fires more than once a week; the spotlight goes out once per "
                "week anyway - use a weekly time like 'fri 10:00'"
            )
    return problems


MANIFEST: FeatureManifest[SpotlightStorage] = FeatureManifest(
    name="spotlight",
    section="spotlight",
    config_model=SpotlightConfig,
    messages=MESSAGES,
    install=install,
    config_problems=config_problems,
)
