"""The `plein` command line: its subcommands, options and help texts."""

from __future__ import annotations

import argparse
from importlib import metadata

from bot.features.privacy.logs import LEVELS


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plein", description="Plein, a community-building bot.")
    parser.add_argument("--version", action="version", version=f"plein {plein_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="run the bot (console community unless a platform is configured)"
    )
    run.add_argument(
        "--config",
        help="the community's TOML file (default: ./plein.toml, else the built-in example)",
    )
    run.add_argument(
        "--adapter",
        choices=["console", "discord", "slack", "matrix"],
        help="default: the configured platform",
    )
    run.add_argument(
        "--script", help="console: read lines from FILE ('-' for stdin) with a simulated clock"
    )
    run.add_argument(
        "--json", action="store_true", help="console: print one JSON object per action"
    )
    run.add_argument(
        "--start",
        help="console script: the simulated clock's start (ISO date-time, local if no zone)",
    )
    run.add_argument(
        "--role",
        default="all",
        choices=["all", "adapter", "worker"],
        help="all (default); adapter: events and commands, no scheduled work; worker: the "
        "scheduled work (on Slack HTTP mode without the events path). See README "
        "'Running several processes'",
    )
    run.add_argument(
        "--log-level",
        default="WARNING",
        type=str.upper,
        choices=LEVELS,
        help="DEBUG, INFO, WARNING (default) or ERROR",
    )
    run.add_argument(
        "--log-format",
        default="text",
        choices=["text", "json"],
        help="text: one key=value line per event (default); json: one JSON object per line",
    )

    check = sub.add_parser("check-config", help="validate a config file")
    check.add_argument("file", nargs="?", default="plein.toml")

    init = sub.add_parser(
        "init", help="answer a few questions and get a plein.toml for your community"
    )
    init.add_argument("dir", nargs="?", default=".")
    init.add_argument("--force", action="store_true", help="overwrite an existing plein.toml")
    how = init.add_mutually_exclusive_group()
    how.add_argument("--yes", action="store_true", help="no questions: a minimal valid file")
    how.add_argument(
        "--example", action="store_true", help="the full example community, every key explained"
    )
    init.add_argument(
        "--language", choices=["nl", "en"], help="with --yes: the community's language (nl)"
    )

    doctor = sub.add_parser(
        "doctor", help="check the configured community against the live platform and database"
    )
    doctor.add_argument("--config")

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations (also done on every start)")
    upgrade.add_argument("--config")
    status = db_sub.add_parser("status", help="show the current and pending revisions")
    status.add_argument("--config")

    service = sub.add_parser("service", help="running Plein as a system service")
    service_sub = service.add_subparsers(dest="service_command", required=True)
    unit = service_sub.add_parser("unit", help="print a systemd unit for this install")
    unit.add_argument(
        "--config", help="the config file the service runs with (default: ./plein.toml)"
    )
    unit.add_argument("--user", help="the account it runs as (default: the current user)")
    unit.add_argument(
        "--env-file",
        help="file with the secrets as PLEIN_... variables (default: plein.env beside the config)",
    )

    discord = sub.add_parser("discord", help="Discord helpers")
    discord_sub = discord.add_subparsers(dest="discord_command", required=True)
    invite = discord_sub.add_parser(
        "invite-url", help="print the OAuth2 URL to add Plein to a server"
    )
    invite.add_argument("--config")
    invite.add_argument(
        "--client-id", help="the application id (default: asked from Discord with the token)"
    )

    slack = sub.add_parser("slack", help="Slack helpers")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True)
    manifest = slack_sub.add_parser("manifest", help="print the Slack app manifest (YAML)")
    manifest.add_argument("--config")

    dashboard = sub.add_parser("dashboard", help="the managers' web dashboard")
    dashboard_sub = dashboard.add_subparsers(dest="dashboard_command", required=True)
    link = dashboard_sub.add_parser(
        "link", help="print a one-time login link (valid 10 minutes, works once)"
    )
    link.add_argument("--config")
    matrix = sub.add_parser("matrix", help="Matrix helpers")
    matrix_sub = matrix.add_subparsers(dest="matrix_command", required=True)
    login = matrix_sub.add_parser(
        "login", help="log the bot user in once and print its access token"
    )
    login.add_argument("--config")
    login.add_argument("--homeserver", help="default: [matrix].homeserver")
    login.add_argument("--user", required=True, help="the bot user, e.g. @plein:example.org")

    backup = sub.add_parser("backup", help="consistent copy of the live SQLite database")
    backup.add_argument("file")
    backup.add_argument("--config")

    restore = sub.add_parser(
        "restore", help="put a SQLite backup in place of the database (Plein must be stopped)"
    )
    restore.add_argument("file")
    restore.add_argument("--config")

    report = sub.add_parser("report", help="the weekly report of one week, as a file")
    report.add_argument("--week", required=True, help="ISO week, like 2026-W14")
    report.add_argument("--format", choices=["md", "csv", "json", "png"], default="md")
    report.add_argument("--out", help="write to this file instead of standard output")
    report.add_argument("--config")

    export = sub.add_parser("export", help="export the tables managers care about")
    export.add_argument("dir")
    export.add_argument("--format", choices=["csv"], default="csv")
    export.add_argument("--config")
    return parser


def plein_version() -> str:
    try:
        return metadata.version("plein")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"
