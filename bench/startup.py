"""Start-up benchmark: `plein run` on the console, against bare interpreters, in the same run.

    python bench/startup.py [--runs 5]

Runs `python -m bot run --adapter console` with this checkout's code on a community file with a
temporary SQLite database, two ways: on a pseudo-terminal, as a person starts it, timed to its
first prompt (the banner and "> "; CPU time read from /proc at that moment), then ended with
Ctrl-D; and with an empty stdin, timed until it has started, met the end of input and stopped.
The database and the bytecode caches are made by a first, unmeasured run, so the measured runs
start on a warm disk with the database at the head revision (no migration pending) and compiled
modules, as an installed Plein has them (PYTHONDONTWRITEBYTECODE is unset for the runs).
Baselines in the same run: `python -c pass` and `python -c "import sqlalchemy"`. Prints the
median wall-clock time of each and the ratios, and the median CPU time (user + system) of each:
on a loaded machine the wall clock mostly measures the wait for a core, the CPU time what
start-up itself costs.
"""

from __future__ import annotations

import argparse
import os
import pty
import resource
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import example_text  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock s, CPU s) of one run."""
    cpu = _children_cpu()
    began = time.perf_counter()
    subprocess.run(command, input="", text=True, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - began, _children_cpu() - cpu


PROMPT = b"> "


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def to_first_prompt(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock s, CPU s) from the start to the interactive console's first prompt."""
    main_end, child_end = pty.openpty()
    began = time.perf_counter()
    child = subprocess.Popen(
        command, stdin=child_end, stdout=child_end, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    os.close(child_end)
    seen = b""
    try:
        while not seen.endswith(PROMPT):
            if not select.select([main_end], [], [], 60)[0]:
                raise RuntimeError(f"no prompt within 60 s; the console printed {seen[-200:]!r}")
            seen += os.read(main_end, 65536)
        wall, cpu = time.perf_counter() - began, _cpu_of(child.pid)
        os.write(main_end, b"\x04")  # Ctrl-D: the console stops
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(main_end)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "plein.toml"
        config.write_text(example_text(), encoding="utf-8")
        env = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPATH": str(ROOT),
            "PLEIN_STORAGE__URL": f"sqlite:///{Path(tmp) / 'plein.db'}",
        }
        plein = [
            sys.executable,
            "-m",
            "bot",
            "run",
            "--adapter",
            "console",
            "--config",
            str(config),
        ]
        commands = {
            "python -c pass": (timed, [sys.executable, "-c", "pass"]),
            "python -c 'import sqlalchemy'": (timed, [sys.executable, "-c", "import sqlalchemy"]),
            "plein run, to the first prompt": (to_first_prompt, plein),
            "plein run, start and stop (empty stdin)": (timed, plein),
        }
        timed(plein, env)  # creates the database and the bytecode; also warms the disk cache
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so load changes hit every command alike
            for name, (measure, command) in commands.items():
                samples[name].append(measure(command, env))
    walls = {name: statistics.median(t[0] for t in times) for name, times in samples.items()}
    cpus = {name: statistics.median(t[1] for t in times) for name, times in samples.items()}
    bare, alchemy = walls["python -c pass"], cpus["python -c 'import sqlalchemy'"]
    for name, wall in walls.items():
        cpu = cpus[name]
        print(
            f"{name:>40}: {wall * 1000:6.0f} ms  ({wall / bare:4.1f}x python -c pass); "
            f"CPU {cpu * 1000:5.0f} ms ({cpu / alchemy:4.2f}x import sqlalchemy)"
        )
    print(f"(median of {args.runs} runs each; load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
