"""Right to erasure (GDPR art. 17): remove a person from every layer of the warehouse.

A request names one or more identifiers (``ann@example.com``, ``+39 333 123 4567``, a
``customer_id``, ``crm_contact_id:51234``, ``user_pseudo_id:1234.5678``: ``type:value`` or a
bare value, whose type is guessed). ``resolve`` finds the customers they belong to in the
identity graph (``marts.bridge_customer_identifier``) and takes **every** identifier of those
customers that is theirs alone (a shared office address or role mailbox stays: it is not the
person's), plus their shop orders' ids and numbers. Identifiers the graph does not know (a GA4
device that never consented, so never linked) are erased as given.

``plan`` (the dry run) finds, through the raw columns' ``config.meta.identifier_type``, every raw
and quarantined row carrying one of those identifiers, the landing files (and duplicate
deliveries) holding them, the customer-id registry rows, mart and ml rows keyed by the
customers, and audit samples naming them. ``execute`` then, in this order:

1. records the erasure: ``audit.erased_identifiers`` gets keyed hashes of the identifiers
   (``erasure_register``), ``audit.erasure_log`` a keyed hash of the request, the time, and the
   row counts; from here on the loader drops those people from any file it loads, so a crash
   in what follows never brings them back;
2. rewrites the landing files without their records (``landing_rewrite``: verified to read back
   as before minus those records) and records the new checksums in ``raw._load_manifest``, so a
   rewritten file is not loaded again as new;
3. in one transaction deletes the rows from ``raw.*`` (renumbering ``_source_row`` of the rows
   after them, so lineage still points at the right record), ``quarantine.*``, the registry
   ``int_identity__customer_ids``, and every table holding a ``customer_id`` of theirs (marts,
   ml, intermediate), and replaces their values in the audit tables' text (samples, messages)
   by ``[erased]``; the values to scrub outside the warehouse wait in
   ``audit.erasure_pending`` for the sweep.

The Dagster job ``erase_person`` then rebuilds every layer with ``--full-refresh`` (incremental
models forget the rows), publishes, and ``sweep`` finishes: it scrubs the run logs and
Dagster's own storage (the run's config names the identifiers), removes every older Parquet
version, drops ``audit.erasure_pending`` and rewrites the working DuckDB file into a fresh one
(``compaction``), so no free block still holds the bytes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dagster_project.ingest.raw_contract import RAW_SCHEMA, RawTable, raw_tables
from dagster_project.privacy.classification import IDENTIFIER_TYPES
from dagster_project.privacy.erasure_register import (
    LOG_TABLE,
    counts_json,
    ensure_register,
    erased_rows_sql,
    match_forms,
    register,
)
from dagster_project.privacy.keyed_hash import hmac_hex
from dagster_project.privacy.landing_rewrite import rewrite_without

PENDING_TABLE = "audit.erasure_pending"
REGISTRY_MODEL = "int_identity__customer_ids"
SCRUBBED = "[erased]"
MIN_SCRUB_LENGTH = 4
_PHONE_LIKE = re.compile(r"^[+(]?[0-9][0-9 ()./-]{5,}$")
_KNOWN_TYPES = IDENTIFIER_TYPES


class ErasureError(RuntimeError):
    """The request cannot be carried out as asked (nothing matched, a bad identifier)."""


@dataclass
class ErasurePlan:
    """What an erasure removes. Holds plaintext identifiers in memory only: never persist it."""

    erasure_id: str
    request_hash: str
    requested: list[str]
    customers: list[str]
    identifiers: list[tuple[str, str]]
    rows: dict[str, int] = field(default_factory=dict)  # "<schema>.<table>" -> rows to delete
    landing: dict[str, dict[str, dict[str, set[int]]]] = field(default_factory=dict)  # table -> file -> drops
    duplicates: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> duplicate -> original
    audit_rows: dict[str, int] = field(default_factory=dict)
    scrub_values: set[str] = field(default_factory=set)
    tables: dict[str, RawTable] = field(default_factory=dict, repr=False)  # the raw tables planned on

    @property
    def landing_rows(self) -> int:
        return sum(len(d) for files in self.landing.values() for drops in files.values() for d in drops.values())

    @property
    def landing_files(self) -> int:
        return sum(len(files) for files in self.landing.values()) + sum(len(d) for d in self.duplicates.values())

    def counts(self) -> dict[str, int]:
        counts = dict(self.rows)
        counts.update({f"{name} (text scrubbed)": n for name, n in self.audit_rows.items()})
        counts["landing files rewritten"] = self.landing_files
        counts["landing records removed"] = self.landing_rows
        return {name: n for name, n in counts.items() if n}

    def summary(self) -> list[str]:
        lines = [
            f"erasure {self.erasure_id}: {len(self.requested)} identifier(s) requested, "
            f"{len(self.customers)} customer(s), {len(self.identifiers)} identifier(s) of theirs",
        ]
        width = max((len(name) for name in self.counts()), default=0)
        lines += [f"  {name:<{width}}  {n:>8}" for name, n in sorted(self.counts().items())]
        for table, files in sorted(self.landing.items()):
            records = sum(len(d) for drops in files.values() for d in drops.values())
            duplicates = len(self.duplicates.get(table, {}))
            extra = f" (and {duplicates} duplicate deliveries of them)" if duplicates else ""
            lines.append(f"  landing {table}/: {records} record(s) in {len(files)} file(s){extra}")
        return lines


# --- resolving the request ---------------------------------------------------------------


def parse_request(values: Iterable[str]) -> list[tuple[str | None, str]]:
    """``type:value`` or a bare value (type None); blanks refused."""
    parsed = []
    for raw in values:
        text = raw.strip()
        if not text:
            raise ErasureError("an empty identifier was given")
        prefix, _, rest = text.partition(":")
        if rest and prefix in _KNOWN_TYPES or (rest and prefix.endswith("_handle")):
            parsed.append((prefix, rest.strip()))
        else:
            parsed.append((None, text))
    return parsed


def _guess_types(value: str) -> tuple[str, ...]:
    if "@" in value.strip("@") and "." in value.split("@")[-1]:
        return ("email",)
    if _PHONE_LIKE.match(value.strip()) and sum(ch.isdigit() for ch in value) >= 7:
        return ("phone", *(t for t in _KNOWN_TYPES if t not in ("email", "phone")))
    return tuple(t for t in _KNOWN_TYPES if t != "email") + ("email",)


def _relation(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute(
        "select schema_name from duckdb_tables() where table_name = ? and database_name = current_database()"
        " and not temporary order by schema_name limit 1",
        [name],
    ).fetchone()
    return f"{row[0]}.{name}" if row else None


def _columns(con: duckdb.DuckDBPyConnection, qualified: str) -> list[str]:
    schema, table = qualified.split(".", 1)
    return [
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ?"
            " and database_name = current_database() order by column_index",
            [schema, table],
        ).fetchall()
    ]


def resolve(con: duckdb.DuckDBPyConnection, requested: Sequence[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """(customer ids, every (identifier_type, value) to erase) for a request."""
    parsed = parse_request(requested)
    bridge = _relation(con, "bridge_customer_identifier")
    customers: set[str] = set()
    identifiers: set[tuple[str, str]] = set()
    for given_type, value in parsed:
        if value.lower().startswith("cus_") and given_type is None:
            customers.add(value)
            continue
        types = (given_type,) if given_type else _guess_types(value)
        forms = {(t, f) for t in types for f in match_forms(t, value)}
        if bridge:
            for identifier_type, identifier_value, customer_id, shared in con.execute(
                f"select identifier_type, identifier_value, customer_id, is_shared from {bridge}"
                " where identifier_type in (select unnest(?)) and (lower(trim(identifier_value)) in (select unnest(?))"
                "  or (identifier_type = 'phone' and length(?) >= 7"
                " and ends_with(regexp_replace(identifier_value, '[^0-9]', '', 'g'), ?)))",
                [
                    list(types),
                    [f for _, f in forms],
                    max((f for t, f in forms if t == "phone"), default=""),
                    max((f for t, f in forms if t == "phone"), default=""),
                ],
            ).fetchall():
                if forms & {(identifier_type, f) for f in match_forms(identifier_type, identifier_value)}:
                    if shared:
                        raise ErasureError(
                            f"{identifier_type} {value!r} is shared by several people ({identifier_type} of a shared"
                            " mailbox, office or device): erasing it would erase others. Name the person by an"
                            " identifier of theirs alone."
                        )
                    customers.add(customer_id)
        # an identifier the graph never linked (no consent, invalid) is erased as given
        identifiers |= {(t, value) for t in types if match_forms(t, value)}
    if bridge and customers:
        identifiers |= set(
            con.execute(
                f"select identifier_type, identifier_value from {bridge}"
                " where customer_id in (select unnest(?)) and not is_shared and identifier_type <> 'source_record'",
                [sorted(customers)],
            ).fetchall()
        )
        records = con.execute(
            f"select identifier_value from {bridge} where customer_id in (select unnest(?))"
            " and identifier_type = 'source_record'",
            [sorted(customers)],
        ).fetchall()
        for (record,) in records:
            source, _, record_id = record.partition(":")
            if source == "shop_order":
                identifiers.add(("order_id", record_id))
        orders = _relation(con, "fct_order")
        if orders and "order_number" in _columns(con, orders):
            identifiers |= {
                ("order_number", n)
                for (n,) in con.execute(
                    f"select order_number from {orders} where customer_id in (select unnest(?))"
                    " and order_number is not null",
                    [sorted(customers)],
                ).fetchall()
            }
            identifiers |= {
                ("order_id", str(n))
                for (n,) in con.execute(
                    f"select order_id from {orders} where customer_id in (select unnest(?))", [sorted(customers)]
                ).fetchall()
            }
    return sorted(customers), sorted(identifiers)


def request_hash(requested: Sequence[str], key: bytes) -> str:
    return hmac_hex(key, "\n".join(sorted(v.strip().lower() for v in requested)))


# --- planning ------------------------------------------------------------------------------


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?"
            " and database_name = current_database()",
            [schema, table],
        ).fetchone()[0]
    )


def _personal_leaves(table: RawTable) -> list[str]:
    """SQL of every varchar-ish leaf classified identifier or name (values to scrub elsewhere)."""
    leaves = []
    for column in table.columns:
        for entry in column.privacy:
            if entry.pii not in ("identifier", "name"):
                continue
            if not entry.field_path and column.is_nested:
                continue  # the struct itself: its fields are listed one by one
            if any(part.endswith("[]") for part in entry.field_path):
                continue  # inside a list: the identifier itself is scrubbed (the person's identifiers)
            expression = 'r."' + column.name.replace('"', '""') + '"'
            for part in entry.field_path:
                expression += '."' + part.replace('"', '""') + '"'
            leaves.append(expression)
    return leaves


def _file_of(source_file: str, manifest_files: set[str]) -> str:
    """The landing file (manifest name) a ``_source_file`` belongs to: itself or its zip archive."""
    if source_file in manifest_files:
        return source_file
    parts = source_file.split("/")
    for cut in range(len(parts) - 1, 0, -1):
        candidate = "/".join(parts[:cut])
        if candidate in manifest_files:
            return candidate
    return source_file


def plan(
    con: duckdb.DuckDBPyConnection, requested: Sequence[str], key: bytes, tables: Sequence[RawTable] | None = None
) -> ErasurePlan:
    """What erasing ``requested`` removes; changes nothing (temp tables only)."""
    customers, identifiers = resolve(con, requested)
    if not customers and not identifiers:
        raise ErasureError("no identifier to erase was found in the request")
    erasure = ErasurePlan(
        erasure_id=f"era_{datetime.now(UTC):%Y%m%dT%H%M%S}_{uuid.uuid4().hex[:8]}",
        request_hash=request_hash(requested, key),
        requested=list(requested),
        customers=customers,
        identifiers=identifiers,
    )
    con.execute(
        "create or replace temp table _erasing (erasure_id varchar, identifier_type varchar, identifier_hash varchar)"
    )
    con.execute("create or replace temp table _erasing_customers (customer_id varchar)")
    if customers:
        con.executemany("insert into _erasing_customers values (?)", [(c,) for c in customers])
    rows = sorted({(erasure.erasure_id, t, hmac_hex(key, form)) for t, v in identifiers for form in match_forms(t, v)})
    if rows:
        con.executemany("insert into _erasing values (?, ?, ?)", rows)
    erasure.scrub_values |= {v for _, v in identifiers if len(v) >= MIN_SCRUB_LENGTH}

    manifest = _table_exists(con, RAW_SCHEMA, "_load_manifest")
    con.execute(
        "create or replace temp table _erasing_rows (schema_name varchar, table_name varchar, _source_file varchar,"
        " _source_row bigint)"
    )
    for table in tables if tables is not None else raw_tables():
        erasure.tables[table.name] = table
        predicate = erased_rows_sql(table, key, register_table="_erasing")
        if predicate is None:
            continue
        for schema in (RAW_SCHEMA, "quarantine"):
            if not _table_exists(con, schema, table.name):
                continue
            con.execute(
                f"insert into _erasing_rows select '{schema}', '{table.name}', _source_file, _source_row"
                f" from {schema}.{table.name} as r where {predicate}"
            )
            count = con.execute(
                "select count(*) from _erasing_rows where schema_name = ? and table_name = ?", [schema, table.name]
            ).fetchone()[0]
            if not count:
                continue
            erasure.rows[f"{schema}.{table.name}"] = count
            for leaf in _personal_leaves(table):
                erasure.scrub_values |= {
                    value
                    for (value,) in con.execute(
                        f"select distinct cast({leaf} as varchar) from {schema}.{table.name} as r where {predicate}"
                    ).fetchall()
                    if value and len(value) >= MIN_SCRUB_LENGTH
                }
        if not manifest:
            continue
        files = {
            f
            for (f,) in con.execute(
                f"select file_name from {RAW_SCHEMA}._load_manifest where table_name = ?", [table.name]
            ).fetchall()
        }
        drops: dict[str, dict[str, set[int]]] = {}
        for source_file, source_row in con.execute(
            "select _source_file, _source_row from _erasing_rows where table_name = ? order by 1, 2", [table.name]
        ).fetchall():
            drops.setdefault(_file_of(source_file, files), {}).setdefault(source_file, set()).add(int(source_row))
        if drops:
            erasure.landing[table.name] = drops
            duplicates = con.execute(
                f"select file_name, duplicate_of from {RAW_SCHEMA}._load_manifest where table_name = ?"
                " and duplicate_of in (select unnest(?))",
                [table.name, sorted(drops)],
            ).fetchall()
            if duplicates:
                erasure.duplicates[table.name] = dict(duplicates)

    _plan_keyed_tables(con, erasure)
    _plan_audit(con, erasure)
    return erasure


def _keyed_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every base table (not raw/quarantine/audit) with a customer_id column."""
    return [
        f"{schema}.{table}"
        for schema, table in con.execute(
            """select c.schema_name, c.table_name from duckdb_columns() c
           join duckdb_tables() t on t.schema_name = c.schema_name and t.table_name = c.table_name
               and t.database_name = c.database_name
           where c.database_name = current_database() and c.column_name = 'customer_id' and not t.temporary
             and c.schema_name not in ('raw', 'quarantine', 'audit')
           order by 1, 2"""
        ).fetchall()
    ]


