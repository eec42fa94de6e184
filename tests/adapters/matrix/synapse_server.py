"""A real Synapse homeserver for the test session, from PyPI, in its own cached virtualenv.

matrix-synapse pins its own dependencies, so it is installed into a virtual environment of its
own under ~/.cache/plein-tests/synapse-<version>/ (about 2 minutes once; later sessions reuse
it). Each session generates a config on loopback with SQLite and a registration shared secret,
starts the server once (about 6 s) and registers users through the shared-secret admin API.

`PLEIN_TEST_SYNAPSE_CACHE` moves the cache. When Synapse cannot be installed or started, the
Matrix tests fail with the reason in CI (env CI set) and are skipped with it elsewhere.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SYNAPSE_VERSION = "1.163.2"
CACHE_VARIABLE = "PLEIN_TEST_SYNAPSE_CACHE"
INSTALL_TIMEOUT = 900
START_TIMEOUT = 120
SERVER_NAME = "localhost"


class SynapseUnavailable(RuntimeError):
    pass


def cache_dir() -> Path:
    base = os.environ.get(CACHE_VARIABLE) or Path.home() / ".cache" / "plein-tests"
    return Path(base) / f"synapse-{SYNAPSE_VERSION}"


def install() -> Path:
    """The virtualenv's python, installing matrix-synapse first if this version is not cached."""
    home = cache_dir()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SynapseUnavailable(f"cannot create the cache {home}: {error}") from error
    python = home / "venv" / "bin" / "python"
    marker = home / "installed"
    with open(home / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two sessions at once install once
        if marker.exists() and python.exists():
            return python
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(home / "venv")],
            [str(python), "-m", "pip", "install", "-q", f"matrix-synapse=={SYNAPSE_VERSION}"],
        ]
        for step in steps:
            try:
                done = subprocess.run(
                    step, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False
                )
            except (OSError, subprocess.TimeoutExpired) as error:
                raise SynapseUnavailable(f"installing Synapse failed: {error}") from error
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
                raise SynapseUnavailable(
                    f"`{' '.join(step[2:5])}` failed (exit {done.returncode}): " + " | ".join(tail)
                )
        marker.write_text(SYNAPSE_VERSION)
    return python


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


UNLIMITED = {"per_second": 1000, "burst_count": 1000}


def write_config(python: Path, data_dir: Path, port: int) -> tuple[Path, str]:
    """Generate a config, then point it at loopback, SQLite, no federation, no rate limits."""
    config = data_dir / "homeserver.yaml"
    generate = [
        str(python),
        "-m",
        "synapse.app.homeserver",
        "--server-name",
        SERVER_NAME,
        "--config-path",
        str(config),
        "--data-directory",
        str(data_dir),
        "--generate-config",
        "--report-stats=no",
    ]
    done = subprocess.run(generate, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise SynapseUnavailable(f"synapse --generate-config failed: {done.stderr.strip()[-400:]}")
    settings: dict[str, Any] = yaml.safe_load(config.read_text())
    settings["listeners"] = [
        {
            "port": port,
            "tls": False,
            "type": "http",
            "bind_addresses": ["127.0.0.1"],
            "x_forwarded": False,
            "resources": [{"names": ["client"], "compress": False}],
        }
    ]
    settings["database"] = {"name": "sqlite3", "args": {"database": str(data_dir / "hs.db")}}
    settings["trusted_key_servers"] = []
    settings["suppress_key_server_warning"] = True
    settings["report_stats"] = False
    settings["enable_metrics"] = False
    settings["log_config"] = str(_log_config(data_dir))
    for key in ("rc_message", "rc_registration", "rc_admin_redaction", "rc_invites_per_room"):
        settings[key] = UNLIMITED
    settings["rc_login"] = {
        "address": UNLIMITED,
        "account": UNLIMITED,
        "failed_attempts": UNLIMITED,
    }
    settings["rc_joins"] = {"local": UNLIMITED, "remote": UNLIMITED}
    settings["rc_invites"] = {"per_room": UNLIMITED, "per_user": UNLIMITED, "per_issuer": UNLIMITED}
    settings["rc_room_creation"] = UNLIMITED
    settings["encryption_enabled_by_default_for_room_type"] = "off"
    # Synapse answers a repeated /sync from its response cache for 2 minutes; a restarted Plein
    # in a test comes back within seconds and must see the server as it is now.
    settings["caches"] = {**(settings.get("caches") or {}), "sync_response_cache_duration": 0}
    config.write_text(yaml.safe_dump(settings))
    return config, str(settings["registration_shared_secret"])


def _log_config(data_dir: Path) -> Path:
    path = data_dir / "log.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "formatters": {
                    "plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}
                },
                "handlers": {
                    "file": {
                        "class": "logging.FileHandler",
                        "formatter": "plain",
                        "filename": str(data_dir / "homeserver.log"),
                    }
                },
                "root": {"level": "WARNING", "handlers": ["file"]},
                "disable_existing_loggers": False,
            }
        )
    )
    return path


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Synapse:
    url: str
    shared_secret: str
    process: subprocess.Popen[bytes]
    data_dir: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def register(self, username: str, *, admin: bool = False) -> dict[str, Any]:
        """A user through the shared-secret admin API; returns user_id and access_token."""
        endpoint = f"{self.url}/_synapse/admin/v1/register"
        with urllib.request.urlopen(endpoint, timeout=10) as answer:
            nonce = json.load(answer)["nonce"]
        password = f"{username}-password"
        role = b"admin" if admin else b"notadmin"
        message = b"\x00".join([nonce.encode(), username.encode(), password.encode(), role])
        mac = hmac.new(self.shared_secret.encode(), message, hashlib.sha1).hexdigest()
        body = {
            "nonce": nonce,
            "username": username,
            "password": password,
            "admin": admin,
            "mac": mac,
            "displayname": username.capitalize(),
        }
        request = urllib.request.Request(
            endpoint,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            registered: dict[str, Any] = json.load(answer)
        registered["password"] = password
        return registered


def start(data_dir: Path) -> Synapse:
    python = install()
    port = free_port()
    config, secret = write_config(python, data_dir, port)
    log = open(data_dir / "stdout.log", "wb")  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        [str(python), "-m", "synapse.app.homeserver", "-c", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=data_dir,
    )
    url = f"http://127.0.0.1:{port}"
    waited = 0.0
    while not _healthy(url):
        if process.poll() is not None:
            raise SynapseUnavailable(
                f"Synapse exited at start ({process.returncode}); see {data_dir}/stdout.log: "
                + (data_dir / "stdout.log").read_text(errors="replace")[-600:]
            )
        if waited > START_TIMEOUT:
            process.kill()
            raise SynapseUnavailable(f"Synapse did not answer on {url} within {START_TIMEOUT} s")
        # Waiting for another process to come up, not for Plein: a poll, not a test's sleep.
        _pause(0.2)
        waited += 0.2
    return Synapse(url, secret, process, data_dir)


def _pause(seconds: float) -> None:
    import select

    select.select([], [], [], seconds)
