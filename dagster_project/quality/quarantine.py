"""Quarantine of landing files whose rows fail the raw gate, and the raw gate's memory of what it judged.

A raw table's rows come from landing files (``raw._load_manifest``). The raw gate validates the rows
of every file it has not judged yet (``audit.validated_files`` keeps the files, by path and checksum,
it passed), so a row can reach staging only after the gate has seen it, whatever happened to earlier
runs, and the cost of a run is proportional to what is new.

When the rows fail, the gate finds the files that fail on their own and quarantines each as a unit:
its rows move from ``raw.<table>`` to ``quarantine.<table>`` (same columns, with their lineage) and
``quarantine.files`` records why (the failed expectations, with file, record and row key of the first
unexpected rows). The other files flow on. A quarantine is resolved by:

* fixing the file in the landing folder (a new checksum at the same path: the loader loads it again
  and the gate judges it afresh), or deleting it: the next gate run notices and forgets its rows;
* ``crm-warehouse quarantine release TABLE FILE`` (rows go back to raw as accepted, stamped with a
  new ``_loaded_at`` so incremental models pick them up) or ``... drop TABLE FILE`` (rows deleted; the
  file stays recorded as loaded, so it is not loaded again until it changes); in the UI, the
  ``resolve_quarantine`` job does the same.

Resolved entries stay in ``quarantine.files`` with ``resolved_at`` and ``resolution``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from dagster_project.ingest.raw_contract import RAW_SCHEMA

QUARANTINE_SCHEMA = "quarantine"
FILES_TABLE = f"{QUARANTINE_SCHEMA}.files"
VALIDATED_TABLE = "audit.validated_files"
MANIFEST_TABLE = f"{RAW_SCHEMA}._load_manifest"
PENDING_TABLE = "_gate_pending_files"


@dataclass(frozen=True)
class QuarantinedFile:
    table_name: str
    file_name: str
    checksum: str
    rows: int
    quarantined_at: datetime
    run_id: str | None
    failures: list[str]
    resolved_at: datetime | None = None
    resolution: str | None = None

    def describe(self) -> str:
        return (
            f"raw.{self.table_name}: file {self.file_name} quarantined {self.quarantined_at:%Y-%m-%d %H:%M} UTC"
            f" ({self.rows} rows kept out of staging): " + "; ".join(self.failures)
        )


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All of the block or nothing of it."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
    )


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create schema if not exists {QUARANTINE_SCHEMA}")
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {FILES_TABLE} (
            table_name varchar not null, file_name varchar not null, checksum varchar not null,
            row_count bigint not null, quarantined_at timestamp not null, run_id varchar, failures json,
            resolved_at timestamp, resolution varchar)"""
    )
    con.execute(
        f"""create table if not exists {VALIDATED_TABLE} (
            table_name varchar not null, file_name varchar not null, checksum varchar not null,
            validated_at timestamp not null, run_id varchar, verdict varchar)"""
    )


def file_predicate(files_sql: str) -> str:
    """Rows whose landing file (a zip archive for its members' rows) is one of ``files_sql``."""
    zip_root = "left(_source_file, strpos(lower(_source_file), '.zip/') + 3)"
    return (
        f"(_source_file in ({files_sql}) or (strpos(lower(_source_file), '.zip/') > 0 and {zip_root} in ({files_sql})))"
    )


def _one_file(file_name: str) -> str:
    return "select " + "'" + file_name.replace("'", "''") + "'"


