"""Everything a feature may use, handed to its `install` by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.commands import CommandRegistry
from bot.config import PleinConfig
from bot.conversations import Conversations
from bot.dispatcher import Dispatcher
from bot.gateway import Outbox
from bot.health import Health
from bot.i18n import Translator
from bot.leases import LeaseBoard
from bot.lifecycle import Lifecycle
from bot.members import MemberStore
from bot.metrics import Metrics, NoMetrics
from bot.personal_data import PersonalDataRegistry
from bot.profile import ProfileSections
from bot.reload import Reloads
from bot.scheduling import Jobs, TriggerMath
from bot.signals import Signals


@dataclass(frozen=True)
class Kit:
    config: PleinConfig
    clock: Clock
    t: Translator
    outbox: Outbox
    dispatcher: Dispatcher
    commands: CommandRegistry
    jobs: Jobs
    cron: TriggerMath
    members: MemberStore
    signals: Signals
    personal_data: PersonalDataRegistry
    lifecycle: Lifecycle
    profile: ProfileSections
    reloads: Reloads
    """Config sections a feature can apply live register here (SIGHUP reloads the file)."""
    conversations: Conversations
    """Features with open questions by DM register here; core answers the unclaimed DMs."""
    leases: LeaseBoard
    """Due work any process may run and one finishes: `kit.leases.work(kind, perform)`."""
    reload_config: Callable[[], PleinConfig] | None = None
    """Re-reads the config file (the calendar's reload command); None when there is no file."""
    metrics: Metrics = field(default_factory=NoMetrics)
    """Counters and histograms for /metrics (a no-op without a web port)."""
    health: Health = field(default_factory=Health)
    """Readiness checks for /readyz; a part that can get stuck adds its own."""

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.config.community.timezone)

    def is_manager(self, member_id: str, *, username: str | None = None) -> bool:
        """Config-listed managers, by what is unique per platform: the member id (full or bare;
        a console name is its id) or a platform's unique `username` (Discord's user name).
        Never a display name: on Discord or Slack anyone may call themselves "anna" or even a
        manager's id. Adapters add platform roles when they build the Actor."""
        handles = set(self.config.community.managers)
        bare = member_id.split(":", 1)[-1]
        return (
            member_id in handles
            or bare in handles
            or (username is not None and username in handles)
        )
