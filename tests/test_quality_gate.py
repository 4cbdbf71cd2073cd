"""The raw gate blocks the next layer; a malformed file fails only its own source."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey

from dagster_project.cli import seed_landing
from tests.conftest import check_evaluations, make_workspace, materialized_keys, publish_previous_build, run_pipeline

STAGED_NPS = AssetKey(["staging", "stg_survey__nps_responses"])


def rewrite_csv(path: Path, edit) -> None:
    """Apply ``edit(rows)`` to the rows (header first) of a gzip CSV file."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())


@pytest.fixture(scope="module")
def gated_run(tmp_path_factory, small_extracts: Path):
    workspace = make_workspace(tmp_path_factory.mktemp("gate"))
    seed_landing(workspace.landing, small_extracts)

    # An NPS score of 12 is a valid integer (it loads) but outside the 0-10 domain.
    nps_file = sorted((workspace.landing / "survey_nps_responses").glob("*.csv.gz"))[0]
    score = 0
    def out_of_domain(rows: list[list[str]]) -> None:
        nonlocal score
        score = rows[0].index("score")
        rows[1][score] = "12"
    rewrite_csv(nps_file, out_of_domain)

    # A company file whose third data row has a text employee count: a type error.
    companies = sorted((workspace.landing / "crm_companies").glob("*.csv.gz"))[0]
    def wrong_type(rows: list[list[str]]) -> None:
        rows[3][rows[0].index("employee_count")] = "many"
    rewrite_csv(companies, wrong_type)

    previous = publish_previous_build(workspace)
    result = run_pipeline(workspace)
    return workspace, result, companies.name, previous


def test_failed_gate_blocks_the_downstream_model(gated_run) -> None:
    workspace, result, _, _ = gated_run
    assert not result.success
    evaluations = check_evaluations(result)
    assert evaluations["raw/survey_nps_responses:great_expectations_raw"] is False
    keys = materialized_keys(result)
    assert AssetKey(["raw", "survey_nps_responses"]) in keys, "the raw table itself is loaded"
    assert STAGED_NPS not in keys, "the staging model must not run behind a failed blocking check"
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        staged = con.execute(
            "select count(*) from information_schema.tables where table_name = 'stg_survey__nps_responses'"
        ).fetchone()[0]
        failure = con.execute(
            "select observed_value, unexpected_count, partial_unexpected from audit.data_quality_results"
            " where table_name = 'survey_nps_responses' and not success"
        ).fetchall()
    assert staged == 0
    assert len(failure) == 1 and failure[0][1] == 1 and "12" in failure[0][2]


def test_malformed_file_fails_only_its_source_and_loads_nothing(gated_run) -> None:
    workspace, result, companies_file, _ = gated_run
    failures = [e for e in result.all_events if e.is_step_failure and not e.step_key.endswith("_great_expectations_raw")]
    assert [e.step_key for e in failures] == ["raw__crm_companies"]
    message = failures[0].event_specific_data.error.cause.message if failures[0].event_specific_data.error.cause else failures[0].event_specific_data.error.message
    assert f"crm_companies/{companies_file}, line 4, column 'employee_count'" in message
    keys = materialized_keys(result)
    assert AssetKey(["raw", "crm_companies"]) not in keys
    assert AssetKey(["raw", "crm_contacts"]) in keys and AssetKey(["raw", "ga4_events"]) in keys
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        exists = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'crm_companies'"
        ).fetchone()[0]
        manifest = con.execute("select count(*) from raw._load_manifest where table_name = 'crm_companies'").fetchone()[0]
    assert (exists, manifest) == (0, 0), "a failed first load leaves no table and no manifest entry"


def test_failed_gate_leaves_the_published_warehouse_unchanged(gated_run) -> None:
    from dagster_project.publishing import open_published

    workspace, result, _, previous = gated_run
    assert AssetKey(["published", "warehouse"]) not in materialized_keys(result)
    assert workspace.settings.published_file.read_bytes() == previous
    with open_published(workspace.settings.published_file) as con:
        assert con.execute("select build_id from meta.publication").fetchone()[0] == "previous-build"
