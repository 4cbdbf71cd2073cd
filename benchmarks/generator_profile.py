"""Profile: where one generation spends CPU and memory, stage by stage.

Runs the generator in this process with every pipeline stage wrapped (``World.build``, each module's
``plan`` / ``run`` / ``build`` / ``write``, the ground truth) and prints per stage: the CPU seconds of the
simulating thread, the resident memory before and after and the high-water mark; then the GA4 writer's
split (session expansion, day tables' ordering and JSON lines) and the CPU of the deflate threads
(``seeds/generator/gz.py``), which run beside the stages. ``--cprofile FILE`` also writes a cProfile of
the run (several times slower; read it with ``python -m pstats FILE``). Not a test: figures.

    PYTHONPATH=. .venv/bin/python benchmarks/generator_profile.py --people 20000 [--out DIR] [--cprofile F]
"""

from __future__ import annotations

import argparse
import functools
import resource
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import seeds.generator.exports.ga4 as ga4
import seeds.generator.gz as gz
import seeds.generator.pipeline as pipeline
import seeds.generator.web as web
from seeds.generator.config import DEFAULT_END, DEFAULT_HOLDOUT_MONTHS, DEFAULT_SEED, DEFAULT_START, GeneratorConfig

REPO = Path(__file__).resolve().parents[1]
STAGES: list[tuple[object, str]] = [
    (pipeline.World, "build"),
    (pipeline.Ticketing, "plan"),
    (pipeline, "plan_leads"),
    (pipeline.Shop, "plan"),
    (pipeline.Social, "plan"),
    (pipeline.EmailPlatform, "run"),
    (pipeline, "plan_lead_evaluation_visits"),
    (pipeline.Shop, "build"),
    (pipeline, "assign_customer_numbers"),
    (pipeline.Crm, "plan"),
    (pipeline.Website, "plan"),
    (pipeline.Website, "write"),
    (pipeline.Shop, "write"),
    (pipeline.Ads, "write"),
    (pipeline.SearchConsole, "write"),
    (pipeline.Social, "write"),
    (pipeline.Ticketing, "write"),
    (pipeline.Crm, "write"),
    (pipeline.Feedback, "write"),
    (pipeline.Finance, "write"),
    (pipeline.Blog, "write"),
    (pipeline, "write_truth"),
    (pipeline, "write_holdout"),
]
# inner parts, timed on the thread that runs them (nested in the stages above)
PARTS: list[tuple[object, str, str]] = [
    (web.Website, "_background", "GA4: background sessions"),
    (web.Website, "_expand", "GA4: sessions -> events"),
    (ga4.DailyTables, "_write_day", "GA4: day tables (order + lines)"),
    (ga4.Ga4Event, "line", "GA4:   of which JSON lines"),
    (gz.GzipSink, "_deflate", "deflate threads: deflate + CRC"),
    (gz.GzipSink, "_finish", "deflate threads: file ends"),
]


def _rss_mib() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MiB."""
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def _wrap(owner: object, name: str, record: Callable[[float, float, float], None], rss: bool = True) -> None:
    """Replace ``owner.name`` by a wrapper reporting (thread CPU s, RSS before, RSS after) to ``record``."""
    f = getattr(owner, name)

    @functools.wraps(f)
    def timed(*args, **kwargs):
        cpu, before = time.thread_time(), (_rss_mib()[0] if rss else 0.0)
        try:
            return f(*args, **kwargs)
        finally:
            record(time.thread_time() - cpu, before, _rss_mib()[0] if rss else 0.0)

    setattr(owner, name, timed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=REPO / "data" / "bench" / "generator_profile")
    parser.add_argument("--cprofile", type=Path, default=None, help="also write a cProfile of the run here")
    parser.add_argument("--keep", action="store_true", help="keep the output (removed by default)")
    args = parser.parse_args(argv)

    stages: list[tuple[str, float, float, float, float]] = []
    parts: dict[str, float] = {}
    lock = threading.Lock()
    for owner, name in STAGES:
        label = f"{getattr(owner, '__name__', '').rsplit('.', 1)[-1]}.{name}" if owner is not pipeline else name

        def record(cpu: float, rss: float, after: float, label: str = label) -> None:
            stages.append((label, cpu, rss, after, _rss_mib()[1]))

        _wrap(owner, name, record)
    for owner, name, label in PARTS:

        def add(cpu: float, _rss: float, _after: float, label: str = label) -> None:
            with lock:
                parts[label] = parts.get(label, 0.0) + cpu

        _wrap(owner, name, add, rss=False)

    cfg = GeneratorConfig(
        people=args.people,
        start=DEFAULT_START,
        end=DEFAULT_END,
        seed=args.seed,
        out=args.out,
        holdout_months=DEFAULT_HOLDOUT_MONTHS,
    )
    cpu0, wall0 = time.process_time(), time.perf_counter()
    if args.cprofile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
        pipeline.generate(cfg, lambda s: None)
        profile.disable()
        profile.dump_stats(args.cprofile)
    else:
        pipeline.generate(cfg, lambda s: None)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)

    print(f"{args.people:,d} people: {cpu:.1f} s CPU (all threads), {wall:.1f} s wall")
    print(f"{'stage (simulating thread)':36s} {'CPU s':>8} {'RSS MiB before':>15} {'after':>8} {'peak':>8}")
    for label, stage_cpu, rss, after, hwm in stages:
        print(f"{label:36s} {stage_cpu:8.1f} {rss:15.0f} {after:8.0f} {hwm:8.0f}")
    print(f"{'sum of stages':36s} {sum(s[1] for s in stages):8.1f}")
    print()
    for _owner, _name, label in PARTS:
        print(f"{label:36s} {parts.get(label, 0.0):8.1f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
