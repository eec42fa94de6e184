"""Load and validate plein.toml, turning every problem into 'FILE: key.path: message'."""

from __future__ import annotations

import difflib
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bot.config.onboarding import ERRORS as ONBOARDING_ERRORS
from bot.config.root import PleinConfig
from bot.config.survey_questions import ERRORS as SURVEY_ERRORS
from bot.config.toml_lines import KeyLines
from bot.i18n import LANGUAGES, Translator

EXAMPLE_NAME = "config.example.toml"
DEFAULT_FILE = "plein.toml"
SYNTAX_ERROR = "TOML syntax error"
_SYNTAX_LINE = re.compile(r"\(at line (\d+),")
CRON_ERRORS = frozenset({"cron_range", "cron_order", "cron_step", "cron_unreadable"})


class ConfigError(Exception):
    """Every problem of one file; given the file's text, each line names where it is written
    ('plein.toml:88: calendar.slots[4].when: ...')."""

    def __init__(self, source: str, problems: list[str], text: str | None = None) -> None:
        self.source = source
        self.problems = problems
        self._keys = KeyLines(text) if text is not None else None
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [self._line(p) for p in self.problems]

    def _line(self, problem: str) -> str:
        syntax = _SYNTAX_LINE.search(problem) if problem.startswith(SYNTAX_ERROR) else None
        line = (
            int(syntax.group(1)) if syntax else self._keys.locate(problem) if self._keys else None
        )
        return f"{self.source}:{line}: {problem}" if line else f"{self.source}: {problem}"


def example_text() -> str:
    return resources.files("bot.resources").joinpath(EXAMPLE_NAME).read_text(encoding="utf-8")


def load_config(path: str | Path | None, environ: Mapping[str, str] | None = None) -> PleinConfig:
    """Read FILE, or ./plein.toml, or else the embedded example community."""
    source, text = config_source(path)
    return parse_config(text, source, environ)


def config_source(path: str | Path | None) -> tuple[str, str]:
    """(name to show in messages, TOML text) of FILE, or ./plein.toml, or the embedded example."""
    if path is None and Path(DEFAULT_FILE).exists():
        path = DEFAULT_FILE
    if path is None:
        return f"<embedded {EXAMPLE_NAME}>", example_text()
    path = Path(path)
    try:
        return str(path), path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found; create one with 'plein init'"]) from None
    except OSError as exc:
        raise ConfigError(str(path), [f"cannot read file: {exc.strerror}"]) from None


def parse_config(text: str, source: str, environ: Mapping[str, str] | None = None) -> PleinConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(source, [f"{SYNTAX_ERROR}: {exc}"]) from None
    env = os.environ if environ is None else environ
    saved = _swap_plein_env(env)
    try:
        return PleinConfig(**data)
    except ValidationError as exc:
        t = Translator(config_language(data, env))
        raise ConfigError(source, [describe(err, t) for err in exc.errors()], text) from None
    finally:
        _restore_env(saved)


def _swap_plein_env(env: Mapping[str, str]) -> dict[str, str | None] | None:
    """pydantic-settings reads os.environ; let callers (tests) pass their own mapping."""
    if env is os.environ:
        return None
    saved: dict[str, str | None] = {k: v for k, v in os.environ.items() if k.startswith("PLEIN_")}
    for key in saved:
        del os.environ[key]
    for key, value in env.items():
        if key.startswith("PLEIN_"):
            saved.setdefault(key, None)
            os.environ[key] = value
    return saved


def _restore_env(saved: dict[str, str | None] | None) -> None:
    if saved is None:
        return
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def config_language(data: Mapping[str, Any], env: Mapping[str, str]) -> str:
    """The community's language as far as the file (or the environment) says, else English."""
    community = data.get("community")
    language = community.get("language") if isinstance(community, Mapping) else None
    language = env.get("PLEIN_COMMUNITY__LANGUAGE", language)
    return language if language in LANGUAGES else "en"


def describe(err: Mapping[str, Any], t: Translator | None = None) -> str:
    """One pydantic error as 'key.path: message', never echoing the input (it may be a secret).
    Positions in lists count from 1, as people count. Cron and survey question mistakes are told in `t`'s language."""
    loc = tuple(err.get("loc", ()))
    path = key_path(loc) or "(top level)"
    kind = err.get("type", "")
    if t is not None and kind in CRON_ERRORS:
        ctx = dict(err.get("ctx", {}))
        ctx["field"] = t(f"check.cron.field.{ctx['field']}")
        return f"{path}: {t(f'check.{kind}', **ctx)}"
    if t is not None and kind in SURVEY_ERRORS | ONBOARDING_ERRORS:
        return f"{path}: {t(f'check.{kind}', **dict(err.get('ctx', {})))}"
    if kind == "extra_forbidden":
        return f"{path}: unknown key{_did_you_mean(loc)}"
    if kind == "missing":
        return f"{path}: required key is missing"
    message = str(err.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        message = f"must be one of {expected}"
    return f"{path}: {message}"


def key_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    known = _known_keys(PleinConfig, loc[:-1])
    if not known:
        return ""
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    allowed = ", ".join(sorted(known))
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} (allowed: {allowed})"


def _known_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            current = field.annotation if field else None
        elif typing.get_origin(current) in (dict, Mapping):
            current = typing.get_args(current)[1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/list wrappers down to the model inside, when there is one."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(models) == 1:
                annotation = models[0]
                continue
        if origin is list:
            return annotation
        return annotation
