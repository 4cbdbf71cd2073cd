"""Run a Great Expectations suite (plain JSON in ``expectations/``) over a DuckDB table.

Great Expectations 1.x cannot validate DuckDB through SQL (duckdb_engine returns no
metric rows), so the frame is read from DuckDB and validated with GE's pandas
engine. To stay fast on large tables only the columns the suite names are read,
and only the rows of the batch under validation; timestamps are handed over in
nanoseconds (GE compares only ``datetime64[ns]`` columns vectorized, others row by row),
and GE's batch fingerprint (an md5 of the whole frame, twice per validation, half the
time of a suite on a frame of strings) is switched off: the ephemeral context never
uses it.

Samples of personal data (issue 15): the values GE reports for a failed expectation (its
``partial_unexpected``, the column's value and row key in ``unexpected_rows``, a non-numeric
observed value) are stored in ``audit.data_quality_results`` and shown in check metadata and
failure messages. For a column classified personal (``identifier``, ``name``, ``free_text``:
``validate_table(personal_columns=...)``) they are replaced by ``hmac:<16 hex>`` (keyed with
``CRM_PSEUDONYM_KEY``, so one value always shows the same token) or, without that key, by
``<withheld: personal data>`` (:func:`mask_personal_samples`). Lineage columns (``_source_file``,
``_source_row``) are never personal and stay, so quarantine still names the files.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

import great_expectations as gx
import great_expectations.execution_engine.pandas_execution_engine as gx_pandas_engine
from great_expectations.data_context.types.base import ProgressBarsConfig

from dagster_project.privacy.keyed_hash import sample_pseudonym
from dagster_project.settings import EXPECTATIONS_DIR

AUDIT_TABLE = "audit.data_quality_results"
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_COLUMN_LIST_KWARGS = ("column_list", "column_set")


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation_type: str
    column: str | None
    kwargs: dict[str, Any]
    success: bool
    observed_value: Any
    unexpected_count: int | None
    unexpected_percent: float | None
    partial_unexpected: list[Any]
    exception: str | None
    unexpected_rows: list[dict[str, Any]] = field(default_factory=list)  # index columns + value, when asked for

    def summary(self) -> str:
        target = f"({self.column})" if self.column else ""
        text = f"{self.expectation_type}{target}:"
        if self.observed_value is not None:
            text += f" observed {self.observed_value}"
        if self.unexpected_count:
            share = f" ({self.unexpected_percent:.3g}%)" if self.unexpected_percent is not None else ""
            text += (
                f"{',' if self.observed_value is not None else ''} {self.unexpected_count} unexpected{share},"
                f" e.g. {self.partial_unexpected[:3]}"
            )
        if self.exception:
            text += f", error: {self.exception}"
        return text


@dataclass
class SuiteResult:
    suite_name: str
    layer: str
    table: str
    rows_validated: int
    duration_s: float
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(o.success for o in self.outcomes)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]


def suite_path(layer: str, table: str, expectations_dir: Path = EXPECTATIONS_DIR) -> Path:
    return expectations_dir / layer / f"{table}.json"


def load_suite(layer: str, table: str, expectations_dir: Path = EXPECTATIONS_DIR) -> dict[str, Any]:
    path = suite_path(layer, table, expectations_dir)
    if not path.is_file():
        raise FileNotFoundError(f"no Great Expectations suite for {layer}.{table}: expected {path}")
    return json.loads(path.read_text(encoding="utf-8"))


def suite_columns(suite: dict[str, Any]) -> list[str]:
    """Columns the suite's expectations read, in first-use order."""
    columns: list[str] = []
    for expectation in suite.get("expectations", []):
        if expectation["type"] in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list"):
            continue  # checked against the catalogue, not the frame
        kwargs = expectation.get("kwargs", {})
        names = [kwargs[k] for k in _COLUMN_KWARGS if k in kwargs]
        for key in _COLUMN_LIST_KWARGS:
            names.extend(kwargs.get(key, []))
        columns.extend(n for n in names if n not in columns)
    return columns


@cache
def _context() -> Any:
    # Frames at least this large (bytes) get no md5 fingerprint in their batch markers.
    gx_pandas_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


@cache
def _batch_definition() -> Any:
    datasource = _context().data_sources.add_pandas("warehouse")
    return datasource.add_dataframe_asset("frame").add_batch_definition_whole_dataframe("batch")


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        return _json_safe(value.item())
    return value


def _outcome(result: Any) -> ExpectationOutcome:
    config = result.expectation_config
    kwargs = {k: v for k, v in config.kwargs.items() if k not in ("batch_id",)}
    details = result.result or {}
    exception = None
    if result.exception_info and result.exception_info.get("raised_exception"):
        exception = str(result.exception_info.get("exception_message"))[:500]
    return ExpectationOutcome(
        expectation_type=config.type,
        column=kwargs.get("column")
        or (
            ",".join(kwargs["column_list"])
            if "column_list" in kwargs
            else f"{kwargs['column_A']},{kwargs['column_B']}"
            if "column_A" in kwargs
            else None
        ),
        kwargs=_json_safe(kwargs),
        success=bool(result.success),
        observed_value=_json_safe(details.get("observed_value")),
        unexpected_count=details.get("unexpected_count"),
        unexpected_percent=_json_safe(details.get("unexpected_percent")),
        partial_unexpected=_json_safe(list(details.get("partial_unexpected_list") or []))[:10],
        exception=exception,
        unexpected_rows=_json_safe(list(details.get("partial_unexpected_index_list") or [])),
    )


