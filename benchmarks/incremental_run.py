"""Benchmark: a full build vs a one-day incremental run on the 10x data set.

Loads the 10x extracts (``benchmarks/raw_load.py`` generates them into
``data/bench/extracts_10x``) without the last day of web and email events, builds
everything with the ``full_refresh`` job, then drops that day's events into the landing
folder as new files and runs ``full_pipeline`` (what the daily schedule runs). Prints both
wall times, the ratio and the slowest steps of each. Not a test: figures, not assertions.

    .venv/bin/python benchmarks/incremental_run.py [--extracts data/bench/extracts_10x]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import shutil
import tempfile
import time
from pathlib import Path

from dagster import DagsterInstance

from dagster_project.dbt_project import prepare_dbt_project
from dagster_project.settings import DATA_DIR, Settings


def split_last_day(landing: Path, held: Path) -> tuple[str, int]:
    """Move the last day's GA4 and ESP events out of the landing folder into day files under ``held``.

    GA4 lands as BigQuery's export files (``events_YYYYMMDD[-shard].json.gz``, intraday
    ``events_intraday_YYYYMMDD``): the last day's files move as they are; the ESP's monthly activity file is split.
    """
    ga4_files = sorted((landing / "ga4_events").glob("events_*.json*"))
    days = {path: re.match(r"events_(?:intraday_)?([0-9]{8})", path.name) for path in ga4_files}
    last_day = max(match.group(1) for match in days.values() if match)
    (held / "ga4_events").mkdir(parents=True)
    ga4_rows = 0
    for path, match in days.items():
        if match and match.group(1) == last_day:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                ga4_rows += sum(1 for line in handle if line.strip())
            shutil.move(str(path), held / "ga4_events" / path.name)
    iso_day = f"{last_day[:4]}-{last_day[4:6]}-{last_day[6:]}"
    esp = sorted((landing / "esp_activity").glob("*.csv.gz"))[-1]
    with gzip.open(esp, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    at = header.index("event_at")
    (held / "esp_activity").mkdir(parents=True)
    for path, selected in (
        (esp, [r for r in body if not r[at].startswith(iso_day)]),
        (held / "esp_activity" / f"activity_{last_day}.csv.gz", [r for r in body if r[at].startswith(iso_day)]),
    ):
        with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(selected)
    return iso_day, ga4_rows + sum(1 for r in body if r[at].startswith(iso_day))


def timed_run(settings: Settings, job: str, instance: DagsterInstance) -> tuple[float, bool, list[tuple[str, float]]]:
    from dagster_project.definitions import build_definitions

    started = time.perf_counter()
    result = (
        build_definitions(settings).resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)
    )
    elapsed = time.perf_counter() - started
    steps = {
        event.step_key: event.event_specific_data.duration_ms / 1000
        for event in result.all_events
        if event.event_type_value == "STEP_SUCCESS"
    }
    return elapsed, result.success, sorted(steps.items(), key=lambda kv: -kv[1])[:6]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extracts", type=Path, default=DATA_DIR / "bench" / "extracts_10x")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (warehouse, landing) to inspect")
    args = parser.parse_args()
    if not (args.extracts / "extract.json").is_file():
        raise SystemExit(f"no extracts in {args.extracts}: run benchmarks/raw_load.py first (it generates them)")

    workdir = Path(tempfile.mkdtemp(prefix="bench_incremental_", dir=args.extracts.parent))
    landing, held = workdir / "landing", workdir / "held_back"
    shutil.copytree(args.extracts, landing, ignore=shutil.ignore_patterns("_ground_truth"))
    day, rows = split_last_day(landing, held)
    print(f"held back {rows} events of {day} (GA4 + ESP activity)")
    settings = Settings(warehouse_path=workdir / "warehouse.duckdb", landing_dir=landing)
    prepare_dbt_project()
    instance = DagsterInstance.ephemeral()

    full_s, full_ok, full_steps = timed_run(settings, "full_refresh", instance)
    print(f"full build (full_refresh job): {full_s:.1f} s, success={full_ok}")
    for step, seconds in full_steps:
        print(f"    {step:<40} {seconds:7.1f} s")
    for folder in held.iterdir():
        for path in folder.iterdir():
            shutil.move(str(path), landing / folder.name / path.name)
    inc_s, inc_ok, inc_steps = timed_run(settings, "full_pipeline", instance)
    print(f"one-day incremental run (full_pipeline job): {inc_s:.1f} s, success={inc_ok}")
    for step, seconds in inc_steps:
        print(f"    {step:<40} {seconds:7.1f} s")
    print(f"ratio full / incremental: {full_s / inc_s:.2f}")
    if args.keep:
        print(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
