"""Storage limitation: delete the rows older than their retention period, from every copy the warehouse keeps.

The periods and the date of each raw table's rows are configured in ``dagster_project/config/retention.yml``
(classes ``events``, ``customer_records``, ``aggregates``, ``reference``; env ``CRM_RETENTION_<CLASS>_MONTHS``
overrides a class, ``0`` or ``off`` keeps it forever). A row is past retention when its day is before the
class's cutoff, ``today - months`` (same day of the month, clamped to the month's last day).

``apply`` deletes, in one transaction:

* the rows past retention of ``raw.<table>`` and of ``quarantine.<table>`` (the same rows, kept out of staging);
* the rows of the incremental dbt tables (the only models that keep rows between runs; every other model is
  rebuilt from raw by the next run) dated before their class's cutoff, on the model's own day column. The
  customer-id registry ``int_identity__customer_ids`` holds no dated rows and is not pruned;
* landing files, after the commit: a file every row of which is past retention is deleted from the landing
  folder, and so is a duplicate delivery of it. Its manifest row stays, with ``retired_at`` set: the loader
  skips the same bytes delivered again (same path and checksum; the same content under another name is a
  duplicate of it), and drops the rows past retention of a changed re-delivery (``expire_file_rows``). A
  retired file found again in the landing folder with its retired bytes is deleted again by the next run. A
  file with recent rows stays whole (its old rows are deleted from the warehouse only).

Each apply writes one ``audit.retention_runs`` row per pruned relation (run time, layer, relation, class,
months, cutoff, rows deleted, landing files deleted). ``plan`` computes the same without changing anything.

Boundary: raw rows are judged per row, the incremental models per their own grain (a session by its start
day, a recipient's campaign activity by its last event day), so a unit that straddles the cutoff (a session
across midnight, a campaign whose events span it) keeps its derived row until it ages out whole on a later
monthly run, or the ``full_refresh`` job rebuilds it.
"""

from __future__ import annotations

import os
from calendar import monthrange
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import yaml

from dagster_project.ingest.raw_contract import RAW_SCHEMA, raw_tables
from dagster_project.settings import DBT_PROJECT_DIR

CONFIG_PATH = Path(__file__).resolve().parent.parent / "config" / "retention.yml"
RUNS_TABLE = "audit.retention_runs"
MANIFEST_TABLE = f"{RAW_SCHEMA}._load_manifest"
QUARANTINE_SCHEMA = "quarantine"
ENV_PREFIX = "CRM_RETENTION_"
OFF_VALUES = ("", "0", "off", "none", "never", "forever")
DAY_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S")
# zip members' rows carry ``<archive>.zip/<member>``: their landing file is the archive
FILE_ROOT = (
    "case when strpos(lower(_source_file), '.zip/') > 0"
    " then left(_source_file, strpos(lower(_source_file), '.zip/') + 3) else _source_file end"
)


@dataclass(frozen=True)
class RetentionClass:
    name: str
    months: int | None  # as configured (the environment may override it: ``months_of``)
    description: str = ""


@dataclass(frozen=True)
class TableRule:
    table: str
    retention_class: str
    date: str | None  # SQL on the raw table's columns; None: no date, never pruned


@dataclass(frozen=True)
class ModelRule:
    relation: str  # schema.table
    date: str | None = None
    retention_class: str | None = None
    class_column: str | None = None
    class_values: tuple[tuple[str, str], ...] = ()  # (glob pattern, class)
    prune: bool = True
    reason: str = ""

    def classes(self) -> list[str]:
        if self.class_column is None:
            return [self.retention_class] if self.retention_class else []
        return sorted({c for _, c in self.class_values} | ({self.retention_class} if self.retention_class else set()))


@dataclass(frozen=True)
class RetentionConfig:
    classes: dict[str, RetentionClass]
    tables: dict[str, TableRule]
    models: dict[str, ModelRule]


def _class_name(value: Any, where: str, classes: Mapping[str, RetentionClass]) -> str:
    name = str(value)
    if name not in classes:
        raise ValueError(f"{where}: unknown retention class {name!r} (classes: {', '.join(classes)})")
    return name


