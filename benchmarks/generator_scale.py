"""Benchmark: how the synthetic-data generator scales with the number of people.

Runs ``python -m seeds.generator generate`` once per scale (default date range and seed)
into a git-ignored folder under ``data/``, each in its own child process, and prints per
scale: people, wall and CPU seconds (the child's user + system time, its deflate threads included), CPU
milliseconds per person, people per second (wall), the child's peak resident memory (and per person), the
size written, the load average around the run (the machine may be shared: CPU seconds are the figure to
compare), and the rows written per table. Not a test: figures, not assertions.

    .venv/bin/python benchmarks/generator_scale.py [--people 5000 20000 50000] [--keep] [--timeout S] [--gzip-level N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import threading
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
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after

    @property
    def cpu_ms_per_person(self) -> float:
        return 1000 * self.cpu_seconds / self.people if self.people else 0.0

    @property
    def kib_per_person(self) -> float:
        return self.peak_rss_mib * 1024 / self.people if self.people else 0.0

    @property
    def people_per_s(self) -> float:
        return self.people / self.seconds if self.seconds else 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def generate(
    people: int, out: Path, seed: int | None, timeout: float | None = None, gzip_level: int | None = None
) -> Run:
    """One generation in a child process; its own peak RSS from wait4 (not the benchmark's)."""
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-m", "seeds.generator", "generate", "--people", str(people), "--out", str(out)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if gzip_level is not None:
        cmd += ["--gzip-level", str(gzip_level)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    log = out.parent / f"{out.name}.log"
    out.parent.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("w") as stderr:
        child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        timer = threading.Timer(timeout, child.kill) if timeout else None
        if timer is not None:
            timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            if timer is not None:
                timer.cancel()
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        cpu = usage.ru_utime + usage.ru_stime
        raise SystemExit(
            f"generation of {people} people failed ({child.returncode}) after {seconds:.0f} s"
            f" ({cpu:.0f} s CPU, peak RSS {usage.ru_maxrss / 1024:.0f} MiB), see {log}"
        )
    rows: dict[str, int] = {}
    for line in log.read_text().splitlines():
        m = _ROWS.match(line)
        if m:
            rows[m.group(1)] = int(m.group(2).replace(",", ""))
    size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    cpu = usage.ru_utime + usage.ru_stime
    load = (load_before, os.getloadavg()[0])
    return Run(people, seconds, cpu, usage.ru_maxrss / 1024, size_mb, rows, load)  # ru_maxrss is in KiB on Linux


def report(runs: list[Run]) -> None:
    print(
        f"{'people':>10} {'wall s':>9} {'CPU s':>9} {'CPU ms/p':>9} {'people/s':>9} {'peak RSS MiB':>13}"
        f" {'KiB/p':>7} {'MB written':>11} {'rows':>12} {'load':>11}"
    )
    for run in runs:
        print(
            f"{run.people:>10,d} {run.seconds:>9.1f} {run.cpu_seconds:>9.1f} {run.cpu_ms_per_person:>9.2f}"
            f" {run.people_per_s:>9.0f} {run.peak_rss_mib:>13.0f} {run.kib_per_person:>7.1f} {run.size_mb:>11.1f}"
            f" {run.total_rows:>12,d} {run.load[0]:>5.1f}-{run.load[1]:<5.1f}"
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
    parser.add_argument("--timeout", type=float, default=None, help="kill a generation after this many seconds")
    parser.add_argument("--gzip-level", type=int, default=None, help="the generator's --gzip-level (default: its own)")
    args = parser.parse_args(argv)

    runs: list[Run] = []
    for people in args.people:
        out = args.out / f"people_{people}"
        run = generate(people, out, args.seed, args.timeout, args.gzip_level)
        runs.append(run)
        print(
            f"{people:,d} people: {run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU, {run.cpu_ms_per_person:.2f} ms"
            f" per person), {run.people_per_s:.0f} people/s, peak RSS {run.peak_rss_mib:.0f} MiB, {run.total_rows:,d}"
            f" rows, load {run.load[0]:.1f}-{run.load[1]:.1f}",
            flush=True,
        )
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    print()
    report(runs)


if __name__ == "__main__":
    main()
