"""Members' data rights end to end on the console community: /privacy, export, forget.

The checks are generic over every registered PersonalDataProvider: whatever features store,
an export holds only the member's own data and nothing personal is left after /privacy forget.
"""

from __future__ import annotations

import json
from typing import Any

from tests.privacy.helpers import cells_mentioning, exported, leaves, refs_with_choices
from tests.support import ConsoleRun, texts

SETUP = """
join xandra
xandra dm: Zwolle
xandra dm: 1
xandra dm: 2
xandra dm: ik tel graag vogels
join bob
bob dm: Amsterdam
xandra: goedemorgen allemaal
xandra: wie gaat er zaterdag mee?
bob: ik!
anna: /poll "Welke dag?" maandag dinsdag
"""


async def community_with_activity(console: ConsoleRun) -> list[dict[str, Any]]:
    out = await console.run(SETUP)
    [poll] = [a["ref"] for a in out if a["action"] == "post" and "Welke dag?" in a["text"]]
    out += await console.run(f"xandra picks {poll} 1\nbob picks {poll} 2\nxandra: /privacy export")
    return out


async def providers(console: ConsoleRun) -> set[str]:
    plein, _, _ = await console.start()
    try:
        return set(plein.kit.personal_data.providers())
    finally:
        await plein.db.close()


async def test_export_holds_my_answers_and_counts_and_nobody_elses(console: ConsoleRun) -> None:
    out = await community_with_activity(console)
    data = exported(out, "xandra")
    assert data["member_id"] == "console:xandra"
    assert data["member"]["name"] == "xandra" and data["member"]["join_count"] == 1
    text = json.dumps(data, ensure_ascii=False).lower()
    registered = await providers(console)
    if "onboarding" in registered:
        assert "zwolle" in text
    if "polls" in registered:
        assert "polls" in data["data"]
    if "recognition" in registered:
        assert "recognition" in data["data"]
    for other in ("bob", "amsterdam", "console:anna"):
        assert other not in text, other
    assert "goedemorgen" not in text  # message text is never stored, so never exported
    assert texts(out, "dm", "xandra")[-1] == "Ik heb je een privébericht gestuurd met je gegevens."


async def test_forget_leaves_nothing_personal_and_votes_no_longer_name_me(
    console: ConsoleRun,
) -> None:
    await community_with_activity(console)
    out = await console.run("xandra: /privacy forget")
    [ask] = refs_with_choices(out, "Ja, wissen")
    out = await console.run(f"xandra picks {ask} Ja, wissen\nxandra: /privacy export")
    assert "Klaar: alles wat Plein over je bewaarde is gewist" in texts(out, "dm", "xandra")[0]
    data = exported(out, "xandra")
    assert data["member"] is None
    assert leaves(data["data"]) == [], data["data"]
    assert await cells_mentioning(console.url, "xandra") == []
    assert await cells_mentioning(console.url, "zwolle") == []
    # Others keep their data.
    assert await cells_mentioning(console.url, "console:bob")


async def test_cancel_and_confirm_option(console: ConsoleRun) -> None:
    out = await console.run("join xandra\nxandra: /privacy forget")
    [ask] = refs_with_choices(out, "Annuleren")
    out = await console.run(f"xandra picks {ask} Annuleren")
    assert texts(out) == ["Er is niets gewist."]
    assert await cells_mentioning(console.url, "console:xandra")
    out = await console.run("xandra: /privacy forget confirm:ja")
    assert texts(out)[0].startswith("Klaar")
    assert await cells_mentioning(console.url, "xandra") == []


async def test_replayed_join_does_not_rewelcome_but_a_real_return_does(
    console: ConsoleRun,
) -> None:
    first = await console.run("join xandra")
    welcomes = len(texts(first, "dm", "xandra"))
    await console.run("xandra: /privacy forget confirm:yes")
    replay = await console.run("join xandra")
    assert texts(replay) == []
    assert await cells_mentioning(console.url, "xandra") == []
    back = await console.run("leave xandra\njoin xandra")
    assert len(texts(back, "dm", "xandra")) == welcomes
    assert "Welkom" in texts(back, "dm", "xandra")[0]


async def test_manager_forgets_a_member_with_an_audit_entry(console: ConsoleRun) -> None:
    await console.run("join xandra\njoin bob")
    refused = await console.run("bob: /privacy forget member:@xandra confirm:yes")
    assert texts(refused) == ["Alleen beheerders kunnen de gegevens van een ander lid wissen."]
    out = await console.run("anna: /privacy forget member:@xandra")
    [ask] = refs_with_choices(out, "Ja, wissen")
    assert "@xandra" in texts(out)[0]
    out = await console.run(f"bob picks {ask} 1")  # not bob's to confirm
    assert texts(out) == ["Alleen beheerders kunnen de gegevens van een ander lid wissen."]
    out = await console.run(f"anna picks {ask} 1")
    assert texts(out) == ["Klaar: alles wat Plein over @xandra bewaarde is gewist."]
    assert await cells_mentioning(console.url, "xandra") == []
    audit = [
        c for c in await cells_mentioning(console.url, "console:anna") if c[0] == "privacy_audit"
    ]
    assert audit == [("privacy_audit", "actor", "console:anna")]
    # The manager's own export shows the erasure they performed, not who it was.
    out = await console.run("anna: /privacy export")
    mine = exported(out, "anna")
    [entry] = mine["data"]["privacy_audit"]["erasures_you_performed"]
    assert entry["action"] == "forget" and "xandra" not in json.dumps(mine)


async def test_privacy_info_in_both_languages(console: ConsoleRun) -> None:
    out = await console.run("join xandra\nxandra: /privacy")
    info = texts(out)[-1]
    assert "nooit" in info and "tekst van je berichten" in info and "90 dagen" in info
    console.env["PLEIN_COMMUNITY__LANGUAGE"] = "en"
    console.env["PLEIN_PRIVACY__ERASE_AFTER_LEAVING"] = "never"
    out = await console.run("xandra: /privacy")
    assert "never stores: the text of your messages" in texts(out)[-1]
    assert "kept until you or a manager" in texts(out)[-1]


async def test_export_with_closed_dms_is_answered_privately_not_in_a_channel(
    console: ConsoleRun,
) -> None:
    out = await console.run("join xandra\nxandra blocks dms\nxandra #algemeen: /privacy export")
    export = [a for a in out if a.get("files")]
    assert len(export) == 1 and export[0]["action"] == "dm" and export[0].get("ephemeral")
    assert not [a for a in out if a["action"] == "post" and a.get("files")]
