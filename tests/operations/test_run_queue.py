"""Runs that queue (issue 14): the dbt manifest parsed only when the project changed, one run
at a time per warehouse (Dagster's run queue and a lock file), and what the CLI prints."""

import io
import multiprocessing
import shutil
import time
import warnings
from pathlib import Path

import pytest
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    DagsterInstance,
    Definitions,
    MetadataValue,
    asset,
    asset_check,
    define_asset_job,
)

from dagster_project.settings import DBT_PROJECT_DIR, Settings

# --- dbt manifest: parsed once, then only when the project changes ------------------------------


def _copy_project(tmp_path: Path):
    from dagster_dbt import DbtProject

    project_dir = tmp_path / "dbt"
    shutil.copytree(DBT_PROJECT_DIR, project_dir, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    return DbtProject(project_dir=project_dir, profiles_dir=project_dir, target_path=tmp_path / "target")


def _fake_parse(project) -> None:
    """Stands in for `dbt parse`: writes a manifest, slowly, and counts itself."""
    target = Path(project.manifest_path).parent
    with open(target / "parses.log", "a", encoding="utf-8") as log:
        log.write("parse\n")
    time.sleep(1.5)
    Path(project.manifest_path).write_text("{}", encoding="utf-8")


def test_the_manifest_is_parsed_only_when_the_project_changes(tmp_path) -> None:
    from dagster_project.dbt_project import manifest_is_current, prepare_dbt_project

    project = _copy_project(tmp_path)
    calls: list[str] = []

    def preparer(p) -> None:
        calls.append("parse")
        Path(p.manifest_path).parent.mkdir(parents=True, exist_ok=True)
        Path(p.manifest_path).write_text("{}", encoding="utf-8")

    assert prepare_dbt_project(project, preparer=preparer) and calls == ["parse"]
    assert manifest_is_current(project)
    # unchanged project: no parse (before this change, every process parsed)
    assert not prepare_dbt_project(project, preparer=preparer) and calls == ["parse"]
    # a touched model, a new YAML file, a macro: parse again, once
    model = next((Path(project.project_dir) / "models").rglob("*.sql"))
    model.write_text(model.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert not manifest_is_current(project)
    assert prepare_dbt_project(project, preparer=preparer) and calls == ["parse", "parse"]
    (Path(project.project_dir) / "models" / "extra.yml").write_text("version: 2\n", encoding="utf-8")
    assert prepare_dbt_project(project, preparer=preparer) and len(calls) == 3
    assert not prepare_dbt_project(project, preparer=preparer) and len(calls) == 3
    # a parse that fails leaves the manifest stale, so the next process parses again
    model.write_text("select 1\n", encoding="utf-8")

    def broken(p) -> None:
        raise RuntimeError("dbt parse failed")

    with pytest.raises(RuntimeError):
        prepare_dbt_project(project, preparer=broken)
    assert not manifest_is_current(project)


def _prepare_in_child(project_dir: str, target: str) -> bool:
    from dagster_dbt import DbtProject

    from dagster_project.dbt_project import prepare_dbt_project

    project = DbtProject(project_dir=project_dir, profiles_dir=project_dir, target_path=Path(target))
    return prepare_dbt_project(project, preparer=_fake_parse, timeout_s=60)


def test_processes_preparing_at_once_all_succeed_and_parse_once(tmp_path) -> None:
    project = _copy_project(tmp_path)
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        parsed = pool.starmap(_prepare_in_child, [(str(project.project_dir), str(tmp_path / "target"))] * 3)
    assert sorted(parsed) == [False, False, True]  # the two that waited found the manifest current
    assert (tmp_path / "target" / "parses.log").read_text(encoding="utf-8").count("parse") == 1


def test_loading_the_code_location_does_not_parse_a_current_project(_dbt_manifest) -> None:
    """What `dagster dev` (`make ui`) and every run worker do: import the definitions, in a fresh process."""
    import os
    import subprocess
    import sys

    from dagster_project.settings import PROJECT_ROOT

    load = (
        "from dagster_dbt.dbt_project import DagsterDbtProjectPreparer\n"
        "def no_parse(self, project): raise SystemExit('dbt parse ran on a current manifest')\n"
        "DagsterDbtProjectPreparer.prepare = no_parse\n"
        "import dagster_project.definitions\n"
    )
    env = {**os.environ, "DAGSTER_IS_DEV_CLI": "1", "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-c", load], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    from dagster_project.dbt_project import manifest_is_current

    assert manifest_is_current()


# --- one run at a time per warehouse -----------------------------------------------------------


def _hold(warehouse: str, name: str, seconds: float, log: str) -> None:
    from dagster_project.operations.run_lock import hold_warehouse

    messages: list[str] = []
    with hold_warehouse(warehouse, holder=name, on_wait=messages.append):
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{name} start {time.time()}\n")
        time.sleep(seconds)
        with open(log, "a", encoding="utf-8") as out:
            waits = sum("waiting for run" in m for m in messages)
            out.write(f"{name} end {time.time()} waited={waits} {messages[0] if messages else ''}\n")


def test_a_second_run_waits_for_the_first_then_runs(tmp_path) -> None:
    warehouse, log = str(tmp_path / "warehouse.duckdb"), str(tmp_path / "runs.log")
    context = multiprocessing.get_context("spawn")
    first = context.Process(target=_hold, args=(warehouse, "run-a", 3.0, log))
    first.start()
    deadline = time.time() + 60
    while "run-a start" not in (Path(log).read_text(encoding="utf-8") if Path(log).exists() else ""):
        assert time.time() < deadline, "the first run never started"
        time.sleep(0.1)
    second = context.Process(target=_hold, args=(warehouse, "run-b", 0.1, log))
    second.start()
    first.join(60)
    second.join(60)
    assert first.exitcode == 0 and second.exitcode == 0
    lines = {
        line.split()[0] + " " + line.split()[1]: line for line in Path(log).read_text(encoding="utf-8").splitlines()
    }
    a_end, b_start = float(lines["run-a end"].split()[2]), float(lines["run-b start"].split()[2])
    assert b_start >= a_end  # serialized, not failed
    assert "waited=1 waiting for run run-a" in lines["run-b end"]
    assert "waited=0" in lines["run-a end"]


def test_the_lock_is_reentrant_in_one_process(tmp_path) -> None:
    from dagster_project.operations.run_lock import hold_warehouse, lock_path

    messages: list[str] = []
    with (
        hold_warehouse(tmp_path / "w.duckdb", "cli", on_wait=messages.append),
        hold_warehouse(tmp_path / "w.duckdb", "resource", on_wait=messages.append, timeout_s=1),
    ):
        pass
    assert messages == [] and lock_path(tmp_path / "w.duckdb").name == "w.duckdb.run.lock"


def test_dagster_yaml_queues_one_run_per_warehouse_and_is_never_overwritten(tmp_path) -> None:
    from dagster._core.run_coordinator import QueuedRunCoordinator

    from dagster_project.operations.automation import build_jobs
    from dagster_project.operations.instance_config import ensure_dagster_yaml
    from dagster_project.operations.run_lock import WAREHOUSE_TAG

    home = tmp_path / "dagster_home"
    assert ensure_dagster_yaml(home)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no deprecated keys
        with DagsterInstance.from_config(str(home)) as instance:
            coordinator = instance.run_coordinator
            assert isinstance(coordinator, QueuedRunCoordinator)
            limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
    assert limits == [{"key": WAREHOUSE_TAG, "value": {"applyLimitPerUniqueValue": True}, "limit": 1}]
    # every job carries the tag, with the warehouse it writes
    warehouse = tmp_path / "w.duckdb"
    assert all(job.tags[WAREHOUSE_TAG] == str(warehouse) for job in build_jobs(warehouse))
    # an operator's own file stays as it is
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    assert not ensure_dagster_yaml(home)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == "telemetry:\n  enabled: false\n"


def test_the_cli_creates_dagster_yaml_in_dagster_home(tmp_path, monkeypatch) -> None:
    from dagster_project.operations.cli import _dagster_home

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert (_dagster_home() / "dagster.yaml").is_file()


# --- operator output ---------------------------------------------------------------------------


def _tiny_definitions(warehouse: Path) -> Definitions:
    from dagster_project.resources import WarehouseResource

    @asset(group_name="raw", key_prefix="raw")
    def nps_responses(warehouse: WarehouseResource) -> None:
        import sys

        sys.stdout.write("1 of 1 OK created sql table model raw.nps_responses [OK in 0.01s]\n")  # as dagster-dbt does
        with warehouse.get_connection() as con:
            con.execute("create or replace table nps as select 11 as score")

    @asset(group_name="staging", key_prefix="staging", deps=[nps_responses])
    def stg_nps(warehouse: WarehouseResource) -> None:
        raise AssertionError("must not run after a failed blocking gate")

    @asset_check(asset=nps_responses, name="great_expectations_raw", blocking=True)
    def nps_gate(warehouse: WarehouseResource) -> AssetCheckResult:
        return AssetCheckResult(
            passed=False,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "suite": "raw.nps_responses",
                "file": "nps/nps_bad.csv",
                "line": 3,
                "row_key": "response_id=R-17",
                "failures": MetadataValue.md(
                    "- expect_column_values_to_be_between(score): observed -, 2 unexpected (100%), e.g. [11, -1]"
                ),
                "results": MetadataValue.json(
                    [
                        {
                            "expectation": "expect_column_values_to_be_between",
                            "column": "score",
                            "success": False,
                            "observed_value": None,
                            "unexpected_count": 2,
                        },
                        {"expectation": "expect_column_to_exist", "column": "score", "success": True},
                    ]
                ),
            },
        )

    return Definitions(
        assets=[nps_responses, stg_nps],
        asset_checks=[nps_gate],
        jobs=[define_asset_job("tiny", tags={"crm/warehouse": str(warehouse)})],
        resources={"warehouse": WarehouseResource(database=str(warehouse))},
    )


def test_the_cli_prints_one_line_per_step_and_names_the_failed_gate(tmp_path, monkeypatch, capsys) -> None:
    from dagster_project.operations.cli import execute_job

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    settings = Settings(warehouse_path=tmp_path / "w.duckdb", landing_dir=tmp_path / "landing")
    out = io.StringIO()
    result, progress, log_file = execute_job(_tiny_definitions(settings.warehouse_path), "tiny", settings, out=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"Run {result.run_id} (tiny, 3 steps)") and str(log_file) in lines[0]
    steps = [line for line in lines if line.startswith("step ")]
    assert [line.split("  ")[0] for line in steps] == ["step 1 of 3", "step 2 of 3", "step 3 of 3"]
    assert steps[0].split("  ")[1:4] == ["raw", "raw__nps_responses", "ok"]
    assert steps[1].split("  ")[1:4] == [
        "check raw",
        "raw__nps_responses_great_expectations_raw",
        "FAILED (blocking check)",
    ]
    assert steps[2].split("  ")[1:4] == ["staging", "staging__stg_nps", "skipped (upstream failed)"]
    assert all(line.endswith("s") and float(line.rsplit("  ", 1)[1][:-1]) >= 0 for line in steps[:2])
    assert steps[2].endswith("  -")  # never started
    # Dagster's log went to the file, not to the terminal
    log = log_file.read_text(encoding="utf-8")
    assert "STEP_START" not in out.getvalue() and "STEP_START" in log
    assert "OK created sql table model raw.nps_responses" in log and "OK created" not in capsys.readouterr().out

    summary = progress.summary_lines(result.run_id, result.success, str(log_file))
    text = "\n".join(summary)
    assert summary[0].startswith(f"Run {result.run_id}: FAILED")
    assert "gate failed: raw/nps_responses:great_expectations_raw  (table raw.nps_responses)" in text
    assert "file nps/nps_bad.csv  line 3  row_key response_id=R-17" in text
    assert "    expect_column_values_to_be_between  column score  2 unexpected  e.g. [11, -1]" in summary
    assert text.count("expect_column_values_to_be_between") == 1  # once, not from results and markdown both
    assert f"select * from audit.data_quality_results where run_id = '{result.run_id}' and not success" in text
    # the run holds, and then releases, the warehouse's lock
    from dagster_project.operations.run_lock import hold_warehouse

    with hold_warehouse(settings.warehouse_path, "next", on_wait=pytest.fail, timeout_s=0):
        pass


def test_a_killed_cli_run_does_not_hold_the_queue(tmp_path, monkeypatch) -> None:
    from dagster import DagsterRunStatus

    from dagster_project.operations.cli import CLI_TAG, _fail_abandoned_cli_runs
    from dagster_project.operations.run_lock import WAREHOUSE_TAG

    warehouse = tmp_path / "w.duckdb"
    with DagsterInstance.ephemeral() as instance:
        job = _tiny_definitions(warehouse).resolve_job_def("tiny")
        stale = instance.create_run_for_job(job, tags={WAREHOUSE_TAG: str(warehouse), CLI_TAG: "crm-warehouse run"})
        instance.handle_run_event(stale.run_id, _run_start_event(stale))
        assert instance.get_run_by_id(stale.run_id).status == DagsterRunStatus.STARTED
        assert _fail_abandoned_cli_runs(instance, warehouse) == [stale.run_id]
        assert instance.get_run_by_id(stale.run_id).status == DagsterRunStatus.FAILURE


def _run_start_event(run):
    from dagster import DagsterEvent, DagsterEventType

    return DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, job_name=run.job_name)


