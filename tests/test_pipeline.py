"""The whole asset graph materialized through Dagster on the bundled extracts."""

import duckdb
from dagster import AssetKey

from dagster_project.raw_contract import raw_tables
from dagster_project.settings import EXPECTATIONS_DIR
from tests.conftest import check_evaluations, materialized_keys

CUSTOMER_MARTS = (["marts", "dim_customer"], ["marts", "bridge_customer_identifier"], ["marts", "fct_customer_touchpoint"])


def test_full_graph_materializes_and_every_gate_passes(bundled_run) -> None:
    first = bundled_run.first
    assert first.success
    keys = materialized_keys(first)
    assert {AssetKey(["raw", t.name]) for t in raw_tables()} <= keys
    assert AssetKey(["staging", "stg_survey__nps_responses"]) in keys
    assert all(AssetKey(key) in keys for key in CUSTOMER_MARTS)
    evaluations = check_evaluations(first)
    assert len([k for k in evaluations if k.endswith(":great_expectations_raw")]) == len(raw_tables())
    assert len([k for k in evaluations if k.endswith(":great_expectations_staging")]) == 23
    assert len([k for k in evaluations if k.endswith(":great_expectations_unified")]) == 3
    marts_suites = len(list((EXPECTATIONS_DIR / "marts").glob("*.json")))
    assert len([k for k in evaluations if k.endswith(":great_expectations_marts")]) == marts_suites > 40
    assert len([k for k in evaluations if k.endswith(":great_expectations_ml")]) == 5
    assert "marts/mart_lead_scores:lead_score_predicts_conversion" in evaluations
    assert all(evaluations.values()), [k for k, passed in evaluations.items() if not passed]


def test_every_source_is_loaded_with_lineage(bundled_run) -> None:
    workspace = bundled_run.workspace
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        for table in raw_tables():
            rows, files, missing_lineage = con.execute(
                f"select count(*), count(distinct _source_file), count(*) filter (where _source_file is null or _loaded_at is null)"
                f" from raw.{table.name}"
            ).fetchone()
            manifest_rows = con.execute(
                "select sum(row_count) from raw._load_manifest where table_name = ?", [table.name]
            ).fetchone()[0]
            assert rows > 0 and rows == manifest_rows and missing_lineage == 0, table.name
            landing_files = [p for p in (workspace.landing / table.name).iterdir() if p.is_file()]
            assert files == len(landing_files), table.name
        audit = con.execute(
            "select count(distinct table_name), bool_and(success) from audit.data_quality_results where layer = 'raw'"
        ).fetchone()
        assert audit == (len(raw_tables()), True)
        staged, distinct_raw = con.execute(
            "select (select count(*) from staging.stg_survey__nps_responses),"
            " (select count(distinct response_id) from raw.survey_nps_responses)"
        ).fetchone()
        assert staged == distinct_raw > 0


def test_second_run_loads_nothing_twice(bundled_run) -> None:
    workspace, second = bundled_run.workspace, bundled_run.second
    assert second.success
    added = {}
    for event in second.all_events:
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key.path[0] == "raw":
            metadata = event.event_specific_data.materialization.metadata
            added[event.asset_key.path[1]] = metadata["rows_added"].value
    assert len(added) == len(raw_tables()) and set(added.values()) == {0}
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        duplicated_files = con.execute(
            "select count(*) from (select table_name, checksum from raw._load_manifest group by all having count(*) > 1)"
        ).fetchone()[0]
    assert duplicated_files == 0


