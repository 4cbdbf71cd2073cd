"""Publish the marts to a separate, read-only DuckDB file by an atomic swap.

BI tools never read the working warehouse (the Dagster run is its only writer and it
is half-built during a run). Once every quality gate has passed, ``publish_warehouse``
copies the published schemas into a NEW DuckDB file next to the target and renames
it over the target:

1. take an exclusive lock (``.<name>.lock`` next to the target, ``flock``; POSIX
   only) so two publishers never run at once, and remove the temp files that
   earlier crashed publishes left behind (``.<name>.*.tmp`` and their ``.wal``);
2. ``ATTACH`` the temp file ``.<name>.<uuid>.tmp`` (same directory, hence same
   file system) from the caller's read-write connection, in the storage format
   :data:`PUBLISHED_STORAGE_VERSION` (see below), and, in ONE transaction
   (so every table comes from the same snapshot), copy every table and view of the
   given schemas as a table (``create table pub.<schema>.<t> as select * from
   <schema>.<t>``), plus ``meta.publication`` (one row: build_id, published_at in
   UTC, source path, DuckDB version, table and row totals) and
   ``meta.publication_tables`` (one row per published table with its row count);
3. ``CHECKPOINT`` and ``DETACH`` the temp file. DuckDB writes the committed data
   to the WAL file ``<temp>.wal`` first; the checkpoint moves it into the main file
   and removes the WAL. A WAL still present after the detach is checkpointed by
   opening the file once more, and the publish fails if that does not remove it:
   a renamed file whose data sits in a WAL of a different name would lose it;
4. ``fsync`` the temp file, remove a stray ``<target>.wal`` (see below), then
   ``os.replace`` the temp file over the target (an atomic ``rename(2)`` on POSIX)
   and ``fsync`` the directory so that the rename survives a power loss.

Any exception before the rename removes the temp file and leaves the target
untouched; it is re-raised as :class:`PublishError`. A crash (even ``SIGKILL``)
leaves at worst a stale temp file, which the next publish removes.

What readers see (Linux/POSIX semantics): a reader resolves the path when it opens
the file, so it gets either the complete old file or the complete new one, never a
partial file. A reader that opened the old file keeps reading the old inode (still
complete; the disk space is freed when the last reader closes it); new connections
see the new file. Caveat of DuckDB's Python client: within ONE process, connecting
to a path that already has an open connection reuses that database instance, so a
process must close its old connections to see a new publication (each call of
:func:`open_published` after closing the previous one sees the latest file).

Storage format: the file is written with ``ATTACH ... (STORAGE_VERSION 'v1.1.0')``
(:data:`PUBLISHED_STORAGE_VERSION`), so DuckDB 1.1 and every later release (the CLI on
PyPI, the engines BI drivers bundle) can open it, not only the DuckDB that wrote it: by
default DuckDB 2.0 writes its newest format (storage version 69), which older engines refuse
("Trying to read a database file with version number 69, but we can only read versions
between 64 and 68"). DuckDB refuses to store a type the older format lacks (e.g. VARIANT),
so such a column fails the publish instead of writing a file nobody can read. Reopening the
file (the WAL check) keeps its format. ``tests/publish/test_published_file_compatibility.py`` opens a
fresh publication with DuckDB 1.1 and with the ``duckdb-cli`` package in a separate virtualenv.

DuckDB detail: when a file named ``<target>.wal`` exists, DuckDB replays it on
open, and a WAL from another file makes every reader fail ("WAL does not match
database file"). Readers opened read-only never write one; only someone opening
the published file read-write (not supported) can leave one, so the publish
deletes it just before the swap.

Parquet (optional): ``<parquet_dir>`` is a symlink to a version directory
``.<dirname>.versions/<build_id>-<hex>/`` holding ``<schema>/<table>.parquet`` and
``_publication.json``. The files are exported from the freshly written copy (same
snapshot as the DuckDB file) into ``<version>.tmp``, renamed into place, and the
symlink is swapped with ``os.replace`` (atomic). The previous version directory is
kept for readers still in the middle of reading it; older ones are removed. The
DuckDB file is swapped first and the symlink right after: a crash between the two
swaps leaves the DuckDB file one build ahead of the Parquet files (compare the
build_id in ``meta.publication`` and in ``_publication.json``). If ``parquet_dir``
exists as a plain directory (not made by this module), it is moved into the
versions folder first: there is a short window in which ``parquet_dir`` does not
exist (only on that first publish).

Pseudonymized by default (issue 15, GDPR): the pipeline passes a column policy, each
published column's ``config.meta.pii`` class from the dbt manifest
(:func:`column_policy_from_manifest`, vocabulary in ``dagster_project/privacy/classification.py``):
``identifier`` columns are published as ``keyed_hash.hmac_sql(column, key)`` (same name,
varchar, 64 hex digits; null stays null), so joins between published tables still work;
``name`` columns are left out; the others are copied. The key is the secret
``CRM_PSEUDONYM_KEY`` (or ``CRM_PSEUDONYM_KEY_FILE``; ``crm-warehouse init-secrets`` makes
one): without it the publish fails, as it does (fail closed) for any published column
without a class, naming ``schema.table.column``. The Parquet files are exported from the
written copy, so they hold the same columns. ``meta.column_privacy`` lists every column
of the working tables with its class and action (keep, hash, drop), and
``meta.publication.pseudonymized`` is true. Changing the key changes every pseudonym.

PII publication (for activation: mailings, CRM sync), off by default: with
``CRM_PUBLISH_PII=1`` (``settings.pii_publication_path``) a second file,
``CRM_PUBLISHED_PII_PATH`` (default ``<published dir>/pii/<name>_pii.duckdb``), is written
by the same swap under its own lock, without Parquet, after the pseudonymized file: the
tables with a personal column (``identifier``, ``name``, ``free_text``) with every column in
plaintext, and, for a table with a boolean column ``has_marketing_consent``, only the rows
where it is true (a table without that column: all rows). Its ``meta.publication`` says
``pseudonymized = false``. It is personal data: keep the folder's permissions tight and
give it only to the tools that need it. A failure of the PII file leaves the previous PII
file untouched and raises :class:`PublishError` after the pseudonymized file was published.

Windows: ``os.replace`` fails while a reader has the target open, directories
cannot be fsynced, there is no ``flock`` and symlinks need privileges: the module
is written for POSIX (where the project runs).
"""