def pending_files(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(file, checksum) of the table's loaded files the gate has neither passed nor quarantined."""
    ensure_tables(con)
    if not _exists(con, RAW_SCHEMA, "_load_manifest"):
        return []
    return [
        (row[0], row[1])
        for row in con.execute(
            f"""select m.file_name, m.checksum from {MANIFEST_TABLE} m
            where m.table_name = ?
              and not exists (select 1 from {VALIDATED_TABLE} v
                              where v.table_name = m.table_name and v.file_name = m.file_name
                                  and v.checksum = m.checksum)
              and not exists (select 1 from {FILES_TABLE} q
                              where q.table_name = m.table_name and q.file_name = m.file_name
                                and q.checksum = m.checksum and q.resolved_at is null)
            order by m.loaded_at, m.file_name""",
            [table],
        ).fetchall()
    ]


def stage_pending(con: duckdb.DuckDBPyConnection, files: list[str]) -> str:
    """Put ``files`` in a temporary table; the predicate selecting their rows."""
    con.execute(f"create or replace temp table {PENDING_TABLE} (file_name varchar)")
    if files:
        con.executemany(f"insert into {PENDING_TABLE} values (?)", [[f] for f in files])
    return file_predicate(f"select file_name from {PENDING_TABLE}")


def single_file_predicate(file_name: str) -> str:
    return file_predicate(_one_file(file_name))


def mark_validated(
    con: duckdb.DuckDBPyConnection,
    table: str,
    files: list[tuple[str, str]],
    run_id: str | None,
    verdict: str = "passed",
) -> None:
    ensure_tables(con)
    if not files:
        return
    at = _now()
    con.executemany(
        f"insert into {VALIDATED_TABLE} values (?, ?, ?, ?, ?, ?)",
        [[table, name, checksum, at, run_id, verdict] for name, checksum in files],
    )


def _ensure_quarantine_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(f"create table if not exists {QUARANTINE_SCHEMA}.{table} as select * from {RAW_SCHEMA}.{table} limit 0")
    have = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [QUARANTINE_SCHEMA, table],
        ).fetchall()
    }
    for name, data_type in con.execute(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?"
        " order by ordinal_position",
        [RAW_SCHEMA, table],
    ).fetchall():
        if name not in have:
            con.execute(f'alter table {QUARANTINE_SCHEMA}.{table} add column "{name}" {data_type}')


def quarantine_file(
    con: duckdb.DuckDBPyConnection, table: str, file_name: str, checksum: str, failures: list[str], run_id: str | None
) -> int:
    """Move the file's rows out of raw into ``quarantine.<table>``; the number of rows moved."""
    ensure_tables(con)
    predicate = single_file_predicate(file_name)
    with _transaction(con):
        _ensure_quarantine_table(con, table)
        con.execute(f"delete from {QUARANTINE_SCHEMA}.{table} where {predicate}")  # a retry after a crash
        con.execute(
            f"insert into {QUARANTINE_SCHEMA}.{table} by name select * from {RAW_SCHEMA}.{table} where {predicate}"
        )
        moved = con.execute(f"delete from {RAW_SCHEMA}.{table} where {predicate}").fetchone()[0]
        con.execute(
            f"insert into {FILES_TABLE} values (?, ?, ?, ?, ?, ?, ?, null, null)",
            [table, file_name, checksum, moved, _now(), run_id, json.dumps(failures)],
        )
    return int(moved)


def _from_row(row: tuple[Any, ...]) -> QuarantinedFile:
    return QuarantinedFile(
        table_name=row[0],
        file_name=row[1],
        checksum=row[2],
        rows=int(row[3]),
        quarantined_at=row[4],
        run_id=row[5],
        failures=list(json.loads(row[6]) if row[6] else []),
        resolved_at=row[7],
        resolution=row[8],
    )


def quarantined(
    con: duckdb.DuckDBPyConnection, table: str | None = None, include_resolved: bool = False
) -> list[QuarantinedFile]:
    if not _exists(con, QUARANTINE_SCHEMA, "files"):
        return []
    sql = f"select * from {FILES_TABLE} where (? is null or table_name = ?)"
    if not include_resolved:
        sql += " and resolved_at is null"
    rows = con.execute(sql + " order by quarantined_at, table_name, file_name", [table, table]).fetchall()
    return [_from_row(r) for r in rows]


def _resolve(con: duckdb.DuckDBPyConnection, entry: QuarantinedFile, resolution: str) -> None:
    con.execute(
        f"update {FILES_TABLE} set resolved_at = ?, resolution = ?"
        " where table_name = ? and file_name = ? and checksum = ? and resolved_at is null",
        [_now(), resolution, entry.table_name, entry.file_name, entry.checksum],
    )


def _forget_rows(con: duckdb.DuckDBPyConnection, entry: QuarantinedFile) -> None:
    if _exists(con, QUARANTINE_SCHEMA, entry.table_name):
        con.execute(
            f"delete from {QUARANTINE_SCHEMA}.{entry.table_name} where {single_file_predicate(entry.file_name)}"
        )


