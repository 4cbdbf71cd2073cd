"""Benchmark: SIGKILL the pipeline at 10 points; the published file survives and the next run succeeds.

On a fresh work folder (landing seeded with the bundled extracts) a first full run builds the
warehouse and publishes it. Then, for each kill point, a new small valid landing file is dropped
(one spend row under a new name, a later date) so the load has work to do, the pipeline
(``python -m dagster_project.operations.cli run``, its own process group) is started and killed with SIGKILL
(the whole group: dbt subprocesses too) shortly after the matching step started. The point is
detected from the run's event log in the work folder's DAGSTER_HOME (STEP_START events), not from
the console output. Then:

(a) the published DuckDB file opens read-only and holds every mart table with the row counts it
    had before the kill, and its Parquet copy has the same tables and counts;
(b) the next run, without any cleanup, exits 0 (its publish then becomes the next baseline).

Where the gates run: a dbt layer's dbt tests run inside the layer step (``dbt_staging``...); each
Great Expectations gate is a separate asset-check step (``<asset>_great_expectations_<layer>``), so
a "gate" point is a kill while one of those steps executes.

A BI reader (a thread opening the published file read-only every ~0.2 s, querying marts and reading
the Parquet copy) runs during the first ``--reader-runs`` complete (recovery) runs; reads and errors
are counted (target 0 errors). Prints a table; exits 1 if any point failed.

    PYTHONPATH=. .venv/bin/python benchmarks/crash_safety.py [--points raw_load,publish] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dagster_project.operations.cli import seed_landing
from dagster_project.settings import DATA_DIR, PROJECT_ROOT

# ml__text_sentiment runs right after staging; the CLV model runs after the KPI marts
ML_STEPS = ("ml__customer_clv_predictions",)


def _gate(layer: str) -> Callable[[str], bool]:
    return lambda key: key.endswith(f"great_expectations_{layer}")


# kill point -> which executing step it is (step keys of the Dagster run)
KILL_POINTS: dict[str, Callable[[str], bool]] = {
    "raw_load": lambda key: (
        key.startswith("raw__") and "great_expectations" not in key and key >= "raw__finance_marketing_spend"
    ),  # the table that has the new file
    "raw_gate": _gate("raw"),
    "staging": lambda key: key == "dbt_staging",
    "staging_gate": _gate("staging"),
    "identity": lambda key: key == "dbt_unified_customer",
    "unified_gate": _gate("unified"),
    "kpi_marts": lambda key: key == "dbt_kpi_marts",
    "marts_gate": _gate("marts"),
    "models": lambda key: key in ML_STEPS,
    "publish": lambda key: key.startswith("published"),
}


@dataclass
class Outcome:
    point: str
    killed_step: str = ""
    running_at_kill: list[str] = field(default_factory=list)
    published_ok: bool = False
    next_run_ok: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.published_ok and self.next_run_ok


class Work:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.landing = root / "landing"
        self.warehouse = root / "warehouse.duckdb"
        self.published = root / "published" / "warehouse.duckdb"
        self.parquet = root / "published" / "parquet"
        self.home = root / "dagster_home"
        self.logs = root / "logs"
        for folder in (self.landing, self.home, self.logs):
            folder.mkdir(parents=True, exist_ok=True)

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "CRM_WAREHOUSE_PATH": str(self.warehouse),
            "CRM_LANDING_DIR": str(self.landing),
            "CRM_PUBLISHED_PATH": str(self.published),
            "CRM_PUBLISHED_PARQUET_DIR": str(self.parquet),
            "DAGSTER_HOME": str(self.home),
            "DBT_TARGET_PATH": str(self.root / "dbt_target"),
            "CRM_DATA_DIR": str(self.root / "data"),
        }


def drop_new_spend_file(work: Work, n: int) -> Path:
    """One valid spend row under a new file name, dated after the extract's last spend day."""
    folder = work.landing / "finance_marketing_spend"
    source = sorted(folder.glob("marketing_spend*.csv*"))[0]
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, last = rows[0], rows[-1]
    row = list(last)
    row[header.index("amount")] = f"{1 + n}.00"
    row[header.index("utm_campaign")] = ""
    row[header.index("cost_type")] = "fee"
    row[header.index("channel")], row[header.index("platform")] = "email", "esp"
    target = folder / f"marketing_spend_crash_{n:02d}.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(row)
    settled = time.time() - 60  # a finished delivery, not one still being written (CRM_LANDING_SETTLE_SECONDS)
    os.utime(target, (settled, settled))
    return target