def load_config(path: Path = CONFIG_PATH) -> RetentionConfig:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    classes = {
        name: RetentionClass(
            name, None if spec.get("months") is None else int(spec["months"]), spec.get("description", "")
        )
        for name, spec in (document.get("classes") or {}).items()
    }
    tables = {
        name: TableRule(name, _class_name(spec.get("class"), f"raw table {name}", classes), spec.get("date"))
        for name, spec in (document.get("raw_tables") or {}).items()
    }
    models = {}
    for relation, spec in (document.get("incremental_models") or {}).items():
        if spec.get("prune", True) is False:
            models[relation] = ModelRule(relation, prune=False, reason=str(spec.get("reason", "")))
            continue
        klass = spec.get("class")
        if isinstance(klass, dict):
            values = tuple(
                (str(p), _class_name(c, f"model {relation}", classes)) for p, c in (klass.get("values") or {}).items()
            )
            default = _class_name(klass["default"], f"model {relation}", classes) if klass.get("default") else None
            models[relation] = ModelRule(relation, spec["date"], default, str(klass["column"]), values)
        else:
            models[relation] = ModelRule(relation, spec["date"], _class_name(klass, f"model {relation}", classes))
    return RetentionConfig(classes, tables, models)


def months_of(retention_class: RetentionClass, environ: Mapping[str, str] | None = None) -> int | None:
    """The class's period in months (None: forever): ``CRM_RETENTION_<CLASS>_MONTHS`` if set, else the config."""
    environ = os.environ if environ is None else environ
    variable = f"{ENV_PREFIX}{retention_class.name.upper()}_MONTHS"
    if variable not in environ:
        return retention_class.months
    value = environ[variable].strip().lower()
    if value in OFF_VALUES:
        return None
    try:
        months = int(value)
    except ValueError:
        raise ValueError(f"{variable}={environ[variable]!r}: a number of months, or 0 / off to keep forever") from None
    if months < 0:
        raise ValueError(f"{variable}={months}: a number of months must not be negative")
    return months or None


def months_before(day: date, months: int) -> date:
    """``day`` minus ``months`` calendar months (the day clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


@cache
def reporting_timezone() -> str:
    """The dbt var ``reporting_timezone``: the models' local days are days of this zone."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return str((project.get("vars") or {}).get("reporting_timezone", "UTC"))


def local_today() -> date:
    return datetime.now(ZoneInfo(reporting_timezone())).date()


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
    )


def day_sql(con: duckdb.DuckDBPyConnection, relation: str, expression: str, tz: str | None = None) -> str:
    """SQL giving the local day of ``expression`` (evaluated on ``relation``'s rows): a DATE as is, a
    TIMESTAMPTZ in the reporting time zone, a plain TIMESTAMP taken as UTC. Raises on other types."""
    tz = tz or reporting_timezone()
    kind = con.execute(f"describe select ({expression}) as day_value from {relation}").fetchall()[0][1].upper()
    if kind == "DATE":
        return f"cast(({expression}) as date)"
    if kind == "TIMESTAMP WITH TIME ZONE":
        return f"cast(timezone({_quote(tz)}, ({expression})) as date)"
    if kind.startswith("TIMESTAMP"):
        return f"cast(timezone({_quote(tz)}, timezone('UTC', cast(({expression}) as timestamp))) as date)"
    raise ValueError(f"{relation}: retention date {expression!r} is {kind}, not a date or timestamp")


def raw_day_sql(con: duckdb.DuckDBPyConnection, relation: str, expression: str) -> str:
    """A raw row's day: its configured date, else (null) the day it was loaded."""
    return f"coalesce({day_sql(con, relation, expression)}, {day_sql(con, relation, '_loaded_at')})"


@dataclass
class RelationPlan:
    """One relation (or one class of a model's rows) with its cutoff and the rows before it."""

    layer: str  # raw | quarantine | model
    relation: str
    retention_class: str
    months: int | None
    cutoff: date | None  # None: kept forever
    rows: int = 0  # past retention (planned), or deleted (applied)
    note: str = ""
    files: list[str] = field(default_factory=list)  # landing files retired (raw layer)
    predicate: str = field(default="", repr=False)  # selects the rows past retention

    @property
    def table(self) -> str:
        return self.relation.split(".", 1)[1]


