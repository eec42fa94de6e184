"""Issue 15: the console writes a member's files to a private folder in the community's data
folder and never overwrites one (also not across concurrent runs); the interactive prompt has
line editing and history, and output is printed above the prompt line, never inside it."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from adapters.console.files import PrivateFiles
from adapters.console.prompt import CLEAR_LINE, PROMPT, PromptLine, load_readline
from bot.app import console_files_dir, console_history_path
from tests.support import ConsoleRun, config_from


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_an_export_lands_in_the_members_private_folder_beside_the_database(
    tmp_path: Path,
) -> None:
    console = ConsoleRun(db_path=tmp_path / "club" / "plein.db")
    (tmp_path / "club").mkdir()
    script = (
        "join anna\njoin bob\n"
        + 'anna: /poll "Welke dag?" Ma Di\nbob picks 1 Ma\n'
        + "anna: /poll export 1\nanna: /poll export 1\n"
    )
    out = await console.run(script)
    exports = [Path(a["files"][0]) for a in out if a.get("files")]
    assert len(exports) == 2 and exports[0] != exports[1]
    folder = exports[0].parent
    assert folder == tmp_path / "club" / "plein-files" / "anna"
    assert mode(folder) == 0o700 and mode(folder.parent) == 0o700
    assert all(mode(p) == 0o600 for p in exports)
    assert exports[0].read_text() == exports[1].read_text()


def test_concurrent_runs_never_overwrite_a_file(tmp_path: Path) -> None:
    first, second = PrivateFiles(tmp_path / "files"), PrivateFiles(tmp_path / "files")
    paths = [
        store.save("anna", "poll-1.csv", text.encode())
        for store, text in ((first, "one"), (second, "two"), (first, "three"))
    ]
    assert [p.name for p in paths] == ["poll-1.csv", "poll-1-2.csv", "poll-1-3.csv"]
    assert [p.read_text() for p in paths] == ["one", "two", "three"]


def test_hostile_names_stay_inside_the_owners_folder(tmp_path: Path) -> None:
    files = PrivateFiles(tmp_path / "files")
    path = files.save("../../etc", "../../passwd", b"x")
    assert path.parent.parent == tmp_path / "files" and path.name == "passwd"


def test_without_a_data_folder_files_go_to_a_private_folder_not_a_shared_one() -> None:
    files = PrivateFiles(None)
    path = files.save("anna", "report.png", b"png")
    assert mode(files.root) == 0o700 and path.parent.parent == files.root
    assert files.root.name.startswith("plein-files-")
    os.remove(path)
    os.rmdir(path.parent)
    os.rmdir(files.root)


def test_data_folder_paths_sit_beside_the_sqlite_file(tmp_path: Path) -> None:
    config = config_from(db_path=tmp_path / "plein.db")
    assert console_files_dir(config) == tmp_path / "plein-files"
    assert console_history_path(config) == tmp_path / "plein.console-history"


class FakeLine:
    """What the user has typed so far, as readline reports it."""

    def __init__(self, typed: str) -> None:
        self.typed = typed

    def get_line_buffer(self) -> str:
        return self.typed


def test_output_while_typing_goes_above_the_prompt_and_redraws_it() -> None:
    out = io.StringIO()
    prompt = PromptLine(out, None, FakeLine("anna: /poll Wel"))  # type: ignore[arg-type]
    seen = []

    def ask(text: str) -> str:
        prompt.show("[#algemeen] plein: Goedemorgen!")
        seen.append(text)
        return "anna: /poll Welke dag?"

    assert prompt.read(ask) == "anna: /poll Welke dag?"
    assert seen == [PROMPT]
    assert out.getvalue() == (
        f"{CLEAR_LINE}[#algemeen] plein: Goedemorgen!\n{PROMPT}anna: /poll Wel"
    )
    prompt.show("later")  # no prompt waiting: plain output
    assert out.getvalue().endswith("anna: /poll Wel" + "later\n")


def test_history_is_kept_in_the_data_folder_between_runs(tmp_path: Path) -> None:
    readline = load_readline()
    assert readline is not None
    history = tmp_path / "plein.console-history"
    readline.clear_history()
    first = PromptLine(io.StringIO(), history, readline)
    first.open()
    readline.add_history("anna: /top period:maand")
    first.close()
    assert mode(history) == 0o600
    readline.clear_history()
    second = PromptLine(io.StringIO(), history, readline)
    second.open()
    assert readline.get_history_item(readline.get_current_history_length()) == (
        "anna: /top period:maand"
    )
    readline.clear_history()
