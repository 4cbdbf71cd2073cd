"""Group ``raw``: one asset per raw table, loading new landing files into DuckDB."""


from datetime import datetime, timezone

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    TableColumn,
    TableSchema,
    asset,
)

from dagster_project.raw_contract import RawTable, raw_tables
from dagster_project.raw_loader import load_table
from dagster_project.resources import LandingFolder, WarehouseResource

RAW_GROUP = "raw"


def raw_asset_key(table: RawTable) -> AssetKey:
    """Matches ``meta.dagster.asset_key`` of the dbt source, so dbt models hang below it."""
    return AssetKey(["raw", table.name])


def build_raw_asset(table: RawTable) -> AssetsDefinition:
    @asset(
        key=raw_asset_key(table),
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
    )
    def _raw_asset(
        context: AssetExecutionContext, warehouse: WarehouseResource, landing: LandingFolder
    ) -> MaterializeResult:
        loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
        with warehouse.get_connection() as con:
            result = load_table(con, table, landing.root, loaded_at, run_id=context.run_id)
        context.log.info(
            f"{table.qualified_name}: {len(result.files_loaded)} new file(s), {result.rows_added} rows added,"
            f" {len(result.files_skipped)} file(s) already loaded"
        )
        return MaterializeResult(
            metadata={
                "rows_added": result.rows_added,
                "dagster/row_count": result.rows_total,
                "files_loaded": len(result.files_loaded),
                "files_skipped": len(result.files_skipped),
                "new_files": MetadataValue.json(result.files_loaded),
                "duration_s": round(result.duration_s, 3),
                "loaded_at": loaded_at.isoformat(),
            }
        )

    _raw_asset.__name__ = f"raw_{table.name}"
    return _raw_asset


def raw_assets() -> list[AssetsDefinition]:
    return [build_raw_asset(table) for table in raw_tables()]
