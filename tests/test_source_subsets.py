"""A team delivers any subset of the channels: a single source runs green and builds the marts it
feeds; a source delivered later builds its marts, and a file that cannot be loaded stops only its
own source (kept on its previous good rows, flagged stale) and ends the run red."""

from __future__ import annotations

import json

import duckdb
import pytest
from dagster import AssetKey

from tests.conftest import (
    EXPORT_FIXTURES_DIR,
    check_evaluations,
    failed_checks,
    make_workspace,
    materialized_keys,
    run_failures,
    run_pipeline,
    seed_export_fixtures,
)


def materialization_metadata(result, key: list[str]) -> dict:
    for event in result.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key == AssetKey(key):
            return {k: v.value for k, v in event.event_specific_data.materialization.metadata.items()}
    raise AssertionError(f"{key} was not materialized")


@pytest.fixture(scope="module")
def only_ga4(tmp_path_factory, _dbt_manifest):
    """A team starts with GA4 alone (run 1); its next delivery adds the shop's exports and a GA4
    daily table whose second event has a timestamp that is not a number (run 2)."""
    workspace = make_workspace(tmp_path_factory.mktemp("only_ga4"))
    seed_export_fixtures(workspace.landing, ["ga4"])
    first = run_pipeline(workspace)
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        ga4_rows = con.execute("select count(*) from raw.ga4_events").fetchone()[0]
    with duckdb.connect(str(workspace.settings.published_file), read_only=True) as con:  # run 1's publication
        published = {
            "sessions": web_sessions(con),
            "orders": con.execute("select count(*) from marts.fct_order").fetchone()[0],
        }
    seed_export_fixtures(workspace.landing, ["shopify"])
    events = [
        {
            "event_date": "20261103",
            "event_timestamp": "1793746800000000",
            "event_name": "page_view",
            "event_params": [],
            "user_pseudo_id": "1.1",
        },
        {
            "event_date": "20261103",
            "event_timestamp": "soon",
            "event_name": "page_view",
            "event_params": [],
            "user_pseudo_id": "1.1",
        },
    ]
    (workspace.landing / "ga4_events" / "events_20261103.json").write_text(
        "\n".join(json.dumps(e) for e in events) + "\n", encoding="utf-8"
    )
    second = run_pipeline(workspace)
    return workspace, first, second, ga4_rows, published


@pytest.fixture(scope="module")
def only_shop(tmp_path_factory, _dbt_manifest):
    """A team with the shop's exports alone."""
    workspace = make_workspace(tmp_path_factory.mktemp("only_shop"))
    seed_export_fixtures(workspace.landing, ["shopify"])
    return workspace, run_pipeline(workspace)


def web_sessions(con) -> dict[str, int]:
    return dict(
        con.execute("select period_start_date::varchar, sessions from marts.mart_web_kpis_daily order by 1").fetchall()
    )


def test_only_ga4_runs_green_and_builds_the_web_marts(only_ga4) -> None:
    _, result, _, _, published = only_ga4
    assert result.success, run_failures(result)
    assert all(check_evaluations(result).values()), run_failures(result)
    assert published["sessions"] == {"2026-11-01": 3, "2026-11-02": 3}  # tests/fixtures/exports/ga4/EXPECTED.md
    assert published["orders"] == 0
    commerce = materialization_metadata(result, ["marts", "mart_commerce_kpis_daily"])
    assert commerce["dagster/row_count"] == 0 and commerce["note"].startswith("empty: no data delivered")
    web = materialization_metadata(result, ["marts", "mart_web_kpis_daily"])
    assert "note" not in web and "ga4_events" not in web.get("sources_missing", [])
    assert AssetKey(["published", "warehouse"]) in materialized_keys(result)


def test_only_shopify_runs_green_and_builds_the_commerce_marts(only_shop) -> None:
    workspace, result = only_shop
    assert result.success, run_failures(result)
    assert not failed_checks(result, "ERROR"), run_failures(result)
    # a shop of 10 orders cannot support a BG/NBD fit: that warning, and only it
    assert failed_checks(result, "WARN") <= {"ml/customer_clv_predictions:clv_model_fitted"}, run_failures(result)
    expected = (EXPORT_FIXTURES_DIR / "shopify" / "EXPECTED.md").read_text(encoding="utf-8")
    with duckdb.connect(str(workspace.settings.published_file), read_only=True) as con:
        revenue = con.execute("select sum(net_revenue_eur)::double from marts.mart_commerce_kpis_monthly").fetchone()[0]
        sessions = con.execute("select count(*) from marts.fct_web_session").fetchone()[0]
    assert round(revenue, 2) == 674.00 and "674.00" in expected
    assert sessions == 0
    web = materialization_metadata(result, ["marts", "mart_web_kpis_daily"])
    assert web["dagster/row_count"] == 0 and "raw.ga4_events" in web["note"]


def test_a_source_delivered_later_builds_its_marts_while_a_bad_file_stops_only_its_own_source(only_ga4) -> None:
    workspace, _, second, ga4_rows, _ = only_ga4
    assert not second.success
    evaluations = check_evaluations(second)
    assert evaluations["raw/ga4_events:landing_files_loaded"] is False
    assert evaluations["published/warehouse:every_landing_file_loaded"] is False
    assert failed_checks(second, "ERROR") == {
        "raw/ga4_events:landing_files_loaded",
        "published/warehouse:every_landing_file_loaded",
    }, run_failures(second)
    # a shop of 10 orders cannot support a BG/NBD fit: that warning, and only it
    assert failed_checks(second, "WARN") <= {"ml/customer_clv_predictions:clv_model_fitted"}, run_failures(second)
    failed_steps = [e.step_key for e in second.all_events if e.is_step_failure]
    assert failed_steps == ["published__warehouse"], failed_steps  # only the final check fails the run
    raw = materialization_metadata(second, ["raw", "ga4_events"])
    assert raw["stale"] is True and "ga4_events/events_20261103.json, line 2, column 'event_timestamp'" in raw["error"]
    # the shop, delivered in the same run, is built on its own data
    assert AssetKey(["marts", "mart_commerce_kpis_monthly"]) in materialized_keys(second)
    expected = (EXPORT_FIXTURES_DIR / "shopify" / "EXPECTED.md").read_text(encoding="utf-8")
    with duckdb.connect(str(workspace.settings.published_file), read_only=True) as con:
        status = dict(con.execute("select raw_table, is_stale from meta.source_status").fetchall())
        revenue = con.execute("select sum(net_revenue_eur)::double from marts.mart_commerce_kpis_monthly").fetchone()[0]
        sessions = web_sessions(con)
    assert status["ga4_events"] is True and status["shopify_api_orders"] is False
    assert round(revenue, 2) == 674.00 and "674.00" in expected
    # GA4 keeps its previous good rows (nothing of the bad file) and its marts their figures
    assert sessions == {"2026-11-01": 3, "2026-11-02": 3}
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.ga4_events").fetchone()[0] == ga4_rows > 0
        assert (
            con.execute("select count(*) from raw.ga4_events where _source_file like '%20261103%'").fetchone()[0] == 0
        )
