"""The member sync in the core: the real app on real SQLite, batches dispatched as adapters do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.actions import SendDM
from bot.config import ConfigError, parse_config
from bot.events import ListedMember, MemberJoined, MembersListed
from tests.onboarding.helpers import BASE, START, member, start_app


def listed(*names: str, joined_ago: timedelta | None = None) -> tuple[ListedMember, ...]:
    joined = START - joined_ago if joined_ago is not None else None
    return tuple(ListedMember(f"test:{n}", n, joined_at=joined) for n in names)


async def sync(plein, sync_id: str, *batches: tuple[ListedMember, ...], last: bool = True) -> None:  # noqa: ANN001
    for n, batch in enumerate(batches, 1):
        await plein.dispatch(
            MembersListed(sync_id=sync_id, batch=batch, last=last and n == len(batches))
        )


def welcomed(actions: list) -> set[str]:  # noqa: ANN001
    return {a.member for a in actions if isinstance(a, SendDM) and "Welcome" in a.text}


async def test_first_sync_marks_everyone_as_here_before_plein(storage_url: str) -> None:
    plein, recorder, _ = await start_app(storage_url)
    await sync(plein, "s1", listed("anna", "bob"), listed("carla", joined_ago=timedelta(days=9)))
    assert welcomed(recorder.take()) == set()
    anna = await plein.kit.members.get("test:anna")
    assert anna is not None and anna.first_joined_at == START  # the sync time: unknown
    carla = await plein.kit.members.get("test:carla")
    assert carla is not None and carla.first_joined_at == START - timedelta(days=9)
    # A join event replayed for someone the sync found is not a new arrival.
    await plein.dispatch(MemberJoined(member=member("bob")))
    assert welcomed(recorder.take()) == set()
    await plein.close()


async def test_an_unfinished_sync_marks_nobody_as_left(storage_url: str) -> None:
    plein, _, clock = await start_app(storage_url)
    await sync(plein, "s1", listed("anna", "bob", "carla"))
    clock.set(clock.now() + timedelta(days=1))
    await sync(plein, "s2", listed("anna"), last=False)  # the connection dropped half-way
    assert await plein.kit.members.count_present() == 3
    await sync(plein, "s3", listed("anna", "carla"))
    bob = await plein.kit.members.get("test:bob")
    assert bob is not None and bob.left_at == clock.now()
    assert await plein.kit.members.count_present() == 2
    await plein.close()


async def test_overlapping_syncs_do_not_hide_each_others_members(storage_url: str) -> None:
    plein, _, clock = await start_app(storage_url)
    await sync(plein, "s1", listed("anna", "bob"))
    clock.set(clock.now() + timedelta(hours=1))
    await sync(plein, "old", listed("anna"), last=False)  # an older sync, still under way
    await sync(plein, "new", listed("anna", "bob"))  # a newer one, finished
    await sync(plein, "old", listed("bob"))  # the older one finishes late
    assert await plein.kit.members.count_present() == 2
    await plein.close()


async def test_live_join_during_a_sync_is_not_marked_left(storage_url: str) -> None:
    plein, recorder, clock = await start_app(storage_url)
    await sync(plein, "s1", listed("anna"))
    clock.set(clock.now() + timedelta(hours=1))
    await sync(plein, "s2", listed("anna"), last=False)
    clock.set(clock.now() + timedelta(seconds=5))
    await plein.dispatch(MemberJoined(member=member("dirk")))  # after the list was taken
    await sync(plein, "s2", ())
    dirk = await plein.kit.members.get("test:dirk")
    assert dirk is not None and dirk.left_at is None
    assert welcomed(recorder.take()) == {"test:dirk"}
    await plein.close()


@pytest.mark.parametrize(("window", "expected"), [("24h", {"test:erik"}), ("0", set())])
async def test_catch_up_window_decides_who_of_the_late_joiners_is_welcomed(
    storage_url: str, window: str, expected: set[str]
) -> None:
    config = BASE.replace("[onboarding]\n", f'[onboarding]\ncatch_up_window = "{window}"\n')
    plein, recorder, _ = await start_app(storage_url, config)
    await sync(plein, "s1", listed("anna"))
    await sync(
        plein,
        "s2",
        listed("anna"),
        listed("erik", joined_ago=timedelta(hours=3)),
        listed("fenna", joined_ago=timedelta(days=3)),
        listed("gijs"),  # no join time: the earliest it can be (the last sync) = now here
    )
    got = welcomed(recorder.take())
    assert got - {"test:gijs"} == expected
    fenna = await plein.kit.members.get("test:fenna")
    assert fenna is not None and fenna.left_at is None  # registered all the same
    await plein.close()


async def test_a_member_erased_while_present_is_not_re_added_by_a_sync(storage_url: str) -> None:
    plein, _, _ = await start_app(storage_url)
    await sync(plein, "s1", listed("anna", "bob"))
    privacy = plein.features["privacy"]
    await privacy.forget("test:bob", actor="test:bob")
    await sync(plein, "s2", listed("anna", "bob"))
    assert await plein.kit.members.get("test:bob") is None
    await plein.close()


def test_catch_up_window_rejects_nonsense() -> None:
    with pytest.raises(ConfigError) as err:
        parse_config('[onboarding]\ncatch_up_window = "soon"\n', "<t>", {})
    assert "onboarding.catch_up_window" in str(err.value)