from __future__ import annotations

import contextlib
import glob
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from dagster_project.privacy.classification import PERSONAL_CLASSES, PII_CLASSES, PUBLISH_ACTIONS, relation_columns
from dagster_project.privacy.keyed_hash import PSEUDONYM_KEY_ENV, hmac_sql, secret

try:  # POSIX only; without it two publishers are not serialized (documented above)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

META_SCHEMA = "meta"
PUBLISHED_STORAGE_VERSION = "v1.1.0"
"""DuckDB storage format of the published files: the oldest release that must read them."""
PARQUET_MANIFEST = "_publication.json"
_TMP_SUFFIX = ".tmp"


class PublishError(RuntimeError):
    """Publishing failed; the previously published file was left untouched."""


@dataclass(frozen=True)
class PublishResult:
    """What a publish wrote."""

    published_path: Path
    tables: dict[str, int]
    """``"schema.table"`` -> row count, in the order they were copied."""
    bytes: int
    """Size of the published DuckDB file."""
    duration_s: float
    parquet_dir: Path | None
    """The ``parquet_dir`` symlink, when Parquet files were written."""
    build_id: str
    pseudonymized: bool = False
    pii_path: Path | None = None
    """The PII publication, when one was written."""
    pii_tables: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceStatus:
    """How one raw table stands at publication (``meta.source_status`` of the published file)."""

    raw_table: str
    row_count: int
    file_count: int
    last_loaded_at: datetime | None
    status: str
    is_stale: bool


