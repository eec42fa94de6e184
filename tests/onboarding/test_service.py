"""Onboarding at the service level: real app and SQLite, a fixed clock, a recording gateway."""

from __future__ import annotations

from datetime import timedelta

from bot.actions import AddRole, OpenForm, PostMessage, RemoveRole, Reply, SendDM
from bot.events import (
    Actor,
    ChoicePicked,
    DirectMessage,
    FormSubmitted,
    Interaction,
    MemberJoined,
    MemberLeft,
    MemberUpdated,
    MessagePosted,
)
from bot.signals import Contributed, ContributionKind
from tests.onboarding.helpers import BASE, START, member, start_app


def dms(actions: list, who: str = "test:ann") -> list[SendDM]:
    return [a for a in actions if isinstance(a, SendDM) and a.member == who]


def actor(name: str) -> Actor:
    return Actor(f"test:{name}", name)


def pick(name: str, choice_id: str, channel: str | None = None) -> ChoicePicked:
    return ChoicePicked(
        actor=actor(name),
        message_ref="1",
        choice_id=choice_id,
        interaction=Interaction(id=f"i-{name}-{choice_id}", channel=channel),
    )


async def test_join_sends_one_welcome_with_rules_first_question_and_newcomer_role(
    storage_url: str,
) -> None:
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann")))
    actions = rec.take()
    assert AddRole(member="test:ann", role="Newcomer", reason="onboarding") in actions
    [welcome] = dms(actions)
    assert welcome.text.startswith("Welcome @ann to De Groene Ring!")
    assert "1. Be kind." in welcome.text and "Question 1/3: Where do you live?" in welcome.text
    # the introductions (issue 23) offer themselves in the welcome
    assert [c.id for c in welcome.choices] == [
        "onboarding:accept",
        "onboarding:form",
        "intros:join",
    ]
    assert welcome.fallback_channel == "welkom"
    # The platform replays the join, and the same join races in again: nothing more.
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.dispatch(MemberJoined(member=member("ann"), event_id="x"))
    assert dms(rec.take()) == []
    await plein.close()


async def test_exactly_once_is_a_database_claim(storage_url: str) -> None:
    plein, _, clock = await start_app(storage_url)
    store = plein.features["onboarding"].store
    assert await store.claim_welcome("test:zed", 1, "welcome", clock.now())
    assert not await store.claim_welcome("test:zed", 1, "welcome", clock.now())
    assert await store.claim_welcome("test:zed", 2, "welcome_back", clock.now())
    await plein.close()


