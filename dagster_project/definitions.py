"""The one Definitions object of the code location."""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from dagster_project.assets.dbt import dbt_kpi_marts, dbt_model_marts, dbt_staging, dbt_unified_customer
from dagster_project.assets.erasure import erasure_request, erasure_sweep
from dagster_project.assets.models import model_assets
from dagster_project.assets.publish import PublishTarget, build_publish_asset
from dagster_project.assets.quarantine import build_resolve_quarantine_job, quarantine_files
from dagster_project.assets.raw import raw_assets
from dagster_project.assets.retention import build_apply_retention_job, retention_run
from dagster_project.operations.automation import (
    FULL_PIPELINE_JOB,
    build_jobs,
    build_landing_sensor,
    build_retention_schedule,
    build_schedule,
    warehouse_tags,
)
from dagster_project.quality.landing_checks import landing_folder_checks
from dagster_project.quality.model_checks import model_checks as model_quality_checks
from dagster_project.quality.model_gates import model_checks
from dagster_project.quality.raw_gate import raw_checks
from dagster_project.resources import dbt_resource, landing_resource, warehouse_resource
from dagster_project.settings import Settings

__all__ = ["FULL_PIPELINE_JOB", "build_definitions", "defs"]


def build_definitions(settings: Settings) -> Definitions:
    """All assets, checks, jobs, schedule, sensor and resources, bound to the given locations."""
    dbt_layers = [dbt_staging, dbt_unified_customer, dbt_kpi_marts, dbt_model_marts]
    mart_keys = sorted(
        (key for layer in dbt_layers for key in layer.keys if key.path[0] == "marts"), key=lambda k: k.to_user_string()
    )
    jobs = build_jobs(settings.warehouse_path)
    full_pipeline = next(job for job in jobs if job.name == FULL_PIPELINE_JOB)
    parquet = settings.published_parquet
    apply_retention = build_apply_retention_job(warehouse_tags(settings.warehouse_path))
    return Definitions(
        assets=[
            *raw_assets(),
            *dbt_layers,
            *model_assets(),
            build_publish_asset(mart_keys),
            quarantine_files,
            erasure_request,
            erasure_sweep,
            retention_run,
        ],
        asset_checks=[*raw_checks(), *model_checks(), *model_quality_checks(), *landing_folder_checks()],
        jobs=[*jobs, build_resolve_quarantine_job(warehouse_tags(settings.warehouse_path)), apply_retention],
        schedules=[build_schedule(full_pipeline), build_retention_schedule(apply_retention)],
        sensors=[build_landing_sensor(full_pipeline, settings.landing_dir)],
        resources={
            "warehouse": warehouse_resource(settings),
            "landing": landing_resource(settings),
            "dbt": dbt_resource(settings),
            "publish_target": PublishTarget(
                path=str(settings.published_file), parquet_dir=str(parquet) if parquet else None
            ),
        },
        # DuckDB has a single writer: steps run one after another in the run's process,
        # each opening and closing the file (dbt runs as a subprocess in its turn).
        executor=in_process_executor,
    )


defs = build_definitions(Settings.from_env())