def _plan_keyed_tables(con: duckdb.DuckDBPyConnection, erasure: ErasurePlan) -> None:
    registry = _relation(con, REGISTRY_MODEL)
    for name in _keyed_tables(con):
        condition = "customer_id in (select customer_id from _erasing_customers)"
        if name == registry:
            condition += f" or {_identifier_condition(erasure)}"
        count = con.execute(f"select count(*) from {name} where {condition}").fetchone()[0]
        if count:
            erasure.rows[name] = count


def _identifier_condition(erasure: ErasurePlan) -> str:
    pairs = ", ".join(f"({_literal(t)}, {_literal(v)})" for t, v in erasure.identifiers) or "(null, null)"
    return f"(identifier_type, identifier_value) in (select * from (values {pairs}))"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text_columns(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for table, column in con.execute(
        """select c.table_name, c.column_name from duckdb_columns() c
           join duckdb_tables() t on t.schema_name = c.schema_name and t.table_name = c.table_name
               and t.database_name = c.database_name
           where c.database_name = current_database() and c.schema_name = ? and not t.temporary
             and (c.data_type = 'VARCHAR' or c.data_type = 'JSON')""",
        [schema],
    ).fetchall():
        columns.setdefault(table, []).append(column)
    return columns


def _plan_audit(con: duckdb.DuckDBPyConnection, erasure: ErasurePlan) -> None:
    values = sorted(erasure.scrub_values)
    if not values:
        return
    for schema in ("audit", "quarantine"):
        for table, columns in _text_columns(con, schema).items():
            if schema == "audit" and table in ("erased_identifiers", "erasure_log", "erasure_pending"):
                continue
            condition = " or ".join(f"contains(lower(cast({_quote(c)} as varchar)), v)" for c in columns)
            count = con.execute(
                f"select count(*) from {schema}.{table} where exists (select 1 from (select unnest(?)"
                f" as v) where {condition})",
                [[v.lower() for v in values]],
            ).fetchone()[0]
            if count:
                erasure.audit_rows[f"{schema}.{table}"] = count


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- carrying it out -----------------------------------------------------------------------


def record(con: duckdb.DuckDBPyConnection, erasure: ErasurePlan, key: bytes, status: str) -> None:
    """Register the identifiers' hashes and log the erasure (its own transaction)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        ensure_register(con)
        register(con, erasure.erasure_id, erasure.identifiers, key)
        con.execute(
            f"insert into {LOG_TABLE} values (?, ?, ?, null, ?, ?, ?, ?)",
            [
                erasure.erasure_id,
                erasure.request_hash,
                now,
                len(erasure.identifiers),
                len(erasure.customers),
                counts_json(erasure.counts()),
                status,
            ],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def rewrite_landing(con: duckdb.DuckDBPyConnection, erasure: ErasurePlan, landing_dir: Path) -> list[str]:
    """Rewrite each landing file (and duplicate delivery) without the person's records."""
    rewritten = []
    for table_name, files in sorted(erasure.landing.items()):
        table = erasure.tables[table_name]
        for relative, drops in sorted(files.items()):
            path = landing_dir / relative
            if path.is_file():
                rewrite_without(table, path, relative, drops)
                rewritten.append(relative)
        for duplicate, original in sorted(erasure.duplicates.get(table_name, {}).items()):
            path = landing_dir / duplicate
            if path.is_file():
                renamed = {name.replace(original, duplicate, 1): rows for name, rows in files[original].items()}
                rewrite_without(table, path, duplicate, renamed)
                rewritten.append(duplicate)
    return rewritten


def scrub_warehouse(
    con: duckdb.DuckDBPyConnection, erasure: ErasurePlan, landing_dir: Path, rewritten: list[str]
) -> None:
    """Step 3 of the module docstring, in one transaction."""
    from dagster_project.ingest.raw_loader import MANIFEST_TABLE, content_checksum, file_checksum

    con.execute("begin transaction")
    try:
        for name in sorted(erasure.rows):
            schema, table = name.split(".", 1)
            if schema in (RAW_SCHEMA, "quarantine"):
                _delete_raw_rows(con, schema, table)
        registry = _relation(con, REGISTRY_MODEL)
        for name in sorted(erasure.rows):
            schema, _ = name.split(".", 1)
            if schema in (RAW_SCHEMA, "quarantine"):
                continue
            condition = "customer_id in (select customer_id from _erasing_customers)"
            if name == registry:
                condition += f" or {_identifier_condition(erasure)}"
            con.execute(f"delete from {name} where {condition}")
        for relative in rewritten:
            table_name = relative.split("/", 1)[0]
            path = landing_dir / relative
            checksum = file_checksum(path)
            row = con.execute(
                f"select row_count from {MANIFEST_TABLE} where table_name = ? and file_name = ?", [table_name, relative]
            ).fetchone()
            if row is None:
                continue
            removed = sum(len(d) for d in erasure.landing.get(table_name, {}).get(relative, {}).values())
            con.execute(
                f"update {MANIFEST_TABLE} set checksum = ?, file_bytes = ?, content_checksum = ?,"
                " row_count = row_count - ?"
                " where table_name = ? and file_name = ?",
                [
                    checksum,
                    path.stat().st_size,
                    content_checksum(erasure.tables[table_name], path, relative, checksum),
                    removed if row[0] else 0,
                    table_name,
                    relative,
                ],
            )
        _scrub_text(con, erasure)
        con.execute(f"create table if not exists {PENDING_TABLE} (erasure_id varchar, value varchar)")
        con.executemany(
            f"insert into {PENDING_TABLE} values (?, ?)",
            [(erasure.erasure_id, v) for v in sorted(erasure.scrub_values)],
        )
        con.execute(
            f"update {LOG_TABLE} set status = 'scrubbed', rows_removed = ? where erasure_id = ?",
            [counts_json(erasure.counts()), erasure.erasure_id],
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _delete_raw_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Delete the planned rows and renumber ``_source_row`` of the later rows of the same files."""
    con.execute(
        f"""create or replace temp table _erasing_shift as
            select t.rowid as row_id, count(*) as shift
            from {schema}.{table} as t
            join _erasing_rows as e
              on e.schema_name = '{schema}' and e.table_name = '{table}'
             and e._source_file = t._source_file and e._source_row < t._source_row
            group by t.rowid"""
    )
    con.execute(
        f"""delete from {schema}.{table} as t using _erasing_rows as e
            where e.schema_name = '{schema}' and e.table_name = '{table}'
              and e._source_file = t._source_file and e._source_row = t._source_row"""
    )
    con.execute(
        f"""update {schema}.{table} as t set _source_row = t._source_row - s.shift
            from _erasing_shift as s where t.rowid = s.row_id"""
    )


def _scrub_text(con: duckdb.DuckDBPyConnection, erasure: ErasurePlan) -> None:
    values = sorted(erasure.scrub_values, key=len, reverse=True)
    if not values:
        return
    for name in sorted(erasure.audit_rows):
        schema, table = name.split(".", 1)
        for column in _text_columns(con, schema).get(table, []):
            expression = f"cast({_quote(column)} as varchar)"
            for value in values:
                expression = f"regexp_replace({expression}, {_literal(re.escape(value))}, '{SCRUBBED}', 'gi')"
            typed = f"cast({expression} as json)" if _is_json(con, schema, table, column) else expression
            con.execute(f"update {schema}.{table} set {_quote(column)} = {typed} where {_quote(column)} is not null")
        # samples were JSON lists of the failing values: the erased ones are now '[erased]'


def _is_json(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    return (
        con.execute(
            "select data_type from duckdb_columns() where schema_name = ? and table_name = ? and column_name = ?"
            " and database_name = current_database()",
            [schema, table, column],
        ).fetchone()[0]
        == "JSON"
    )


def execute(con: duckdb.DuckDBPyConnection, erasure: ErasurePlan, landing_dir: Path, key: bytes) -> ErasurePlan:
    """Carry out a plan made on the same connection (its temp tables)."""
    record(con, erasure, key, status="planned")
    rewritten = rewrite_landing(con, erasure, landing_dir)
    scrub_warehouse(con, erasure, landing_dir, rewritten)
    return erasure


def pending_values(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    if not _table_exists(con, "audit", "erasure_pending"):
        return {}
    pending: dict[str, list[str]] = {}
    for erasure_id, value in con.execute(f"select erasure_id, value from {PENDING_TABLE} order by 1, 2").fetchall():
        pending.setdefault(erasure_id, []).append(value)
    return pending


def finish(con: duckdb.DuckDBPyConnection, erasure_ids: Sequence[str]) -> None:
    """Drop the pending plaintext of finished erasures and mark them completed."""
    now = datetime.now(UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        if erasure_ids:
            con.execute(f"delete from {PENDING_TABLE} where erasure_id in (select unnest(?))", [list(erasure_ids)])
            con.execute(
                f"update {LOG_TABLE} set status = 'completed', completed_at = ? where erasure_id in (select unnest(?))",
                [now, list(erasure_ids)],
            )
        if (
            _table_exists(con, "audit", "erasure_pending")
            and not con.execute(f"select count(*) from {PENDING_TABLE}").fetchone()[0]
        ):
            con.execute(f"drop table {PENDING_TABLE}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def log_entries(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    if not _table_exists(con, "audit", "erasure_log"):
        return []
    cursor = con.execute(f"select * from {LOG_TABLE} order by requested_at")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]


__all__ = [
    "ErasureError",
    "ErasurePlan",
    "execute",
    "finish",
    "log_entries",
    "pending_values",
    "plan",
    "resolve",
]