class RunWatcher:
    """Reads the latest run's step events from the work folder's Dagster instance."""

    def __init__(self, home: Path, known_runs: set[str]) -> None:
        os.environ["DAGSTER_HOME"] = str(home)
        from dagster import DagsterInstance

        self.instance = DagsterInstance.from_config(str(home))
        self.known = known_runs
        self.run_id: str | None = None

    def running_steps(self) -> tuple[list[str], list[str]]:
        """(steps started so far in order, steps executing now)."""
        if self.run_id is None:
            runs = [r for r in self.instance.get_runs(limit=3) if r.run_id not in self.known]
            if not runs:
                return [], []
            self.run_id = runs[0].run_id
        started: list[str] = []
        done: set[str] = set()
        for record in self.instance.all_logs(self.run_id):
            event = record.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type_value == "STEP_START":
                started.append(event.step_key)
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED", "STEP_UP_FOR_RETRY"):
                done.add(event.step_key)
        return started, [s for s in started if s not in done]


def all_run_ids(home: Path) -> set[str]:
    from dagster import DagsterInstance

    with DagsterInstance.from_config(str(home)) as instance:
        return {r.run_id for r in instance.get_runs()}


def run_pipeline(
    work: Work, label: str, kill: Callable[[str], bool] | None = None, delay: float = 1.5, timeout: float = 1800
) -> tuple[int | None, Outcome | None, float]:
    """Run the CLI; with ``kill``, SIGKILL its process group ``delay`` s after a matching step started."""
    with open(work.logs / f"{label}.log", "w", encoding="utf-8") as log:
        known = all_run_ids(work.home)
        started_at = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.operations.cli", "run"],
            cwd=PROJECT_ROOT,
            env=work.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        outcome = None
        if kill is not None:
            outcome = Outcome(point=label)
            watcher = RunWatcher(work.home, known)
            while proc.poll() is None and time.monotonic() - started_at < timeout:
                time.sleep(0.3)
                try:
                    started, running = watcher.running_steps()
                except Exception as error:  # sqlite busy while the run writes: poll again
                    outcome.notes.append(f"poll: {type(error).__name__}") if not outcome.notes else None
                    continue
                hit = [s for s in running if kill(s)]
                if hit:
                    time.sleep(delay)
                    _, running = watcher.running_steps()
                    os.killpg(proc.pid, signal.SIGKILL)
                    outcome.killed_step, outcome.running_at_kill = hit[0], running
                    break
                if any(kill(s) for s in started):  # started and finished between two polls: kill now
                    os.killpg(proc.pid, signal.SIGKILL)
                    outcome.killed_step = next(s for s in started if kill(s)) + " (already finished)"
                    outcome.running_at_kill = running
                    break
            else:
                outcome.notes.append(f"point never reached (exit {proc.returncode})")
            watcher.instance.dispose()
        try:
            rc = proc.wait(timeout=max(1.0, timeout - (time.monotonic() - started_at)))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            rc = None
        with contextlib.suppress(ProcessLookupError):  # no orphan (a dbt child) may survive the group kill
            os.killpg(proc.pid, signal.SIGKILL)
    return rc, outcome, time.monotonic() - started_at