# --- the column policy ----------------------------------------------------------------

ColumnPolicy = Mapping[tuple[str, str], Mapping[str, "str | None"]]
"""(schema, table) -> column name (lower-case) -> its ``meta.pii`` class (None: unclassified)."""

CONSENT_COLUMN = "has_marketing_consent"


class UnclassifiedColumnError(ValueError):
    """A published column has no (known) privacy classification."""


def column_policy_from_manifest(manifest: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, str | None]]:
    """The policy of every dbt model and seed: its columns' ``config.meta.pii`` (dbt manifest)."""
    return {
        relation: {column: entry.pii for column, entry in columns.items()}
        for relation, columns in relation_columns(manifest).items()
    }


@dataclass(frozen=True)
class PublishedColumn:
    name: str
    data_type: str
    pii: str | None
    action: str  # keep, hash, drop


@dataclass(frozen=True)
class TablePlan:
    """How one table is copied: which columns, hashed with which key, which rows."""

    schema: str
    table: str
    columns: tuple[PublishedColumn, ...]
    where: str | None = None
    key: bytes | None = field(default=None, repr=False)

    def with_key(self, key: bytes) -> TablePlan:
        return replace(self, key=key)

    def select_list(self) -> str:
        items = []
        for column in self.columns:
            if column.action == "drop":
                continue
            if column.action == "hash":
                if self.key is None:
                    raise ValueError(f"{self.schema}.{self.table}.{column.name}: no key to hash it with")
                items.append(f"{hmac_sql(_ident(column.name), self.key)} as {_ident(column.name)}")
            else:
                items.append(_ident(column.name))
        if not items:
            raise ValueError(f"{self.schema}.{self.table}: no column left to publish")
        return ", ".join(items)


def _verbatim_plan(schema: str, table: str, columns: list[tuple[str, str]]) -> TablePlan:
    return TablePlan(
        schema, table, tuple(PublishedColumn(name, data_type, None, "keep") for name, data_type in columns)
    )


def _pseudonymized_plans(
    tables: list[tuple[str, str]], columns: dict[tuple[str, str], list[tuple[str, str]]], policy: ColumnPolicy
) -> list[TablePlan]:
    """Each column's action from its class; every unclassified column named in one error."""
    plans, unclassified = [], []
    for schema, table in tables:
        classes = {name.lower(): pii for name, pii in (policy.get((schema, table)) or {}).items()}
        published = []
        for name, data_type in columns[(schema, table)]:
            pii = classes.get(name.lower())
            action = PUBLISH_ACTIONS.get(pii or "")
            if action is None:
                unclassified.append(f"{schema}.{table}.{name}" + (f" (meta.pii {pii!r})" if pii else ""))
                continue
            published.append(PublishedColumn(name, data_type, pii, action))
        plans.append(TablePlan(schema, table, tuple(published)))
    if unclassified:
        raise UnclassifiedColumnError(
            f"{len(unclassified)} published column(s) have no privacy classification: {', '.join(unclassified)}."
            f" Classify each in the model's YAML (config: meta: pii: one of {', '.join(PII_CLASSES)}) and"
            " rebuild the manifest (crm-warehouse prepare-dbt); nothing unclassified is published."
        )
    return plans


def _pii_plans(
    tables: list[tuple[str, str]], columns: dict[tuple[str, str], list[tuple[str, str]]], policy: ColumnPolicy
) -> list[TablePlan]:
    """The tables with a personal column, in plaintext; rows with consent where the table says so."""
    plans = []
    for plan in _pseudonymized_plans(tables, columns, policy):
        if not any(column.pii in PERSONAL_CLASSES for column in plan.columns):
            continue
        where = None
        consent = next((c for c in plan.columns if c.name.lower() == CONSENT_COLUMN), None)
        if consent is not None:
            if consent.data_type.upper() != "BOOLEAN":
                raise ValueError(
                    f"{plan.schema}.{plan.table}.{consent.name} is {consent.data_type},"
                    " not BOOLEAN: cannot tell consent"
                )
            where = f"{_ident(consent.name)} is true"
        plans.append(replace(plan, where=where, columns=tuple(replace(c, action="keep") for c in plan.columns)))
    if not plans:
        raise ValueError("no published table has a personal column: nothing for a PII publication")
    return plans


