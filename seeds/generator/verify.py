"""Check a generated bundle the way the warehouse will take it (development tool).

    python -m seeds.generator.verify seeds/bundled

Loads every landing folder of the bundle with the warehouse's own loader (the dbt source
contract: columns by name, types, the tools' file formats) into an in-memory DuckDB, runs each
raw table's Great Expectations suite (expectations/raw/, the extract window from the bundle's
extract.json), and prints rows and files per table. Exits 1 on a file the loader refuses, a
failed expectation, or a folder no raw table reads. Needs the project's dependencies; the
generator itself does not use them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m seeds.generator.verify")
    parser.add_argument("bundle", type=Path)
    args = parser.parse_args(argv)

    import duckdb
    import pandas as pd

    from dagster_project.ingest.raw_contract import raw_tables
    from dagster_project.ingest.raw_loader import RawLoadError, load_table
    from dagster_project.quality.gx_validation import validate_table

    manifest = json.loads((args.bundle / "extract.json").read_text(encoding="utf-8"))
    first, last = date.fromisoformat(manifest["start"]), date.fromisoformat(manifest["end"])
    start = datetime.combine(first, time.min)
    end = datetime.combine(last + timedelta(days=1), time.min) - timedelta(microseconds=1)
    epoch = datetime(1970, 1, 1)
    parameters = {
        "extract_start": pd.Timestamp(start),
        "extract_end": pd.Timestamp(end),
        "extract_start_date": pd.Timestamp(first),
        "extract_end_date": pd.Timestamp(last),
        "extract_start_us": (start - epoch) // timedelta(microseconds=1),
        "extract_end_us": (end - epoch) // timedelta(microseconds=1),
        "identity_max_component_size": 60,
    }
    con = duckdb.connect()
    problems: list[str] = []
    tables = {t.name: t for t in raw_tables()}
    unknown = sorted(
        p.name for p in args.bundle.iterdir() if p.is_dir() and not p.name.startswith("_") and p.name not in tables
    )
    problems += [f"{name}/: no raw table reads this folder" for name in unknown]
    loaded_at = datetime(2000, 1, 1)
    for name, table in tables.items():
        if not (args.bundle / name).is_dir():
            continue
        try:
            result = load_table(con, table, args.bundle, loaded_at)
        except RawLoadError as error:
            problems.append(str(error))
            continue
        suite = validate_table(con, "raw", "raw", name, parameters)
        failed = [o.summary() for o in suite.failures]
        problems += [f"raw.{name}: {f}" for f in failed]
        print(
            f"{name:<34} {result.rows_added:>9} rows {len(result.files_loaded):>5} files"
            f" {len(result.warnings):>4} warnings"
            f"{'  FAILED' if failed else ''}"
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    print("bundle OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