def test_failure_lines_for_dbt_tests_and_located_expectations() -> None:
    from dagster_project.operations.run_progress import describe_check_failure, format_step_line

    assert (
        format_step_line(7, 251, "raw", "raw__shop_orders", "ok", 0.42)
        == "step   7 of 251  raw  raw__shop_orders  ok  0.4s"
    )
    # a dbt test: no suite results, its status says what failed
    lines = describe_check_failure(
        "staging/stg_shop__orders:unique_stg_shop__orders_order_id", {"status": "fail"}, True
    )
    assert lines == ["gate failed: staging/stg_shop__orders:unique_stg_shop__orders_order_id", "    status: fail"]
    # an expectation located in its file (metadata of the per-file gates)
    lines = describe_check_failure(
        "raw/survey_nps_responses:great_expectations_raw",
        {
            "table": "raw.survey_nps_responses",
            "results": MetadataValue.json(
                [
                    {
                        "expectation": "expect_column_values_to_be_between",
                        "column": "score",
                        "success": False,
                        "unexpected_count": 1,
                        "partial_unexpected": [11],
                        "file": "nps_2026.csv",
                        "line": 45,
                        "row_key": "R-9",
                    },
                ]
            ),
        },
        False,
    )
    assert lines == [
        "check failed (warning): raw/survey_nps_responses:great_expectations_raw  (table raw.survey_nps_responses)",
        "    expect_column_values_to_be_between  column score  1 unexpected  e.g. [11]  (file nps_2026.csv "
        " line 45  row_key R-9)",
    ]


