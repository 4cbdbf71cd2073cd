"""Group ``publish``: the BI-safe copy of the marts, published only when every gate has passed.

The asset depends on every model of schema ``marts``; a failed blocking check anywhere
upstream skips it in the run, so the published file keeps the previous good build. The
swap is atomic (``dagster_project/publish/publishing.py``): a BI tool reading the published file
sees the complete old build or the complete new one, never a half-built or failed one.
The publication is pseudonymized by each column's ``config.meta.pii`` in the dbt manifest
(identifiers hashed with ``CRM_PSEUDONYM_KEY``, names dropped; an unclassified column or a
missing key fails the step and keeps the previous publication); ``CRM_PUBLISH_PII=1`` adds
the plaintext PII publication (see ``dagster_project/publish/publishing.py``).
"""

from collections.abc import Sequence
from pathlib import Path

import duckdb
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    ConfigurableResource,
    MaterializeResult,
    MetadataValue,
    asset,
)

from dagster_project.assets.raw import load_errors_of_run
from dagster_project.ingest.raw_contract import raw_tables
from dagster_project.privacy.classification import load_manifest
from dagster_project.publish.publishing import SourceStatus, column_policy_from_manifest, publish_warehouse
from dagster_project.quality import quarantine
from dagster_project.resources import WarehouseResource
from dagster_project.settings import pii_publication_path

PUBLISH_GROUP = "publish"
PUBLISHED_ASSET_KEY = AssetKey(["published", "warehouse"])
EVERY_FILE_LOADED_CHECK = "every_landing_file_loaded"


def source_status(con: duckdb.DuckDBPyConnection, run_id: str) -> list[SourceStatus]:
    """One row per raw table: what it holds, and whether this run failed to load a new file of it."""
    failed = {}
    has_errors = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'audit' and table_name = 'raw_load_errors'"
    ).fetchone()[0]
    if has_errors:
        failed = dict(
            con.execute(
                "select table_name, any_value(message) from audit.raw_load_errors where run_id = ? group by 1", [run_id]
            ).fetchall()
        )
    loads = {
        row[0]: row[1:]
        for row in con.execute(
            "select table_name, sum(row_count), count(*), max(loaded_at) from raw._load_manifest group by 1"
        ).fetchall()
    }
    held: dict[str, list[str]] = {}
    for entry in quarantine.quarantined(con):
        held.setdefault(entry.table_name, []).append(entry.file_name)
    out = []
    for table in raw_tables():
        rows, files, last = loads.get(table.name, (0, 0, None))
        if table.name in failed:
            status = f"failed: {failed[table.name]}"
        elif table.name in held:
            status = f"{len(held[table.name])} file(s) quarantined (rows kept out): {', '.join(held[table.name])}"
        else:
            status = "loaded" if rows else "no data delivered"
        stale = table.name in failed or table.name in held
        out.append(SourceStatus(table.name, int(rows or 0), int(files), last, status, stale))
    return out


class PublishTarget(ConfigurableResource):
    """Where the published DuckDB file (and its optional Parquet export) go.

    ``pii_path``: the PII publication (plaintext, for activation); unset, ``CRM_PUBLISH_PII`` /
    ``CRM_PUBLISHED_PII_PATH`` decide at run time (off by default, ``settings.pii_publication_path``).
    """

    path: str
    parquet_dir: str | None = None
    pii_path: str | None = None


def manifest_column_policy() -> dict[tuple[str, str], dict[str, str | None]]:
    """Every model's columns with their ``config.meta.pii`` class, from the dbt manifest."""
    from dagster_project.dbt_project import dbt_project

    return column_policy_from_manifest(load_manifest(Path(dbt_project.manifest_path)))


def build_publish_asset(mart_keys: Sequence[AssetKey]) -> AssetsDefinition:
    @asset(
        key=PUBLISHED_ASSET_KEY,
        group_name=PUBLISH_GROUP,
        deps=list(mart_keys),
        kinds={"duckdb", "parquet"},
        check_specs=[
            AssetCheckSpec(
                EVERY_FILE_LOADED_CHECK,
                asset=PUBLISHED_ASSET_KEY,
                blocking=True,
                description="Fails (and ends the run red) when a landing file of this run could not be loaded, or a"
                " file is in quarantine: the warehouse was published without those rows, the source flagged stale in"
                " meta.source_status.",
            )
        ],
        description=(
            "Copies schema marts (KPI marts, dims, model marts) of the working warehouse into the read-only published "
            "DuckDB file BI tools read (CRM_PUBLISHED_PATH, default published/ next to the working file), plus "
            "Parquet files, by an atomic swap. Pseudonymized: identifier columns as keyed hashes (CRM_PSEUDONYM_KEY), "
            "name columns dropped, per each column's meta.pii; an unclassified column fails it. With CRM_PUBLISH_PII=1 "
            "also the plaintext PII publication (consenting rows). Runs only after every upstream gate has passed."
        ),
    )
    def published_warehouse(
        context: AssetExecutionContext, warehouse: WarehouseResource, publish_target: PublishTarget
    ) -> MaterializeResult:
        parquet_dir = publish_target.parquet_dir
        pii_path = (
            Path(publish_target.pii_path)
            if publish_target.pii_path
            else pii_publication_path(Path(publish_target.path).expanduser().resolve())
        )
        policy = manifest_column_policy()
        with warehouse.get_connection() as con:
            status = source_status(con, context.run_id)
            errors = load_errors_of_run(con, context.run_id)
            errors += [
                f"{entry.describe()} Resolve: fix or delete the file in the landing folder, or"
                f" `crm-warehouse quarantine release|drop {entry.table_name} {entry.file_name}`."
                for entry in quarantine.quarantined(con)
            ]
            result = publish_warehouse(
                con,
                published_path=Path(publish_target.path),
                schemas=("marts",),
                parquet_dir=Path(parquet_dir) if parquet_dir else None,
                build_id=context.run_id,
                source_status=status,
                column_policy=policy,
                pii_path=pii_path,
            )
        context.log.info(f"published {len(result.tables)} tables to {result.published_path} (pseudonymized)")
        if result.pii_path is not None:
            context.log.warning(
                f"CRM_PUBLISH_PII is on: wrote the PII publication (plaintext personal data, consenting rows) of"
                f" {len(result.pii_tables)} tables to {result.pii_path}"
            )
        stale = [s.raw_table for s in status if s.is_stale]
        for error in errors:
            context.log.error(error)
        return MaterializeResult(
            check_results=[
                AssetCheckResult(
                    check_name=EVERY_FILE_LOADED_CHECK,
                    passed=not errors,
                    severity=AssetCheckSeverity.ERROR,
                    metadata={
                        "stale_sources": MetadataValue.json(stale),
                        "errors": MetadataValue.md("\n".join(f"- {e}" for e in errors) or "none"),
                    },
                )
            ],
            metadata={
                "path": str(result.published_path),
                "parquet_dir": str(result.parquet_dir) if result.parquet_dir else "none",
                "build_id": result.build_id,
                "tables": len(result.tables),
                "dagster/row_count": sum(result.tables.values()),
                "bytes": result.bytes,
                "duration_s": round(result.duration_s, 3),
                "pseudonymized": result.pseudonymized,
                "pii_path": str(result.pii_path) if result.pii_path else "off",
                "stale_sources": MetadataValue.json(stale),
                "sources_without_data": MetadataValue.json([s.raw_table for s in status if not s.row_count]),
            },
        )

    return published_warehouse