@dataclass
class RetentionPlan:
    today: date
    relations: list[RelationPlan]
    files: list[tuple[str, str, str]] = field(default_factory=list)  # (table, landing file, checksum) to retire
    files_again: list[tuple[str, str]] = field(default_factory=list)  # retired files delivered again unchanged
    files_deleted: list[str] = field(default_factory=list)  # landing files deleted (applied)
    applied: bool = False

    @property
    def rows(self) -> int:
        return sum(r.rows for r in self.relations)

    def cutoffs(self) -> dict[str, str]:
        out = {}
        for r in self.relations:
            if r.layer == "raw":
                out[r.table] = r.cutoff.isoformat() if r.cutoff else "never"
        return out

    def lines(self) -> list[str]:
        verb = "deleted" if self.applied else "to delete"
        lines = [
            f"retention as of {self.today.isoformat()} ({'applied' if self.applied else 'dry run: nothing changed'})"
        ]
        for r in self.relations:
            cutoff = f"before {r.cutoff.isoformat()} ({r.months} months)" if r.cutoff else "kept forever"
            note = f"  [{r.note}]" if r.note else ""
            lines.append(
                f"  {r.layer:10} {r.relation:52} {r.retention_class:16} {cutoff:32} {r.rows:>9} rows {verb}{note}"
            )
        landing = (
            self.files_deleted if self.applied else [f for _, f, _ in self.files] + [f for _, f in self.files_again]
        )
        lines.append(f"  landing files {verb}: {len(landing)}")
        lines.extend(f"    {name}" for name in landing)
        lines.append(f"  total: {self.rows} rows {verb}")
        return lines


def _check_complete(config: RetentionConfig) -> None:
    missing = sorted({t.name for t in raw_tables()} - set(config.tables))
    if missing:
        raise ValueError(f"{CONFIG_PATH.name}: raw tables without a retention entry: {missing}")


def _cutoff(
    config: RetentionConfig, name: str, today: date, environ: Mapping[str, str] | None
) -> tuple[int | None, date | None]:
    months = months_of(config.classes[name], environ)
    return months, (months_before(today, months) if months else None)


def _raw_relations(
    con: duckdb.DuckDBPyConnection, config: RetentionConfig, today: date, environ: Mapping[str, str] | None
) -> list[RelationPlan]:
    out = []
    for table in raw_tables():
        rule = config.tables[table.name]
        months, cutoff = _cutoff(config, rule.retention_class, today, environ)
        for layer, schema in (("raw", RAW_SCHEMA), ("quarantine", QUARANTINE_SCHEMA)):
            if not _exists(con, schema, table.name):
                continue
            relation = f"{schema}.{table.name}"
            plan = RelationPlan(layer, relation, rule.retention_class, months, cutoff)
            if rule.date is None:
                plan.cutoff, plan.note = None, "no date: never pruned"
            elif cutoff is not None:
                plan.predicate = f"({raw_day_sql(con, relation, rule.date)}) < date '{cutoff.isoformat()}'"
            out.append(plan)
    return out


def _class_case(rule: ModelRule) -> str:
    branches = []
    for pattern, name in rule.class_values:
        if any(ch in pattern for ch in "*?["):
            like = (
                pattern.replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
                .replace("*", "%")
                .replace("?", "_")
            )
            branches.append(f"when {rule.class_column} like {_quote(like)} escape '\\' then {_quote(name)}")
        else:
            branches.append(f"when {rule.class_column} = {_quote(pattern)} then {_quote(name)}")
    default = _quote(rule.retention_class) if rule.retention_class else "null"
    return f"(case {' '.join(branches)} else {default} end)"


def _model_relations(
    con: duckdb.DuckDBPyConnection, config: RetentionConfig, today: date, environ: Mapping[str, str] | None
) -> list[RelationPlan]:
    out = []
    for relation, rule in sorted(config.models.items()):
        schema, table = relation.split(".", 1)
        if not _exists(con, schema, table):
            continue
        if not rule.prune:
            out.append(RelationPlan("model", relation, "-", None, None, note=f"not pruned: {rule.reason}"))
            continue
        assert rule.date is not None
        day = day_sql(con, relation, rule.date)
        for name in rule.classes():
            months, cutoff = _cutoff(config, name, today, environ)
            plan = RelationPlan("model", relation, name, months, cutoff)
            if cutoff is not None:
                scope = f"{_class_case(rule)} = {_quote(name)} and " if rule.class_column else ""
                plan.predicate = f"{scope}({day}) < date '{cutoff.isoformat()}'"
            out.append(plan)
    return out