def reconcile(con: duckdb.DuckDBPyConnection, table: str, landing_root: Path) -> list[str]:
    """Resolve the table's quarantines the landing folder has resolved: a file fixed (re-loaded with
    another checksum) or removed. Messages saying what was resolved."""
    messages = []
    manifest = (
        {
            (name, checksum)
            for name, checksum in con.execute(
                f"select file_name, checksum from {MANIFEST_TABLE} where table_name = ?", [table]
            ).fetchall()
        }
        if _exists(con, RAW_SCHEMA, "_load_manifest")
        else set()
    )
    for entry in quarantined(con, table):
        if (entry.file_name, entry.checksum) not in manifest:
            resolution = "replaced: the file changed in the landing folder and was loaded again"
        elif not (landing_root / entry.file_name).exists():
            resolution = "removed: the file was deleted from the landing folder"
        else:
            continue
        with _transaction(con):
            # a removed file is forgotten by the manifest too: delivered again, it is loaded again
            con.execute(
                f"delete from {MANIFEST_TABLE} where table_name = ? and file_name = ? and checksum = ?",
                [table, entry.file_name, entry.checksum],
            )
            _forget_rows(con, entry)
            _resolve(con, entry, resolution)
        messages.append(f"raw.{table}: quarantine of {entry.file_name} resolved ({resolution})")
    return messages


def _active_entry(con: duckdb.DuckDBPyConnection, table: str, file_name: str) -> QuarantinedFile:
    for entry in quarantined(con, table):
        if entry.file_name == file_name:
            return entry
    known = ", ".join(f"{e.table_name} {e.file_name}" for e in quarantined(con)) or "none"
    raise LookupError(f"no file {file_name!r} of raw.{table} is in quarantine (quarantined now: {known})")


def release(con: duckdb.DuckDBPyConnection, table: str, file_name: str, by: str = "operator") -> int:
    """Accept a quarantined file's rows as they are: back into raw (new ``_loaded_at``), marked validated."""
    entry = _active_entry(con, table, file_name)
    predicate = single_file_predicate(file_name)
    at = _now()
    with _transaction(con):
        con.execute(
            f"insert into {RAW_SCHEMA}.{table} by name select * replace (cast(? as timestamp) as _loaded_at)"
            f" from {QUARANTINE_SCHEMA}.{table} where {predicate}",
            [at],
        )
        moved = con.execute(f"delete from {QUARANTINE_SCHEMA}.{table} where {predicate}").fetchone()[0]
        mark_validated(con, table, [(file_name, entry.checksum)], None, verdict=f"released by {by}")
        _resolve(con, entry, f"released by {by}: rows accepted as they are")
    return int(moved)


def drop(con: duckdb.DuckDBPyConnection, table: str, file_name: str, by: str = "operator") -> int:
    """Delete a quarantined file's rows; the file stays recorded as loaded (not loaded again unless it changes)."""
    entry = _active_entry(con, table, file_name)
    with _transaction(con):
        deleted = con.execute(
            f"delete from {QUARANTINE_SCHEMA}.{table} where {single_file_predicate(file_name)}"
        ).fetchone()[0]
        con.execute(
            f"update {MANIFEST_TABLE} set row_count = 0 where table_name = ? and file_name = ? and checksum = ?",
            [table, file_name, entry.checksum],
        )
        mark_validated(con, table, [(file_name, entry.checksum)], None, verdict=f"dropped by {by}")
        _resolve(con, entry, f"dropped by {by}: rows deleted")
    return int(deleted)


def quarantined_rows(
    con: duckdb.DuckDBPyConnection, table: str, file_name: str, limit: int = 20
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and the first ``limit`` rows of a quarantined file, in file order."""
    _active_entry(con, table, file_name)
    cursor = con.execute(
        f"select * from {QUARANTINE_SCHEMA}.{table} where {single_file_predicate(file_name)}"
        f" order by _source_file, _source_row limit {int(limit)}"
    )
    return [d[0] for d in cursor.description], cursor.fetchall()
