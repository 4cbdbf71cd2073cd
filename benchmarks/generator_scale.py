"""Benchmark: how the synthetic-data generator scales with the number of people.

Runs ``python -m seeds.generator generate`` once per scale (default date range and seed)
into a git-ignored folder under ``data/``, each in its own child process, and prints per
scale: people, wall and CPU seconds, people per second (wall), the child's peak resident memory, the
size written, and the rows written per table. Not a test: figures, not assertions.

    .venv/bin/python benchmarks/generator_scale.py [--people 5000 20000 50000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "data" / "bench" / "generator"
_ROWS = re.compile(r"^crm-seeds: (\S+)\s+([\d,]+) rows$")


@dataclass
class Run:
    people: int
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    size_mb: float
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def people_per_s(self) -> float:
        return self.people / self.seconds if self.seconds else 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def generate(people: int, out: Path, seed: int | None) -> Run:
    """One generation in a child process; its own peak RSS from wait4 (not the benchmark's)."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "seeds.generator", "generate", "--people", str(people), "--out", str(out)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    log = out.parent / f"{out.name}.log"
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with log.open("w") as stderr:
        child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"generation of {people} people failed ({child.returncode}), see {log}")
    rows: dict[str, int] = {}
    for line in log.read_text().splitlines():
        m = _ROWS.match(line)
        if m:
            rows[m.group(1)] = int(m.group(2).replace(",", ""))
    size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    cpu = usage.ru_utime + usage.ru_stime
    return Run(people, seconds, cpu, usage.ru_maxrss / 1024, size_mb, rows)  # ru_maxrss is in KiB on Linux


def report(runs: list[Run]) -> None:
    print(
        f"{'people':>10} {'wall s':>9} {'CPU s':>9} {'people/s':>9} {'peak RSS MiB':>13} {'MB written':>11}"
        f" {'rows':>12}"
    )
    for run in runs:
        print(
            f"{run.people:>10,d} {run.seconds:>9.1f} {run.cpu_seconds:>9.1f} {run.people_per_s:>9.0f}"
            f" {run.peak_rss_mib:>13.0f} {run.size_mb:>11.1f} {run.total_rows:>12,d}"
        )
    tables = sorted({t for run in runs for t in run.rows})
    print()
    print(f"{'rows per table':32s}" + "".join(f"{run.people:>13,d}" for run in runs))
    for t in tables:
        print(f"{t:32s}" + "".join(f"{run.rows.get(t, 0):>13,d}" for run in runs))
    print(f"{'total':32s}" + "".join(f"{run.total_rows:>13,d}" for run in runs))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[5_000, 20_000, 50_000], help="scales to generate")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the generator's)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="parent folder of the outputs")
    parser.add_argument("--keep", action="store_true", help="keep each scale's output (removed by default)")
    args = parser.parse_args(argv)

    runs: list[Run] = []
    for people in args.people:
        out = args.out / f"people_{people}"
        run = generate(people, out, args.seed)
        runs.append(run)
        print(
            f"{people:,d} people: {run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU), {run.people_per_s:.0f} people/s,"
            f" peak RSS {run.peak_rss_mib:.0f} MiB, {run.total_rows:,d} rows",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    print()
    report(runs)


if __name__ == "__main__":
    main()
