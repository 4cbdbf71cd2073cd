"""Load landing-folder exports into the DuckDB ``raw`` schema, idempotently.

Every file of ``<landing>/<table>/`` that the table reads (its formats and file-name patterns in
the dbt source YAML) is identified by its path and SHA-256 checksum, recorded in
``raw._load_manifest``: a file already loaded with the same content is skipped; a file whose
content changed at the same path (a re-export, an edit) replaces the rows it had loaded, so
nothing is counted twice; the same content under another name is loaded (exports such as daily
API pages can be identical on two days) and reported. All new files of a table are loaded in one
transaction, so a malformed file leaves the table exactly as it was. ``export_readers`` does the reading: columns matched by
name, optional columns null, undeclared fields ignored (and listed in the manifest), every value
typed or the file refused with its line and column. A zip archive is read member by member.

Every row gets its lineage: ``_source_file`` (path under the landing folder), ``_source_row``
(1-based record number in that file) and ``_loaded_at`` (one value per load run).
"""

from __future__ import annotations

import fnmatch
import hashlib
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from dagster_project.export_readers import (
    STAGED,
    RawLoadError,
    StagedFile,
    archive_members,
    quoted,
    stage_file,
)
from dagster_project.raw_contract import ARCHIVE_EXTENSIONS, RAW_SCHEMA, RawTable

__all__ = ["LINEAGE_COLUMNS", "MANIFEST_TABLE", "LoadResult", "RawLoadError", "ensure_raw_table", "load_table"]

MANIFEST_TABLE = f"{RAW_SCHEMA}._load_manifest"
LINEAGE_COLUMNS = (("_source_file", "varchar"), ("_source_row", "bigint"), ("_loaded_at", "timestamp"))
MANIFEST_COLUMNS = (
    ("table_name", "varchar not null"), ("file_name", "varchar not null"), ("checksum", "varchar not null"),
    ("file_bytes", "bigint not null"), ("row_count", "bigint not null"), ("loaded_at", "timestamp not null"),
    ("run_id", "varchar"), ("ignored_fields", "varchar"), ("dropped_rows", "bigint"),
)
IGNORED_NAMES = (".", "_", "~")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".swp")


@dataclass
class LoadResult:
    table: str
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)
    files_replaced: list[str] = field(default_factory=list)
    rows_added: int = 0
    rows_total: int = 0
    duration_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    files_not_read: list[str] = field(default_factory=list)


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_landing_file(table: RawTable, name: str) -> bool:
    """A file the table reads: an accepted extension (or a zip) and, if declared, a matching name."""
    lowered = name.lower()
    if lowered.startswith(IGNORED_NAMES) or lowered.endswith(IGNORED_SUFFIXES):
        return False
    if not lowered.endswith(table.file_suffixes):
        return False
    if table.file_patterns and not lowered.endswith(ARCHIVE_EXTENSIONS):
        return any(fnmatch.fnmatch(name, pattern) for pattern in table.file_patterns)
    return True


def landing_files(landing_dir: Path, table: RawTable) -> list[Path]:
    folder = landing_dir / table.name
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and is_landing_file(table, p.name))


def unread_files(landing_dir: Path, table: RawTable) -> list[str]:
    """Files of the table's landing folder it does not read (wrong type or name; partial downloads)."""
    folder = landing_dir / table.name
    if not folder.is_dir():
        return []
    return sorted(
        p.relative_to(landing_dir).as_posix()
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not is_landing_file(table, p.name)
    )


def _table_columns(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]