def published_counts(work: Work) -> tuple[dict[str, int], dict[str, int]]:
    """Row count per marts table of the published file (read-only) and of its Parquet copy."""
    con = duckdb.connect(str(work.published), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        counts = {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    parquet: dict[str, int] = {}
    if work.parquet.exists():
        with duckdb.connect() as mem:
            for path in sorted((work.parquet / "marts").glob("*.parquet")):
                parquet[path.stem] = mem.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]
    return counts, parquet


def leftovers(work: Work) -> list[str]:
    """Files a crash may leave behind: WALs, temp copies, lock files, staged Parquet versions."""
    found = []
    for path in [*work.root.glob("*"), *(work.root / "published").glob("*"), *(work.root / "published").glob(".*/*")]:
        name = path.name
        if name.endswith((".wal", ".tmp", ".lock", ".lnk")) or ".tmp" in name or name.startswith(".~"):
            found.append(str(path.relative_to(work.root)))
    return sorted(found)


def stuck_runs(work: Work) -> list[str]:
    from dagster import DagsterInstance, DagsterRunStatus

    with DagsterInstance.from_config(str(work.home)) as instance:
        return [
            f"{r.run_id[:8]}:{r.status.value}"
            for r in instance.get_runs()
            if r.status in (DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.QUEUED)
        ]


class BiReader(threading.Thread):
    """Opens the published file read-only every ~0.2 s, queries marts, reads the Parquet copy."""

    QUERIES = (
        "select count(*), sum(net_revenue_eur) from marts.mart_commerce_kpis_monthly",
        "select * from marts.mart_nps_monthly order by period_start_date desc limit 5",
        "select count(*) from marts.dim_customer",
    )

    def __init__(self, work: Work) -> None:
        super().__init__(daemon=True)
        self.work, self.reads, self.errors = work, 0, []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                con = duckdb.connect(str(self.work.published), read_only=True)
                try:
                    for query in self.QUERIES:
                        con.execute(query).fetchall()
                finally:
                    con.close()
                with duckdb.connect() as mem:
                    mem.execute(
                        "select count(*)"
                        f" from read_parquet('{self.work.parquet}/marts/mart_commerce_kpis_monthly.parquet')"
                    ).fetchall()
                self.reads += 1
            except Exception as error:  # every failure a BI tool would see
                self.errors.append(f"{type(error).__name__}: {str(error)[:160]}")
            self.stop.wait(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", default=",".join(KILL_POINTS), help="comma-separated subset of the kill points")
    parser.add_argument("--workdir", type=Path, help="reuse this work folder (built by an earlier --keep run)")
    parser.add_argument("--delay", type=float, default=1.5, help="seconds between a step's start and the kill")
    parser.add_argument("--reader-runs", type=int, default=3, help="complete runs during which the BI reader reads")
    parser.add_argument("--keep", action="store_true", help="keep the work folder to inspect")
    parser.add_argument(
        "--extracts",
        type=Path,
        default=None,
        help="landing extracts to seed (default: the bundled ones); e.g. a smaller folder made by"
        " `crm-seeds generate --people 300 --start 2026-01-01 --end 2026-02-28 --out DIR` for shorter runs",
    )
    args = parser.parse_args()
    points = [p.strip() for p in args.points.split(",") if p.strip()]
    unknown = set(points) - set(KILL_POINTS)
    if unknown:
        raise SystemExit(f"unknown kill point(s) {sorted(unknown)}; known: {', '.join(KILL_POINTS)}")

    if args.workdir:
        work = Work(args.workdir.resolve())
    else:
        (DATA_DIR / "bench").mkdir(parents=True, exist_ok=True)
        work = Work(Path(tempfile.mkdtemp(prefix="bench_crash_", dir=DATA_DIR / "bench")))
    print(f"work folder {work.root}")
    if not work.published.exists():
        seeded = seed_landing(work.landing, args.extracts) if args.extracts else seed_landing(work.landing)
        print(
            f"seeded {len(seeded)} landing files from {args.extracts or 'the bundled extracts'}; first full run ...",
            flush=True,
        )
        rc, _, seconds = run_pipeline(work, "initial")
        print(f"  first run: exit {rc} in {seconds:.0f} s", flush=True)
        if rc != 0:
            raise SystemExit(f"the first full run failed: see {work.logs / 'initial.log'}")
    before, before_parquet = published_counts(work)
    print(f"published: {len(before)} mart tables, {sum(before.values()):,} rows", flush=True)

    outcomes: list[Outcome] = []
    reader_stats: list[tuple[int, int]] = []
    reader_errors: list[str] = []
    for n, point in enumerate(points, start=1):
        drop_new_spend_file(work, n + int(time.time()) % 1000 * 100)
        rc, outcome, seconds = run_pipeline(work, f"kill_{point}", KILL_POINTS[point], args.delay)
        assert outcome is not None
        print(
            f"[{n}/{len(points)}] {point}: killed in {outcome.killed_step or '-'} after {seconds:.0f} s"
            f" (running: {', '.join(outcome.running_at_kill[:4])})",
            flush=True,
        )
        if rc == 0 and not outcome.killed_step:
            outcome.notes.append("run finished before the point was reached")
        left = leftovers(work)
        if left:
            outcome.notes.append(f"left: {', '.join(left)}")
        stuck = stuck_runs(work)
        if stuck:
            outcome.notes.append(f"runs still marked running: {', '.join(stuck)}")
        try:
            after, after_parquet = published_counts(work)
            missing = sorted(set(before) - set(after))
            changed = sorted(t for t in before if t in after and after[t] != before[t])
            pq_bad = sorted(t for t in after if after_parquet.get(t) != after[t]) if before_parquet else []
            outcome.published_ok = not missing and not changed and not pq_bad
            if missing or changed:
                outcome.notes.append(f"published changed: missing {missing[:3]} changed {changed[:3]}")
            if pq_bad:
                outcome.notes.append(f"parquet differs from DuckDB: {pq_bad[:3]}")
        except Exception as error:
            outcome.notes.append(f"published unreadable: {type(error).__name__}: {str(error)[:200]}")
        reader = BiReader(work) if len(reader_stats) < args.reader_runs else None
        if reader:
            reader.start()
        rc2, _, seconds2 = run_pipeline(work, f"after_{point}")
        if reader:
            reader.stop.set()
            reader.join()
            reader_stats.append((reader.reads, len(reader.errors)))
            reader_errors += reader.errors[:5]
        outcome.next_run_ok = rc2 == 0
        if rc2 != 0:
            tail = (work.logs / f"after_{point}.log").read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            outcome.notes.append(
                f"next run exit {rc2}: " + " | ".join(line.strip()[:160] for line in tail if line.strip())[-900:]
            )
        print(
            f"      published intact: {outcome.published_ok}; next run exit {rc2} in {seconds2:.0f} s"
            + (f"; BI reader {reader.reads} reads, {len(reader.errors)} errors" if reader else ""),
            flush=True,
        )
        outcomes.append(outcome)
        if outcome.next_run_ok:
            before, before_parquet = published_counts(work)

    print()
    print(f"{'point':<14} {'killed in':<48} {'published':<10} {'next run':<9} result")
    for o in outcomes:
        print(
            f"{o.point:<14} {o.killed_step[:48]:<48} {'intact' if o.published_ok else 'BROKEN':<10}"
            f" {'exit 0' if o.next_run_ok else 'FAILED':<9} {'pass' if o.passed else 'FAIL'}"
        )
        for note in o.notes:
            print(f"{'':<14} note: {note}")
    passed = sum(o.passed for o in outcomes)
    print(f"\ncrash safety: {passed}/{len(outcomes)} kill points passed")
    reads, errors = sum(r for r, _ in reader_stats), sum(e for _, e in reader_stats)
    print(f"BI reader during {len(reader_stats)} complete runs with publishes: {reads} reads, {errors} errors")
    for error in reader_errors:
        print(f"    {error}")
    if args.keep or args.workdir:
        print(f"kept {work.root}")
    else:
        shutil.rmtree(work.root, ignore_errors=True)
    return 0 if passed == len(outcomes) and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
