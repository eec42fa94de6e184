"""Six weeks of a console community that existed before Plein, with a restart and two days of
downtime in the middle: the weekly report must read sensibly and every figure add up.

Set PLEIN_SIMULATION_OUT to a file path to keep the last weekly report's text (and the chart's
path) for reading.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.console import ConsoleAdapter
from bot.app import Plein
from tests.support import ConsoleRun

START = datetime.fromisoformat("2026-03-23T08:00:00+01:00")  # a Monday
OLD_MEMBERS = "members anna:400d bob:300d carla:200d dirk:100d eva:50d"
NEWCOMERS = [["fleur", "gijs"], ["hanna"], ["ivo", "jan"], ["kim"], ["lot"], ["mo"]]
ANSWER_DELAY = ["3h", "1h", None, "30m", "5h", "2h"]
"""How long this week's help question waits for anna's answer (None: nobody answers)."""


def write(path: str, text: str, *, append: bool = False) -> None:
    with Path(path).open("a" if append else "w", encoding="utf-8") as out:
        out.write(text)


def head(path: str) -> bytes:
    return Path(path).read_bytes()[:8]


class Community:
    """Drives the real app line by line (like `plein run --script`) and remembers message refs."""

    def __init__(self, run: ConsoleRun) -> None:
        self.run = run
        self.outputs: list[str] = []
        self.plein: Plein | None = None
        self.adapter: ConsoleAdapter | None = None
        self.lines = 0

    async def start(self, at: datetime) -> None:
        self.plein, self.adapter, out = await self.run.start(at)
        self.adapter.host = self.plein
        self._out = out
        await self.plein.ready()

    async def stop(self) -> None:
        assert self.plein is not None and self.adapter is not None
        await self.plein.flush()
        self.adapter.state.save(self.run.state_path)
        await self.plein.close()
        self.outputs.append(self._out.getvalue())

    async def say(self, raw: str) -> str:
        """Run one script line; returns the ref of the newest message by its author."""
        assert self.adapter is not None
        self.lines += 1
        await self.adapter.handle_line(raw, self.lines)
        author = raw.split(":")[0].split()[0].lower()
        mine = [
            int(ref) for ref, m in self.adapter.state.messages.items() if m.author.lower() == author
        ]
        return str(max(mine)) if mine else ""

    def printed(self) -> list[dict[str, Any]]:
        text = "".join(self.outputs)
        return [json.loads(line) for line in text.splitlines() if line.strip()]


async def week(c: Community, number: int) -> None:
    """One week from Monday 08:00 to the next Monday 08:00."""
    firsts = []
    for name in NEWCOMERS[number]:
        await c.say(f"join {name}")
        firsts.append((name, await c.say(f"{name}: hallo allemaal, ik ben {name}")))
    await c.say("wait 1h")
    for i, (name, ref) in enumerate(firsts):
        if number == 2 and i == 0:
            continue  # nobody welcomes ivo: his first post waits
        helper = "anna" if i == 0 else "bob"
        welcome = await c.say(f"{helper} replies {ref}: welkom {name}!")
        thanks = await c.say(f"{name} replies {welcome}: dank je!")
        await c.say(f"{helper} reacts {thanks} 👍")
    question = await c.say("dirk #vragen: weet iemand waar de werkdag begint?")
    delay = ANSWER_DELAY[number]
    if delay is not None:
        await c.say(f"wait {delay}")
        await c.say(f"anna replies {question}: bij het bezoekerscentrum")
    await c.say("wait 1d")
    # Regulars, and newcomers of earlier weeks who stay around (not everyone does).
    post = await c.say("bob: wie gaat er zaterdag mee vogels kijken")
    await c.say(f"carla reacts {post} 🐦")
    await c.say(f"eva replies {post}: ik ga mee")
    stayers = ["fleur", "hanna", "jan"][: max(0, number)]
    for name in stayers:
        await c.say(f"{name} reacts {post} 👍")
    await c.say("wait 2d")
    await c.say("carla: foto's van de wandeling staan in het album")
    remaining = START + timedelta(weeks=number + 1) - c.plein.kit.clock.now()  # type: ignore[union-attr]
    await c.say(f"wait {int(remaining.total_seconds())}s")


async def test_six_weeks_of_a_community_read_sensibly(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__MANAGERS"] = '["anna"]'
    c = Community(console)
    await c.start(START)
    await c.say(OLD_MEMBERS)
    for number in range(3):
        await week(c, number)
    await c.stop()
    # Two days of downtime at the start of week 4: its Monday report goes out late, once.
    await c.start(START + timedelta(weeks=3, days=2))
    for number in range(3, 6):
        await week(c, number)
    await c.say("wait 2h")  # past Monday 09:00: the sixth weekly report
    await c.say("anna: /report")
    await c.stop()

    printed = c.printed()
    keep = os.environ.get("PLEIN_SIMULATION_OUT")
    weekly_all = [
        p
        for p in printed
        if p.get("action") == "post"
        and p.get("channel") == "bestuur"
        and "Weekrapport" in p["text"]
    ]
    if keep:
        write(keep, "\n\n".join(w["text"] for w in weekly_all) + "\n")
    errors = [
        p
        for p in printed
        if p.get("action") == "error" or "ging bij mij iets mis" in p.get("text", "")
    ]
    assert errors == []
    weekly = [
        p
        for p in printed
        if p.get("action") == "post"
        and p.get("channel") == "bestuur"
        and "Weekrapport" in p["text"]
    ]
    assert len(weekly) == 7  # the first Monday, five more, and week 4's sent late after downtime
    last = weekly[-1]["text"]
    # Week 6 (Mon 27 Apr - Sun 3 May): mo joined and got a reply within the hour, dirk's
    # question got anna's answer after 2 hours.
    assert "Snelle antwoorden: 2 van 2" in last
    assert "Verbindingen:" in last and "nieuwkomers binnen twee weken verbonden: 1 van 1" in last
    assert "Helpen nieuwkomers het meest: @anna" in last
    assert "Nieuwkomers nog actief: na 1 week" in last
    assert "✅ Vragen binnen 4 uur beantwoord: 100% van 80% per week - op koers" in last
    # Week 3: ivo's first post and dirk's question were never answered: one nudge each time.
    nudges = [
        p
        for p in printed
        if "wacht nog op antwoord" in p.get("text", "")
        or "wachten nog op antwoord" in p.get("text", "")
    ]
    assert len([n for n in nudges if "@ivo" in n["text"]]) == 1
    assert len([n for n in nudges if "@dirk vroeg" in n["text"]]) == 2  # weeks 3 and 5 (5h)
    week3 = weekly[3]["text"]
    # the two asks that waited before, and now also the calendar's question prompt that nobody
    # answered (calendar prompts are asks too)
    assert "Wachten nog op een reactie: 3" in week3
    chart = weekly[-1]["files"][0]
    assert head(chart) == b"\x89PNG\r\n\x1a\n"
    if keep:
        write(keep, f"\n[chart] {chart}\n", append=True)