def ensure_raw_table(con: duckdb.DuckDBPyConnection, table: RawTable) -> None:
    """Create the table (and the manifest); add columns the contract gained since."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(f"create table if not exists {MANIFEST_TABLE} ({', '.join(f'{n} {t}' for n, t in MANIFEST_COLUMNS)})")
    manifest_columns = _table_columns(con, RAW_SCHEMA, "_load_manifest")
    for name, data_type in MANIFEST_COLUMNS:
        if name not in manifest_columns:
            con.execute(f"alter table {MANIFEST_TABLE} add column {name} {data_type.replace(' not null', '')}")
    columns = [(c.name, c.data_type) for c in table.columns] + list(LINEAGE_COLUMNS)
    ddl = ", ".join(f"{quoted(name)} {data_type}" for name, data_type in columns)
    con.execute(f"create table if not exists {table.qualified_name} ({ddl})")
    existing = _table_columns(con, RAW_SCHEMA, table.name)
    unknown = [c for c in existing if c not in {name for name, _ in columns}]
    if unknown:
        raise RuntimeError(
            f"{table.qualified_name} has columns {unknown} that the contract in the dbt sources no longer declares:"
            " migrate or drop the raw table first."
        )
    for name, data_type in columns:
        if name not in existing:
            con.execute(f"alter table {table.qualified_name} add column {quoted(name)} {data_type}")


def _insert_staged(
    con: duckdb.DuckDBPyConnection, table: RawTable, staged: StagedFile, relative: str, loaded_at: datetime
) -> None:
    targets, values = [], []
    for column in table.columns:
        targets.append(quoted(column.name))
        if column.origin == "file":
            values.append(quoted(column.name))
        else:
            values.append(f"cast(? as {column.data_type})")
    parameters = [staged.constants.get(c.name) for c in table.columns if c.origin != "file"]
    targets += [quoted(name) for name, _ in LINEAGE_COLUMNS]
    values += ["? as _source_file", "_source_row", "? as _loaded_at"]
    con.execute(
        f"insert into {table.qualified_name} ({', '.join(targets)}) select {', '.join(values)} from {STAGED}",
        [*parameters, relative, loaded_at],
    )


def _load_file(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, relative: str, loaded_at: datetime, work_dir: Path
) -> tuple[int, list[str], int]:
    """Rows added, ignored fields and dropped summary rows of one landing file (or archive)."""
    members = (
        archive_members(table, path, relative, work_dir)
        if path.name.lower().endswith(ARCHIVE_EXTENSIONS)
        else [(path, path.name, relative)]
    )
    rows, ignored, dropped = 0, [], 0
    for member_path, member_name, member_relative in members:
        staged = stage_file(con, table, member_path, member_relative, work_dir, name=member_name)
        _insert_staged(con, table, staged, member_relative, loaded_at)
        rows += staged.rows
        dropped += staged.dropped_rows
        ignored += [f for f in staged.ignored_fields if f not in ignored]
    con.execute(f"drop table if exists {STAGED}")
    return rows, ignored, dropped


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
        loaded = {
            file_name: checksum
            for file_name, checksum in con.execute(
                f"select file_name, checksum from {MANIFEST_TABLE} where table_name = ?", [table.name]
            ).fetchall()
        }
        by_content = {checksum: file_name for file_name, checksum in loaded.items()}
        names_carry_data = any(column.origin == "file_name" for column in table.columns)
        with tempfile.TemporaryDirectory(prefix=f"crm_raw_{table.name}_") as scratch:
            for path in landing_files(landing_dir, table):
                relative = path.relative_to(landing_dir).as_posix()
                checksum = file_checksum(path)
                if loaded.get(relative) == checksum:
                    result.files_skipped.append(relative)
                    continue
                if relative in loaded:
                    replaced = con.execute(
                        f"delete from {table.qualified_name} where _source_file = ? or starts_with(_source_file, ?)",
                        [relative, relative + "/"],
                    ).fetchone()[0]
                    con.execute(f"delete from {MANIFEST_TABLE} where table_name = ? and file_name = ?", [table.name, relative])
                    result.files_replaced.append(relative)
                    result.warnings.append(f"{relative}: changed since it was loaded; its {replaced} earlier rows were replaced")
                elif checksum in by_content and not names_carry_data:
                    # where the file name feeds columns (a day, an account), equal bytes are other data
                    result.warnings.append(f"{relative}: same content as {by_content[checksum]}, loaded as a file of its own")
                rows, ignored, dropped = _load_file(con, table, path, relative, loaded_at, Path(scratch))
                con.execute(
                    f"insert into {MANIFEST_TABLE} ({', '.join(n for n, _ in MANIFEST_COLUMNS)})"
                    " values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [table.name, relative, checksum, path.stat().st_size, rows, loaded_at, run_id,
                     ", ".join(ignored) or None, dropped],
                )
                if ignored:
                    result.warnings.append(f"{relative}: field(s) not in the contract, ignored: {ignored}")
                loaded[relative] = checksum
                by_content.setdefault(checksum, relative)
                result.files_loaded.append(relative)
                result.rows_added += rows
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    result.files_not_read = unread_files(landing_dir, table)
    for name in result.files_not_read:
        result.warnings.append(
            f"{name}: not read (raw.{table.name} reads {', '.join(table.file_patterns) or ', '.join(table.file_suffixes)};"
            " partial downloads end in .part/.tmp/.crdownload)"
        )
    result.rows_total = con.execute(f"select count(*) from {table.qualified_name}").fetchone()[0]
    result.duration_s = time.perf_counter() - started
    return result