def _count(con: duckdb.DuckDBPyConnection, plan: RelationPlan) -> int:
    if not plan.predicate:
        return 0
    return int(
        con.execute(
            f"select count(*) from (select ({plan.predicate}) as is_past from {plan.relation}) where is_past"
        ).fetchone()[0]
    )


def _delete(con: duckdb.DuckDBPyConnection, plan: RelationPlan) -> int:
    if not plan.predicate:
        return 0
    # through rowid: the predicate may use window functions, which a delete's where cannot
    return int(
        con.execute(
            f"delete from {plan.relation} where rowid in"
            f" (select rowid from (select rowid, ({plan.predicate}) as is_past from {plan.relation}) where is_past)"
        ).fetchone()[0]
    )


def _files_to_retire(con: duckdb.DuckDBPyConnection, relations: list[RelationPlan]) -> list[tuple[str, str, str]]:
    """(table, file, checksum) of the loaded landing files with rows, every one of them past retention
    (in raw and quarantine together), and of the duplicate deliveries of such files."""
    if not _exists(con, RAW_SCHEMA, "_load_manifest"):
        return []
    by_table: dict[str, list[RelationPlan]] = {}
    for plan in relations:
        if plan.layer in ("raw", "quarantine"):
            by_table.setdefault(plan.table, []).append(plan)
    retired: list[tuple[str, str, str]] = []
    for table, plans in sorted(by_table.items()):
        if not all(p.predicate for p in plans):
            continue  # kept forever, or no date
        union = " union all ".join(
            f"select {FILE_ROOT} as file_name, ({p.predicate}) as is_past from {p.relation}" for p in plans
        )
        rows = con.execute(
            f"""with judged as ({union}),
                files as (select file_name, count(*) as row_total, count(*) filter (where is_past) as row_past
                          from judged group by file_name)
            select m.file_name, m.checksum from {MANIFEST_TABLE} m
            inner join files f on f.file_name = m.file_name
            where m.table_name = ? and m.retired_at is null and m.duplicate_of is null
              and f.row_total > 0 and f.row_total = f.row_past
            order by m.file_name""",
            [table],
        ).fetchall()
        originals = {name for name, _ in rows}
        originals |= {
            name
            for (name,) in con.execute(
                f"select file_name from {MANIFEST_TABLE} where table_name = ? and retired_at is not null", [table]
            ).fetchall()
        }
        duplicates = con.execute(
            f"select file_name, checksum, duplicate_of from {MANIFEST_TABLE}"
            " where table_name = ? and retired_at is null and duplicate_of is not null order by file_name",
            [table],
        ).fetchall()
        retired += [(table, name, checksum) for name, checksum in rows]
        retired += [(table, name, checksum) for name, checksum, original in duplicates if original in originals]
    return retired


def _retired_again(con: duckdb.DuckDBPyConnection, landing_dir: Path | None) -> list[tuple[str, str]]:
    """Retired files back in the landing folder with their retired bytes (delivered again): the loader skips them."""
    if landing_dir is None or not _exists(con, RAW_SCHEMA, "_load_manifest"):
        return []
    from dagster_project.ingest.raw_loader import file_checksum

    again = []
    for table, name, checksum in con.execute(
        f"select table_name, file_name, checksum from {MANIFEST_TABLE} where retired_at is not null order by 1, 2"
    ).fetchall():
        path = landing_dir / name
        if path.is_file() and file_checksum(path) == checksum:
            again.append((table, name))
    return again