async def test_answers_accept_and_intro(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    completed: list[Contributed] = []

    async def listen(signal: Contributed) -> None:
        completed.append(signal)

    plein.kit.signals.subscribe(Contributed, listen)
    await plein.dispatch(MemberJoined(member=member("ann")))
    rec.take()
    await plein.dispatch(DirectMessage(author=member("ann"), text="Utrecht"))
    [q2] = dms(rec.take())
    assert q2.text.startswith("Question 2/3: What do you like most?")
    assert [c.label for c in q2.choices] == ["Birds", "Plants"]
    await plein.dispatch(DirectMessage(author=member("ann"), text="Fish"))
    [oops] = dms(rec.take())
    assert "not one of the choices" in oops.text
    await plein.dispatch(pick("ann", "onboarding:a:interest:1"))
    [q3] = [a for a in rec.take() if isinstance(a, Reply)]
    assert q3.text.startswith("Question 3/3") and "skip" in q3.text
    assert [c.id for c in q3.choices] == ["onboarding:skip:hope"]
    assert not completed
    await plein.dispatch(DirectMessage(author=member("ann"), text="skip"))
    [done] = dms(rec.take())
    assert "answers are saved" in done.text and "#intros" in done.text
    assert [c.id for c in done.choices] == ["onboarding:intro:yes", "onboarding:intro:no"]
    assert [(c.member_id, c.kind) for c in completed] == [
        ("test:ann", ContributionKind.QUESTIONS_COMPLETED)
    ]
    store = plein.features["onboarding"].store
    assert await store.answers("test:ann") == {
        "city": "Utrecht",
        "interest": "Plants",
        "hope": None,
    }
    # Later DMs are not taken as answers any more: Plein says what it can do instead.
    await plein.dispatch(DirectMessage(author=member("ann"), text="hello?"))
    [later] = dms(rec.take())
    assert later.text.startswith("Hi! I'm Plein") and await store.answers("test:ann") == {
        "city": "Utrecht",
        "interest": "Plants",
        "hope": None,
    }

    await plein.dispatch(pick("ann", "onboarding:accept"))
    actions = rec.take()
    assert AddRole(member="test:ann", role="Member", reason="rules accepted") in actions
    assert RemoveRole(member="test:ann", role="Newcomer", reason="rules accepted") in actions
    await plein.dispatch(pick("ann", "onboarding:accept"))
    again = rec.take()
    assert not [a for a in again if isinstance(a, AddRole)]

    await plein.dispatch(pick("ann", "onboarding:intro:yes"))
    [post] = [a for a in rec.take() if isinstance(a, PostMessage)]
    assert post.channel == "intros"
    assert "Where do you live?: Utrecht" in post.text and "hope" not in post.text
    await plein.dispatch(pick("ann", "onboarding:intro:yes"))
    assert not [a for a in rec.take() if isinstance(a, PostMessage)]
    await plein.close()


async def test_required_question_cannot_be_skipped_and_restart_resumes(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.dispatch(DirectMessage(author=member("ann"), text="skip"))
    assert "cannot be skipped" in dms(rec.take())[-1].text
    await plein.dispatch(DirectMessage(author=member("ann"), text="Utrecht"))
    await plein.close()
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(DirectMessage(author=member("ann"), text="2"))
    [q3] = dms(rec.take())
    assert q3.text.startswith("Question 3/3")
    await plein.close()


async def test_screening_counts_as_acceptance(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann"), pending_screening=True))
    rec.take()
    await plein.dispatch(MemberUpdated(member=member("ann"), passed_screening=True))
    actions = rec.take()
    assert AddRole(member="test:ann", role="Member", reason="rules accepted") in actions
    state = await plein.features["onboarding"].store.state("test:ann")
    assert state.rules_accepted_at is not None
    await plein.close()


async def test_form_stores_all_answers(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann")))
    rec.take()
    await plein.dispatch(pick("ann", "onboarding:form"))
    [form] = [a for a in rec.take() if isinstance(a, OpenForm)]
    assert form.form.id == "onboarding:answers"
    assert [(f.id, f.required, f.options) for f in form.form.fields] == [
        ("city", True, ()),
        ("interest", True, ("Birds", "Plants")),
        ("hope", False, ()),
    ]
    await plein.dispatch(
        FormSubmitted(
            actor=actor("ann"),
            form_id="onboarding:answers",
            values={"city": "Delft", "interest": "birds", "hope": ""},
            interaction=Interaction(id="f1"),
        )
    )
    [reply] = [a for a in rec.take() if isinstance(a, Reply)]
    assert "answers are saved" in reply.text
    store = plein.features["onboarding"].store
    assert await store.answers("test:ann") == {"city": "Delft", "interest": "Birds", "hope": None}
    assert (await store.state("test:ann")).questions_done_at is not None
    await plein.close()


async def test_followup_once_in_the_local_morning_and_only_if(storage_url: str) -> None:
    evening = START.replace(hour=22, minute=30)  # 22:30 CET: +7d lands in the quiet hours
    plein, rec, clock = await start_app(storage_url, start=evening)
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.dispatch(MemberJoined(member=member("bob")))
    await plein.dispatch(
        MessagePosted(author=member("bob"), channel="algemeen", message_ref="m1", length=5)
    )
    rec.take()
    await plein.scheduler.advance_to(evening + timedelta(days=14))
    sent = [
        (a.member, a.text, at)
        for a, at in zip(rec.actions, rec.at, strict=True)
        if isinstance(a, SendDM)
    ]
    assert [(m, t) for m, t, _ in sent] == [("test:ann", "A week already, @ann!")]
    local = sent[0][2].astimezone(plein.kit.tz)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-03-31", 9, 0)
    await plein.close()


async def test_leaving_cancels_followups_and_rejoin_gets_welcome_back(storage_url: str) -> None:
    plein, rec, clock = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.dispatch(MemberLeft(member=member("ann")))
    rec.take()
    await plein.scheduler.advance_to(START + timedelta(days=8))
    assert dms(rec.take()) == []
    await plein.dispatch(MemberJoined(member=member("ann")))
    [back] = dms(rec.take())
    assert back.text == "Welcome back to De Groene Ring, @ann! Good to see you again."
    # Having accepted the rules before, a returning member gets the member role back.
    await plein.dispatch(pick("ann", "onboarding:accept"))
    await plein.dispatch(MemberLeft(member=member("ann")))
    rec.take()
    await plein.dispatch(MemberJoined(member=member("ann")))
    roles = [a for a in rec.take() if isinstance(a, AddRole)]
    assert [r.role for r in roles] == ["Member"]
    await plein.close()


async def test_downtime_sends_only_fresh_followups_once(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.close()
    # Back up 6 hours after the 7-day follow-up fell due: within the grace window, sent once.
    later = START + timedelta(days=7, hours=6)
    plein, rec, _ = await start_app(storage_url, start=later)
    await plein.scheduler.run_pending()
    assert [a.text for a in dms(rec.take())] == ["A week already, @ann!"]
    await plein.close()
    # Down from day 29 to day 40: the 30-day one is stale by then and is dropped, not sent late.
    plein, rec, _ = await start_app(storage_url, start=START + timedelta(days=40))
    await plein.scheduler.run_pending()
    assert dms(rec.take()) == []
    await plein.close()


async def test_mass_join_is_throttled_and_nothing_is_lost(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    for n in range(7):
        await plein.dispatch(MemberJoined(member=member(f"m{n}")))
    assert len([a for a in rec.actions if isinstance(a, SendDM)]) == 3
    await plein.close()
    plein, rec, _ = await start_app(storage_url, start=START + timedelta(seconds=30))
    await plein.scheduler.drain()
    welcomes = [
        (a.member, at) for a, at in zip(rec.actions, rec.at, strict=True) if isinstance(a, SendDM)
    ]
    assert [m for m, _ in welcomes] == [f"test:m{n}" for n in range(3, 7)]
    assert [at - START for _, at in welcomes] == [timedelta(minutes=1)] * 3 + [timedelta(minutes=2)]
    await plein.close()


async def test_closed_dms_fall_back_to_the_welcome_channel(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    rec.closed_dms.add("test:ann")
    await plein.dispatch(MemberJoined(member=member("ann")))
    [post] = [a for a in rec.take() if isinstance(a, PostMessage)]
    assert post.channel == "welkom" and post.text.startswith("@ann Welcome @ann")
    await plein.close()


async def test_personal_data_export_and_erase(storage_url: str) -> None:
    plein, rec, _ = await start_app(storage_url)
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.dispatch(DirectMessage(author=member("ann"), text="Utrecht"))
    provider = plein.kit.personal_data.providers()["onboarding"]
    exported = await provider.export_member("test:ann")
    assert exported["answers"]["city"]["answer"] == "Utrecht"
    assert [f["status"] for f in exported["followups"]] == ["pending", "pending"]
    await provider.erase_member("test:ann")
    assert await provider.export_member("test:ann") == {"answers": {}, "followups": []}
    await plein.close()


async def test_channel_delivery_posts_welcome_and_asks_in_dm(storage_url: str) -> None:
    text = BASE.replace("[onboarding]\n", '[onboarding]\ndeliver = "channel"\n')
    plein, rec, _ = await start_app(storage_url, config_text=text)
    await plein.dispatch(MemberJoined(member=member("ann")))
    actions = rec.take()
    [post] = [a for a in actions if isinstance(a, PostMessage)]
    assert post.channel == "welkom" and "Question" not in post.text
    [question] = dms(actions)
    assert question.text.startswith("Question 1/3")
    await plein.close()


async def test_racing_arrivals_welcome_once(storage_url: str) -> None:
    import asyncio

    from bot.signals import MemberArrived

    plein, rec, clock = await start_app(storage_url)
    await plein.kit.members.record_join("test:ann", "ann", False, clock.now())
    arrived = MemberArrived(
        member_id="test:ann",
        name="ann",
        at=clock.now(),
        first_time=True,
        already_present=False,
        join_count=1,
    )
    service = plein.features["onboarding"]
    await asyncio.gather(*(service.on_arrived(arrived) for _ in range(5)))
    assert len(dms(rec.take())) == 1
    await plein.close()


async def test_full_rejoin_repeats_the_intake_for_open_questions(storage_url: str) -> None:
    text = BASE.replace("[onboarding]\n", '[onboarding]\nrejoin = "full"\n')
    plein, rec, _ = await start_app(storage_url, config_text=text)
    await plein.dispatch(MemberJoined(member=member("ann")))
    await plein.dispatch(DirectMessage(author=member("ann"), text="Utrecht"))
    await plein.dispatch(MemberLeft(member=member("ann")))
    rec.take()
    await plein.dispatch(MemberJoined(member=member("ann")))
    [welcome] = dms(rec.take())
    assert welcome.text.startswith("Welcome @ann") and "Question 2/3" in welcome.text
    await plein.close()
