"""Load landing-folder extracts into the DuckDB ``raw`` schema, idempotently.

Every file of ``<landing>/<table>/`` is loaded at most once (by SHA-256 checksum,
recorded in ``raw._load_manifest``); all new files of a table are loaded in one
transaction, so a malformed file leaves the table exactly as it was. DuckDB's own
readers do the parsing (``read_csv`` with ``store_rejects`` to locate bad rows,
``read_json`` for NDJSON).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

import duckdb

from dagster_project.raw_contract import RAW_SCHEMA, RawTable

MANIFEST_TABLE = f"{RAW_SCHEMA}._load_manifest"
LINEAGE_COLUMNS = (("_source_file", "varchar"), ("_loaded_at", "timestamp"))


class RawLoadError(Exception):
    """A landing file that cannot be loaded, located by file, line and column."""

    def __init__(self, table: str, file: str, line: int | None, column: str | None, problem: str):
        self.table, self.file, self.line, self.column, self.problem = table, file, line, column, problem
        where = f"file {file}"
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"raw.{table}: {where}: {problem}. Nothing was loaded into raw.{table}.")


@dataclass
class LoadResult:
    table: str
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)
    rows_added: int = 0
    rows_total: int = 0
    duration_s: float = 0.0


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _columns_struct(table: RawTable) -> str:
    return "{" + ", ".join(f"{_sql_literal(c.name)}: {_sql_literal(c.data_type)}" for c in table.columns) + "}"


def _open_text(path: Path) -> IO[str]:
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return path.open("r", encoding="utf-8", newline="")


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def landing_files(landing_dir: Path, table: RawTable) -> list[Path]:
    folder = landing_dir / table.name
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(table.file_suffixes))


def ensure_raw_table(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"""create table if not exists {MANIFEST_TABLE} (
            table_name varchar not null, file_name varchar not null, checksum varchar not null,
            file_bytes bigint not null, row_count bigint not null, loaded_at timestamp not null,
            run_id varchar)"""
    )
    columns = [(c.name, c.data_type) for c in table.columns] + list(LINEAGE_COLUMNS)
    ddl = ", ".join(f'"{name}" {data_type}' for name, data_type in columns)
    con.execute(f"create table if not exists {table.qualified_name} ({ddl})")
    existing = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [RAW_SCHEMA, table.name],
        ).fetchall()
    ]
    if existing != [name for name, _ in columns]:
        raise RuntimeError(
            f"{table.qualified_name} exists with columns {existing}, but the contract in the dbt sources"
            f" declares {[name for name, _ in columns]}: migrate or drop the raw table first."
        )


def _check_csv_header(table: RawTable, path: Path, relative: str) -> None:
    with _open_text(path) as handle:
        header = next(csv.reader(handle), None)
    if header is None:
        raise RawLoadError(table.name, relative, 1, None, "the file is empty (no header row)")
    header = [h.strip() for h in header]
    missing = [c for c in table.column_names if c not in header]
    if missing:
        raise RawLoadError(table.name, relative, 1, missing[0], f"missing column(s) {missing} in the header")
    unexpected = [h for h in header if h not in table.column_names]
    if unexpected:
        raise RawLoadError(table.name, relative, 1, unexpected[0], f"unexpected column(s) {unexpected} in the header")
    if header != table.column_names:
        raise RawLoadError(
            table.name, relative, 1, None, f"columns are out of order: expected {table.column_names}, found {header}"
        )


def _insert_csv(con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, loaded_at: datetime) -> int:
    _check_csv_header(table, path, relative)
    con.execute("drop table if exists _raw_rejects; drop table if exists _raw_reject_scans")
    rows = con.execute(
        f"""insert into {table.qualified_name}
            select *, ? as _source_file, ? as _loaded_at
            from read_csv(?, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                          columns = {_columns_struct(table)}, store_rejects = true,
                          rejects_table = '_raw_rejects', rejects_scan = '_raw_reject_scans')""",
        [relative, loaded_at, str(path)],
    ).fetchone()[0]
    rejects = con.execute(
        "select line, column_name, error_type, error_message from _raw_rejects order by line limit 1"
    ).fetchall()
    total_rejects = con.execute("select count(*) from _raw_rejects").fetchone()[0]
    if rejects:
        line, column, error_type, message = rejects[0]
        more = f" ({total_rejects - 1} more bad rows)" if total_rejects > 1 else ""
        raise RawLoadError(table.name, relative, int(line), column, f"{error_type}: {message}{more}")
    return int(rows)


_JSON_LINE = re.compile(r"line (\d+)")


def _json_value_fits(value: object, data_type: str) -> bool:
    if value is None:
        return True
    data_type = data_type.strip().lower()
    if data_type.endswith("[]"):
        return isinstance(value, list)
    if data_type.startswith("struct"):
        return isinstance(value, dict)
    if data_type in ("bigint", "integer", "int", "smallint"):
        return isinstance(value, int) and not isinstance(value, bool) or (isinstance(value, str) and value.lstrip("-").isdigit())
    if data_type in ("double", "float", "decimal"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if data_type == "boolean":
        return isinstance(value, bool)
    return True


def _diagnose_json_line(table: RawTable, path: Path, relative: str, line_number: int, error: str) -> RawLoadError:
    """Name the field of ``line_number`` that DuckDB could not read (only runs on failure)."""
    with _open_text(path) as handle:
        for number, text in enumerate(handle, start=1):
            if number == line_number:
                break
        else:
            return RawLoadError(table.name, relative, line_number, None, error)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return RawLoadError(table.name, relative, line_number, None, f"malformed JSON ({exc.msg})")
    if not isinstance(record, dict):
        return RawLoadError(table.name, relative, line_number, None, "the line is not a JSON object")
    for column in table.columns:
        if not _json_value_fits(record.get(column.name), column.data_type):
            return RawLoadError(
                table.name, relative, line_number, column.name,
                f"value {record.get(column.name)!r} is not of type {column.data_type}",
            )
    return RawLoadError(table.name, relative, line_number, None, error)


def _insert_ndjson(con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, loaded_at: datetime) -> int:
    with _open_text(path) as handle:
        first = handle.readline()
    if not first.strip():
        raise RawLoadError(table.name, relative, 1, None, "the file is empty")
    try:
        keys = json.loads(first).keys()
    except (json.JSONDecodeError, AttributeError) as exc:
        raise RawLoadError(table.name, relative, 1, None, f"malformed JSON ({exc})") from None
    missing = [c for c in table.column_names if c not in keys]
    if missing:
        raise RawLoadError(table.name, relative, 1, missing[0], f"missing field(s) {missing}")
    try:
        rows = con.execute(
            f"""insert into {table.qualified_name}
                select *, ? as _source_file, ? as _loaded_at
                from read_json(?, format = 'newline_delimited', columns = {_columns_struct(table)})""",
            [relative, loaded_at, str(path)],
        ).fetchone()[0]
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        match = _JSON_LINE.search(message)
        if match is None:
            raise RawLoadError(table.name, relative, None, None, message) from None
        raise _diagnose_json_line(table, path, relative, int(match.group(1)), message) from None
    return int(rows)


def load_table(
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    landing_dir: Path,
    loaded_at: datetime,
    run_id: str | None = None,
) -> LoadResult:
    """Load the files of ``table`` not loaded before; all or nothing."""
    started = time.perf_counter()
    result = LoadResult(table=table.name)
    con.execute("begin transaction")
    try:
        ensure_raw_table(con, table)
    except BaseException:
        con.execute("rollback")
        raise
    already = {
        row[0]
        for row in con.execute(f"select checksum from {MANIFEST_TABLE} where table_name = ?", [table.name]).fetchall()
    }
    insert = _insert_ndjson if table.landing_format == "ndjson" else _insert_csv
    try:
        for path in landing_files(landing_dir, table):
            relative = path.relative_to(landing_dir).as_posix()
            checksum = file_checksum(path)
            if checksum in already:
                result.files_skipped.append(relative)
                continue
            rows = insert(con, table, path, relative, loaded_at)
            con.execute(
                f"insert into {MANIFEST_TABLE} values (?, ?, ?, ?, ?, ?, ?)",
                [table.name, relative, checksum, path.stat().st_size, rows, loaded_at, run_id],
            )
            already.add(checksum)
            result.files_loaded.append(relative)
            result.rows_added += rows
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    result.rows_total = con.execute(f"select count(*) from {table.qualified_name}").fetchone()[0]
    result.duration_s = time.perf_counter() - started
    return result
