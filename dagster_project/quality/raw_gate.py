"""The raw quality gate: each raw table's suite as a blocking asset check."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    MetadataValue,
    asset_check,
)

from dagster_project.assets.raw import raw_asset_key
from dagster_project.quality.gx_validation import SuiteResult, record_results, suite_path, validate_table
from dagster_project.raw_contract import RAW_SCHEMA, RawTable, raw_tables
from dagster_project.resources import LandingFolder, WarehouseResource

CHECK_NAME = "great_expectations_raw"


def extract_parameters(landing: LandingFolder) -> dict[str, object]:
    """Suite parameters: the extract window as timestamps and as GA4 epoch microseconds."""
    first_day, last_day = landing.extract_window()
    start = datetime.combine(first_day, time.min)
    end = datetime.combine(last_day + timedelta(days=1), time.min) - timedelta(microseconds=1)
    epoch = datetime(1970, 1, 1)
    return {
        "extract_start": pd.Timestamp(start),
        "extract_end": pd.Timestamp(end),
        "extract_start_us": (start - epoch) // timedelta(microseconds=1),
        "extract_end_us": (end - epoch) // timedelta(microseconds=1),
    }


def check_metadata(result: SuiteResult) -> dict[str, object]:
    failures = result.failures
    return {
        "suite": result.suite_name,
        "rows_validated": result.rows_validated,
        "expectations": len(result.outcomes),
        "failed_expectations": len(failures),
        "duration_s": round(result.duration_s, 3),
        "failures": MetadataValue.md(
            "\n".join(f"- {o.summary()}" for o in failures) if failures else "none"
        ),
        "results": MetadataValue.json(
            [
                {"expectation": o.expectation_type, "column": o.column, "success": o.success,
                 "observed_value": o.observed_value, "unexpected_count": o.unexpected_count}
                for o in result.outcomes
            ]
        ),
    }


def build_raw_check(table: RawTable) -> AssetChecksDefinition:
    @asset_check(
        asset=raw_asset_key(table),
        name=CHECK_NAME,
        blocking=True,
        description=(
            f"Great Expectations suite expectations/raw/{table.name}.json over the rows of the latest load"
            " (columns, keys, domains, extract window, duplicates). Blocks staging when it fails;"
            " every result is kept in audit.data_quality_results."
        ),
    )
    def _raw_check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource, landing: LandingFolder
    ) -> AssetCheckResult:
        latest_batch = f"_loaded_at = (select max(_loaded_at) from {table.qualified_name})"
        with warehouse.get_connection() as con:
            result = validate_table(con, "raw", RAW_SCHEMA, table.name, extract_parameters(landing), where=latest_batch)
            record_results(con, result, context.run_id)
        for failure in result.failures:
            context.log.error(f"{table.qualified_name}: {failure.summary()}")
        return AssetCheckResult(passed=result.success, severity=AssetCheckSeverity.ERROR, metadata=check_metadata(result))

    _raw_check.__name__ = f"check_raw_{table.name}"
    return _raw_check


def raw_checks() -> list[AssetChecksDefinition]:
    missing = [t.name for t in raw_tables() if not suite_path("raw", t.name).is_file()]
    if missing:
        raise FileNotFoundError(f"raw tables without a Great Expectations suite in expectations/raw/: {missing}")
    return [build_raw_check(table) for table in raw_tables()]
