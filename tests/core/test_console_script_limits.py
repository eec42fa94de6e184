"""A console script with an absurd `wait` gets a clear error line, not an OverflowError."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.console.script import MAX_WAIT_DAYS, ScriptError, Wait, parse_line
from tests.support import ConsoleRun


@pytest.mark.parametrize("amount", ["99999999d", "9999999999999d", f"{MAX_WAIT_DAYS + 1}d"])
def test_a_wait_beyond_the_limit_is_a_script_error(amount: str) -> None:
    with pytest.raises(ScriptError, match=f"wait {amount} is too long; at most {MAX_WAIT_DAYS}d"):
        parse_line(f"wait {amount}")


def test_the_longest_wait_is_allowed() -> None:
    assert parse_line(f"wait {MAX_WAIT_DAYS}d") == Wait(timedelta(days=MAX_WAIT_DAYS))


async def test_the_script_says_so_and_goes_on(console: ConsoleRun) -> None:
    console.json = False
    out = await console.run("join anna\nwait 99999999d\ncarla: hoi")
    assert f"[error] line 2: wait 99999999d is too long; at most {MAX_WAIT_DAYS}d" in out
    assert out[-1].endswith("carla: hoi"), "the lines after it still run"
