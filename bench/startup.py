"""Start-up benchmark: `plein run` on the console, against bare interpreters, in the same run.

    python bench/startup.py [--runs 5]

Runs `python -m bot run --adapter console` with this checkout's code on a community file with a
temporary SQLite database and an empty stdin: the bot starts (imports, config, database check,
features, scheduler), meets the end of input at its first prompt and stops. The database is
created by a first, unmeasured run, so the measured runs start on a warm disk with the database at
the head revision (no migration pending). Baselines in the same run: `python -c pass` and
`python -c "import sqlalchemy"`. Prints the median wall-clock time of each and the ratios, and
the median CPU time (user + system) of each: on a loaded machine the wall clock mostly measures
the wait for a core, the CPU time what start-up itself costs.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "plein.toml"
        config.write_text(example_text(), encoding="utf-8")
        env = {
            **os.environ,
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
            "python -c pass": [sys.executable, "-c", "pass"],
            "python -c 'import sqlalchemy'": [sys.executable, "-c", "import sqlalchemy"],
            "plein run (console, database current)": plein,
        }
        timed(plein, env)  # creates the database; also warms the disk cache
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so load changes hit every command alike
            for name, command in commands.items():
                samples[name].append(timed(command, env))
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