# --- publishing ------------------------------------------------------------------------


def publish_warehouse(
    con: duckdb.DuckDBPyConnection,
    published_path: Path | str,
    schemas: Sequence[str] = ("marts",),
    parquet_dir: Path | str | None = None,
    build_id: str | None = None,
    source_status: Sequence[SourceStatus] = (),
    column_policy: ColumnPolicy | None = None,
    pseudonym_key: bytes | None = None,
    pii_path: Path | str | None = None,
) -> PublishResult:
    """Copy ``schemas`` of ``con``'s current database into ``published_path`` atomically.

    ``con`` is an open read-write connection to the working warehouse; the caller owns
    it (it is not closed, and is left with nothing attached). Tables and views of the
    schemas are published as tables; views are materialized. Call this only after
    every quality gate has passed. See the module docstring for the guarantees.

    ``column_policy`` ((schema, table) -> column -> ``meta.pii`` class, see
    :func:`column_policy_from_manifest`) makes the publication pseudonymized: identifier
    columns as keyed hashes (``pseudonym_key``, default the secret ``CRM_PSEUDONYM_KEY``),
    name columns dropped, and a column without a class fails the publish. Without a
    policy the tables are copied as they are (only for schemas holding no personal data:
    the pipeline always passes one). ``pii_path`` (needs a policy) also writes the PII
    publication (module docstring).

    Raises :class:`PublishError` (with the cause chained) when anything fails; the
    previously published file and Parquet files are then unchanged, except when only
    the final Parquet swap or the PII publication fails (the message says so).
    """
    started = time.monotonic()
    target = Path(published_path).expanduser().resolve()
    schemas = tuple(schemas)
    build_id = build_id or _new_build_id()
    published_at = datetime.now(UTC).replace(tzinfo=None)
    parquet_link = Path(parquet_dir).expanduser().absolute() if parquet_dir is not None else None
    pii_target = Path(pii_path).expanduser().resolve() if pii_path is not None else None

    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(target.parent / f".{target.name}.lock"):
        _remove_stale_files(target, parquet_link)
        staged_parquet: Path | None = None
        try:
            if pii_target is not None and column_policy is None:
                raise ValueError("a PII publication needs the column policy (which columns are personal)")
            if pii_target == target:
                raise ValueError(f"the PII publication cannot be the published file {target}")
            source_db, source_path = _validate(con, target, schemas)
            tables = _list_tables(con, source_db, schemas)
            columns = _list_columns(con, source_db, schemas)
            if column_policy is None:
                plans = [_verbatim_plan(schema, table, columns[(schema, table)]) for schema, table in tables]
            else:
                plans = _pseudonymized_plans(tables, columns, column_policy)  # refuses unclassified columns first
                key = pseudonym_key or secret(PSEUDONYM_KEY_ENV, "publishing the pseudonymized warehouse")
                plans = [plan.with_key(key) for plan in plans]
            counts, size, staged_parquet = _write_file(
                con,
                target,
                source_db,
                source_path,
                plans,
                build_id,
                published_at,
                parquet_link,
                source_status,
                pseudonymized=column_policy is not None,
            )
        except BaseException as exc:
            if staged_parquet is not None:
                shutil.rmtree(staged_parquet, ignore_errors=True)
            if isinstance(exc, Exception):
                raise PublishError(
                    f"publishing build {build_id!r} to {target} failed; the previously published "
                    f"file was left untouched: {type(exc).__name__}: {exc}"
                ) from exc
            raise

        if staged_parquet is not None and parquet_link is not None:
            try:
                _swap_parquet(parquet_link, staged_parquet)
            except Exception as exc:
                raise PublishError(
                    f"build {build_id!r} was published to {target}, but swapping the Parquet "
                    f"directory {parquet_link} failed (it still holds the previous build): {exc}"
                ) from exc

    pii_counts: dict[str, int] = {}
    if pii_target is not None and column_policy is not None:
        pii_counts = _publish_pii(
            con, pii_target, source_db, source_path, tables, columns, column_policy, build_id, published_at, target
        )

    duration = time.monotonic() - started
    logger.info("published build %s to %s: %d tables, %d bytes, %.2fs", build_id, target, len(counts), size, duration)
    return PublishResult(
        published_path=target,
        tables=counts,
        bytes=size,
        duration_s=duration,
        parquet_dir=parquet_link if staged_parquet is not None else None,
        build_id=build_id,
        pseudonymized=column_policy is not None,
        pii_path=pii_target,
        pii_tables=pii_counts,
    )


