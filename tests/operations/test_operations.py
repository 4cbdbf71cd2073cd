"""The operator's view: jobs, schedule, sensor, retries, publishing wired into the graph."""

import os
import time

import pytest
from dagster import AssetKey, SensorResult, SkipReason, build_sensor_context

from dagster_project.operations.automation import evaluate_landing
from dagster_project.settings import Settings


def _definitions(tmp_path):
    from dagster_project.definitions import build_definitions

    return build_definitions(Settings(warehouse_path=tmp_path / "w.duckdb", landing_dir=tmp_path / "landing"))


def test_jobs_schedule_sensor_and_publish_asset(tmp_path, _dbt_manifest) -> None:
    defs = _definitions(tmp_path)
    assert {"full_pipeline", "full_refresh", "reprocess_recent_days"} <= {
        job.name for job in defs.resolve_all_job_defs()
    }
    schedule = defs.resolve_schedule_def("daily_full_pipeline")
    assert schedule.cron_schedule == "0 6 * * *" and schedule.execution_timezone == "Europe/Rome"
    assert defs.resolve_sensor_def("landing_folder_sensor").job_name == "full_pipeline"

    graph = defs.resolve_asset_graph()
    publish = graph.get(AssetKey(["published", "warehouse"]))
    assert publish.group_name == "publish"
    # published only downstream of every mart (and so of every blocking gate upstream of them)
    assert AssetKey(["marts", "mart_campaign_roi"]) in publish.parent_keys
    assert AssetKey(["marts", "mart_customer_clv"]) in publish.parent_keys
    assert AssetKey(["marts", "dim_customer"]) in publish.parent_keys
    # transient failures of dbt layers are retried
    layer = defs.resolve_assets_def(AssetKey(["marts", "mart_campaign_roi"]))
    assert layer.op.retry_policy is not None and layer.op.retry_policy.max_retries >= 1
    # the full refresh job runs every dbt layer with --full-refresh
    refresh = defs.resolve_job_def("full_refresh")
    layers = ("dbt_staging", "dbt_unified_customer", "dbt_kpi_marts", "dbt_model_marts")
    assert refresh.name == "full_refresh"
    from dagster_project.operations.automation import build_jobs

    config = next(job for job in build_jobs() if job.name == "full_refresh").config
    assert all(config["ops"][layer]["config"]["full_refresh"] for layer in layers)


def test_reprocess_job_widens_the_incremental_window() -> None:
    import json

    import yaml

    from dagster_project.assets.dbt import DbtLayerConfig
    from dagster_project.operations.automation import REPROCESS_DAYS, REPROCESS_JOB, build_jobs
    from dagster_project.settings import DBT_PROJECT_DIR

    config = next(job for job in build_jobs() if job.name == REPROCESS_JOB).config
    layers = ("dbt_staging", "dbt_unified_customer", "dbt_kpi_marts", "dbt_model_marts")
    assert all(config["ops"][layer]["config"]["lookback_days"] == REPROCESS_DAYS for layer in layers)
    args = DbtLayerConfig(lookback_days=10).dbt_args()
    assert "--full-refresh" not in args
    assert json.loads(args[args.index("--vars") + 1]) == {"incremental_lookback_days": 10}
    assert "--vars" not in DbtLayerConfig().dbt_args()
    args = DbtLayerConfig(reprocess_since="2026-03-01").dbt_args()
    assert json.loads(args[args.index("--vars") + 1]) == {"incremental_reprocess_since": "2026-03-01"}
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        DbtLayerConfig(reprocess_since="01/03/2026")
    # the var exists in the dbt project (a renamed var would make the job do nothing)
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert "incremental_lookback_days" in project["vars"]


def _touch(path, seconds_ago: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    stamp = time.time() - seconds_ago
    os.utime(path, (stamp, stamp))


def test_sensor_requests_one_run_per_settled_batch(tmp_path) -> None:
    landing = tmp_path / "landing"
    _touch(landing / "shop_orders" / "orders_202601.csv.gz", 600)
    first = evaluate_landing(landing, None)
    assert isinstance(first, SensorResult) and len(first.run_requests) == 1
    cursor = first.cursor
    assert isinstance(evaluate_landing(landing, cursor), SkipReason)  # nothing new

    # a batch of three files: still being written -> wait; settled -> one run for all three
    for name in (
        "ga4_events/events_202602.ndjson.gz",
        "shop_orders/orders_202602.csv.gz",
        "esp_activity/a_202602.csv.gz",
    ):
        _touch(landing / name, 5)
    waiting = evaluate_landing(landing, cursor)
    assert isinstance(waiting, SkipReason) and "waiting" in waiting.skip_message
    settled = evaluate_landing(landing, cursor, now_ns=time.time_ns() + 120 * 10**9)
    assert isinstance(settled, SensorResult) and len(settled.run_requests) == 1
    request = settled.run_requests[0]
    assert request.tags["landing/new_files"] == "3"
    assert request.tags["landing/tables"] == "esp_activity,ga4_events,shop_orders"
    assert isinstance(evaluate_landing(landing, settled.cursor, now_ns=time.time_ns() + 120 * 10**9), SkipReason)
    # temp files of an export in progress are ignored
    _touch(landing / "shop_orders" / "orders_202603.csv.gz.part", 600)
    assert isinstance(evaluate_landing(landing, settled.cursor), SkipReason)


def test_sensor_through_dagster_context(tmp_path, _dbt_manifest) -> None:
    landing = tmp_path / "landing"
    _touch(landing / "crm_contacts" / "contacts_202601.csv.gz", 600)
    sensor = _definitions(tmp_path).resolve_sensor_def("landing_folder_sensor")
    result = sensor(build_sensor_context(cursor=None))
    assert isinstance(result, SensorResult) and len(result.run_requests) == 1


def test_killed_run_leaves_the_published_warehouse_intact(tmp_path, small_extracts, _dbt_manifest) -> None:
    """SIGKILL a pipeline run in the middle of its build: the published file is the previous build, readable."""
    import signal
    import subprocess
    import sys

    from dagster_project.operations.cli import seed_landing
    from dagster_project.publish.publishing import open_published
    from tests.conftest import make_workspace, publish_previous_build

    workspace = make_workspace(tmp_path)
    seed_landing(workspace.landing, small_extracts)
    previous = publish_previous_build(workspace)
    env = {
        **os.environ,
        "CRM_WAREHOUSE_PATH": str(workspace.warehouse),
        "CRM_LANDING_DIR": str(workspace.landing),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.operations.cli", "run"],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        # mid-build: the raw layer has started writing the working warehouse; the run takes a minute more
        while time.monotonic() < deadline and run.poll() is None and not workspace.warehouse.exists():
            time.sleep(0.2)
        time.sleep(8)
        assert run.poll() is None, f"the run ended before it could be killed: {run.stderr.read()[-2000:]}"
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    assert workspace.settings.published_file.read_bytes() == previous
    with open_published(workspace.settings.published_file) as con:
        assert con.execute("select answer from marts.previous").fetchone()[0] == 42


def test_the_ui_names_its_code_location(tmp_path) -> None:
    """`make ui` shows the code location as crm_kpi_warehouse, not as the module's dotted name."""
    from dagster._core.workspace.load import location_origins_from_yaml_paths

    from dagster_project.operations.cli import CODE_LOCATION, write_workspace

    origins = location_origins_from_yaml_paths([str(write_workspace(tmp_path))])
    assert [origin.location_name for origin in origins] == [CODE_LOCATION] == ["crm_kpi_warehouse"]
