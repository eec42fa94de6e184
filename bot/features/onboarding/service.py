"""The first contact moment: claim the welcome once per join, queue it, send it at a safe rate."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.actions import Action, AddRole, Choice, PostMessage, SendDM
from bot.features.onboarding.followups import Followups
from bot.features.onboarding.messages import Texts
from bot.features.onboarding.ports import (
    WELCOME_CLAIM,
    OnboardingState,
    OnboardingStore,
    QueuedWelcome,
)
from bot.kit import Kit
from bot.leases import Lease
from bot.signals import MemberArrived

log = logging.getLogger("plein.onboarding")

QUEUE = "onboarding.queue"
RATE_WINDOW = timedelta(minutes=1)
WELCOME = "welcome"
WELCOME_BACK = "welcome_back"


class OnboardingService:
    def __init__(self, kit: Kit, store: OnboardingStore, followups: Followups) -> None:
        self.kit = kit
        self.store = store
        self.config = kit.config.onboarding
        self.texts = Texts(self.config, kit.t)
        self.followups = followups
        self.welcomes = kit.leases.work(
            WELCOME_CLAIM,
            self._send_welcome,
            claim=lambda key, now: store.claim_queued(int(key), now),
        )
        """Each queued welcome is sent by one process; a dead sender's is taken over."""
        self.welcome_extras: list[Choice] = []
        """Buttons other features add to the welcome (intros: 'introduce me')."""
        self._rule_sources: list[Callable[[], Awaitable[list[str]]]] = []

    def add_welcome_choice(self, choice: Choice) -> None:
        self.welcome_extras.append(choice)

    def add_rules_source(self, source: Callable[[], Awaitable[list[str]]]) -> None:
        """Groundrules kept elsewhere (rules adopted with /rules) join the configured ones."""
        self._rule_sources.append(source)

    async def extra_rules(self) -> list[str]:
        return [line for source in self._rule_sources for line in await source()]

    # -- arrival ----------------------------------------------------------------------------

    async def on_arrived(self, arrived: MemberArrived) -> None:
        if arrived.already_present:
            return  # the platform replayed a join: the member was welcomed already
        if not arrived.welcome:
            return  # joined while Plein was offline, longer ago than catch_up_window
        kind = WELCOME
        if not arrived.first_time:
            if self.config.rejoin == "none":
                return
            kind = WELCOME_BACK if self.config.rejoin == "welcome_back" else WELCOME
        claimed = await self.store.claim_welcome(
            arrived.member_id, arrived.join_count, kind, arrived.at
        )
        if not claimed:
            return
        if kind == WELCOME:
            await self.followups.schedule(arrived.member_id, arrived.at)
        await self.drain(self.kit.clock.now())
        self.kit.jobs.poke(QUEUE)

    # -- the throttled queue ------------------------------------------------------------------

    async def queue_next_due(self) -> datetime | None:
        waiting = await self.store.queued(1)
        if not waiting:
            return None
        now = self.kit.clock.now()
        sent = await self.store.sent_since(now - RATE_WINDOW)
        rate = self.config.dm_per_minute
        if len(sent) < rate:
            return waiting[0].enqueued_at
        return sent[len(sent) - rate] + RATE_WINDOW

    async def drain(self, now: datetime) -> None:
        """Send as many queued welcomes as the rate allows right now."""
        rate = self.config.dm_per_minute
        room = rate - len(await self.store.sent_since(now - RATE_WINDOW))
        if room <= 0:
            return
        for item in await self.store.queued(room):
            await self.welcomes.run(str(item.id), now)

    async def _send_welcome(self, key: str, lease: Lease, now: datetime) -> None:
        item = await self.store.queued_item(int(key))
        if item is None:
            return
        actions = await self.welcome_actions(item)
        if actions:
            await self.kit.leases.send(self.kit.outbox, actions, lease)

    # -- what a welcome consists of -------------------------------------------------------------

    async def welcome_actions(self, item: QueuedWelcome) -> list[Action]:
        member = await self.kit.members.get(item.member_id)
        if member is None or member.left_at is not None:
            return []  # left while waiting in the queue
        state = await self.store.state(item.member_id)
        actions: list[Action] = self._join_roles(item.member_id, state)
        if item.kind == WELCOME_BACK:
            text = await self.render_welcome(item.member_id, back=True)
            return [*actions, self._deliver(item.member_id, text, [])]
        answers = await self.store.answers(item.member_id)
        first = self.first_open_question(answers)
        await self.store.set_question_pos(item.member_id, first)
        accepted = state is not None and state.rules_accepted_at is not None
        text, choices = await self.welcome_message(
            item.member_id,
            ask_acceptance=self.config.require_rules_acceptance and not accepted,
            first_question=first,
            inline_question=self.config.deliver == "dm",
        )
        actions.append(self._deliver(item.member_id, text, choices))
        if first is not None and self.config.deliver == "channel":
            actions.append(self.question_dm(item.member_id, first))
        return actions

    def _join_roles(self, member_id: str, state: OnboardingState | None) -> list[Action]:
        accepted = state is not None and state.rules_accepted_at is not None
        actions: list[Action] = []
        if self.config.newcomer_role and not accepted:
            actions.append(
                AddRole(member=member_id, role=self.config.newcomer_role, reason="onboarding")
            )
        if self.config.member_role and (accepted or not self.config.require_rules_acceptance):
            # Platforms drop roles when a member leaves: a returning member gets theirs back.
            actions.append(
                AddRole(member=member_id, role=self.config.member_role, reason="onboarding")
            )
        return actions

    def _deliver(self, member_id: str, text: str, choices: list[Choice]) -> Action:
        channel = self.kit.config.community.welcome_channel
        if self.config.deliver == "channel":
            mention = self.kit.outbox.mention(member_id)
            body = text if mention in text else f"{mention} {text}"
            return PostMessage(channel=channel, text=body, choices=tuple(choices))
        return SendDM(member=member_id, text=text, choices=tuple(choices), fallback_channel=channel)

    async def render_welcome(self, member_id: str, *, back: bool = False) -> str:
        community = self.kit.config.community
        if back:
            template = self.config.welcome_back or self.kit.t("onboarding.welcome_back.default")
        else:
            template = self.config.welcome or self.kit.t("onboarding.welcome.default")
        return template.format(
            member=self.kit.outbox.mention(member_id),
            community=community.name,
            mission=community.mission,
            member_count=await self.kit.members.count_present(),
        )

    async def welcome_message(
        self,
        member_id: str,
        *,
        ask_acceptance: bool,
        first_question: int | None,
        inline_question: bool,
    ) -> tuple[str, list[Choice]]:
        """Welcome + groundrules (+ accept button) + the first open question, as one message."""
        t = self.kit.t
        parts = [await self.render_welcome(member_id)]
        rules = self.texts.rules_block(
            ask_acceptance=ask_acceptance, extra=await self.extra_rules()
        )
        if rules:
            parts.append(rules)
        choices = self.texts.welcome_choices(
            ask_acceptance=ask_acceptance, offer_form=first_question is not None
        ) + list(self.welcome_extras)
        if first_question is not None and inline_question:
            parts.append(
                t("onboarding.questions.intro", count=len(self.config.questions))
                + "\n"
                + self.texts.question_text(first_question)
            )
            choices = self.texts.question_choices(first_question) + choices
        return "\n\n".join(parts), choices

    def first_open_question(self, answers: dict[str, str | None]) -> int | None:
        for pos, question in enumerate(self.config.questions):
            if question.id not in answers:
                return pos
        return None

    def question_dm(self, member_id: str, pos: int) -> SendDM:
        return SendDM(
            member=member_id,
            text=self.texts.question_text(pos),
            choices=tuple(self.texts.question_choices(pos)),
        )

    # -- for other features (spotlight, report) -------------------------------------------------

    async def public_answers(self, member_id: str) -> dict[str, str]:
        """Question text -> answer, public questions only (spotlights quote these)."""
        answers = await self.store.answers(member_id)
        return {
            q.text: answer
            for q in self.config.questions
            if q.public and (answer := answers.get(q.id))
        }

    async def answer_counts(self, question_id: str) -> dict[str, int]:
        """Answer -> number of present members who gave it (reports: personas, interests)."""
        return await self.store.answer_counts(question_id)