def plan(
    con: duckdb.DuckDBPyConnection,
    today: date | None = None,
    landing_dir: Path | None = None,
    environ: Mapping[str, str] | None = None,
    config: RetentionConfig | None = None,
) -> RetentionPlan:
    """Per relation the cutoff and the rows past retention, and the landing files to retire; changes nothing."""
    config = config or load_config()
    _check_complete(config)
    today = today or local_today()
    relations = _raw_relations(con, config, today, environ) + _model_relations(con, config, today, environ)
    for relation in relations:
        relation.rows = _count(con, relation)
    result = RetentionPlan(today, relations, _files_to_retire(con, relations), _retired_again(con, landing_dir))
    for relation in relations:
        if relation.layer == "raw":
            relation.files = [f for t, f, _ in result.files if t == relation.table]
    return result


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def ensure_runs_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {RUNS_TABLE} (
            run_at timestamp not null, run_id varchar, as_of date not null, layer varchar not null,
            relation varchar not null, retention_class varchar, months integer, cutoff date,
            rows_deleted bigint not null, files_deleted bigint not null)"""
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def apply(
    con: duckdb.DuckDBPyConnection,
    today: date | None = None,
    landing_dir: Path | None = None,
    run_id: str | None = None,
    environ: Mapping[str, str] | None = None,
    config: RetentionConfig | None = None,
) -> RetentionPlan:
    """Delete every row past retention (raw, quarantine, incremental models) in one transaction, record the
    run in ``audit.retention_runs``, then delete the retired landing files (see the module docstring)."""
    result = plan(con, today, landing_dir, environ, config)
    run_at = _now()
    with _transaction(con):
        for relation in result.relations:
            relation.rows = _delete(con, relation)
        for table, name, checksum in result.files:
            con.execute(
                f"update {MANIFEST_TABLE} set retired_at = ? where table_name = ? and file_name = ? and checksum = ?",
                [run_at, table, name, checksum],
            )
        if result.files and _exists(con, QUARANTINE_SCHEMA, "files"):
            # a quarantine entry whose file is gone would otherwise be resolved as "removed", forgetting the
            # manifest row, and a re-delivery would be loaded again
            con.executemany(
                f"update {QUARANTINE_SCHEMA}.files set resolved_at = ?, resolution = ?"
                " where table_name = ? and file_name = ? and checksum = ? and resolved_at is null",
                [
                    [run_at, "retired: every row past retention (privacy/retention)", t, f, c]
                    for t, f, c in result.files
                ],
            )
        ensure_runs_table(con)
        files_per_table: dict[str, int] = {}
        for table, _ in [(t, f) for t, f, _ in result.files] + result.files_again:
            files_per_table[table] = files_per_table.get(table, 0) + 1
        con.executemany(
            f"insert into {RUNS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    run_at,
                    run_id,
                    result.today,
                    r.layer,
                    r.relation,
                    r.retention_class,
                    r.months,
                    r.cutoff,
                    r.rows,
                    files_per_table.get(r.table, 0) if r.layer == "raw" else 0,
                ]
                for r in result.relations
            ],
        )
    result.applied = True
    if landing_dir is not None:
        for _, name in [(t, f) for t, f, _ in result.files] + result.files_again:
            path = landing_dir / name
            if path.is_file():
                path.unlink()  # a failure leaves the file for the next run (its manifest row is retired)
                result.files_deleted.append(name)
    return result


def expire_file_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    file_name: str,
    today: date | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Delete the rows of one landing file past retention from ``raw.<table>`` (in the caller's transaction):
    the loader calls it for a retired file delivered again with other bytes. The number of rows deleted."""
    config = load_config()
    rule = config.tables.get(table)
    if rule is None or rule.date is None:
        return 0
    _, cutoff = _cutoff(config, rule.retention_class, today or local_today(), environ)
    if cutoff is None:
        return 0
    relation = f"{RAW_SCHEMA}.{table}"
    predicate = (
        f"{FILE_ROOT} = {_quote(file_name)} and ({raw_day_sql(con, relation, rule.date)}) < date '{cutoff.isoformat()}'"
    )
    return _delete(con, RelationPlan("raw", relation, rule.retention_class, None, cutoff, predicate=predicate))


def incremental_models(models_dir: Path = DBT_PROJECT_DIR / "models") -> dict[str, Path]:
    """``<schema>.<model>`` of every incremental dbt model (config in the SQL file), by the folder's schema."""
    found = {}
    for path in sorted(models_dir.rglob("*.sql")):
        text = path.read_text(encoding="utf-8")
        compact = "".join(text.split())
        if "materialized='incremental'" in compact or 'materialized="incremental"' in compact:
            layer = path.relative_to(models_dir).parts[0]
            found[f"{layer}.{path.stem}"] = path
    return found
