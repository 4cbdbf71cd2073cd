"""Group ``raw``: one asset per raw table, loading new landing files into DuckDB.

A file that cannot be loaded does not stop the other sources: the table keeps its previous good
rows (the load is one transaction), the asset's materialization says ``load_status: failed`` and
``stale: true``, its check ``landing_files_loaded`` fails with the file, line and field, the error
is kept in ``audit.raw_load_errors``, and the models downstream are rebuilt on the rows the table
already held. The run still ends red: ``published/warehouse:every_landing_file_loaded`` fails at
the end of a run in which a file could not be loaded.

A good load's metadata lists, besides the counts, ``files_replaced`` (changed at the same path),
``files_duplicate`` (the content of a file already loaded, under another name: not loaded),
``files_unsettled`` (modified within ``CRM_LANDING_SETTLE_SECONDS``: left for the next run) and
``files_not_read``; see ``raw_loader`` for the identity rules.
"""

from datetime import UTC, datetime

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableSchema,
    asset,
)

from dagster_project.ingest.raw_contract import RawTable, raw_tables
from dagster_project.ingest.raw_loader import RawLoadError, ensure_raw_table, load_table
from dagster_project.resources import LandingFolder, WarehouseResource

RAW_GROUP = "raw"
LOAD_CHECK = "landing_files_loaded"
LOAD_ERRORS_TABLE = "audit.raw_load_errors"


def raw_asset_key(table: RawTable) -> AssetKey:
    """Matches ``meta.dagster.asset_key`` of the dbt source, so dbt models hang below it."""
    return AssetKey(["raw", table.name])


def record_load_error(con: duckdb.DuckDBPyConnection, run_id: str | None, error: RawLoadError, at: datetime) -> None:
    con.execute("create schema if not exists audit")
    con.execute(
        f"""create table if not exists {LOAD_ERRORS_TABLE} (
            run_id varchar, failed_at timestamp, table_name varchar, file_name varchar, line bigint,
            column_name varchar, problem varchar, message varchar)"""
    )
    con.execute(
        f"insert into {LOAD_ERRORS_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, at, error.table, error.file, error.line, error.column, error.problem, str(error)],
    )


def load_errors_of_run(con: duckdb.DuckDBPyConnection, run_id: str) -> list[str]:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'audit' and table_name = 'raw_load_errors'"
    ).fetchone()[0]
    if not exists:
        return []
    return [
        row[0]
        for row in con.execute(
            f"select message from {LOAD_ERRORS_TABLE} where run_id = ? order by table_name, failed_at", [run_id]
        ).fetchall()
    ]


# the erasure step of job erase_person (assets/erasure.py) runs before any raw load of that job
ERASURE_ASSET_KEY = AssetKey(["privacy", "erasure"])


def build_raw_asset(table: RawTable) -> AssetsDefinition:
    @asset(
        key=raw_asset_key(table),
        deps=[ERASURE_ASSET_KEY],
        group_name=RAW_GROUP,
        description=f"{table.description}\n\nLoaded from `<landing>/{table.name}/` into `{table.qualified_name}`.",
        kinds={"duckdb"},
        metadata={
            "dagster/column_schema": TableSchema(
                columns=[TableColumn(c.name, c.data_type, description=c.description) for c in table.columns]
            ),
            "dagster/table_name": f"warehouse.{table.qualified_name}",
            "landing_folder": table.name,
            "landing_format": table.landing_format,
        },
        check_specs=[
            AssetCheckSpec(
                LOAD_CHECK,
                asset=raw_asset_key(table),
                description="Every new landing file of the table was read; fails with the file, line and field"
                " of the first that could not be (the table then keeps its previous rows).",
            )
        ],
    )
    def _raw_asset(
        context: AssetExecutionContext, warehouse: WarehouseResource, landing: LandingFolder
    ) -> MaterializeResult:
        loaded_at = datetime.now(UTC).replace(tzinfo=None)
        with warehouse.get_connection() as con:
            try:
                result = load_table(con, table, landing.root, loaded_at, run_id=context.run_id)
            except RawLoadError as error:
                record_load_error(con, context.run_id, error, loaded_at)
                ensure_raw_table(con, table)  # a first delivery that failed: the models read an empty table
                kept = con.execute(f"select count(*) from {table.qualified_name}").fetchone()[0]
                context.log.error(f"{error} The table keeps its {kept} previous rows; its models are rebuilt on them.")
                return MaterializeResult(
                    metadata={
                        "load_status": "failed",
                        "stale": True,
                        "error": str(error),
                        "rows_added": 0,
                        "dagster/row_count": kept,
                        "loaded_at": loaded_at.isoformat(),
                    },
                    check_results=[
                        AssetCheckResult(
                            check_name=LOAD_CHECK,
                            passed=False,
                            severity=AssetCheckSeverity.ERROR,
                            metadata={
                                "file": error.file,
                                "line": error.line,
                                "column": error.column,
                                "problem": error.problem,
                            },
                        )
                    ],
                )
        for warning in result.warnings:
            context.log.warning(f"{table.qualified_name}: {warning}")
        context.log.info(
            f"{table.qualified_name}: {len(result.files_loaded)} new file(s), {result.rows_added} rows added,"
            f" {len(result.files_skipped)} file(s) already loaded,"
            f" {len(result.files_duplicate)} duplicate(s) not loaded,"
            f" {len(result.files_unsettled)} still being written left for the next run"
        )
        return MaterializeResult(
            metadata={
                "load_status": "loaded" if result.rows_total else "no data delivered",
                "stale": False,
                "rows_added": result.rows_added,
                "dagster/row_count": result.rows_total,
                "files_loaded": len(result.files_loaded),
                "files_skipped": len(result.files_skipped),
                "files_replaced": MetadataValue.json(result.files_replaced),
                "new_files": MetadataValue.json(result.files_loaded),
                "files_not_read": MetadataValue.json(result.files_not_read),
                "files_duplicate": MetadataValue.json(result.files_duplicate),
                "files_unsettled": MetadataValue.json(result.files_unsettled),
                "warnings": MetadataValue.json(result.warnings),
                "duration_s": round(result.duration_s, 3),
                "loaded_at": loaded_at.isoformat(),
            },
            check_results=[
                AssetCheckResult(
                    check_name=LOAD_CHECK,
                    passed=True,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={"files_loaded": len(result.files_loaded), "warnings": len(result.warnings)},
                )
            ],
        )

    _raw_asset.__name__ = f"raw_{table.name}"
    return _raw_asset


def raw_assets() -> list[AssetsDefinition]:
    return [build_raw_asset(table) for table in raw_tables()]
