"""Jobs, the daily schedule and the landing-folder sensor.

* ``full_pipeline``: load what is new in the landing folder, validate every layer, update
  every dbt layer (incremental models process the new days and their lookback), score,
  fit, publish. The daily schedule and the sensor run it; so does ``make run``.
* ``full_refresh``: the same graph with ``dbt --full-refresh`` on every layer (incremental
  models rebuilt from all history; the customer-id registry is never refreshed).
* ``reprocess_recent_days``: the daily run with the incremental event models also rebuilt
  for the last ``REPROCESS_DAYS`` days (``lookback_days`` in the Launchpad, or
  ``reprocess_since`` for every day from a date): re-derive a date range after a model or
  mapping change without a full refresh. The warehouse is not
  partitioned by day in Dagster: a day's touchpoints and KPIs depend on identity resolved
  over all days, so a day is not an independent unit of work.
* Schedule ``daily_full_pipeline``: every day at 06:00 Europe/Rome.
* ``apply_retention`` (group ``privacy``, not part of the pipeline jobs): delete what is past its
  retention period (``dagster_project/privacy/retention.py``); schedule ``monthly_retention`` on the
  1st of the month at 05:00 Europe/Rome, before that day's 06:00 run rebuilds the marts from raw.
* Every job carries the tag ``crm/warehouse: <warehouse file>``; the instance's
  ``dagster.yaml`` (written by ``crm-warehouse``, see ``dagster_instance.py``) allows one
  in-progress run per value, so schedule, sensor and UI runs on one warehouse queue.
* Sensor ``landing_folder_sensor``: one run per batch of new or changed landing files,
  once no file of the batch has changed for ``SETTLE_SECONDS`` (an export that writes 23
  files starts one run, not 23).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleDefinition,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    sensor,
)
from dagster._core.definitions.unresolved_asset_job_definition import UnresolvedAssetJobDefinition

from dagster_project.operations.run_lock import WAREHOUSE_TAG
from dagster_project.settings import Settings

FULL_PIPELINE_JOB = "full_pipeline"
FULL_REFRESH_JOB = "full_refresh"
REPROCESS_JOB = "reprocess_recent_days"
REPROCESS_DAYS = 31
DBT_LAYERS = ("dbt_staging", "dbt_unified_customer", "dbt_kpi_marts", "dbt_model_marts")
SETTLE_SECONDS = 60
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".swp")


def pipeline_assets() -> AssetSelection:
    """Every asset but the quarantine registry and the privacy group (erasure, retention: own jobs)."""
    return AssetSelection.all() - AssetSelection.groups("quarantine", "privacy")


def warehouse_tags(warehouse_path: Path | None = None) -> dict[str, str]:
    """The tag the run queue limits to one in-progress run per value (the warehouse file)."""
    return {WAREHOUSE_TAG: str(warehouse_path or Settings.from_env().warehouse_path)}


def build_jobs(warehouse_path: Path | None = None) -> list[UnresolvedAssetJobDefinition]:
    warehouse = warehouse_tags(warehouse_path)
    full_pipeline = define_asset_job(
        FULL_PIPELINE_JOB,
        selection=pipeline_assets(),
        description="Load every landing file not loaded yet, validate each layer, update every dbt layer, "
        "score and fit the models, publish the marts for BI.",
        tags={"purpose": "daily", **warehouse},
    )
    full_refresh = define_asset_job(
        FULL_REFRESH_JOB,
        selection=pipeline_assets(),
        description="The whole graph with dbt --full-refresh: incremental models rebuilt from all history.",
        config={"ops": {layer: {"config": {"full_refresh": True}} for layer in DBT_LAYERS}},
        tags={"purpose": "full_refresh", **warehouse},
    )
    reprocess = define_asset_job(
        REPROCESS_JOB,
        selection=pipeline_assets(),
        description="The daily run, with the incremental event models also rebuilt for the last "
        f"{REPROCESS_DAYS} days (edit lookback_days in the Launchpad for another window): after a "
        "change to a model or a mapping, without a full refresh.",
        config={"ops": {layer: {"config": {"lookback_days": REPROCESS_DAYS}} for layer in DBT_LAYERS}},
        tags={"purpose": "reprocess", **warehouse},
    )
    from dagster_project.assets.erasure import build_erase_job

    return [full_pipeline, full_refresh, reprocess, build_erase_job(pipeline_assets(), DBT_LAYERS, warehouse)]


def build_schedule(job: UnresolvedAssetJobDefinition) -> ScheduleDefinition:
    return ScheduleDefinition(
        name="daily_full_pipeline",
        job=job,
        cron_schedule="0 6 * * *",
        execution_timezone="Europe/Rome",
        description="Every day at 06:00 Europe/Rome, after the nightly exports have landed.",
        default_status=DefaultScheduleStatus.STOPPED,
    )


def build_retention_schedule(job: UnresolvedAssetJobDefinition) -> ScheduleDefinition:
    return ScheduleDefinition(
        name="monthly_retention",
        job=job,
        cron_schedule="0 5 1 * *",
        execution_timezone="Europe/Rome",
        description="The 1st of every month at 05:00 Europe/Rome: delete what is past its retention period,"
        " before the 06:00 daily run rebuilds the marts from the pruned raw tables.",
        default_status=DefaultScheduleStatus.STOPPED,
    )


def landing_files(root: Path) -> dict[str, list[int]]:
    """Every data file in the landing folder: relative path -> [size, mtime in ns]."""
    files: dict[str, list[int]] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith(".") or path.name.endswith(IGNORED_SUFFIXES):
            continue
        stat = path.stat()
        files[path.relative_to(root).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return files


def evaluate_landing(
    root: Path, cursor: str | None, now_ns: int | None = None, settle_seconds: int = SETTLE_SECONDS
) -> SensorResult | SkipReason:
    """The sensor's decision, separated from Dagster's context for testing."""
    seen: dict[str, list[int]] = json.loads(cursor) if cursor else {}
    files = landing_files(root)
    changed = {name: state for name, state in files.items() if seen.get(name) != state}
    if not changed:
        return SkipReason(f"no new files in {root}")
    now_ns = now_ns if now_ns is not None else time.time_ns()
    youngest_s = (now_ns - max(state[1] for state in changed.values())) / 1e9
    if youngest_s < settle_seconds:
        return SkipReason(
            f"{len(changed)} new or changed file(s); waiting until none has changed for {settle_seconds} s"
        )
    batch = json.dumps(sorted(changed.items()))
    run_key = hashlib.sha256(batch.encode()).hexdigest()[:16]
    tables = sorted({name.split("/", 1)[0] for name in changed})
    return SensorResult(
        run_requests=[
            RunRequest(
                run_key=run_key,
                tags={"landing/new_files": str(len(changed)), "landing/tables": ",".join(tables)[:200]},
            )
        ],
        cursor=json.dumps(files),
    )


def build_landing_sensor(job: UnresolvedAssetJobDefinition, landing_dir: Path):
    @sensor(
        name="landing_folder_sensor",
        job=job,
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.STOPPED,
        description=f"Starts {FULL_PIPELINE_JOB} once per batch of new or changed files in the landing folder "
        f"({landing_dir}), after the batch has settled for {SETTLE_SECONDS} s.",
    )
    def landing_folder_sensor(context: SensorEvaluationContext):
        return evaluate_landing(landing_dir, context.cursor)

    return landing_folder_sensor
