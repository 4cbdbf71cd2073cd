"""Benchmark: generate a 10x data set, load it into a fresh warehouse, validate it.

Prints raw-load throughput (rows/s), peak resident memory, and the cost of the
Great Expectations raw gate per million rows. Not a test: figures, not assertions.

    .venv/bin/python benchmarks/raw_load.py [--people 50000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.ingest.raw_contract import raw_tables
from dagster_project.ingest.raw_loader import load_table
from dagster_project.quality.gates import suite_parameters
from dagster_project.quality.gx_validation import validate_table
from dagster_project.resources import LandingFolder
from dagster_project.settings import DATA_DIR


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(out: Path, people: int) -> float:
    marker = out / "extract.json"
    if marker.is_file() and json.loads(marker.read_text()).get("people") == people:
        print(f"reusing {out} ({people} people)")
        return 0.0
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", "--people", str(people), "--out", str(out)], check=True
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=50_000, help="10x the bundled 5,000 people by default")
    parser.add_argument("--out", type=Path, default=DATA_DIR / "bench" / "extracts_10x")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark warehouse")
    args = parser.parse_args()

    generation_s = generate(args.out, args.people)
    size_mb = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file()) / 1e6
    print(f"extracts: {args.out}  {size_mb:.1f} MB compressed  (generation {generation_s:.1f} s)")

    workdir = Path(tempfile.mkdtemp(prefix="bench_", dir=args.out.parent))
    warehouse = workdir / "warehouse.duckdb"
    total_rows, load_s = 0, 0.0
    with duckdb.connect(str(warehouse)) as con:
        print(f"\n{'table':28} {'rows':>10} {'seconds':>8} {'rows/s':>10}")
        for table in raw_tables():
            result = load_table(con, table, args.out, datetime.now())
            total_rows += result.rows_added
            load_s += result.duration_s
            print(
                f"{table.name:28} {result.rows_added:>10,} {result.duration_s:>8.2f}"
                f" {result.rows_added / max(result.duration_s, 1e-9):>10,.0f}"
            )
        print(f"{'raw load, all tables':28} {total_rows:>10,} {load_s:>8.2f} {total_rows / load_s:>10,.0f}")
        print(f"peak RSS after load: {peak_rss_mib():,.0f} MiB")

        parameters = suite_parameters(LandingFolder(path=str(args.out)))
        gate_rows, gate_s, expectations = 0, 0.0, 0
        for table in raw_tables():
            suite = validate_table(con, "raw", "raw", table.name, parameters)
            gate_rows += suite.rows_validated
            gate_s += suite.duration_s
            expectations += len(suite.outcomes)
            if not suite.success:
                print(f"  gate failed on {table.name}: {[o.summary() for o in suite.failures]}")
        print(
            f"\nraw quality gate: {expectations} expectations over {gate_rows:,} rows in {gate_s:.1f} s"
            f" = {gate_s / (gate_rows / 1e6):.1f} s per million rows (all suites)"
        )
        ga4 = validate_table(con, "raw", "raw", "ga4_events", parameters)
        print(
            f"ga4_events alone: {len(ga4.outcomes)} expectations, {ga4.rows_validated:,} rows, {ga4.duration_s:.1f} s"
            f" = {ga4.duration_s / (ga4.rows_validated / 1e6):.1f} s per million rows"
        )
    print(f"peak RSS overall: {peak_rss_mib():,.0f} MiB")
    if not args.keep:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
