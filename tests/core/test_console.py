from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.console.script import Dm, Join, Pick, ReplyTo, Say, ScriptError, Wait, parse_line
from bot.commands import UsageError
from tests.support import ConsoleRun, texts


def test_script_lines_parse_exactly() -> None:
    assert parse_line("join anna") == Join("anna")
    assert parse_line("anna: hello there") == Say("anna", None, "hello there")
    assert parse_line("anna #events: /help") == Say("anna", "events", "/help")
    assert parse_line("anna dm: Utrecht") == Dm("anna", "Utrecht")
    assert parse_line("bob replies #12: me too") == ReplyTo("bob", "12", "me too")
    assert parse_line("bob picks 12 Eens") == Pick("bob", "12", "Eens")
    assert parse_line("wait 7d").duration.days == 7  # type: ignore[union-attr]
    assert parse_line("  # a comment") is None and parse_line("") is None
    with pytest.raises(ScriptError):
        parse_line("wait forever")
    with pytest.raises(ScriptError):
        parse_line("this is not a line")
    assert isinstance(parse_line("wait 90s"), Wait)


async def test_join_gets_welcome_dm_and_help_lists_commands(console: ConsoleRun) -> None:
    out = await console.run("join anna\nanna: /help")
    welcome, help_reply = out
    assert welcome["action"] == "dm" and welcome["member"] == "anna"
    assert "Welkom bij Natuurvereniging De Groene Ring, @anna!" in welcome["text"]
    assert "/help [commando:…] - Laat zien wat Plein hier voor je kan doen" in help_reply["text"]
    assert all({"action", "ref", "text", "choices", "at"} <= set(a) for a in out)


async def test_closed_dms_fall_back_to_the_welcome_channel(console: ConsoleRun) -> None:
    out = await console.run("bob blocks dms\njoin bob")
    [post] = out
    assert post["action"] == "post" and post["channel"] == "welkom"
    assert post["text"].startswith("@bob Welkom")


async def test_replayed_join_gets_no_second_welcome(console: ConsoleRun) -> None:
    out = await console.run("join anna\njoin anna")
    assert len(texts(out, "dm", "anna")) == 1


async def test_english_community_speaks_english(console: ConsoleRun) -> None:
    console.env["PLEIN_COMMUNITY__LANGUAGE"] = "en"
    console.env["PLEIN_ONBOARDING__WELCOME"] = ""
    out = await console.run("join anna\nanna: /help")
    assert out[0]["text"].startswith("Welcome to Natuurvereniging De Groene Ring, @anna!")
    assert "Show what Plein can do" in out[1]["text"]


async def test_bad_command_and_bad_line_get_clear_answers(console: ConsoleRun) -> None:
    console.json = False
    out = await console.run("join anna\nanna: /frobnicate\nanna picks 99 1\nnonsense here")
    assert any("Het commando /frobnicate ken ik niet" in line for line in out)
    assert "[error] line 3: there is no message #99" in out
    assert any(line.startswith("[error] line 4: cannot read this line") for line in out)


async def test_text_output_shape(console: ConsoleRun) -> None:
    console.json = False
    out = await console.run("join anna\ncarla: hoi")
    assert out[0].startswith("[dm anna] #1 plein: Welkom")
    assert out[-1] == "[#algemeen] #2 carla: hoi"


def test_plein_run_script_from_stdin_prints_json_lines(tmp_path: Path) -> None:
    script = "join anna\nanna: /help\n"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "run",
            "--script",
            "-",
            "--json",
            "--start",
            "2026-03-23T08:00",
        ],
        input=script,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["action"] for o in objects] == ["dm", "dm"]
    assert objects[0]["at"].startswith("2026-03-23T07:00")


def test_command_text_parsing_rules() -> None:
    from bot.commands import CommandRegistry, CommandSpec, Option, OptionKind, parse_command_text

    async def noop(call):  # pragma: no cover - never called
        return []

    registry = CommandRegistry()
    registry.add(
        CommandSpec(
            path=("kudos",),
            handler=noop,
            options=(Option("member", OptionKind.MEMBER), Option("reason")),
        )
    )
    registry.add(
        CommandSpec(
            path=("poll",),
            handler=noop,
            alias="new",
            options=(Option("question"), Option("options", variadic=True)),
        )
    )
    registry.add(CommandSpec(path=("poll", "close"), handler=noop, options=(Option("ref"),)))
    registry.add(
        CommandSpec(
            path=("top",),
            handler=noop,
            options=(Option("period", OptionKind.CHOICE, required=False, choices=("week",)),),
        )
    )

    kudos = parse_command_text("/kudos @bob thanks for the walk", registry)
    assert kudos.options == {"member": "@bob", "reason": "thanks for the walk"}
    assert parse_command_text('/poll new "Which day?" Mon Tue', registry).options == {
        "question": "Which day?",
        "options": ["Mon", "Tue"],
    }
    assert parse_command_text("/poll close 3", registry).path == ("poll", "close")
    assert parse_command_text("/top period:week", registry).options == {"period": "week"}
    with pytest.raises(UsageError):
        parse_command_text("/top week month", registry)