def test_kpi_values_match_an_independent_computation_from_raw(bundled_run) -> None:
    """Website and email KPIs of the marts against the same figures computed straight from raw rows."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        raw_sessions, raw_bounces = con.execute(
            """
            with events as (
                select distinct user_pseudo_id, event_timestamp, event_name,
                       list_filter(event_params, lambda p: p.key = 'ga_session_id')[1].value.int_value as session_id
                from raw.ga4_events
            ),
            sessions as (
                select user_pseudo_id, session_id,
                       count(*) filter (where event_name = 'page_view') as pageviews,
                       count(*) filter (where event_name in ('purchase', 'generate_lead', 'sign_up')) as conversions
                from events where session_id is not null group by all
            )
            select count(*), count(*) filter (where pageviews = 1 and conversions = 0) from sessions
            """
        ).fetchone()
        mart_sessions, mart_bounce_rate = con.execute(
            "select sum(sessions), sum(bounced_sessions) / sum(sessions) from marts.mart_web_kpis_monthly"
        ).fetchone()
        assert mart_sessions == raw_sessions > 20_000
        assert abs(mart_bounce_rate - raw_bounces / raw_sessions) < 1e-9
        assert 0.2 < mart_bounce_rate < 0.6

        raw_sent, raw_openers = con.execute(
            """
            select count(distinct (campaign_id, lower(trim(recipient_email)))) filter (where event_type = 'sent'),
                   count(distinct (campaign_id, lower(trim(recipient_email)))) filter (where event_type = 'open')
            from raw.esp_activity join raw.esp_campaigns using (campaign_id)
            where channel in ('email', 'dem')
            """
        ).fetchone()
        mart_sent, mart_opens, open_rate = con.execute(
            """select sum(sent), sum(unique_opens), sum(unique_opens) / sum(sent)
               from marts.mart_email_campaign_kpis where channel in ('email', 'dem')"""
        ).fetchone()
        assert (mart_sent, mart_opens) == (raw_sent, raw_openers)
        assert 0.2 < open_rate < 0.5


def test_business_kpis_match_an_independent_computation_from_raw(bundled_run) -> None:
    """NPS, spend (CAC, campaign cost) and attributed revenue of the marts against raw rows."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        raw_responses, raw_nps = con.execute(
            """
            with answers as (select distinct response_id, score from raw.survey_nps_responses)
            select count(*), 100.0 * (count(*) filter (where score >= 9) - count(*) filter (where score <= 6)) / count(*)
            from answers
            """
        ).fetchone()
        mart_responses, mart_nps = con.execute(
            """select sum(responses), 100.0 * (sum(promoters) - sum(detractors)) / sum(responses)
               from marts.mart_nps_quarterly where segment_type = 'all'"""
        ).fetchone()
        assert mart_responses == raw_responses > 300
        assert abs(mart_nps - raw_nps) < 1e-9 and -100 <= mart_nps <= 100

        raw_spend, raw_campaign_spend = con.execute(
            """
            with lines as (select distinct spend_date, channel, platform, utm_campaign, cost_type, amount
                           from raw.finance_marketing_spend)
            select sum(amount)::double, (sum(amount) filter (where nullif(trim(utm_campaign), '') is not null))::double from lines
            """
        ).fetchone()
        cac_spend = con.execute(
            "select sum(marketing_spend_eur)::double from marts.mart_cac_monthly where acquisition_channel = 'all'"
        ).fetchone()[0]
        roi_cost = con.execute(
            "select sum(campaign_cost_eur)::double from marts.mart_campaign_roi where is_default_model"
        ).fetchone()[0]
        assert abs(cac_spend - raw_spend) < 0.01 and raw_spend > 10_000
        assert abs(roi_cost - raw_campaign_spend) < 0.01

        attributed, net_revenue = con.execute(
            """select (select sum(attributed_revenue_eur)::double from marts.mart_campaign_roi where is_default_model),
                      (select sum(net_revenue_eur)::double from marts.mart_commerce_kpis_monthly)"""
        ).fetchone()
        assert abs(attributed - net_revenue) < 0.01

        # every journey cohort narrows phase by phase; churn is measured on full-history months only
        funnels = con.execute(
            """select count(*) filter (where customers_visibility >= customers_contact
                                       and customers_contact >= customers_experience
                                       and customers_experience >= customers_trust), count(*)
               from marts.mart_journey_cohort_funnel"""
        ).fetchone()
        assert funnels[0] == funnels[1] == 12
        churn = con.execute(
            "select avg(churn_rate) from marts.mart_customer_retention_monthly where has_full_history"
        ).fetchone()[0]
        assert 0.01 < churn < 0.5


def test_model_assets_score_every_text_and_customer(bundled_run) -> None:
    """Sentiment covers every text, predictive CLV every buyer; scores, grades and CLV are plausible."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        texts, scored = con.execute(
            """select (select count(*) from staging.stg_social__comments) + (select count(*) from staging.stg_social__mentions)
                      + (select count(*) from staging.stg_reviews__product_reviews)
                      + (select count(*) from staging.stg_survey__nps_responses where verbatim is not null),
                      (select count(*) from marts.fct_text_sentiment)"""
        ).fetchone()
        assert scored == texts > 1000
        # reviews: the score follows the stars
        by_rating = dict(con.execute(
            """select r.rating >= 4, avg(s.sentiment_score) from marts.fct_text_sentiment s
               join staging.stg_reviews__product_reviews r on r.review_id = s.text_id
               where s.text_kind = 'review' and r.rating in (1, 2, 4, 5) group by 1"""
        ).fetchall())
        assert by_rating[True] > 0.2 > -0.2 > by_rating[False]

        buyers, predicted, alive = con.execute(
            """select (select count(distinct customer_id) from marts.fct_order where not is_cancelled),
                      count(predicted_clv_eur), avg(probability_alive) from marts.mart_customer_clv"""
        ).fetchone()
        assert predicted == buyers > 1000 and 0.3 < alive < 1

        grades = dict(con.execute("select lead_grade, count(*) from marts.mart_lead_scores group by 1").fetchall())
        assert set(grades) == {"A", "B", "C", "D"}
        mql_score, other_score = con.execute(
            "select avg(lead_score) filter (where is_mql), avg(lead_score) filter (where not is_mql) from marts.mart_lead_scores"
        ).fetchone()
        assert mql_score > other_score

    # texts already scored by the same model are not scored again by the second run
    second = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in bundled_run.second.get_asset_materialization_events()
    }
    assert second["ml/text_sentiment"]["texts_scored_now"].value == 0