def _catalogue_outcomes(suite: dict[str, Any], actual_columns: list[str]) -> list[ExpectationOutcome]:
    """Column-set expectations are judged on the table's catalogue (all columns, not the projection)."""
    outcomes = []
    for expectation in suite.get("expectations", []):
        kwargs = expectation.get("kwargs", {})
        if expectation["type"] == "expect_table_columns_to_match_set":
            expected = list(kwargs["column_set"])
            missing = [c for c in expected if c not in actual_columns]
            extra = [c for c in actual_columns if c not in expected] if kwargs.get("exact_match", True) else []
            success = not missing and not extra
        elif expectation["type"] == "expect_table_columns_to_match_ordered_list":
            expected = list(kwargs["column_list"])
            missing = [c for c in expected if c not in actual_columns]
            extra = [c for c in actual_columns if c not in expected]
            success = actual_columns == expected
        else:
            continue
        outcomes.append(
            ExpectationOutcome(
                expectation_type=expectation["type"],
                column=None,
                kwargs=_json_safe(kwargs),
                success=success,
                observed_value={"missing": missing, "unexpected": extra},
                unexpected_count=len(missing) + len(extra),
                unexpected_percent=None,
                partial_unexpected=(missing + extra)[:10],
                exception=None,
            )
        )
    return outcomes


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> dict[str, str]:
    rows = con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    return dict(rows)


def read_frame(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, columns: list[str], where: str | None = None
) -> pd.DataFrame:
    """The suite's columns of ``schema.table`` (time-zone-aware timestamps as naive UTC)."""
    available = table_columns(con, schema, table)
    if not available:
        raise LookupError(f"table {schema}.{table} does not exist in the warehouse")
    selected = []
    for name in columns:
        if name not in available:
            continue  # the expectation on it fails as "column does not exist"
        if available[name].upper().startswith("TIMESTAMP WITH TIME ZONE"):
            selected.append(f'timezone(\'UTC\', "{name}") as "{name}"')
        else:
            selected.append(f'"{name}"')
    if not selected:
        selected = ["1 as _row"]
    sql = f"select {', '.join(selected)} from {schema}.{table}"
    if where:
        sql += f" where {where}"
    return _nanosecond_timestamps(con.execute(sql).df())


def _nanosecond_timestamps(frame: pd.DataFrame) -> pd.DataFrame:
    """Timestamp columns as ``datetime64[ns]`` where every value fits (years 1677-2262);
    a column with a value outside keeps its unit and is compared row by row."""
    for name, dtype in frame.dtypes.items():
        if pd.api.types.is_datetime64_any_dtype(dtype) and not pd.api.types.is_datetime64_ns_dtype(dtype):
            try:
                frame[name] = frame[name].astype(
                    pd.DatetimeTZDtype("ns", dtype.tz) if isinstance(dtype, pd.DatetimeTZDtype) else "datetime64[ns]"
                )
            except (OverflowError, pd.errors.OutOfBoundsDatetime):
                continue
    return frame


def validate_frame(
    frame: pd.DataFrame, suite: dict[str, Any], parameters: dict[str, Any], index_columns: tuple[str, ...] = ()
) -> list[ExpectationOutcome]:
    """GE's outcomes; with ``index_columns`` (e.g. ``_source_file``, ``_source_row``, a key) each failed
    expectation also lists those columns of its first unexpected rows (``unexpected_rows``)."""
    frame_expectations = [
        e
        for e in suite.get("expectations", [])
        if e["type"] not in ("expect_table_columns_to_match_set", "expect_table_columns_to_match_ordered_list")
    ]
    gx_suite = gx.ExpectationSuite(name=suite["name"], expectations=frame_expectations)
    if len(gx_suite.expectations) != len(frame_expectations):
        # GE logs and drops an expectation it cannot build: never let a check silently vanish
        known = {e.expectation_type for e in gx_suite.expectations}
        dropped = sorted({e["type"] for e in frame_expectations} - known) or ["(invalid arguments)"]
        raise ValueError(f"suite {suite['name']}: Great Expectations rejected expectation(s) {dropped}")
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result_format: Any = "SUMMARY"
    indexed = [c for c in index_columns if c in frame.columns]
    if indexed:
        result_format = {"result_format": "SUMMARY", "unexpected_index_column_names": indexed}
    result = batch.validate(gx_suite, expectation_parameters=parameters, result_format=result_format)
    return [_outcome(r) for r in result.results]


LINEAGE_COLUMNS = frozenset({"_source_file", "_source_row", "_loaded_at"})