def _publish_pii(
    con: duckdb.DuckDBPyConnection,
    pii_target: Path,
    source_db: str,
    source_path: str | None,
    tables: list[tuple[str, str]],
    columns: dict[tuple[str, str], list[tuple[str, str]]],
    column_policy: ColumnPolicy,
    build_id: str,
    published_at: datetime,
    published: Path,
) -> dict[str, int]:
    """The PII publication: same swap, own lock, no Parquet (module docstring)."""
    pii_target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(pii_target.parent / f".{pii_target.name}.lock"):
        _remove_stale_files(pii_target, None)
        try:
            if source_path and Path(source_path).resolve() == pii_target:
                raise ValueError(f"the PII publication {pii_target} cannot be the working warehouse")
            plans = _pii_plans(tables, columns, column_policy)
            counts, _, _ = _write_file(
                con, pii_target, source_db, source_path, plans, build_id, published_at, None, (), pseudonymized=False
            )
        except Exception as exc:
            raise PublishError(
                f"build {build_id!r} was published to {published}, but the PII publication to {pii_target} failed;"
                f" the previous PII publication was left untouched: {type(exc).__name__}: {exc}"
            ) from exc
    logger.info("published the PII publication of build %s to %s: %d tables", build_id, pii_target, len(counts))
    return counts


