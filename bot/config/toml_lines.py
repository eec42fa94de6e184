"""Where each key of a TOML file sits, so a problem can say 'plein.toml:88: calendar.slots[4].when'.

tomllib keeps no positions, so this reads the lines the way people write plein.toml: table
headers, arrays of tables and `key = value` lines (inline tables on their own lines count as the
elements of the array they are in). Positions are 1-based, as the messages show them.
"""

from __future__ import annotations

import re

_ARRAY_TABLE = re.compile(r"^\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
_TABLE = re.compile(r"^\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^([A-Za-z0-9_\-.\"' ]+?)\s*=\s*(.*)$")
_PATH_AT_START = re.compile(r"^([A-Za-z_][\w\-]*(?:\[\d+\])*(?:\.[\w\-]+(?:\[\d+\])*)*)(?=: )")


def _parts(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in dotted.split(".")]


class KeyLines:
    """Displayed key path ('calendar.slots[4].when') -> the line it is written on."""

    def __init__(self, text: str) -> None:
        self.lines: dict[str, int] = {}
        self._counts: dict[str, int] = {}
        self._read(text)

    def _resolve(self, parts: list[str], new_element: bool) -> str:
        path = ""
        for n, part in enumerate(parts):
            path = f"{path}.{part}" if path else part
            last = n == len(parts) - 1
            if last and new_element:
                self._counts[path] = self._counts.get(path, 0) + 1
            if path in self._counts:
                path += f"[{self._counts[path]}]"
        return path

    def _read(self, text: str) -> None:
        table = ""
        open_array: str | None = None
        in_string = False
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if in_string:
                in_string = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
                continue
            if not line or line.startswith("#"):
                continue
            if match := _ARRAY_TABLE.match(line):
                table = self._resolve(_parts(match.group(1)), new_element=True)
                self.lines.setdefault(table, number)
                open_array = None
                continue
            if match := _TABLE.match(line):
                table = self._resolve(_parts(match.group(1)), new_element=False)
                self.lines.setdefault(table, number)
                open_array = None
                continue
            if open_array is not None and line.startswith("{"):
                self._counts[open_array] = self._counts.get(open_array, 0) + 1
                self.lines.setdefault(f"{open_array}[{self._counts[open_array]}]", number)
                continue
            if match := _KEY.match(line):
                key = ".".join(_parts(match.group(1)))
                path = f"{table}.{key}" if table else key
                self.lines.setdefault(path, number)
                value = match.group(2)
                if value.count('"""') % 2 == 1 or value.count("'''") % 2 == 1:
                    in_string = True
                open_array = path if value.startswith("[") and "]" not in value else None
                if value.startswith("[{") or value.startswith("[ {"):
                    for element, _ in enumerate(re.findall(r"\{", value), start=1):
                        self.lines.setdefault(f"{path}[{element}]", number)

    def line_of(self, path: str) -> int | None:
        """The line of `path`, else of the nearest enclosing key that is written out."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def locate(self, problem: str) -> int | None:
        """The line a 'key.path: message' problem is about, if it names a key."""
        match = _PATH_AT_START.match(problem)
        return self.line_of(match.group(1)) if match else None
