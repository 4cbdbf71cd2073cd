"""The one Definitions object of the code location."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from dagster_project.assets.dbt import dbt_kpi_marts, dbt_model_marts, dbt_staging, dbt_unified_customer
from dagster_project.assets.models import model_assets
from dagster_project.assets.raw import raw_assets
from dagster_project.quality.model_checks import model_checks as model_quality_checks
from dagster_project.quality.model_gates import model_checks
from dagster_project.quality.raw_gate import raw_checks
from dagster_project.resources import dbt_resource, landing_resource, warehouse_resource
from dagster_project.settings import Settings

FULL_PIPELINE_JOB = "full_pipeline"


def build_definitions(settings: Settings) -> Definitions:
    """All assets, checks, jobs and resources, bound to the given warehouse and landing folder."""
    full_pipeline = define_asset_job(
        FULL_PIPELINE_JOB,
        selection=AssetSelection.all(),
        description="Load every landing file not loaded yet, validate each layer, build every dbt layer.",
    )
    return Definitions(
        assets=[*raw_assets(), dbt_staging, dbt_unified_customer, dbt_kpi_marts, *model_assets(), dbt_model_marts],
        asset_checks=[*raw_checks(), *model_checks(), *model_quality_checks()],
        jobs=[full_pipeline],
        resources={
            "warehouse": warehouse_resource(settings),
            "landing": landing_resource(settings),
            "dbt": dbt_resource(settings),
        },
        # DuckDB has a single writer: steps run one after another in the run's process,
        # each opening and closing the file (dbt runs as a subprocess in its turn).
        executor=in_process_executor,
    )


defs = build_definitions(Settings.from_env())