def test_summary_names_what_dbt_failed_and_what_a_warning_lists() -> None:
    from dagster_project.operations.run_progress import describe_check_failure, step_error_summary

    message = (
        "dagster_dbt.errors.DagsterDbtCliRuntimeError: The dbt CLI process with command\n\n`dbt build`\n\n"
        "failed with exit code `1`.\nErrors parsed from dbt logs:\n\n"
        "386 of 677 FAIL 1 row_count_at_least_mart_x_1 ......... [\x1b[31mFAIL 1\x1b[0m in 0.03s]\n\n"
        "\x1b[31mFailure in test row_count_at_least_mart_x_1 (models/marts/_x.yml)\x1b[0m\n"
    )
    assert step_error_summary(message) == (
        "dbt: 386 of 677 FAIL 1 row_count_at_least_mart_x_1 ......... [FAIL 1 in 0.03s]"
        " | Failure in test row_count_at_least_mart_x_1 (models/marts/_x.yml)"
    )
    assert step_error_summary("ValueError: boom\nmore") == "ValueError: boom"
    lines = describe_check_failure(
        "raw/delighted_survey_responses:great_expectations_raw",
        {
            "suite": "raw.delighted_survey_responses",
            "failures": MetadataValue.md("none"),
            "files_quarantined": MetadataValue.md("- raw.delighted_survey_responses: file d/p.json quarantined ..."),
        },
        False,
    )
    assert lines[0].startswith("check failed (warning): raw/delighted_survey_responses")
    assert lines[1] == "    raw.delighted_survey_responses: file d/p.json quarantined ..."


def test_a_dbt_step_that_fails_while_dbt_runs_stops_dbt_first() -> None:
    """A retry must not meet the failed attempt's dbt still holding the warehouse file."""
    import subprocess
    import sys

    from dagster_project.assets.dbt import collect_events

    class Invocation:
        def __init__(self) -> None:
            self.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])

        def stream(self):
            yield "an event"
            raise KeyError("unique_id not in the manifest")  # e.g. the project changed during the run

    invocation = Invocation()
    with pytest.raises(KeyError):
        collect_events(invocation, grace_s=10)
    assert invocation.process.poll() is not None, "dbt was stopped before the error went on"
