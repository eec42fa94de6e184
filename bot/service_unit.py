"""`plein service unit`: a systemd unit for this install, printed for the operator to review."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_CONFIG = 2
"""`plein run`'s exit code for a configuration error (bot/cli.py uses this one)."""


def _arg(value: str | Path) -> str:
    """systemd's command-line quoting: double quotes around anything with a space."""
    text = str(value)
    if any(c in text for c in ' "\\'):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


@dataclass(frozen=True)
class ServiceUnit:
    community: str
    user: str
    working_directory: Path
    command: tuple[str, ...]
    """How to start plein here (the installed script, or the interpreter with -m bot)."""
    config: Path
    environment_file: Path

    def text(self) -> str:
        parts: tuple[str | Path, ...] = (
            *self.command,
            "run",
            "--config",
            self.config,
            "--log-format",
            "json",
            "--log-level",
            "INFO",
        )
        start = " ".join(_arg(part) for part in parts)
        return f"""# Plein as a systemd service: save as /etc/systemd/system/plein.service, then
#   systemctl daemon-reload && systemctl enable --now plein
# Secrets (PLEIN_DISCORD__TOKEN, PLEIN_SLACK__BOT_TOKEN, ...) go in the environment file,
# readable by {self.user} only (chmod 600). `systemctl reload plein` re-reads the config file.
[Unit]
Description=Plein community bot ({self.community})
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
User={self.user}
WorkingDirectory={_arg(self.working_directory)}
EnvironmentFile=-{_arg(self.environment_file)}
ExecStart={start}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5
# Exit code {EXIT_CONFIG} is a configuration error: restarting would not fix it.
RestartPreventExitStatus={EXIT_CONFIG}
KillSignal=SIGTERM
TimeoutStopSec=15
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full

[Install]
WantedBy=multi-user.target
"""
