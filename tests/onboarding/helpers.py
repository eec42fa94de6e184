"""Service-level harness: the real app (real SQLite, ManualClock) on a recording gateway."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.actions import DM_CLOSED, Action, Delivery, SendDM
from bot.app import Plein, build
from bot.clock import ManualClock
from bot.config import parse_config
from bot.events import Member

START = datetime.fromisoformat("2026-03-23T08:00:00+01:00")

BASE = """
[community]
name = "De Groene Ring"
mission = "Samen voor de natuur"
language = "en"
timezone = "Europe/Amsterdam"
managers = ["mia"]
welcome_channel = "welkom"

[onboarding]
welcome = "Welcome {member} to {community}!"
rules = ["Be kind.", "Share what you know."]
require_rules_acceptance = true
member_role = "Member"
newcomer_role = "Newcomer"
intro_channel = "intros"
questions = [
  { id = "city", text = "Where do you live?" },
  { id = "interest", text = "What do you like most?", choices = ["Birds", "Plants"] },
  { id = "hope", text = "What do you hope to find?", required = false, public = false },
]
followups = [
  { after = "7d", text = "A week already, {member}!", only_if = "not_posted" },
  { after = "30d", text = "A month, {member}!" },
]
quiet_hours = { start = "21:00", end = "09:00" }
followup_grace = "1d"
dm_per_minute = 3

# Only onboarding speaks in these tests.
[calendar]
enabled = false
[polls]
enabled = false
[recognition]
enabled = false
[spotlight]
enabled = false
[report]
enabled = false
"""


@dataclass
class Recorder:
    """A Gateway that records every action and pretends the platform took it."""

    name: str = "test"
    actions: list[Action] = field(default_factory=list)
    at: list[datetime] = field(default_factory=list)
    closed_dms: set[str] = field(default_factory=set)
    clock: ManualClock | None = None

    async def perform(self, action: Action) -> Delivery:
        if isinstance(action, SendDM) and action.member in self.closed_dms:
            return Delivery(ok=False, reason=DM_CLOSED)
        self.actions.append(action)
        self.at.append(self.clock.now() if self.clock else START)
        return Delivery(ref=str(len(self.actions)))

    def mention(self, member_id: str) -> str:
        return "@" + member_id.split(":", 1)[-1]

    def channel_mention(self, channel: str) -> str:
        return "#" + channel

    async def resolve_member(self, token: str) -> Member | None:
        name = token.removeprefix("@")
        return Member(f"test:{name}", name)

    async def run(self, plein: Plein) -> None:
        await plein.ready()

    async def stop(self) -> None:
        pass

    def take(self) -> list[Action]:
        out, self.actions, self.at = self.actions, [], []
        return out


def member(name: str) -> Member:
    return Member(f"test:{name}", name)


async def start_app(
    storage: str | Path, config_text: str = BASE, start: datetime = START
) -> tuple[Plein, Recorder, ManualClock]:
    """The app on `storage`: a storage URL (the `storage_url` fixture) or a SQLite file."""
    url = storage if isinstance(storage, str) else f"sqlite:///{storage}"
    config = parse_config(config_text, "<test>", {"PLEIN_STORAGE__URL": url})
    clock = ManualClock(start)
    recorder = Recorder(clock=clock)
    plein = await build(config, recorder, clock=clock)
    await plein.ready()
    return plein, recorder, clock
