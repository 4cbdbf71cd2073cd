"""Load landing-folder exports into the DuckDB ``raw`` schema, idempotently.

Which files a table reads: those of ``<landing>/<table>/`` with its formats and file-name patterns
(dbt source YAML); hidden and ``_``/``~`` names and partial downloads (``.part``, ``.tmp``,
``.crdownload``, ``.swp``) never. ``unknown_landing_content`` lists what no table reads (a typo'd
folder, a file at the root, a file type the table does not accept), for a non-blocking check.

File identity, recorded in ``raw._load_manifest`` (one row per file of a table):

* A file is identified by its **table and path**; ``checksum`` is the SHA-256 of its bytes. The same
  path with the same checksum is skipped; the same path with a new checksum (a re-export, an edit
  in place, a file completed after a first look) **replaces** the rows it had loaded: a correction,
  never new data.
* A file modified less than ``CRM_LANDING_SETTLE_SECONDS`` ago (default 2 s) may still be being
  written: it is left for the next run (``files_unsettled``, a warning), as is a file whose
  checksum has not changed.
* ``content_checksum`` is the SHA-256 of the **decompressed** content (a ``.gz`` decompressed, a
  zip's members the table reads, in name order): a new file with the content of a file already
  loaded with rows (``spend.csv`` beside ``spend.csv.gz``, a re-delivery under another name) is a
  **duplicate delivery**: not loaded, recorded with 0 rows and ``duplicate_of`` (the original's
  path), reported (``files_duplicate``, a warning). A header-only file (0 rows) is never an
  original. Where the file name feeds columns (a column ``from: file_name``: a day, an account,
  a list status) equal bytes are other data and are loaded. A duplicate stays a duplicate while
  its own bytes are unchanged, even if its original is later replaced or removed (its rows were
  the original's; load it again by changing it or deleting its manifest row).

All new files of a table are loaded in one transaction, so a malformed file leaves the table exactly
as it was. ``export_readers`` does the reading: columns matched by name, optional columns null,
undeclared fields ignored (and listed in the manifest), every value typed or the file refused with
its line and column; a file that is not what its name says (not gzip, truncated, a corrupt zip)
is refused naming it. A zip archive is read member by member.

Erased people (``dagster_project/privacy/erasure.py``) stay erased: when the erasure register
``audit.erased_identifiers`` holds anyone, every file loaded is matched against it (keyed hashes of
the raw identifier columns, ``erasure_register.erased_rows_sql``); their rows are left out and the
landing file is rewritten without them (a re-delivered old extract), with its new checksum in the
manifest. The register needs ``CRM_ERASURE_KEY``: without it such a load fails, naming the variable.

Every row gets its lineage: ``_source_file`` (path under the landing folder), ``_source_row``
(1-based record number in that file) and ``_loaded_at`` (one value per load run).
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

import duckdb

from dagster_project.ingest.export_readers import (
    READ_ERRORS,
    STAGED,
    RawLoadError,
    StagedFile,
    archive_members,
    file_format,
    quoted,
    stage_file,
)
from dagster_project.ingest.raw_contract import ARCHIVE_EXTENSIONS, RAW_SCHEMA, RawTable, raw_tables
from dagster_project.settings import landing_settle_seconds

__all__ = [
    "LINEAGE_COLUMNS",
    "MANIFEST_TABLE",
    "LoadResult",
    "RawLoadError",
    "ensure_raw_table",
    "load_table",
    "unknown_landing_content",
]

MANIFEST_TABLE = f"{RAW_SCHEMA}._load_manifest"
LINEAGE_COLUMNS = (("_source_file", "varchar"), ("_source_row", "bigint"), ("_loaded_at", "timestamp"))
MANIFEST_COLUMNS = (
    ("table_name", "varchar not null"),
    ("file_name", "varchar not null"),
    ("checksum", "varchar not null"),
    ("file_bytes", "bigint not null"),
    ("row_count", "bigint not null"),
    ("loaded_at", "timestamp not null"),
    ("run_id", "varchar"),
    ("ignored_fields", "varchar"),
    ("dropped_rows", "bigint"),
    ("content_checksum", "varchar"),
    ("duplicate_of", "varchar"),
    (
        "retired_at",
        "timestamp",
    ),  # every row past retention: the file was deleted (dagster_project/privacy/retention.py)
)
ROOT_FILES = ("extract.json",)  # read by the landing resource: the period the extracts cover
IGNORED_NAMES = (".", "_", "~")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".swp")


@dataclass
class LoadResult:
    table: str
    files_loaded: list[str] = field(default_factory=list)
    files_skipped: list[str] = field(default_factory=list)
    files_replaced: list[str] = field(default_factory=list)
    rows_erased: int = 0  # rows of erased people left out of re-delivered files
    rows_added: int = 0
    rows_total: int = 0
    duration_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    files_not_read: list[str] = field(default_factory=list)
    files_duplicate: list[str] = field(default_factory=list)  # same content as a loaded file: not loaded
    files_unsettled: list[str] = field(default_factory=list)  # modified too recently: left for the next run


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_checksum(table: RawTable, path: Path, relative: str, checksum: str) -> str:
    """SHA-256 of the decompressed content: a ``.gz`` decompressed, a zip's members the table reads
    (in name order), else the file's bytes (``checksum``). Read errors name the file."""
    lowered = path.name.lower()
    if not lowered.endswith((".gz", *ARCHIVE_EXTENSIONS)):
        return checksum
    digest = hashlib.sha256()
    try:
        if lowered.endswith(ARCHIVE_EXTENSIONS):
            with zipfile.ZipFile(path) as archive:
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    member = Path(info.filename).name
                    if info.is_dir() or member.startswith(".") or "__MACOSX" in info.filename:
                        continue
                    if file_format(table, member) is None:
                        continue
                    with archive.open(info) as source:
                        _digest_stream(digest, source)
        else:
            with gzip.open(path, "rb") as source:
                _digest_stream(digest, source)
    except (*READ_ERRORS, RuntimeError) as error:
        kind = "zip archive" if lowered.endswith(ARCHIVE_EXTENSIONS) else "gzip file"
        raise RawLoadError(
            table.name,
            relative,
            None,
            None,
            f"cannot read the {kind} ({type(error).__name__}: {error or 'unexpected end of data'});"
            f" truncated or not a {kind}?",
        ) from None
    return digest.hexdigest()


