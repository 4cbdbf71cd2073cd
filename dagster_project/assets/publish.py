"""Group ``publish``: the BI-safe copy of the marts, published only when every gate has passed.

The asset depends on every model of schema ``marts``; a failed blocking check anywhere
upstream skips it in the run, so the published file keeps the previous good build. The
swap is atomic (``dagster_project/publishing.py``): a BI tool reading the published file
sees the complete old build or the complete new one, never a half-built or failed one.
"""

from collections.abc import Sequence
from pathlib import Path

from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, ConfigurableResource, MaterializeResult, asset

from dagster_project.publishing import publish_warehouse
from dagster_project.resources import WarehouseResource

PUBLISH_GROUP = "publish"
PUBLISHED_ASSET_KEY = AssetKey(["published", "warehouse"])


class PublishTarget(ConfigurableResource):
    """Where the published DuckDB file (and its optional Parquet export) go."""

    path: str
    parquet_dir: str | None = None


def build_publish_asset(mart_keys: Sequence[AssetKey]) -> AssetsDefinition:
    @asset(
        key=PUBLISHED_ASSET_KEY,
        group_name=PUBLISH_GROUP,
        deps=list(mart_keys),
        kinds={"duckdb", "parquet"},
        description=(
            "Copies schema marts (KPI marts, dims, model marts) of the working warehouse into the read-only published "
            "DuckDB file BI tools read (CRM_PUBLISHED_PATH, default published/ next to the working file), plus "
            "Parquet files, by an atomic swap. Runs only after every upstream gate has passed."
        ),
    )
    def published_warehouse(
        context: AssetExecutionContext, warehouse: WarehouseResource, publish_target: PublishTarget
    ) -> MaterializeResult:
        parquet_dir = publish_target.parquet_dir
        with warehouse.get_connection() as con:
            result = publish_warehouse(
                con,
                published_path=Path(publish_target.path),
                schemas=("marts",),
                parquet_dir=Path(parquet_dir) if parquet_dir else None,
                build_id=context.run_id,
            )
        context.log.info(f"published {len(result.tables)} tables to {result.published_path}")
        return MaterializeResult(
            metadata={
                "path": str(result.published_path),
                "parquet_dir": str(result.parquet_dir) if result.parquet_dir else "none",
                "build_id": result.build_id,
                "tables": len(result.tables),
                "dagster/row_count": sum(result.tables.values()),
                "bytes": result.bytes,
                "duration_s": round(result.duration_s, 3),
            }
        )

    return published_warehouse
