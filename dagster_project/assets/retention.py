"""Group ``privacy``: the retention run (``dagster_project/privacy/retention.py``).

Materializing ``privacy/retention`` (job ``apply_retention``, monthly schedule ``monthly_retention``)
deletes every row past its retention period from raw, quarantine and the incremental dbt tables, and the
landing files whose rows are all past it; Launchpad config ``dry_run: true`` only reports what it would
delete, ``today: YYYY-MM-DD`` judges as of another day. The next pipeline run rebuilds the other models
from the pruned raw tables. Not part of ``full_pipeline`` (``automation.pipeline_assets``).
"""

from datetime import date

from dagster import AssetExecutionContext, AssetKey, Config, MaterializeResult, MetadataValue, asset, define_asset_job
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from dagster_project.privacy import retention
from dagster_project.resources import LandingFolder, WarehouseResource

RETENTION_ASSET_KEY = AssetKey(["privacy", "retention"])
RETENTION_GROUP = "privacy"
APPLY_RETENTION_JOB = "apply_retention"


class RetentionRunConfig(Config):
    dry_run: bool = False  # report what is past retention, delete nothing
    today: str = ""  # YYYY-MM-DD: judge as of this day (default: today in the reporting time zone)


@asset(
    key=RETENTION_ASSET_KEY,
    group_name=RETENTION_GROUP,
    kinds={"duckdb"},
    description="Storage limitation: deletes the rows past their retention period"
    " (dagster_project/config/retention.yml)"
    " from raw, quarantine and the incremental dbt tables, and landing files whose rows are all past it;"
    " audit.retention_runs records each run. Config dry_run: true only reports.",
)
def retention_run(
    context: AssetExecutionContext, config: RetentionRunConfig, warehouse: WarehouseResource, landing: LandingFolder
) -> MaterializeResult:
    today = date.fromisoformat(config.today) if config.today else None
    with warehouse.get_connection() as con:
        if config.dry_run:
            result = retention.plan(con, today, landing.root)
        else:
            result = retention.apply(con, today, landing.root, run_id=context.run_id)
    for line in result.lines():
        context.log.info(line)
    by_relation = {r.relation: r.rows for r in result.relations if r.rows or r.layer == "raw"}
    return MaterializeResult(
        metadata={
            "as_of": result.today.isoformat(),
            "dry_run": config.dry_run,
            "rows_deleted" if not config.dry_run else "rows_to_delete": result.rows,
            "rows_per_table": MetadataValue.json(by_relation),
            "cutoffs": MetadataValue.json(result.cutoffs()),
            "landing_files": MetadataValue.json(
                result.files_deleted
                if result.applied
                else [f for _, f, _ in result.files] + [f for _, f in result.files_again]
            ),
            "report": MetadataValue.md("```\n" + "\n".join(result.lines()) + "\n```"),
        }
    )


def build_apply_retention_job(tags: dict[str, str]) -> UnresolvedAssetJobDefinition:
    """The job, tagged like the pipeline's jobs so the run queue serializes it with them."""
    return define_asset_job(
        APPLY_RETENTION_JOB,
        selection=[RETENTION_ASSET_KEY],
        tags={"purpose": "retention", **tags},
        description="Delete rows past their retention period (raw, quarantine, incremental models) and retired"
        " landing files; config dry_run / today. The next full_pipeline run rebuilds the marts from raw.",
    )
