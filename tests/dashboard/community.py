"""A community with history for the dashboard tests: members joined weeks ago, talked, one left;
then Plein restarts with its web port on and the dashboard served.

Known figures at NOW (Monday 23 March 2026, 08:00 Amsterdam; the week is 17-23 March):
- present: anna, bram, carla, daan, eva, finn, gijs (joined 2 March), ivo, joke (joined 20
  March) = 9; hanna joined 2 March and left on 20 March;
- new this week: ivo and joke = 2;
- active this week (posted): bram, carla, gijs, ivo = 4, so 44.4% of 9;
- gijs opted out of the spotlight: never named on the dashboard.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.console import ConsoleAdapter
from bot.app import Plein, build
from bot.clock import ManualClock
from bot.web_port import WebPort
from tests.report.seed import seed
from tests.support import EXAMPLE_START, ConsoleRun, config_from

NOW = datetime.fromisoformat(EXAMPLE_START)
BEFORE = "2026-03-02T09:00:00+01:00"
THIS_WEEK = "2026-03-20T09:00:00+01:00"
HOSTILE = '<script>document.title="owned"</script><b>bold</b>'

FIRST_WEEKS = """
join anna
join bram
join carla
join daan
join eva
join finn
join gijs
join hanna
anna: Welkom allemaal in de vereniging!
wait 1d
"""

LAST_DAYS = """
join ivo
join joke
bram: Goedemorgen!
carla: Wie gaat er mee naar de Singel?
gijs: Ik!
ivo: Hallo, ik ben nieuw hier.
bram #vragen: Waar liggen de verrekijkers?
gijs #vragen: Wie heeft de sleutel van het hek?
wait 1h
bram replies 18: Welkom ivo!
ivo replies 24: Dank je!
gijs reacts 18 👋
wait 2h
carla replies 19: In de schuur.
leave hanna
wait 1h
"""
"""Message refs are the console's: ivo's first post is #18, bram's question #19 (answered by
carla after 3 hours), gijs's question #20 (never answered); reminders from Plein take #21-#23, so bram's welcome to
ivo is #24."""

EXPECTED = {"members": 9, "new": 2, "active": 4, "share": "44,4%"}
HEALTH = {
    # (due, answered within 4h, still waiting): bram's and gijs's questions; the first posts of
    # bram, carla, gijs and ivo (bram, carla and gijs joined on 2 March: still newcomers).
    "question": (2, 1, 1),
    "first_post": (4, 1, 3),
    "all": (6, 2, 4),
    "median": "2 uur",  # of 3 hours (bram's question) and 1 hour (ivo's first post)
    "two_way": "2",  # bram and ivo replied to each other
    "connected": "1 van 2 (50%)",  # ivo, not joke
    "helpers": ["console:bram", "console:carla", "console:ivo"],  # gijs reacted but opted out
}


@dataclass
class DashboardCommunity:
    plein: Plein
    web: WebPort
    port: int
    db_path: Path
    closed: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dashboard"

    async def link(self) -> str:
        """What `plein dashboard link` prints, minus its first line."""
        dashboard = self.plein.features["dashboard"]
        token = await dashboard.access.new_link(self.plein.kit.clock.now())
        return f"{self.url}/link/{token}"

    def advance(self, delta: timedelta) -> None:
        clock = self.plein.kit.clock
        assert isinstance(clock, ManualClock)
        clock.set(clock.now() + delta)

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        await self.web.stop()
        await self.plein.close()


async def make_history(db_path: Path, env: dict[str, str]) -> None:
    run = ConsoleRun(db_path=db_path, json=False, env=env)
    for script, start in ((FIRST_WEEKS, BEFORE), (LAST_DAYS, THIS_WEEK)):
        out = await run.run(script, start=start)
        assert not [line for line in out if line.startswith("[error]")], out


async def seed_extras(plein: Plein) -> None:
    """What the console script cannot make quickly: stories, preferences, roles, polls."""
    db = plein.db
    at = NOW.astimezone(UTC)
    await seed_polls_and_calendar(plein)
    gijs = "console:gijs"
    await seed(db, "spotlight_prefs", [{"member_id": gijs, "choice": "out", "at": at}])
    await seed(
        db,
        "stories",
        [
            {
                "title": "De eerste excursie",
                "text": "We liepen om zes uur langs de Singel.",
                "created_at": at - timedelta(days=3),
                "status": "approved",
            },
            {
                "title": "Onveilig?",
                "text": HOSTILE,
                "created_at": at - timedelta(days=2),
                "status": "approved",
            },
        ],
    )
    await seed(
        db,
        "member_roles",
        [
            {
                "member_id": "console:carla",
                "role": "gastvrouw",
                "status": "pending",
                "requested_at": at - timedelta(days=1),
            },
            {
                "member_id": gijs,
                "role": "fotograaf",
                "status": "pending",
                "requested_at": at - timedelta(days=1),
            },
        ],
    )


