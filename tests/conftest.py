"""Shared fixtures: an isolated warehouse + landing folder, and running the Dagster job."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

# Parallel test workers (pytest-xdist, `make test`) each parse the dbt project into a target
# folder of their own: one shared folder would make them wait on, or overwrite, each other's
# manifest. Set before dagster_project.dbt_project is imported (it reads DBT_TARGET_PATH once).
if os.environ.get("PYTEST_XDIST_WORKER"):
    _target = Path(os.environ.get("DBT_TARGET_PATH", "").strip() or Path(__file__).parents[1] / "dbt" / "target")
    os.environ["DBT_TARGET_PATH"] = str(_target.absolute() / f"xdist-{os.environ['PYTEST_XDIST_WORKER']}")

# Tests write a landing file and load it at once: no settling delay unless a test sets one
# (tests/ingest/test_landing_files.py tests the delay with the variable set).
os.environ.setdefault("CRM_LANDING_SETTLE_SECONDS", "0")
# Fixed test secrets (publishing pseudonymizes with one, erasure matches with the other); code
# never defaults a missing secret. Tests of a missing secret unset them with monkeypatch.
os.environ.setdefault("CRM_PSEUDONYM_KEY", "test-pseudonym-key-0123456789abcdef")
os.environ.setdefault("CRM_ERASURE_KEY", "test-erasure-key-0123456789abcdef")

from dagster_project.settings import BUNDLED_EXTRACTS_DIR, LANDING_DIR_ENV, WAREHOUSE_PATH_ENV, Settings

# Tests sharing an expensive fixture (a whole pipeline run) run on one worker, so the run is
# made once (`--dist loadgroup`); the first matching fixture names the group.
RUN_FIXTURE_GROUPS = (
    "bundled_run",
    "monthly_loads",
    "exports_run",
    "only_ga4",
    "only_shop",
    "gated_run",
    "erasure_run",
    "small_extracts",
)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which turns the marker into the group
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        group = next((name for name in RUN_FIXTURE_GROUPS if name in getattr(item, "fixturenames", ())), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))


@dataclass
class Workspace:
    settings: Settings

    @property
    def landing(self) -> Path:
        return self.settings.landing_dir

    @property
    def warehouse(self) -> Path:
        return self.settings.warehouse_path


def make_workspace(root: Path) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings(warehouse_path=root / "warehouse.duckdb", landing_dir=root / "landing")
    settings.landing_dir.mkdir(parents=True, exist_ok=True)
    return Workspace(settings)


def run_pipeline(workspace: Workspace, job_name: str = "full_pipeline"):
    """Materialize the whole asset graph through Dagster, as `crm-warehouse run` does."""
    from dagster import DagsterInstance

    from dagster_project.definitions import build_definitions

    os.environ[WAREHOUSE_PATH_ENV] = str(workspace.warehouse)
    os.environ[LANDING_DIR_ENV] = str(workspace.landing)
    defs = build_definitions(workspace.settings)
    with DagsterInstance.ephemeral() as instance:
        return defs.resolve_job_def(job_name).execute_in_process(instance=instance, raise_on_error=False)


def materialized_keys(result) -> set:
    return {e.asset_key for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}


def check_evaluations(result) -> dict[str, bool]:
    return {
        e.event_specific_data.asset_check_key.to_user_string(): e.event_specific_data.passed
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }


def failed_checks(result, severity: str) -> set[str]:
    """Checks of ``severity`` (ERROR or WARN) that did not pass."""
    return {
        e.event_specific_data.asset_check_key.to_user_string()
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and not e.event_specific_data.passed
        and e.event_specific_data.severity.value == severity
    }


def run_failures(result) -> list[str]:
    """What went wrong in a run: failed steps with their error, failed checks with their failed expectations."""
    problems = []
    for event in result.all_events:
        if event.is_step_failure:
            error = event.event_specific_data.error
            problems.append(f"step {event.step_key}: {(error.cause or error).message.strip()[:400]}")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
            failures = event.event_specific_data.metadata.get("failures")
            problems.append(
                f"check {event.event_specific_data.asset_check_key.to_user_string()}:"
                f" {failures.value if failures else ''}"
            )
    return problems


def publish_previous_build(workspace: Workspace) -> bytes:
    """Put a 'previous good build' in the workspace's published file; returns its bytes."""
    import duckdb

    from dagster_project.publish.publishing import publish_warehouse

    source = workspace.settings.warehouse_path.parent / "previous_build.duckdb"
    with duckdb.connect(str(source)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.previous as select 42 as answer")
        publish_warehouse(con, workspace.settings.published_file, build_id="previous-build")
    source.unlink()
    return workspace.settings.published_file.read_bytes()


def snapshot(workspace: Workspace, sql: str) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@dataclass
class BundledRun:
    workspace: Workspace
    first: object
    second: object
    first_bridge: list[tuple]


@pytest.fixture(scope="session")
def bundled_run(tmp_path_factory, bundled_dir: Path, _dbt_manifest) -> BundledRun:
    """The whole graph materialized twice on the bundled extracts (the second run finds nothing new)."""
    from dagster_project.operations.cli import seed_landing

    workspace = make_workspace(tmp_path_factory.mktemp("bundled"))
    seed_landing(workspace.landing, bundled_dir)
    first = run_pipeline(workspace)
    bridge = snapshot(
        workspace, "select identifier_type, identifier_value, customer_id from marts.bridge_customer_identifier"
    )
    second = run_pipeline(workspace)
    return BundledRun(workspace, first, second, bridge)


@pytest.fixture(scope="session")
def small_extracts(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small_extracts")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "seeds.generator",
            "generate",
            "--people",
            "300",
            "--start",
            "2026-01-01",
            "--end",
            "2026-02-28",
            "--seed",
            "7",
            "--out",
            str(out),
        ],
        check=True,
    )
    return out