def _expectation_columns(outcome: ExpectationOutcome) -> list[str]:
    """The columns whose values the expectation reports (in kwargs order: pairs keep their A, B order)."""
    kwargs = outcome.kwargs or {}
    names = [str(kwargs[k]) for k in _COLUMN_KWARGS if isinstance(kwargs.get(k), str)]
    names += [str(c) for c in kwargs.get("column_list") or []]
    return names


def _mask_any(value: Any, key: bytes | None) -> Any:
    if isinstance(value, dict):
        return {k: _mask_any(v, key) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_any(v, key) for v in value]
    return sample_pseudonym(key, value)


def mask_personal_samples(
    outcome: ExpectationOutcome, personal_columns: Collection[str], key: bytes | None
) -> ExpectationOutcome:
    """``outcome`` with the values of personal columns replaced by keyed hashes (or withheld)."""
    personal = {c.lower() for c in personal_columns} - LINEAGE_COLUMNS
    if not personal:
        return outcome
    columns = _expectation_columns(outcome)
    flags = [c.lower() in personal for c in columns]

    def mask_item(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: _mask_any(v, key) if str(k).lower() in personal else v for k, v in item.items()}
        if isinstance(item, (list, tuple)) and len(columns) > 1 and len(item) == len(columns):
            return [_mask_any(v, key) if flag else v for v, flag in zip(item, flags, strict=False)]
        return _mask_any(item, key) if any(flags) else item

    rows = [
        {k: _mask_any(v, key) if str(k).lower() in personal else v for k, v in row.items()}
        if isinstance(row, dict)
        else row
        for row in outcome.unexpected_rows
    ]
    observed = outcome.observed_value
    if any(flags) and observed is not None and not isinstance(observed, (bool, int, float)):
        observed = _mask_any(observed, key)
    return replace(
        outcome,
        partial_unexpected=[mask_item(item) for item in outcome.partial_unexpected],
        unexpected_rows=rows,
        observed_value=observed,
    )


def validate_table(
    con: duckdb.DuckDBPyConnection,
    layer: str,
    schema: str,
    table: str,
    parameters: dict[str, Any],
    where: str | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
    skip_types: tuple[str, ...] = (),
    index_columns: tuple[str, ...] = (),
    personal_columns: Collection[str] = (),
    sample_key: bytes | None = None,
) -> SuiteResult:
    """Validate ``schema.table`` (optionally only rows matching ``where``) against its suite,
    leaving out the expectations of ``skip_types``; ``index_columns`` are read too and name the
    first unexpected rows of each failed expectation. Samples of ``personal_columns`` are masked
    (:func:`mask_personal_samples`, with ``sample_key``) before anything stores or shows them."""
    started = time.perf_counter()
    suite = load_suite(layer, table, expectations_dir)
    if skip_types:
        suite = {**suite, "expectations": [e for e in suite.get("expectations", []) if e["type"] not in skip_types]}
    columns = suite_columns(suite)
    frame = read_frame(con, schema, table, columns + [c for c in index_columns if c not in columns], where)
    outcomes = _catalogue_outcomes(suite, list(table_columns(con, schema, table)))
    outcomes += validate_frame(frame, suite, parameters, index_columns)
    outcomes = [mask_personal_samples(o, personal_columns, sample_key) for o in outcomes]
    return SuiteResult(
        suite_name=suite["name"],
        layer=layer,
        table=table,
        rows_validated=len(frame),
        duration_s=time.perf_counter() - started,
        outcomes=outcomes,
    )


def record_results(
    con: duckdb.DuckDBPyConnection, result: SuiteResult, run_id: str | None, source_file: str | None = None
) -> None:
    """Append one row per expectation to the audit table (``source_file``: the landing file the
    rows came from, when the suite was run on one file's rows)."""
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {AUDIT_TABLE} (
            run_id varchar, checked_at timestamp, layer varchar, table_name varchar, suite_name varchar,
            expectation_type varchar, column_name varchar, kwargs json, success boolean,
            observed_value json, unexpected_count bigint, unexpected_percent double,
            partial_unexpected json, exception varchar, rows_validated bigint)"""
    )
    con.execute(f"alter table {AUDIT_TABLE} add column if not exists source_file varchar")
    con.execute(f"alter table {AUDIT_TABLE} add column if not exists unexpected_rows json")
    checked_at = pd.Timestamp.now(tz="UTC").tz_localize(None).to_pydatetime()
    con.executemany(
        f"insert into {AUDIT_TABLE} (run_id, checked_at, layer, table_name, suite_name, expectation_type, column_name,"
        " kwargs, success, observed_value, unexpected_count, unexpected_percent, partial_unexpected, exception,"
        " rows_validated, source_file, unexpected_rows) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                run_id,
                checked_at,
                result.layer,
                result.table,
                result.suite_name,
                o.expectation_type,
                o.column,
                json.dumps(o.kwargs, default=str),
                o.success,
                json.dumps(o.observed_value, default=str),
                o.unexpected_count,
                o.unexpected_percent,
                json.dumps(o.partial_unexpected, default=str),
                o.exception,
                result.rows_validated,
                source_file,
                json.dumps(o.unexpected_rows, default=str) if o.unexpected_rows else None,
            ]
            for o in result.outcomes
        ],
    )