async def seed_polls_and_calendar(plein: Plein) -> None:
    db = plein.db
    at = NOW.astimezone(UTC)
    poll = {"channel": "algemeen", "max_choices": 1, "live_results": True, "allow_add": False}
    await seed(
        db,
        "polls",
        [
            {
                **poll,
                "id": 1,
                "kind": "poll",
                "question": "Welke nestkast eerst?",
                "anonymous": False,
                "created_at": at - timedelta(days=1),
                "closes_at": at + timedelta(days=2),
            },
            {
                **poll,
                "id": 2,
                "kind": "stelling",
                "question": "Katten 's nachts binnen?",
                "anonymous": True,
                "created_at": at - timedelta(days=9),
                "closes_at": at - timedelta(days=2),
                "closed_at": at - timedelta(days=2),
            },
        ],
    )
    await seed(
        db,
        "poll_options",
        [
            {"poll_id": 1, "position": 0, "label": "Mezenkast"},
            {"poll_id": 1, "position": 1, "label": "Uilenkast"},
            {"poll_id": 2, "position": 0, "label": "Eens"},
            {"poll_id": 2, "position": 1, "label": "Oneens"},
        ],
    )
    voters = [
        (1, "console:bram", 0),
        (1, "console:carla", 0),
        (1, "console:ivo", 1),
        (2, "console:anna", 0),
        (2, "console:daan", 1),
        (2, "console:eva", 1),
    ]
    await seed(
        db,
        "poll_ballots",
        [
            {
                "id": i,
                "poll_id": poll_id,
                "voter_key": member,
                "member_id": member,
                "first_at": at - timedelta(hours=5),
                "updated_at": at - timedelta(hours=5),
            }
            for i, (poll_id, member, _) in enumerate(voters, start=1)
        ],
    )
    await seed(
        db,
        "poll_votes",
        [
            {
                "ballot_id": i,
                "slot": 0,
                "poll_id": poll_id,
                "position": position,
                "cast_at": at - timedelta(hours=5),
            }
            for i, (poll_id, _, position) in enumerate(voters, start=1)
        ],
    )
    occurrence = {"status": "planned", "planned_at": at - timedelta(days=7)}
    await seed(
        db,
        "calendar_occurrences",
        [
            {
                **occurrence,
                "id": 101,
                "slot_key": "wo",
                "scheduled_at": at + timedelta(days=2),
                "theme": "Groen in de wijk",
                "prompt_type": "question",
            },
            {
                **occurrence,
                "id": 102,
                "slot_key": "za",
                "scheduled_at": at + timedelta(days=5),
                "theme": "Oud thema",
                "prompt_type": "event",
            },
            {
                **occurrence,
                "id": 103,
                "slot_key": "wo",
                "scheduled_at": at - timedelta(days=5),
                "theme": "Vogels in de stad",
                "prompt_type": "question",
                "status": "posted",
                "posted_at": at - timedelta(days=5),
            },
        ],
    )
    await seed(
        db,
        "calendar_replies",
        [
            {"occurrence_id": 103, "member_id": m, "message_ref": f"r{m}", "at": at}
            for m in ("console:bram", "console:carla")
        ],
    )


async def start_dashboard(
    db_path: Path, env: dict[str, str], seed: Callable[[Plein], Awaitable[None]] | None = None
) -> DashboardCommunity:
    """`seed` adds to the community before the web port starts: the dashboard computes its
    figures from then on."""
    config = config_from(db_path=db_path, PLEIN_WEB__ENABLED="true", PLEIN_WEB__PORT="0", **env)
    adapter = ConsoleAdapter(config, lines=[], out=io.StringIO(), json_output=True)
    plein = await build(config, adapter, clock=ManualClock(NOW))
    if seed is not None:
        await seed(plein)
    web = WebPort.for_config(config, "console")
    assert web is not None
    port = await web.start(plein)
    return DashboardCommunity(plein, web, port, db_path)
