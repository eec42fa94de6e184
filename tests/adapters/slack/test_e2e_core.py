"""Help, joins, manager gating and retries, through the real bolt app in both modes."""

from __future__ import annotations

from tests.adapters.slack.harness import ANNA, BERT, CAROL, SlackRun
from tests.fakes.slack import BOT_USER
from tests.fakes.slack import payloads as p


async def test_help_lists_subcommands_the_slack_way(slack: SlackRun) -> None:
    hook = await slack.command(BERT, "")
    [text] = slack.answers(hook)
    assert "`/plein poll" in text and "/plein help" in text
    call = slack.fake.calls_to("response_url", hook=hook)[0]
    assert call["response_type"] == "ephemeral"


async def test_unknown_subcommand_gets_help(slack: SlackRun) -> None:
    hook = await slack.command(BERT, "frobnicate now")
    [text] = slack.answers(hook)
    assert "/plein frobnicate" in text and "`/plein poll" in text


async def test_team_join_sends_welcome_dm_and_rules_button_records_member(slack: SlackRun) -> None:
    slack.fake.add_user("UDORA004", "Dora")
    await slack.event(p.team_join("UDORA004", "Dora"))
    [welcome] = slack.dms("UDORA004")
    assert "<@UDORA004>" in welcome["text"]
    assert slack.fake.calls_to("conversations.open", users="UDORA004")
    await slack.click_as("UDORA004", "Dora", welcome, "onboarding:accept")
    store = slack.plein.features["onboarding"].store
    state = await store.state("slack:UDORA004")
    assert state is not None and state.rules_accepted_at is not None


async def test_own_bot_joining_is_not_welcomed(slack: SlackRun) -> None:
    body = p.member_joined_channel(BOT_USER, "C0ALGEMEEN")
    await slack.event(body)
    await slack.event(p.team_join(BOT_USER, "plein"))
    assert slack.posts() == []


async def test_manager_subcommand_refused_for_members(slack: SlackRun) -> None:
    manager_only = [s for s in slack.plein.commands.all() if s.manager_only]
    assert manager_only, "no manager-only command registered"
    command = " ".join(manager_only[0].path)
    hook = await slack.command(CAROL, command)
    [text] = slack.answers(hook)
    assert text == slack.plein.t("core.not_manager", command="/plein " + command)
    hook = await slack.command(ANNA, command)  # a manager by configured Slack user id
    assert slack.answers(hook) and slack.answers(hook)[0] != text


async def test_manager_by_user_group(tmp_path, storage_url) -> None:  # noqa: ANN001
    run = SlackRun(
        tmp_path,
        storage_url=storage_url,
        mode="http",
        env={"PLEIN_SLACK__MANAGER_USERGROUP": "S0BESTUUR"},
    )
    run.fake.usergroups["S0BESTUUR"] = [CAROL]
    await run.start()
    try:
        command = " ".join(next(s for s in run.plein.commands.all() if s.manager_only).path)
        refused = run.plein.t("core.not_manager", command="/plein " + command)
        hook = await run.command(CAROL, command)
        assert run.answers(hook) and run.answers(hook)[0] != refused
        hook = await run.command(BERT, command)
        assert run.answers(hook) == [refused]
        assert len(run.fake.calls_to("usergroups.users.list", usergroup="S0BESTUUR")) == 1
    finally:
        await run.stop()


async def test_retried_event_is_processed_once(slack: SlackRun) -> None:
    slack.fake.add_user("UEVA0005", "Eva")
    body = p.team_join("UEVA0005", "Eva", event_id="EvRETRY001")
    await slack.event(body)
    await slack.event(body, retry=1)
    await slack.event(body, retry=2)
    assert len(slack.dms("UEVA0005")) == 1


async def test_first_delivery_arriving_as_a_retry_is_still_processed(slack: SlackRun) -> None:
    slack.fake.add_user("UFAY0006", "Fay")
    await slack.event(p.team_join("UFAY0006", "Fay", event_id="EvLOST0001"), retry=1)
    assert len(slack.dms("UFAY0006")) == 1


async def test_socket_mode_reconnects_when_slack_asks(tmp_path, storage_url) -> None:  # noqa: ANN001
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="socket").start()
    try:
        assert len(run.fake.calls_to("apps.connections.open")) == 1
        await run.fake.send_disconnect()
        await run.fake.wait_for_call("apps.connections.open", count=2)
        await run.fake.wait_for(
            lambda: run.fake.connections == 2 and len(run.fake.sockets) == 1,
            what="the new connection replacing the old one",
        )
        run.fake.add_user("UKIM0011", "Kim")
        await run.event(p.team_join("UKIM0011", "Kim"))
        assert len(run.dms("UKIM0011")) == 1
    finally:
        await run.stop()


async def test_joining_the_community_channel_greets_once(tmp_path, storage_url) -> None:  # noqa: ANN001
    env = {"PLEIN_SLACK__JOIN_EVENT": "member_joined_channel"}
    run = await SlackRun(tmp_path, storage_url=storage_url, mode="http", env=env).start()
    try:
        run.fake.add_user("ULEA0012", "Lea")
        await run.event(p.team_join("ULEA0012", "Lea"))  # joining the workspace is not enough
        assert run.dms("ULEA0012") == []
        await run.event(p.member_joined_channel("ULEA0012", "C0WELKOM"))  # another channel
        assert run.dms("ULEA0012") == []
        await run.event(p.member_joined_channel("ULEA0012", "C0ALGEMEEN"))
        join_message = p.fixture("message.channel_join")
        join_message["event"].update(user="ULEA0012", channel="C0ALGEMEEN")
        await run.event(join_message)  # Slack also sends this; it must not greet again
        [welcome] = run.dms("ULEA0012")
        assert "<@ULEA0012>" in welcome["text"]
    finally:
        await run.stop()


async def test_welcome_question_answered_in_dm(slack: SlackRun) -> None:
    slack.fake.add_user("UMO00013", "Mo")
    await slack.event(p.team_join("UMO00013", "Mo"))
    [welcome] = slack.dms("UMO00013")
    await slack.event(
        p.message("UMO00013", "DUMO00013", "Utrecht", "1700000200.000001", channel_type="im")
    )
    answers = await slack.plein.features["onboarding"].store.answers("slack:UMO00013")
    assert answers.get("woonplaats") == "Utrecht"
    assert len(slack.dms("UMO00013")) == 2  # the next question


async def test_help_groups_member_and_manager_commands_like_help(slack: SlackRun) -> None:
    t = slack.plein.t
    specs = [s for s in slack.plein.commands.all() if s.path != ("help",)]
    member_words = {" ".join(s.path) for s in specs if not s.manager_only}
    manager_words = {" ".join(s.path) for s in specs if s.manager_only} - member_words

    def listed(lines: list[str]) -> set[str]:
        names = set()
        for line in lines:
            usage = line.split("`")[1].removeprefix("/plein ").split()
            names.add(" ".join(w for w in usage if not w.startswith(("&lt;", "<", "["))))
        return names

    [member_help] = slack.answers(await slack.command(CAROL, "help"))
    assert t("core.help.managers") not in member_help
    assert listed([ln for ln in member_help.splitlines() if ln.startswith("`")]) == member_words

    [manager_help] = slack.answers(await slack.command(ANNA, "help"))
    members_part, managers_part = manager_help.split("\n\n" + t("core.help.managers") + "\n")
    assert listed([ln for ln in members_part.splitlines() if ln.startswith("`")]) == member_words
    managers_lines = [ln for ln in managers_part.splitlines() if ln.startswith("`")]
    assert listed(managers_lines) == manager_words