@dataclass
class MonthlyLoads:
    workspace: Workspace
    first_bridge: dict[tuple[str, str], str]
    second_bridge: dict[tuple[str, str], str]


def _bridge(workspace: Workspace) -> dict[tuple[str, str], str]:
    rows = snapshot(
        workspace, "select identifier_type, identifier_value, customer_id from marts.bridge_customer_identifier"
    )
    return {(identifier_type, value): customer for identifier_type, value, customer in rows}


@pytest.fixture(scope="session")
def monthly_loads(tmp_path_factory, small_extracts: Path, _dbt_manifest) -> MonthlyLoads:
    """The small extracts loaded a month at a time: a Dagster run on January, then one on February
    (its monthly files, with January's late rows) on top of it."""
    from dagster_project.operations.cli import seed_landing

    workspace = make_workspace(tmp_path_factory.mktemp("monthly_loads"))
    seed_landing(workspace.landing, small_extracts)
    held_back = list(workspace.landing.rglob("*_202602*"))  # monthly files and GA4's daily tables of February
    assert held_back, "the small extract set has monthly files for February"
    parked = tmp_path_factory.mktemp("parked")
    for path in held_back:
        path.rename(parked / f"{path.parent.name}__{path.name}")
    first = run_pipeline(workspace)
    assert first.success, run_failures(first)
    first_bridge = _bridge(workspace)
    for path in parked.iterdir():
        folder, name = path.name.split("__", 1)
        path.rename(workspace.landing / folder / name)
    second = run_pipeline(workspace)
    assert second.success, run_failures(second)
    return MonthlyLoads(workspace, first_bridge, _bridge(workspace))


@pytest.fixture(scope="session")
def bundled_dir() -> Path:
    assert (BUNDLED_EXTRACTS_DIR / "extract.json").is_file(), "the bundled extracts are missing from seeds/bundled"
    return BUNDLED_EXTRACTS_DIR


@pytest.fixture(scope="session", autouse=True)
def _dbt_manifest() -> None:
    """Parse the dbt project before any test imports the dbt assets (they read the manifest)."""
    from dagster_project.dbt_project import prepare_dbt_project

    prepare_dbt_project()


@pytest.fixture(scope="session", autouse=True)
def _restore_environment() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (WAREHOUSE_PATH_ENV, LANDING_DIR_ENV)}
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB connection (UTC session time zone) for loader and reader tests."""
    connection = duckdb.connect(":memory:")
    connection.execute("set timezone = 'UTC'")
    yield connection
    connection.close()


# --------------------------------------------------------------------------- real-export fixtures

EXPORT_FIXTURES_DIR = Path(__file__).parent / "fixtures" / "exports"


def seed_export_fixtures(landing: Path, tools: list[str] | None = None) -> list[str]:
    """Copy the hand-written export fixtures of ``tools`` (default: every tool) into a landing folder.

    ``tests/fixtures/exports/<tool>/<raw table>/<file as the tool names it>``; returns the raw
    tables that received files.
    """
    import shutil

    tables: list[str] = []
    for tool_dir in sorted(p for p in EXPORT_FIXTURES_DIR.iterdir() if p.is_dir()):
        if tools is not None and tool_dir.name not in tools:
            continue
        for table_dir in sorted(p for p in tool_dir.iterdir() if p.is_dir()):
            target = landing / table_dir.name
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted(table_dir.rglob("*")):
                if path.is_file() and path.name != "EXPECTED.md":  # the fixture's figures, not an export
                    destination = target / path.relative_to(table_dir)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, destination)
            tables.append(table_dir.name)
    return tables


@pytest.fixture(scope="session")
def exports_run(tmp_path_factory, _dbt_manifest):
    """The whole graph materialized on every tool's hand-written export fixtures together."""
    workspace = make_workspace(tmp_path_factory.mktemp("exports"))
    seed_export_fixtures(workspace.landing)
    result = run_pipeline(workspace)
    return workspace, result
