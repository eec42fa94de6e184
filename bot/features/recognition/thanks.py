"""Thanks in plain words: a message that mentions members with a thanks word, or a kudos_emoji
reaction on someone's message, counts as kudos from the author (or reactor) to each of them.

The same rules as /kudos, decided by the database in the same conditional insert: the giver's
daily quota, the pair cooldown, never oneself, never a bot, only known members. Plein confirms with
a quiet reaction on the message and sends nothing else; a refusal is silent (the member did not ask
for kudos, they said thanks). The text is read here and dropped: the kudos row has no reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.actions import Action, React
from bot.events import MessagePosted, ReactionAdded
from bot.features.recognition.levels import Ladder
from bot.features.recognition.periods import LocalDays
from bot.features.recognition.ports import KudosRefused, RecognitionStore
from bot.kit import Kit
from bot.signals import ContributionKind

DEFAULT_THANKS_WORDS: dict[str, tuple[str, ...]] = {
    "nl": (
        "bedankt",
        "dank je",
        "dank jullie",
        "dankjewel",
        "dankjulliewel",
        "dank u",
        "dankuwel",
        "veel dank",
        "merci",
        "thanks",
        "🙏",
        "🌻",
    ),
    "en": ("thanks", "thank you", "thank u", "thx", "many thanks", "🙏", "🌻"),
}


class ThanksWords:
    """Finds a thanks word in a text: words whole and case-blind ("dank" is not in "dankbaar"),
    emoji anywhere."""

    def __init__(self, words: Iterable[str]) -> None:
        parts = []
        for word in sorted(
            {w.strip().casefold() for w in words if w.strip()}, key=len, reverse=True
        ):
            escaped = re.escape(word)
            if word[0].isalnum() or word[0] == "_":
                escaped = r"(?<!\w)" + escaped
            if word[-1].isalnum() or word[-1] == "_":
                escaped += r"(?!\w)"
            parts.append(escaped)
        self._pattern = re.compile("|".join(parts)) if parts else None

    def found_in(self, text: str) -> bool:
        return self._pattern is not None and self._pattern.search(text.casefold()) is not None


def thanks_words_for(configured: Sequence[str] | None, language: str) -> ThanksWords:
    words = configured if configured is not None else DEFAULT_THANKS_WORDS.get(language, ())
    return ThanksWords(words)


class PlainThanks:
    def __init__(self, kit: Kit, store: RecognitionStore, ladder: Ladder, days: LocalDays) -> None:
        config = kit.config.recognition
        self.kit = kit
        self.store = store
        self.ladder = ladder
        self.days = days
        self.words = thanks_words_for(config.thanks_words, kit.config.community.language)
        self.kudos_emoji = config.kudos_emoji
        self.confirmation = config.thanks_reaction

    async def on_message(self, event: MessagePosted) -> Sequence[Action] | None:
        if not event.mentions or event.author.is_bot or not self.words.found_in(event.text):
            return None
        receivers = list(dict.fromkeys(m for m in event.mentions if m != event.author.id))
        given = [
            receiver
            for receiver in receivers
            if await self._give(event.author.id, receiver, event.channel, event.message_ref)
        ]
        return await self._confirm(given, event.message_ref)

    async def on_reaction(self, event: ReactionAdded) -> Sequence[Action] | None:
        author = event.message_author
        if (
            event.emoji != self.kudos_emoji
            or author is None
            or author == event.member.id
            or event.member.is_bot
        ):
            return None
        given = await self._give(event.member.id, author, event.channel, event.message_ref)
        return await self._confirm([author] if given else [], event.message_ref)

    async def _confirm(self, receivers: list[str], ref: str) -> Sequence[Action] | None:
        if not receivers:
            return None
        await self.ladder.check(receivers)
        return [React(ref=ref, emoji=self.confirmation)]

    async def _give(self, giver: str, receiver: str, channel: str | None, ref: str) -> bool:
        """True when the kudos was stored; False when the rules (or the receiver) say no."""
        known = await self.kit.members.get(receiver)
        if known is None or known.is_bot or known.left_at is not None:
            return False
        config = self.kit.config.recognition
        now = self.kit.clock.now()
        today = self.days.of(now)
        kind = ContributionKind.KUDOS_RECEIVED
        row = (receiver, kind.value, channel, now, 0, ref, config.weights.of(kind), today)
        try:
            await self.store.add_kudos(
                giver_id=giver,
                receiver_id=receiver,
                reason=None,
                channel=channel,
                row=row,
                quota_since=self.days.start_of(today),
                quota=config.kudos_per_day,
                pair_since=now - config.kudos_pair_cooldown,
            )
        except KudosRefused:
            return False
        return True