def open_published(published_path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open the published file read-only (what a BI tool should do).

    The connection keeps reading the publication that was current when it was
    opened; close it and open again to see a later one (in the same process, close
    every connection to the path first: DuckDB reuses an open database instance).
    """
    path = Path(published_path).expanduser().resolve()
    if not path.is_file():
        raise FileNotFoundError(f"no published warehouse at {path}")
    return duckdb.connect(str(path), read_only=True)


# --- the copy ----------------------------------------------------------------------


def _write_file(
    con: duckdb.DuckDBPyConnection,
    target: Path,
    source_db: str,
    source_path: str | None,
    plans: list[TablePlan],
    build_id: str,
    published_at: datetime,
    parquet_link: Path | None,
    source_status: Sequence[SourceStatus],
    pseudonymized: bool,
) -> tuple[dict[str, int], int, Path | None]:
    """Write a temp file next to ``target`` and rename it over ``target`` (steps 2-4 of the module
    docstring; the caller holds the lock). Returns the row counts, the size, the staged Parquet."""
    token = uuid.uuid4().hex
    temp = target.with_name(f".{target.name}.{token}{_TMP_SUFFIX}")
    staged_parquet: Path | None = None
    try:
        counts, staged_parquet = _write_copy(
            con,
            temp,
            f"__publish_{token}",
            source_db,
            source_path,
            plans,
            build_id,
            published_at,
            parquet_link,
            source_status,
            pseudonymized,
        )
        _ensure_no_wal(temp)
        _fsync(temp)
        size = temp.stat().st_size
        _remove_file(_wal_of(target))  # a foreign WAL would break every reader of the new file
        os.replace(temp, target)
        _fsync_dir(target.parent)
    except BaseException:
        _remove_file(temp)
        _remove_file(_wal_of(temp))
        if staged_parquet is not None:
            shutil.rmtree(staged_parquet, ignore_errors=True)
        raise
    return counts, size, staged_parquet


def _write_copy(
    con: duckdb.DuckDBPyConnection,
    temp: Path,
    alias: str,
    source_db: str,
    source_path: str | None,
    plans: list[TablePlan],
    build_id: str,
    published_at: datetime,
    parquet_link: Path | None,
    source_status: Sequence[SourceStatus] = (),
    pseudonymized: bool = False,
) -> tuple[dict[str, int], Path | None]:
    """Write the new file at ``temp`` (attached as ``alias``) and detach it; stage Parquet."""
    pub = _ident(alias)
    staged_parquet: Path | None = None
    con.execute(f"attach {_literal(str(temp))} as {pub} (storage_version {_literal(PUBLISHED_STORAGE_VERSION)})")
    in_transaction = False
    try:
        con.execute("begin transaction")
        in_transaction = True
        counts = _copy_tables(con, pub, _ident(source_db), plans)
        _write_meta(con, pub, build_id, published_at, source_path, counts, source_status, pseudonymized, plans)
        con.execute("commit")
        in_transaction = False
        if parquet_link is not None:
            staged_parquet = _export_parquet(con, pub, counts, parquet_link, build_id)
        con.execute(f"checkpoint {pub}")
    except BaseException:
        if in_transaction:
            with contextlib.suppress(Exception):
                con.execute("rollback")
        with contextlib.suppress(Exception):
            con.execute(f"detach {pub}")
        if staged_parquet is not None:
            shutil.rmtree(staged_parquet, ignore_errors=True)
        raise
    try:
        con.execute(f"detach {pub}")  # closes the file: nothing of it may stay in memory
    except BaseException:
        if staged_parquet is not None:
            shutil.rmtree(staged_parquet, ignore_errors=True)
        raise
    return counts, staged_parquet


def _copy_tables(con: duckdb.DuckDBPyConnection, pub: str, source: str, plans: list[TablePlan]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for schema in dict.fromkeys(plan.schema for plan in plans):
        con.execute(f"create schema {pub}.{_ident(schema)}")
    for plan in plans:
        name = f"{_ident(plan.schema)}.{_ident(plan.table)}"
        where = f" where {plan.where}" if plan.where else ""
        con.execute(f"create table {pub}.{name} as select {plan.select_list()} from {source}.{name}{where}")
        counts[f"{plan.schema}.{plan.table}"] = _scalar(con, f"select count(*) from {pub}.{name}")
    return counts


def _write_meta(
    con: duckdb.DuckDBPyConnection,
    pub: str,
    build_id: str,
    published_at: datetime,
    source_path: str | None,
    counts: dict[str, int],
    source_status: Sequence[SourceStatus] = (),
    pseudonymized: bool = False,
    plans: Sequence[TablePlan] = (),
) -> None:
    meta = f"{pub}.{_ident(META_SCHEMA)}"
    con.execute(f"create schema {meta}")
    con.execute(
        f"""create table {meta}.publication (
            build_id varchar not null,
            published_at timestamp not null,  -- UTC
            source_path varchar,
            duckdb_version varchar not null,
            table_count integer not null,
            total_rows bigint not null,
            pseudonymized boolean not null  -- identifiers as keyed hashes, names dropped (meta.column_privacy)
        )"""
    )
    con.execute(
        f"insert into {meta}.publication values (?, ?, ?, ?, ?, ?, ?)",
        [build_id, published_at, source_path, duckdb.__version__, len(counts), sum(counts.values()), pseudonymized],
    )
    con.execute(
        f"""create table {meta}.column_privacy (
            schema_name varchar not null,
            table_name varchar not null,
            column_name varchar not null,  -- a column of the working warehouse's table
            pii varchar,                   -- its meta.pii class (null: copied without a policy)
            action varchar not null        -- keep, hash (keyed HMAC-SHA256, hex) or drop (not published)
        )"""
    )
    privacy = [(plan.schema, plan.table, c.name, c.pii, c.action) for plan in plans for c in plan.columns]
    if privacy:
        con.executemany(f"insert into {meta}.column_privacy values (?, ?, ?, ?, ?)", privacy)
    con.execute(
        f"""create table {meta}.publication_tables (
            schema_name varchar not null,
            table_name varchar not null,
            row_count bigint not null
        )"""
    )
    rows = [(*name.split(".", 1), rows) for name, rows in counts.items()]
    if rows:
        con.executemany(f"insert into {meta}.publication_tables values (?, ?, ?)", rows)
    con.execute(
        f"""create table {meta}.source_status (
            raw_table varchar not null,   -- the landing folder / raw table of a tool's export
            row_count bigint not null,    -- rows the warehouse holds (0: never delivered)
            file_count bigint not null,
            last_loaded_at timestamp,     -- UTC
            status varchar not null,      -- loaded, no data delivered, or failed: <error>
            is_stale boolean not null     -- true when this run's new file(s) could not be loaded
        )"""
    )
    if source_status:
        con.executemany(
            f"insert into {meta}.source_status values (?, ?, ?, ?, ?, ?)",
            [(s.raw_table, s.row_count, s.file_count, s.last_loaded_at, s.status, s.is_stale) for s in source_status],
        )


def _export_parquet(
    con: duckdb.DuckDBPyConnection, pub: str, counts: dict[str, int], link: Path, build_id: str
) -> Path:
    """Write every published table to ``<versions>/<build>-<hex>.tmp``, then drop the suffix."""
    versions = _versions_dir(link)
    versions.mkdir(parents=True, exist_ok=True)
    final = versions / f"{_safe_name(build_id)}-{uuid.uuid4().hex[:8]}"
    staging = final.with_name(final.name + _TMP_SUFFIX)
    try:
        for name in counts:
            schema, table = name.split(".", 1)
            folder = staging / schema
            folder.mkdir(parents=True, exist_ok=True)
            out = folder / f"{table}.parquet"
            con.execute(
                f"copy (select * from {pub}.{_ident(schema)}.{_ident(table)}) to {_literal(str(out))} (format parquet)"
            )
            _fsync(out)
        manifest = staging / PARQUET_MANIFEST
        manifest.write_text(json.dumps({"build_id": build_id, "tables": counts}, indent=2) + "\n")
        _fsync(manifest)
        for folder in (*{staging / name.split(".", 1)[0] for name in counts}, staging):
            _fsync_dir(folder)
        os.rename(staging, final)
        _fsync_dir(versions)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def _swap_parquet(link: Path, version: Path) -> None:
    """Point ``link`` at ``version`` atomically; keep the previous version, prune older ones."""
    versions = version.parent
    previous: Path | None = None
    if link.is_symlink():
        previous = (link.parent / os.readlink(link)).resolve()
    elif link.is_dir():
        # A plain directory from before: move it aside (``link`` is briefly missing).
        previous = versions / f"legacy-{uuid.uuid4().hex[:8]}"
        os.rename(link, previous)
    elif link.exists():
        raise FileExistsError(f"{link} exists and is neither a directory nor a symlink")
    temp_link = link.with_name(f".{link.name}.{uuid.uuid4().hex}.lnk")
    os.symlink(os.path.relpath(version, link.parent), temp_link, target_is_directory=True)
    try:
        os.replace(temp_link, link)
    except BaseException:
        _remove_file(temp_link)
        raise
    _fsync_dir(link.parent)
    keep = {version.resolve(), previous}
    for entry in versions.iterdir():
        if entry.is_dir() and not entry.name.endswith(_TMP_SUFFIX) and entry.resolve() not in keep:
            shutil.rmtree(entry, ignore_errors=True)


# --- checks and housekeeping -------------------------------------------------------


def _validate(con: duckdb.DuckDBPyConnection, target: Path, schemas: tuple[str, ...]) -> tuple[str, str | None]:
    """The source catalog and its file; refuse bad schema lists and publishing onto itself."""
    if not schemas:
        raise ValueError("no schema to publish")
    if META_SCHEMA in schemas:
        raise ValueError(f"schema {META_SCHEMA!r} is reserved for the publication metadata")
    source_db = str(_scalar(con, "select current_database()"))
    source_path = _scalar(con, "select path from duckdb_databases() where database_name = current_database()")
    if source_path and Path(source_path).resolve() == target:
        raise ValueError(f"the published file {target} cannot be the working warehouse")
    existing = {
        row[0]
        for row in con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database()"
        ).fetchall()
    }
    missing = [schema for schema in schemas if schema not in existing]
    if missing:
        raise ValueError(f"schema(s) {missing} do not exist in the working warehouse {source_path}")
    return source_db, source_path


def _list_tables(con: duckdb.DuckDBPyConnection, source_db: str, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    rows = con.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where database_name = ? and list_contains(?, schema_name) and not temporary
        union all
        select schema_name, view_name from duckdb_views()
        where database_name = ? and list_contains(?, schema_name) and not internal and not temporary
        order by 1, 2
        """,
        [source_db, list(schemas), source_db, list(schemas)],
    ).fetchall()
    if not rows:
        raise ValueError(f"no table or view in schema(s) {list(schemas)}")
    return [(str(schema), str(table)) for schema, table in rows]


