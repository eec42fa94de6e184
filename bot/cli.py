"""The `plein` command (also `python -m bot`)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
import threading
from collections.abc import Coroutine, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli_parser import build_parser
from bot.clock import SystemClock
from bot.config import ConfigError, PleinConfig, parse_config
from bot.config.loader import config_source
from bot.features.privacy.logs import Redactor, configure_logging, secret_values
from bot.health import StorageUnavailable
from bot.host import PlatformUnavailable
from bot.runtime import resume_gc_after_startup
from bot.service_unit import EXIT_CONFIG, ServiceUnit

EXIT_OK = 0
EXIT_REFUSED = 3
EXIT_PLATFORM = 3
EXIT_STORAGE = 3


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command != "run":  # `run` resumes it once the app is built
        resume_gc_after_startup()
    redactor = configure_logging(
        getattr(args, "log_level", "WARNING"), getattr(args, "log_format", "text")
    )
    try:
        return _dispatch(args, redactor)
    except ConfigError as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        return EXIT_CONFIG
    except StorageUnavailable as err:
        # One line, no traceback: at start (database unreachable) or after a storage failure.
        print(f"plein: stopped, storage failed: {err.problem}", file=sys.stderr)
        return _exit_past_blocked_threads(EXIT_STORAGE)
    except PlatformUnavailable as err:
        print(f"plein: {err}", file=sys.stderr)
        return EXIT_PLATFORM
    except (OSError, TimeoutError) as err:  # a network failure the adapter did not word itself
        print(f"plein: cannot reach the platform ({err}); check the network", file=sys.stderr)
        return EXIT_PLATFORM
    except Exception as err:
        from storage.in_use import SecondScheduler  # only when something went wrong
        from storage.revisions import DatabaseTooNew

        if not isinstance(err, DatabaseTooNew | SecondScheduler):
            raise
        print(f"plein: {err}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, redactor: Redactor) -> int:
    if args.command == "check-config":
        return check_config(args.file)
    if args.command == "init":
        from bot.setup.init_command import init_community

        return init_community(
            Path(args.dir),
            force=args.force,
            example=args.example,
            yes=args.yes,
            language=args.language,
        )
    if args.command == "run":
        return run(args, redactor)
    config = load_checked(getattr(args, "config", None))
    redactor.add(secret_values(config))
    if args.command == "doctor":
        return asyncio.run(doctor(config))
    if args.command == "db" and args.db_command == "status":
        from bot.database_commands import database_status

        print("\n".join(asyncio.run(database_status(config))))
        return EXIT_OK
    if args.command == "db":
        from bot.database_commands import upgrade_database

        asyncio.run(upgrade_database(config))
        print("database is up to date")
        return EXIT_OK
    if args.command == "service":
        print(service_unit(args, config), end="")
        return EXIT_OK
    if args.command == "restore":
        from bot.database_commands import restore_database

        return run_until_done(restore_database(config, Path(args.file)))
    if args.command == "discord":
        from adapters.discord.cli import invite_url

        print(invite_url(config, client_id=args.client_id))
        return EXIT_OK
    if args.command == "slack":
        from adapters.slack.manifest import manifest_yaml

        print(manifest_yaml(config), end="")
        return EXIT_OK
    if args.command == "dashboard":
        from bot.database_commands import dashboard_link

        print(asyncio.run(dashboard_link(config)))
        return EXIT_OK
    if args.command == "matrix":
        from adapters.matrix.login import login_command

        return login_command(config, args.user, args.homeserver)
    if args.command == "backup":
        from bot.database_commands import backup_database

        return run_until_done(backup_database(config, Path(args.file)))
    if args.command == "report":
        return write_report(config, args)
    if args.command == "export":
        from bot.database_commands import export_tables

        return run_until_done(export_tables(config, Path(args.dir), args.format))
    raise AssertionError(args.command)


def write_report(config: PleinConfig, args: argparse.Namespace) -> int:
    from bot.database_commands import report_command
    from bot.features.report.facts import ReportDataError
    from bot.features.report.formats import parse_iso_week

    try:
        monday = parse_iso_week(args.week)
    except ValueError:
        print(f"plein: not a week: {args.week}; use the ISO week, like 2026-W14", file=sys.stderr)
        return EXIT_CONFIG
    try:
        data = asyncio.run(report_command(config, monday, args.format))
    except ReportDataError as err:
        print(f"plein: the report could not be made: reading {err} failed", file=sys.stderr)
        return EXIT_STORAGE
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


async def doctor(config: PleinConfig) -> int:
    """`plein doctor`: the platform's checks (imported only for the configured platform), then
    the database; one line each, exit 0 when all pass."""
    from bot.app import command_catalogue, default_adapter_name
    from bot.database_commands import database_readiness
    from bot.i18n import Translator
    from bot.setup.doctor import CheckResult, database_check, report

    t = Translator(config.community.language)
    platform = default_adapter_name(config)
    results: list[CheckResult] = []
    if platform == "discord":
        from adapters.discord.doctor import discord_checks

        results += await discord_checks(config, t, await command_catalogue(config))
    elif platform == "slack":
        from adapters.slack.doctor import slack_checks

        results += await slack_checks(config, t)
    elif platform == "matrix":
        from adapters.matrix.doctor import matrix_checks

        results += await matrix_checks(config, t)
    results.append(database_check(t, await database_readiness(config)))
    return report(results, t, print)


def service_unit(args: argparse.Namespace, config: PleinConfig) -> str:
    config_file = Path(args.config or "plein.toml").resolve()
    script = Path(sys.argv[0])
    command = (
        (str(script.resolve()),)
        if script.name == "plein" and script.is_file()
        else (sys.executable, "-m", "bot")
    )
    return ServiceUnit(
        community=config.community.name,
        user=args.user or getpass.getuser(),
        working_directory=Path.cwd(),
        command=command,
        config=config_file,
        environment_file=Path(args.env_file).resolve()
        if args.env_file
        else config_file.with_name("plein.env"),
    ).text()


def load_checked(path: str | None) -> PleinConfig:
    """Load and run the checks that need more than the schema (cron ranges, cross-references)."""
    from bot.app import semantic_problems

    source, text = config_source(path)
    config = parse_config(text, source)
    problems = semantic_problems(config)
    if problems:
        raise ConfigError(source, problems, text)
    return config


def check_config(file: str) -> int:
    config = load_checked(file)
    print(
        f"{file}: ok ({config.community.name}, language {config.community.language}, timezone {config.community.timezone})"
    )
    return EXIT_OK


def parse_start(text: str | None, timezone: str) -> datetime:
    if text is None:
        return SystemClock().now().astimezone(ZoneInfo(timezone))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            "--start", [f"cannot read {text!r}; use an ISO date-time like 2026-03-23T08:00"]
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(timezone))


def run_until_done(main: Coroutine[Any, Any, int]) -> int:
    """Like asyncio.run, but does not wait for executor threads still blocked (an interactive
    console's pending input() after a SIGTERM): the process exits once our work is done."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(main)
    finally:
        try:
            leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in leftovers:
                task.cancel()
            if leftovers:
                loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            asyncio.set_event_loop(None)
            loop.close()


def _exit_past_blocked_threads(code: int) -> int:
    """A thread blocked on input() would keep the interpreter alive at exit; leave without it."""
    if any(
        t.is_alive() and not t.daemon
        for t in threading.enumerate()
        if t is not threading.main_thread()
    ):
        sys.stdout.flush()
        sys.stderr.flush()
        logging.shutdown()
        os._exit(code)
    return code


def run(args: argparse.Namespace, redactor: Redactor) -> int:
    config = load_checked(args.config)
    redactor.add(secret_values(config))
    from bot.app import default_adapter_name
    from bot.app_run import run_app

    adapter = args.adapter or default_adapter_name(config)
    scripted = adapter == "console" and (args.script is not None or not sys.stdin.isatty())
    start = parse_start(args.start, config.community.timezone) if scripted else None
    lines = None
    if args.script and args.script != "-":
        try:
            lines = Path(args.script).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            print(f"{args.script}: cannot read script: {exc.strerror}", file=sys.stderr)
            return EXIT_CONFIG
    elif scripted:
        lines = sys.stdin.read().splitlines()
    code = run_until_done(
        run_app(
            config,
            adapter,
            lines=lines,
            json_output=args.json,
            start=start,
            reload_config=lambda: load_checked(args.config),
            role=args.role,
        )
    )
    return _exit_past_blocked_threads(code)
