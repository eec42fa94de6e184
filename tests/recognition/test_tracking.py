"""Anti-farming rules, checked on the real app (console adapter, real SQLite, ManualClock)."""

from __future__ import annotations

from datetime import UTC

from bot.signals import Contributed, ContributionKind
from tests.recognition.helpers import advance, counts, member, message, reaction, running, totals
from tests.support import ConsoleRun

anna, bob = member("anna"), member("bob")


async def test_message_points_respect_cooldown_and_min_length(console: ConsoleRun) -> None:
    async with running(console) as (plein, rec):
        await plein.dispatch(message(anna))  # 1 point
        await plein.dispatch(message(anna))  # within 60s: counted, no points
        advance(plein, seconds=59)
        await plein.dispatch(message(anna))  # still within the cooldown
        advance(plein, seconds=1)
        await plein.dispatch(message(anna, thread_of="r0"))  # a reply, cooldown over: 2 points
        advance(plein, minutes=5)
        await plein.dispatch(message(anna, length=3))  # too short: no points
        assert await totals(rec, anna) == {"message": 1, "reply": 2}
        assert await counts(rec, anna) == {"message": 4, "reply": 1}


async def test_bots_and_excluded_channels_are_not_tracked(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__EXCLUDED_CHANNELS"] = '["kletshoek"]'
    async with running(console) as (plein, rec):
        await plein.dispatch(message(member("helper", bot=True)))
        await plein.dispatch(message(anna, channel="kletshoek"))
        assert await counts(rec, member("helper")) == {}
        assert await counts(rec, anna) == {}
        await plein.dispatch(message(anna))
        assert await counts(rec, anna) == {"message": 1}


async def test_reactions_own_messages_ignored_and_cooled_down(console: ConsoleRun) -> None:
    async with running(console) as (plein, rec):
        await plein.dispatch(reaction(anna, anna))  # own message: ignored
        assert await counts(rec, anna) == {}
        await plein.dispatch(reaction(bob, anna))
        await plein.dispatch(reaction(bob, anna, ref="r1"))  # within 10s: counted, no points
        await plein.dispatch(reaction(bob, None, ref="r2"))  # author unknown (a bot post)
        assert await totals(rec, bob) == {"reaction_given": 1}
        assert await counts(rec, bob) == {"reaction_given": 3}
        assert await totals(rec, anna) == {"reaction_received": 1}
        await plein.dispatch(reaction(member("robot", bot=True), anna, ref="r3"))
        assert await counts(rec, anna) == {"reaction_received": 2}


async def test_other_features_contribute_through_signals(console: ConsoleRun) -> None:
    async with running(console) as (plein, rec):
        now = plein.clock.now()
        for kind in (ContributionKind.VOTE, ContributionKind.HOSTED, ContributionKind.ATTENDED):
            await plein.kit.signals.emit(Contributed(anna.id, kind, now.astimezone(UTC)))
        assert await totals(rec, anna) == {"vote": 2, "hosted": 20, "attended": 5}


async def test_weights_come_from_config(console: ConsoleRun) -> None:
    console.env["PLEIN_RECOGNITION__WEIGHTS__MESSAGE"] = "7"
    console.env["PLEIN_RECOGNITION__MIN_LENGTH"] = "0"
    async with running(console) as (plein, rec):
        await plein.dispatch(message(anna, length=1))
        assert await totals(rec, anna) == {"message": 7}
