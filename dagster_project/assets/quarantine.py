"""Group ``quarantine``: the registry of quarantined landing files, and resolving them from the UI.

Materializing ``quarantine/files`` (job ``resolve_quarantine``, Launchpad config ``action``,
``table``, ``file``) lists the files in quarantine, or releases / drops one, exactly as
``crm-warehouse quarantine`` does. Run the pipeline afterwards to take released rows on.
"""

from typing import Literal

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset, define_asset_job
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from dagster_project.quality import quarantine
from dagster_project.resources import WarehouseResource

QUARANTINE_ASSET_KEY = AssetKey(["quarantine", "files"])
RESOLVE_QUARANTINE_JOB = "resolve_quarantine"


class QuarantineAction(Config):
    action: Literal["list", "release", "drop"] = "list"
    table: str = ""  # raw table of the file, e.g. delighted_survey_responses
    file: str = ""  # the file as listed, e.g. delighted_survey_responses/survey_responses_20261111_page1.json


@asset(
    key=QUARANTINE_ASSET_KEY,
    group_name="quarantine",
    kinds={"duckdb"},
    description="quarantine.files: landing files whose rows failed the raw gate and are kept out of staging"
    " (their rows in quarantine.<table>). Materialize with config action=release|drop, table, file to resolve one.",
)
def quarantine_files(
    context: AssetExecutionContext, config: QuarantineAction, warehouse: WarehouseResource
) -> MaterializeResult:
    done = None
    with warehouse.get_connection() as con:
        quarantine.ensure_tables(con)
        if config.action != "list":
            if not config.table or not config.file:
                raise ValueError(f"action {config.action!r} needs `table` and `file` (see the list this asset shows)")
            by = f"Dagster run {context.run_id}"
            if config.action == "release":
                released = quarantine.release(con, config.table, config.file, by=by)
                done = f"released {config.file}: {released} rows back in raw"
            else:
                done = f"dropped {config.file}: {quarantine.drop(con, config.table, config.file, by=by)} rows deleted"
            context.log.info(done)
        entries = quarantine.quarantined(con)
    return MaterializeResult(
        metadata={
            "dagster/row_count": len(entries),
            "action": done or "list",
            "files": MetadataValue.md(
                "\n".join(
                    f"- `{e.table_name}` `{e.file_name}` ({e.rows} rows): " + "; ".join(e.failures) for e in entries
                )
                or "no file is in quarantine"
            ),
        }
    )


def build_resolve_quarantine_job(tags: dict[str, str]) -> UnresolvedAssetJobDefinition:
    """The job, tagged like the pipeline's jobs so the run queue serializes it with them."""
    return define_asset_job(
        RESOLVE_QUARANTINE_JOB,
        selection=[QUARANTINE_ASSET_KEY],
        tags=tags,
        description="List quarantined landing files, or release / drop one (config: action, table, file).",
    )
