"""``crm-warehouse quarantine list | show | release | drop``: resolve files the raw gate quarantined.

The same actions run from the Dagster UI as the ``resolve_quarantine`` job
(``dagster_project/assets/quarantine.py``); both go through ``dagster_project.quality.quarantine``.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path

import duckdb

from dagster_project.operations.run_lock import hold_warehouse
from dagster_project.quality import quarantine


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "quarantine",
        help="list, show, release or drop landing files the raw gate quarantined",
        description="Files whose rows failed the raw gate are kept out of staging until resolved here, "
        "or by fixing / deleting the file in the landing folder.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="files in quarantine (with --all, resolved ones too)")
    listing.add_argument("--all", action="store_true")
    for name, text in (
        ("show", "why a file is quarantined, and its first rows"),
        ("release", "accept the file's rows as they are: back into raw, judged valid"),
        ("drop", "delete the file's rows (the file is not loaded again unless it changes)"),
    ):
        action = actions.add_parser(name, help=text)
        action.add_argument("table", help="raw table, e.g. delighted_survey_responses")
        action.add_argument(
            "file", help="file as listed, e.g. delighted_survey_responses/survey_responses_20261111_page1.json"
        )
        if name == "show":
            action.add_argument("--rows", type=int, default=20)


def list_lines(con: duckdb.DuckDBPyConnection, include_resolved: bool = False) -> list[str]:
    entries = quarantine.quarantined(con, include_resolved=include_resolved)
    if not entries:
        return ["no file is in quarantine"]
    lines = []
    for entry in entries:
        state = (
            f"resolved {entry.resolved_at:%Y-%m-%d %H:%M}: {entry.resolution}" if entry.resolved_at else "in quarantine"
        )
        lines.append(
            f"{entry.table_name}  {entry.file_name}  {entry.rows} rows  since"
            f" {entry.quarantined_at:%Y-%m-%d %H:%M}  {state}"
        )
        lines.extend(f"    {failure}" for failure in entry.failures)
    return lines


def show_lines(con: duckdb.DuckDBPyConnection, table: str, file_name: str, rows: int) -> list[str]:
    entry = next((e for e in quarantine.quarantined(con, table) if e.file_name == file_name), None)
    columns, records = quarantine.quarantined_rows(con, table, file_name, rows)
    assert entry is not None  # quarantined_rows raised otherwise
    lines = [entry.describe(), "", "\t".join(columns)]
    lines += ["\t".join("" if v is None else str(v) for v in record) for record in records]
    lines.append("")
    lines.append(f"all rows: select * from quarantine.{table} where _source_file = '{file_name}' order by _source_row;")
    return lines


def run(args: argparse.Namespace, warehouse_path: Path) -> int:
    if not warehouse_path.exists():
        print(f"no warehouse at {warehouse_path}: nothing is in quarantine")
        return 0
    read_only = args.action in ("list", "show")
    guard = (
        nullcontext() if read_only else hold_warehouse(warehouse_path, holder=f"crm-warehouse quarantine {args.action}")
    )
    try:
        with guard, duckdb.connect(str(warehouse_path), read_only=read_only) as con:
            if args.action == "list":
                lines = list_lines(con, args.all)
            elif args.action == "show":
                lines = show_lines(con, args.table, args.file, args.rows)
            elif args.action == "release":
                moved = quarantine.release(con, args.table, args.file, by="crm-warehouse quarantine release")
                lines = [f"released {args.file}: {moved} rows back in raw.{args.table}; the next run takes them on"]
            else:
                deleted = quarantine.drop(con, args.table, args.file, by="crm-warehouse quarantine drop")
                lines = [
                    f"dropped {args.file}: {deleted} rows deleted; replace the file"
                    " in the landing folder to load it again"
                ]
    except LookupError as error:
        print(error)
        return 2
    print("\n".join(lines))
    return 0