def _list_columns(
    con: duckdb.DuckDBPyConnection, source_db: str, schemas: tuple[str, ...]
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table or view) -> [(column, data type)] in column order."""
    columns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in con.execute(
        """
        select schema_name, table_name, column_name, data_type from duckdb_columns()
        where database_name = ? and list_contains(?, schema_name) and not internal
        order by schema_name, table_name, column_index
        """,
        [source_db, list(schemas)],
    ).fetchall():
        columns.setdefault((str(schema), str(table)), []).append((str(column), str(data_type)))
    return columns


def _ensure_no_wal(path: Path) -> None:
    """Fold a WAL left after DETACH into the file; fail if DuckDB keeps one."""
    wal = _wal_of(path)
    if not wal.exists():
        return
    logger.warning("%s still has a WAL after DETACH; checkpointing it", path)
    with duckdb.connect(str(path)) as fix:
        fix.execute("checkpoint")
    if wal.exists():
        raise RuntimeError(f"DuckDB left {wal} after checkpoint; refusing to publish a file without its WAL")


def _remove_stale_files(target: Path, parquet_link: Path | None) -> None:
    """Remove what crashed publishes left; safe because the caller holds the publish lock."""
    pattern = glob.escape(str(target.parent / f".{target.name}.")) + "*" + _TMP_SUFFIX
    for stale in glob.glob(pattern) + glob.glob(pattern + ".wal"):
        logger.warning("removing %s left by an earlier publish that did not finish", stale)
        _remove_file(Path(stale))
    if parquet_link is None:
        return
    for stale in glob.glob(glob.escape(str(parquet_link.parent / f".{parquet_link.name}.")) + "*.lnk"):
        _remove_file(Path(stale))
    versions = _versions_dir(parquet_link)
    if versions.is_dir():
        for entry in versions.glob("*" + _TMP_SUFFIX):
            logger.warning("removing %s left by an earlier publish that did not finish", entry)
            shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    """Serialize publishers of one target (released by the OS if the process dies)."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    with open(lock_path, "a+b") as handle:  # the lock file stays: deleting it would race
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    _fsync(path)


def _remove_file(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)


def _wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _versions_dir(link: Path) -> Path:
    return link.parent / f".{link.name}.versions"


def _new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:80] or "build"


def _scalar(con: duckdb.DuckDBPyConnection, sql: str):
    row = con.execute(sql).fetchone()
    return None if row is None else row[0]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
