"""The managers' read-only web dashboard (served by ops/dashboard on the web port)."""

from __future__ import annotations

from datetime import datetime

from bot.config import PleinConfig
from bot.config.dashboard import DashboardConfig
from bot.features.dashboard.access import Access
from bot.features.dashboard.commands import DashboardCommands
from bot.features.dashboard.pages import ReportPageFigures
from bot.features.dashboard.ports import DashboardStore, SnapshotStore
from bot.features.dashboard.service import Dashboard
from bot.features.dashboard.snapshots import Snapshots
from bot.features.dashboard.stored import StoredPages
from bot.features.dashboard.translators import Translators
from bot.features.manifest import FeatureManifest, Peers
from bot.features.spotlight import SpotlightFeature
from bot.i18n import Translator, load_catalogs
from bot.kit import Kit
from bot.locales.dashboard import MESSAGES
from bot.scheduling import TriggerMath


def install(kit: Kit, store: DashboardStore, peers: Peers) -> Dashboard | None:
    if not kit.config.dashboard.enabled:
        return None
    access = Access(kit, store)
    DashboardCommands(kit, access, store).install()
    stored = StoredPages(store.snapshots, lambda: kit.config)
    snapshots = Snapshots(lambda: kit.config.dashboard.refresh, stored, kit.leases.leases)
    kit.personal_data.register("dashboard", _Forget(store.snapshots, snapshots))
    kit.lifecycle.on_stop(snapshots.stop)
    spotlight = peers.get("spotlight")
    next_pick = None
    if isinstance(spotlight, SpotlightFeature):
        service = spotlight.spotlight

        async def next_pick(now: datetime) -> str | None:
            upcoming = await service.upcoming(now)
            return None if upcoming is None else upcoming[0]

    translators = Translators(kit.tz)
    figures = ReportPageFigures(kit, store, translators, next_pick)
    return Dashboard(kit, access, figures, snapshots, translators)


class _Forget:
    """A forgotten member may be named in any page's snapshot: all of them go, stored and held."""

    def __init__(self, store: SnapshotStore, snapshots: Snapshots) -> None:
        self.store = store
        self.snapshots = snapshots

    async def export_member(self, member_id: str) -> dict[str, object]:
        return {}  # figures derived from what the other features export

    async def erase_member(self, member_id: str) -> None:
        self.snapshots.forget()
        await self.store.erase_member(member_id)


def config_problems(config: PleinConfig, cron: TriggerMath) -> list[str]:
    section = config.dashboard
    if not section.enabled:
        return []
    t = Translator(config.community.language, load_catalogs([("dashboard", MESSAGES)]))
    problems = []
    if section.discord_client_id is not None:
        if section.discord_client_secret is None:
            problems.append(
                f"dashboard.discord_client_secret: {t('check.dashboard.discord_secret')}"
            )
        if config.discord.guild_id is None:
            problems.append(f"discord.guild_id: {t('check.dashboard.discord_guild')}")
    if section.slack_client_id is not None:
        if section.slack_client_secret is None:
            problems.append(f"dashboard.slack_client_secret: {t('check.dashboard.slack_secret')}")
        if config.slack.bot_token is None:
            problems.append(f"slack.bot_token: {t('check.dashboard.slack_bot_token')}")
    return problems


MANIFEST: FeatureManifest[DashboardStore] = FeatureManifest(
    name="dashboard",
    section="dashboard",
    config_model=DashboardConfig,
    messages=MESSAGES,
    install=install,
    config_problems=config_problems,
    needs=("spotlight",),
)
