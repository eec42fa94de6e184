"""The optional interview: a few days before the spotlight the chosen member gets 2-3 questions.

The pick is made (and the week claimed as 'chosen') when the interview goes out; the member can
answer in a form, skip the questions, or decline the spotlight (another member is then picked).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot.actions import Action, Choice, Form, FormField, OpenForm, Reply, SendDM, Style
from bot.events import ChoicePicked, FormSubmitted
from bot.features.spotlight.service import SpotlightService
from bot.kit import Kit

LAST_MOMENT = timedelta(hours=1)
"""Closer to the spotlight than this, nobody is interviewed (the pick happens at posting)."""


class Interview:
    def __init__(self, kit: Kit, spotlight: SpotlightService) -> None:
        self.kit = kit
        self.spotlight = spotlight
        self.store = spotlight.store
        self.cfg = kit.config.spotlight

    def _upcoming(self, now: datetime) -> tuple[datetime, date] | None:
        fire = self.kit.cron.next_fire(self.cfg.when, now)
        if fire is None:
            return None
        return fire, self.spotlight.week(fire)

    async def next_due(self) -> datetime | None:
        upcoming = self._upcoming(self.kit.clock.now())
        if upcoming is None:
            return None
        fire, week = upcoming
        if await self.store.has_claim("interview", week.isoformat()):
            return None
        return fire - self.cfg.interview_lead

    async def run_due(self, now: datetime) -> None:
        upcoming = self._upcoming(now)
        if upcoming is None:
            return
        fire, week = upcoming
        if fire - self.cfg.interview_lead > now:
            return
        if not await self.store.claim("interview", week.isoformat(), now):
            return
        if fire - now < LAST_MOMENT or await self.store.run_for(week) is not None:
            return
        pick = await self.spotlight.pick(week, now)
        if pick is None:
            return
        if not await self.store.claim_week(week, pick.member_id, "chosen", now, "asked"):
            return
        t = self.kit.t
        questions = "\n".join(f"• {q}" for q in self.spotlight.questions())
        delivery = await self.kit.outbox.send(
            SendDM(
                member=pick.member_id,
                text=t(
                    "spotlight.interview.ask",
                    community=self.kit.config.community.name,
                    day=t.weekday(fire),
                    time=t.time(fire),
                    questions=questions,
                ),
                choices=(
                    Choice(
                        f"spotlight:answer:{week}", t("spotlight.interview.answer"), Style.PRIMARY
                    ),
                    Choice(f"spotlight:skip:{week}", t("spotlight.interview.skip")),
                    Choice(f"spotlight:decline:{week}", t("spotlight.interview.decline")),
                ),
            )
        )
        if not delivery.ok:
            await self.store.set_interview(week, "none")

    async def on_choice(self, event: ChoicePicked) -> Sequence[Action]:
        t = self.kit.t
        _, verb, week_text = (event.choice_id.split(":", 2) + ["", ""])[:3]
        reply = Reply(interaction=event.interaction.id, text="")
        try:
            week = date.fromisoformat(week_text)
        except ValueError:
            return []
        refusal = await self._refusal(week, event.actor.id)
        if refusal is not None:
            return [_text(reply, t(refusal))]
        if verb == "answer":
            fields = tuple(
                FormField(id=f"q{i}", label=q[:45], required=False, multiline=True, max_length=600)
                for i, q in enumerate(self.spotlight.questions())
            )
            form = Form(
                id=f"spotlight:{week}", title=t("spotlight.interview.form_title"), fields=fields
            )
            return [OpenForm(interaction=event.interaction.id, member=event.actor.id, form=form)]
        if verb == "skip":
            await self.store.set_interview(week, "skipped")
            return [_text(reply, t("spotlight.interview.skipped"))]
        if verb == "decline":
            await self.store.decline(week, event.actor.id)
            return [_text(reply, t("spotlight.interview.declined"))]
        return []

    async def _refusal(self, week: date, member_id: str) -> str | None:
        """The message key refusing this member's interview answer for `week`, or None."""
        run = await self.store.run_for(week)
        if run is None or run.member_id != member_id:
            return "spotlight.interview.not_yours"
        if run.status != "chosen":
            return "spotlight.interview.too_late"
        return None

    async def on_form(self, event: FormSubmitted) -> Sequence[Action]:
        t = self.kit.t
        reply = Reply(interaction=event.interaction.id, text="")
        try:
            week = date.fromisoformat(event.form_id.split(":", 1)[1])
        except (IndexError, ValueError):
            return []
        refusal = await self._refusal(week, event.actor.id)
        if refusal is not None:
            return [_text(reply, t(refusal))]
        answers = [
            str(event.values.get(f"q{i}", "")).strip()
            for i in range(len(self.spotlight.questions()))
        ]
        await self.store.save_answers(week, answers)
        return [_text(reply, t("spotlight.interview.thanks"))]


def _text(reply: Reply, text: str) -> Reply:
    return Reply(interaction=reply.interaction, text=text)
