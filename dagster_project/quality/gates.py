"""Great Expectations suites as blocking Dagster asset checks, for every layer.

Each check validates one table against ``expectations/<layer>/<table>.json``, records
every expectation's result in ``audit.data_quality_results`` and returns them as
check metadata. ``blocking=True``: a failure stops the assets downstream of the
table within the run.
"""

from datetime import datetime, time, timedelta
from functools import cache

import pandas as pd
import yaml
from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    asset_check,
)

from dagster_project.ml_inputs import ML_TABLE_INPUT_MODELS
from dagster_project.quality.gx_validation import SuiteResult, record_results, suite_path, table_columns, validate_table
from dagster_project.resources import LandingFolder, WarehouseResource
from dagster_project.settings import DBT_PROJECT_DIR
from dagster_project.source_lineage import delivered_raw_tables, upstream_raw_tables

# Expectations that describe a complete delivery of every source a table reads: skipped
# (and said so in the check's metadata) while some of those sources have no data yet.
COMPLETE_DELIVERY_EXPECTATIONS = (
    "expect_table_row_count_to_be_between",
    "expect_table_row_count_to_equal",
    "expect_column_mean_to_be_between",
)


def suite_parameters(landing: LandingFolder) -> dict[str, object]:
    """Suite parameters: the extract window (timestamps, local days, GA4 epoch microseconds) and the dbt vars suites use."""
    first_day, last_day = landing.extract_window()
    start = datetime.combine(first_day, time.min)
    end = datetime.combine(last_day + timedelta(days=1), time.min) - timedelta(microseconds=1)
    epoch = datetime(1970, 1, 1)
    return {
        "extract_start": pd.Timestamp(start),
        "extract_end": pd.Timestamp(end),
        "extract_start_date": pd.Timestamp(first_day),
        "extract_end_date": pd.Timestamp(last_day),
        "extract_start_us": (start - epoch) // timedelta(microseconds=1),
        "extract_end_us": (end - epoch) // timedelta(microseconds=1),
        "identity_max_component_size": dbt_vars()["identity_max_component_size"],
    }


@cache
def dbt_vars() -> dict[str, object]:
    """The project-level vars of dbt_project.yml (what dbt uses unless a run overrides them)."""
    document = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(document.get("vars") or {})


def check_metadata(result: SuiteResult) -> dict[str, object]:
    failures = result.failures
    return {
        "suite": result.suite_name,
        "rows_validated": result.rows_validated,
        "expectations": len(result.outcomes),
        "failed_expectations": len(failures),
        "duration_s": round(result.duration_s, 3),
        "failures": MetadataValue.md("\n".join(f"- {o.summary()}" for o in failures) if failures else "none"),
        "results": MetadataValue.json(
            [
                {"expectation": o.expectation_type, "column": o.column, "success": o.success,
                 "observed_value": o.observed_value, "unexpected_count": o.unexpected_count}
                for o in result.outcomes
            ]
        ),
    }


def build_gx_check(asset_key: AssetKey, layer: str, schema: str, table: str, description: str) -> AssetChecksDefinition:
    """A blocking check running suite ``expectations/<layer>/<table>.json`` on ``schema.table``.

    Tables with a ``_loaded_at`` column are validated on the rows of their latest
    load only (what is new since the last validation); others in full.
    """
    if not suite_path(layer, table).is_file():
        raise FileNotFoundError(f"no Great Expectations suite {suite_path(layer, table)} for {schema}.{table}")

    @asset_check(asset=asset_key, name=f"great_expectations_{layer}", blocking=True, description=description)
    def _gx_check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource, landing: LandingFolder
    ) -> AssetCheckResult:
        if layer == "raw":
            upstream = frozenset({table})
        elif layer == "ml":
            upstream = frozenset().union(*(upstream_raw_tables(m) for m in ML_TABLE_INPUT_MODELS.get(table, ())))
        else:
            upstream = upstream_raw_tables(table)
        with warehouse.get_connection() as con:
            delivered = delivered_raw_tables(con)
            if upstream and not upstream & delivered:
                note = f"skipped: no data delivered for {', '.join(f'raw.{t}' for t in sorted(upstream))}"
                context.log.info(f"{schema}.{table}: {note}")
                return AssetCheckResult(
                    passed=True, severity=AssetCheckSeverity.ERROR,
                    metadata={"suite": f"{layer}.{table}", "skipped": note, "sources_missing": sorted(upstream)},
                )
            # With some sources missing, volume and plausibility expectations (row counts, means)
            # describe a complete delivery: they are left out rather than failed.
            partial = sorted(upstream - delivered)
            batch = None
            if "_loaded_at" in table_columns(con, schema, table):
                batch = f"_loaded_at = (select max(_loaded_at) from {schema}.{table})"
            result = validate_table(
                con, layer, schema, table, suite_parameters(landing), where=batch,
                skip_types=COMPLETE_DELIVERY_EXPECTATIONS if partial else (),
            )
            record_results(con, result, context.op_execution_context.run_id)
        for failure in result.failures:
            context.log.error(f"{schema}.{table}: {failure.summary()}")
        metadata = check_metadata(result)
        if partial:
            metadata["sources_missing"] = partial
            metadata["skipped_expectations"] = list(COMPLETE_DELIVERY_EXPECTATIONS)
        return AssetCheckResult(passed=result.success, severity=AssetCheckSeverity.ERROR, metadata=metadata)

    _gx_check.__name__ = f"check_{layer}_{table}"
    return _gx_check
