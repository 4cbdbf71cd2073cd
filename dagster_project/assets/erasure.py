"""Group ``privacy``: erasing a person (GDPR art. 17) as a Dagster job.

Job ``erase_person`` (Launchpad config of ``privacy__erasure``: ``identifiers``, ``dry_run``;
``crm-warehouse erase`` runs the same job):

1. ``privacy/erasure`` plans the erasure and, unless ``dry_run`` (the default in the
   Launchpad), carries it out: register, landing files, raw, quarantine, registry, keyed
   tables, audit text (``dagster_project/privacy/erasure.py``). A dry run logs the plan and
   materializes nothing, so every later step is skipped.
2. every pipeline asset, with ``dbt --full-refresh`` on every layer (the raw assets depend on
   ``privacy/erasure``): incremental models forget the person, the marts are rebuilt, the
   pseudonymized warehouse is published.
3. ``privacy/erasure_sweep`` (after the publication): masks the erased values in the run logs and
   in Dagster's storage, removes older Parquet versions, drops the pending values and compacts
   the working DuckDB file.
"""

import os
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    AssetSelection,
    Config,
    MaterializeResult,
    MetadataValue,
    Output,
    asset,
    define_asset_job,
)
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from dagster_project.assets.publish import PUBLISHED_ASSET_KEY, PublishTarget
from dagster_project.assets.raw import ERASURE_ASSET_KEY
from dagster_project.privacy import compaction, erasure
from dagster_project.privacy.erasure_register import erasure_key
from dagster_project.resources import LandingFolder, WarehouseResource

SWEEP_ASSET_KEY = AssetKey(["privacy", "erasure_sweep"])
ERASE_JOB = "erase_person"
ERASURE_OP = "privacy__erasure"
PRIVACY_GROUP = "privacy"


class ErasureRequest(Config):
    identifiers: list[str] = []  # e.g. ann@example.com, +39 333 123 4567, cus_..., user_pseudo_id:123.456
    dry_run: bool = True  # list what would be removed; set false to erase


@asset(
    key=ERASURE_ASSET_KEY,
    group_name=PRIVACY_GROUP,
    kinds={"duckdb"},
    output_required=False,
    description="Erases the people named in the config (every identifier of theirs) from the landing files, raw,"
    " quarantine, the id registry, keyed tables and audit samples; the rest of job erase_person rebuilds every"
    " layer from raw. dry_run (default) lists what would be removed and stops the job.",
)
def erasure_request(
    context: AssetExecutionContext, config: ErasureRequest, warehouse: WarehouseResource, landing: LandingFolder
):
    if not config.identifiers:
        raise erasure.ErasureError("no identifier given: set `identifiers` in the config of privacy__erasure")
    key = erasure_key()
    with warehouse.get_connection() as con:
        plan = erasure.plan(con, config.identifiers, key)
        for line in plan.summary():
            context.log.info(line)
        counts = plan.counts()
        if config.dry_run:
            context.log.info("dry run: nothing was removed; launch again with dry_run: false to erase")
            yield AssetObservation(
                asset_key=ERASURE_ASSET_KEY,
                metadata={"dry_run": True, "customers": len(plan.customers), "rows": MetadataValue.json(counts)},
            )
            return
        erasure.execute(con, plan, landing.root, key)
    context.log.info(f"erasure {plan.erasure_id}: scrubbed; every layer is rebuilt next")
    yield Output(
        None,
        metadata={
            "erasure_id": plan.erasure_id,
            "customers": len(plan.customers),
            "identifiers": len(plan.identifiers),
            "rows": MetadataValue.json(counts),
        },
    )


def dagster_home() -> Path | None:
    home = os.environ.get("DAGSTER_HOME", "").strip()
    return Path(home) if home else None


def sweep(warehouse_path: Path, parquet_dir: Path | None, extra_values: list[str] | None = None) -> dict[str, object]:
    """Finish every pending erasure outside the warehouse tables; the caller holds the run lock."""
    import duckdb

    con = duckdb.connect(str(warehouse_path))
    try:
        pending = erasure.pending_values(con)
    finally:
        con.close()
    values = sorted({v for vs in pending.values() for v in vs} | set(extra_values or []))
    home = dagster_home()
    folders = [warehouse_path.parent / "logs"] + ([home] if home else [])
    text_files = compaction.scrub_text_files(folders, values)
    databases = compaction.scrub_sqlite(home, values) if home else []
    removed = compaction.prune_parquet_versions(parquet_dir)
    con = duckdb.connect(str(warehouse_path))
    try:
        erasure.finish(con, sorted(pending))
    finally:
        con.close()
    before, after = compaction.compact_duckdb(warehouse_path)
    return {
        "erasures_completed": len(pending),
        "text_files_scrubbed": len(text_files),
        "dagster_databases_scrubbed": len(databases),
        "parquet_versions_removed": len(removed),
        "warehouse_bytes_before": before,
        "warehouse_bytes_after": after,
    }


@asset(
    key=SWEEP_ASSET_KEY,
    group_name=PRIVACY_GROUP,
    deps=[PUBLISHED_ASSET_KEY],
    kinds={"duckdb"},
    description="After an erasure's rebuild and publication: masks the erased values in run logs and Dagster's"
    " storage, removes older Parquet versions, compacts the working DuckDB file (no free block keeps the bytes).",
)
def erasure_sweep(
    context: AssetExecutionContext, warehouse: WarehouseResource, publish_target: PublishTarget
) -> MaterializeResult:
    parquet = Path(publish_target.parquet_dir) if publish_target.parquet_dir else None
    result = sweep(Path(warehouse.database), parquet)
    context.log.info(f"erasure sweep: {result}")
    return MaterializeResult(metadata=result)


def build_erase_job(
    pipeline: AssetSelection, dbt_layers: tuple[str, ...], tags: dict[str, str]
) -> UnresolvedAssetJobDefinition:
    return define_asset_job(
        ERASE_JOB,
        selection=pipeline | AssetSelection.assets(ERASURE_ASSET_KEY, SWEEP_ASSET_KEY),
        description="Erase people (config of privacy__erasure: identifiers, dry_run), rebuild every layer with"
        " --full-refresh, publish, then scrub logs and compact the warehouse. Same as `crm-warehouse erase`.",
        config={
            "ops": {
                ERASURE_OP: {"config": {"identifiers": [], "dry_run": True}},
                **{layer: {"config": {"full_refresh": True}} for layer in dbt_layers},
            }
        },
        tags={"purpose": "erasure", **tags},
    )