def _digest_stream(digest: hashlib._Hash, source: IO[bytes]) -> None:
    for chunk in iter(lambda: source.read(1 << 20), b""):
        digest.update(chunk)


def is_settled(path: Path, now: float | None = None, settle_seconds: float | None = None) -> bool:
    """Not modified within the last ``CRM_LANDING_SETTLE_SECONDS``: no longer being written."""
    settle = landing_settle_seconds() if settle_seconds is None else settle_seconds
    if settle <= 0:
        return True
    return (now if now is not None else time.time()) - path.stat().st_mtime >= settle


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


def _is_ignored_name(name: str) -> bool:
    return name.startswith(IGNORED_NAMES) or name.lower().endswith(IGNORED_SUFFIXES)


def unknown_landing_content(landing_dir: Path) -> list[str]:
    """What in the landing folder no raw table reads, as paths under it (folders end in ``/``):
    a folder that is no raw table (``shop_ordersx/``), a file at the root (but ``extract.json``),
    a sub-folder of a table folder, or a file of a table folder the table does not read (a
    ``.txt`` where not accepted, a name outside its patterns). Hidden, ``_``/``~`` names and
    partial downloads (``.part``, ``.tmp``, ...) are not reported."""
    if not landing_dir.is_dir():
        return []
    tables = {table.name: table for table in raw_tables()}
    unknown: list[str] = []
    for path in sorted(landing_dir.iterdir()):
        if _is_ignored_name(path.name):
            continue
        if path.is_dir():
            table = tables.get(path.name)
            if table is None:
                unknown.append(f"{path.name}/")
                continue
            for inner in sorted(path.iterdir()):
                if _is_ignored_name(inner.name):
                    continue
                if inner.is_dir():
                    unknown.append(f"{path.name}/{inner.name}/")
                elif not is_landing_file(table, inner.name):
                    unknown.append(f"{path.name}/{inner.name}")
        elif path.name not in ROOT_FILES:
            unknown.append(path.name)
    return unknown


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
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    path: Path,
    relative: str,
    loaded_at: datetime,
    work_dir: Path,
    erased: str | None = None,
) -> tuple[int, list[str], int, int]:
    """Rows added, ignored fields, dropped summary rows and rows of erased people left out, of one
    landing file (or archive). ``erased``: the erasure register's predicate on a staged row
    (``erasure_register.erased_rows_sql``); the file is then rewritten without those rows."""
    members = (
        archive_members(table, path, relative, work_dir)
        if path.name.lower().endswith(ARCHIVE_EXTENSIONS)
        else [(path, path.name, relative)]
    )
    rows, ignored, dropped = 0, [], 0
    erased_records: dict[str, set[int]] = {}
    for member_path, member_name, member_relative in members:
        staged = stage_file(con, table, member_path, member_relative, work_dir, name=member_name)
        if erased is not None:
            gone = {n for (n,) in con.execute(f"select _source_row from {STAGED} as r where {erased}").fetchall()}
            if gone:
                erased_records[member_relative] = gone
                con.execute(f"delete from {STAGED} as r where {erased}")
                con.execute(
                    f"create or replace temp table {STAGED} as select * exclude (_source_row),"
                    f" row_number() over (order by _source_row) as _source_row from {STAGED}"
                )
                staged.rows -= len(gone)
        _insert_staged(con, table, staged, member_relative, loaded_at)
        rows += staged.rows
        dropped += staged.dropped_rows
        ignored += [f for f in staged.ignored_fields if f not in ignored]
    con.execute(f"drop table if exists {STAGED}")
    if erased_records:
        from dagster_project.privacy.landing_rewrite import rewrite_without

        rewrite_without(table, path, relative, erased_records)
    return rows, ignored, dropped, sum(len(r) for r in erased_records.values())


