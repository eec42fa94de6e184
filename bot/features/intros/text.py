"""What an introduction says: who, why they were matched, and something to start with."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from bot.config.calendar import Theme
from bot.features.intros.pairing import Group
from bot.gateway import Outbox
from bot.i18n import Translator


class IntroText:
    def __init__(self, t: Translator, outbox: Outbox, themes: Sequence[Theme]) -> None:
        self.t = t
        self.outbox = outbox
        self.themes = themes

    def names(self, members: Sequence[str]) -> str:
        items = [self.outbox.mention(m) for m in members]
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('intros.and')} {items[-1]}"

    def reason(self, group: Group, newcomers: Sequence[str]) -> str:
        size = len(group.members)
        if group.shared:
            things = ", ".join(group.shared)
            key = "intros.reason.shared" if size == 2 else "intros.reason.shared_all"
            return self.t(key, things=things)
        fresh = [m for m in group.members if m in newcomers]
        settled = [m for m in group.members if m not in newcomers]
        if fresh and settled:
            return self.t(
                "intros.reason.newcomer", newcomer=self.names(fresh), member=self.names(settled)
            )
        return self.t("intros.reason.new")

    def starter(self, group: Group, seed: int) -> str:
        """A question from the calendar's themes, preferring a theme the group shares."""
        shared = {s.lower() for s in group.shared}
        themed = [t for t in self.themes if t.name.lower() in shared] or list(self.themes)
        questions = [p.text.strip() for t in themed for p in t.prompts if p.type == "question"]
        if not questions:
            questions = [
                p.text.strip() for t in self.themes for p in t.prompts if p.type == "question"
            ]
        rng = random.Random(f"{seed}:{','.join(group.members)}")
        if questions:
            return rng.choice(questions)
        return self.t(f"intros.starter.{rng.randrange(3)}")

    def introduction(self, group: Group, newcomers: Sequence[str], seed: int) -> str:
        return self.t(
            "intros.introduction",
            names=self.names(group.members),
            reason=self.reason(group, newcomers),
            starter=self.starter(group, seed),
        )

    def when(self, moment: datetime) -> str:
        return self.t.datetime(moment)