def _erased_predicate(con: duckdb.DuckDBPyConnection, table: RawTable) -> str | None:
    """The erasure register's test for a staged row, or None when nobody was erased."""
    from dagster_project.privacy.erasure_register import erased_rows_sql, missing_key_message, register_is_empty

    if register_is_empty(con):
        return None
    problem = missing_key_message(con)
    if problem:
        raise RawLoadError(table.name, f"{table.name}/", None, None, problem)
    from dagster_project.privacy.erasure_register import erasure_key

    return erased_rows_sql(table, erasure_key())


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
        loaded = dict(
            con.execute(
                f"select file_name, checksum from {MANIFEST_TABLE} where table_name = ?", [table.name]
            ).fetchall()
        )
        # originals a new file may duplicate: files loaded with rows, by decompressed content
        originals = {
            content: file_name
            for file_name, content in con.execute(
                f"select file_name, content_checksum from {MANIFEST_TABLE} where table_name = ? and row_count > 0"
                " and duplicate_of is null and content_checksum is not null order by file_name desc",
                [table.name],
            ).fetchall()
        }
        retired = {
            name
            for (name,) in con.execute(
                f"select file_name from {MANIFEST_TABLE} where table_name = ? and retired_at is not null", [table.name]
            ).fetchall()
        }
        names_carry_data = any(column.origin == "file_name" for column in table.columns)
        erased = _erased_predicate(con, table)
        now = time.time()
        columns = ", ".join(n for n, _ in MANIFEST_COLUMNS)
        placeholders = ", ".join("?" for _ in MANIFEST_COLUMNS)
        with tempfile.TemporaryDirectory(prefix=f"crm_raw_{table.name}_") as scratch:
            for path in landing_files(landing_dir, table):
                relative = path.relative_to(landing_dir).as_posix()
                try:
                    checksum = file_checksum(path)
                except OSError as error:
                    raise RawLoadError(table.name, relative, None, None, f"cannot read the file ({error})") from None
                if loaded.get(relative) == checksum:
                    result.files_skipped.append(relative)
                    continue
                if not is_settled(path, now):
                    result.files_unsettled.append(relative)
                    result.warnings.append(
                        f"{relative}: modified less than {landing_settle_seconds():g} s ago (still being written?);"
                        " left for the next run"
                    )
                    continue
                content = content_checksum(table, path, relative, checksum)
                if relative in loaded:
                    replaced = con.execute(
                        f"delete from {table.qualified_name} where _source_file = ? or starts_with(_source_file, ?)",
                        [relative, relative + "/"],
                    ).fetchone()[0]
                    con.execute(
                        f"delete from {MANIFEST_TABLE} where table_name = ? and file_name = ?", [table.name, relative]
                    )
                    originals = {c: f for c, f in originals.items() if f != relative}
                    result.files_replaced.append(relative)
                    result.warnings.append(
                        f"{relative}: changed since it was loaded; its {replaced} earlier rows were replaced"
                    )
                original = originals.get(content)
                if original is not None and original != relative and not names_carry_data:
                    # where the file name feeds columns (a day, an account), equal bytes are other data
                    con.execute(
                        f"insert into {MANIFEST_TABLE} ({columns}) values ({placeholders})",
                        [
                            table.name,
                            relative,
                            checksum,
                            path.stat().st_size,
                            0,
                            loaded_at,
                            run_id,
                            None,
                            0,
                            content,
                            original,
                            None,
                        ],
                    )
                    result.warnings.append(f"{relative}: same content as {original}, a duplicate delivery: not loaded")
                    result.files_duplicate.append(relative)
                    loaded[relative] = checksum
                    continue
                rows, ignored, dropped, left_out = _load_file(
                    con, table, path, relative, loaded_at, Path(scratch), erased
                )
                if left_out:
                    checksum = file_checksum(path)
                    content = content_checksum(table, path, relative, checksum)
                    result.rows_erased += left_out
                    result.warnings.append(
                        f"{relative}: {left_out} row(s) of erased people left out; the file was rewritten without them"
                    )
                if relative in retired:  # a retired file delivered again, changed: its rows past retention stay out
                    from dagster_project.privacy.retention import expire_file_rows

                    expired = expire_file_rows(con, table.name, relative)
                    rows -= expired
                    result.warnings.append(
                        f"{relative}: delivered again after retention; {expired} rows past retention not loaded"
                    )
                con.execute(
                    f"insert into {MANIFEST_TABLE} ({columns}) values ({placeholders})",
                    [
                        table.name,
                        relative,
                        checksum,
                        path.stat().st_size,
                        rows,
                        loaded_at,
                        run_id,
                        ", ".join(ignored) or None,
                        dropped,
                        content,
                        None,
                        loaded_at if relative in retired and rows == 0 else None,
                    ],
                )
                if ignored:
                    result.warnings.append(f"{relative}: field(s) not in the contract, ignored: {ignored}")
                loaded[relative] = checksum
                if rows > 0:
                    originals.setdefault(content, relative)
                result.files_loaded.append(relative)
                result.rows_added += rows
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    result.files_not_read = unread_files(landing_dir, table)
    for name in result.files_not_read:
        result.warnings.append(
            f"{name}: not read (raw.{table.name} reads"
            f" {', '.join(table.file_patterns) or ', '.join(table.file_suffixes)};"
            " partial downloads end in .part/.tmp/.crdownload)"
        )
    result.rows_total = con.execute(f"select count(*) from {table.qualified_name}").fetchone()[0]
    result.duration_s = time.perf_counter() - started
    return result
