"""The whole asset graph materialized through Dagster on the bundled extracts."""

import duckdb
from dagster import AssetKey

from dagster_project.ingest.raw_contract import raw_tables
from dagster_project.settings import EXPECTATIONS_DIR
from tests.conftest import check_evaluations, materialized_keys

CUSTOMER_MARTS = (
    ["marts", "dim_customer"],
    ["marts", "bridge_customer_identifier"],
    ["marts", "fct_customer_touchpoint"],
)


def test_full_graph_materializes_and_every_gate_passes(bundled_run) -> None:
    first = bundled_run.first
    assert first.success
    keys = materialized_keys(first)
    assert {AssetKey(["raw", t.name]) for t in raw_tables()} <= keys
    assert AssetKey(["staging", "stg_delighted__survey_responses"]) in keys
    assert AssetKey(["intermediate", "int_survey__nps_responses"]) in keys
    assert all(AssetKey(key) in keys for key in CUSTOMER_MARTS)
    evaluations = check_evaluations(first)
    assert len([k for k in evaluations if k.endswith(":great_expectations_raw")]) == len(raw_tables())
    for layer, least in (("staging", 50), ("unified", 3), ("marts", 40), ("ml", 5)):
        suites = len(list((EXPECTATIONS_DIR / layer).glob("*.json")))
        assert len([k for k in evaluations if k.endswith(f":great_expectations_{layer}")]) == suites >= least, layer
    assert all(evaluations.values()), [k for k, passed in evaluations.items() if not passed]
    assert len([k for k in evaluations if k.endswith(":landing_files_loaded")]) == len(raw_tables())
    assert "marts/mart_lead_scores:lead_score_predicts_conversion" in evaluations


def test_every_source_is_loaded_with_lineage(bundled_run) -> None:
    from tests.generator.test_generator import NOT_GENERATED

    workspace = bundled_run.workspace
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        for table in raw_tables():
            rows, missing_lineage = con.execute(
                "select count(*), count(*) filter (where _source_file is null or _source_row is null"
                " or _loaded_at is null)"
                f" from raw.{table.name}"
            ).fetchone()
            manifest_rows, manifest_files = con.execute(
                "select coalesce(sum(row_count), 0), count(*) from raw._load_manifest where table_name = ?",
                [table.name],
            ).fetchone()
            assert rows == manifest_rows and missing_lineage == 0, table.name
            if table.name in NOT_GENERATED:
                assert rows == 0, table.name  # a generic CSV nobody delivered: an empty table, no failed gate
                continue
            assert rows > 0, table.name
            landing_files = [p for p in (workspace.landing / table.name).iterdir() if p.is_file()]
            assert manifest_files == len(landing_files), table.name
        audit = con.execute(
            "select count(distinct table_name), bool_and(success) from audit.data_quality_results where layer = 'raw'"
        ).fetchone()
        assert audit == (len(raw_tables()) - len(NOT_GENERATED), True)
        staged, distinct_raw = con.execute(
            "select (select count(*) from intermediate.int_survey__nps_responses),"
            " (select count(distinct id) from raw.delighted_survey_responses)"
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
            "select count(*) from (select table_name, file_name from raw._load_manifest group by all"
            " having count(*) > 1)"
        ).fetchone()[0]
    assert duplicated_files == 0


# GA4's BigQuery export rules, written out again from Google's documentation (not from the models):
# per table, the extract (one file, or the shards of one wildcard export) with the most rows; a
# day's daily table replaces its intraday table; identical events count once.
GA4_KEPT_EVENTS = r"""
    with files as (
        select *, regexp_replace(_source_file, '-[0-9]{12}[.]', '-*.') as extract,
               right(export_table, 8) as table_day, export_table like 'events_intraday_%' as is_intraday
        from raw.ga4_events
    ),
    extract_rows as (select export_table, extract, count(*) as row_count from files group by export_table, extract),
    extracts as (
        select export_table, extract,
               row_number() over (partition by export_table order by row_count desc, extract desc) as pick
        from extract_rows
    ),
    days_with_daily as (select distinct table_day from files where not is_intraday)
    select distinct files.user_pseudo_id, files.event_timestamp, files.event_name, files.batch_page_id,
           files.batch_ordering_id, files.batch_event_index,
           list_filter(files.event_params, lambda p: p.key = 'page_location')[1].value.string_value as page_location,
           list_filter(files.event_params, lambda p: p.key = 'ga_session_id')[1].value.int_value as session_id
    from files
    join extracts on extracts.export_table = files.export_table and extracts.extract = files.extract
        and extracts.pick = 1
    where not (files.is_intraday and files.table_day in (select table_day from days_with_daily))
"""


def test_kpi_values_match_an_independent_computation_from_raw(bundled_run) -> None:
    """Website and email KPIs of the marts against the same figures computed straight from the tools' raw rows."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        raw_sessions, raw_bounces = con.execute(
            f"""
            with events as ({GA4_KEPT_EVENTS}),
            sessions as (
                select user_pseudo_id, session_id,
                       count(*) filter (where event_name = 'page_view') as pageviews,
                       count(*) filter (where event_name in ('purchase', 'generate_lead', 'sign_up',
                           'form_submit')) as conversions
                from events where session_id is not null and user_pseudo_id is not null group by all
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

        # Mailchimp: a recipient of a sent campaign is in its sent-to report; an opener has an open in its
        # email activity (every page of both reports, each recipient once)
        raw_sent, raw_openers = con.execute(
            """
            with sent_campaigns as (select distinct id from raw.mailchimp_campaigns
                where nullif(send_time, '') is not null)
            select (select count(distinct (campaign_id, lower(trim(email_address)))) from raw.mailchimp_sent_to
                    where campaign_id in (select id from sent_campaigns)),
                   (select count(distinct (campaign_id, lower(trim(email_address)))) from raw.mailchimp_email_activity
                    where campaign_id in (select id from sent_campaigns)
                      and list_contains(list_transform(activity, lambda a: a.action), 'open'))
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
            with answers as (select distinct id as response_id, score from raw.delighted_survey_responses)
            select count(*), 100.0 * (count(*) filter (where score >= 9) - count(*)
                filter (where score <= 6)) / count(*)
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
            select sum(amount)::double,
                (sum(amount) filter (where nullif(trim(utm_campaign), '') is not null))::double from lines
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


def test_multi_touch_attribution_credits_every_conversion_once_per_model(bundled_run) -> None:
    """Seven models, credits summing to 1 per conversion, revenue reconciled, linear and first touch recomputed."""
    models = {
        "first_touch",
        "last_touch",
        "last_non_direct_click",
        "linear",
        "position_based",
        "time_decay",
        "data_driven",
    }
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        net_revenue, orders = con.execute(
            "select sum(net_revenue_eur)::double, count(*) from marts.fct_order where not is_cancelled"
        ).fetchone()
        worst = con.execute(
            """select max(abs(total - 1)) from (select sum(credit) as total from marts.fct_attribution_credit
                                                 group by order_id, attribution_model)"""
        ).fetchone()[0]
        assert worst < 1e-9
        comparison = {
            row[0]: row[1:]
            for row in con.execute(
                """select attribution_model, conversions, revenue_eur, unattributed_revenue_share,
                      no_campaign_revenue_share
               from marts.mart_attribution_model_comparison"""
            ).fetchall()
        }
        assert set(comparison) == models
        for model, (conversions, revenue, unattributed_share, no_campaign_share) in comparison.items():
            assert conversions == orders > 2000, model
            assert abs(revenue - net_revenue) < 0.01, model
            # every conversion has a touch (or the order's own channel): almost nothing is unattributed
            assert unattributed_share < 0.01, model
            assert unattributed_share <= no_campaign_share < 1, model
        # the campaign view of last touch agrees with the single-touch mart (session campaign, else order UTM)
        old_none = con.execute(
            """select sum(case when utm_campaign = '(none)' then attributed_revenue_eur else 0 end)
                      / sum(attributed_revenue_eur)
               from marts.mart_campaign_roi where attribution_model = 'last_touch'"""
        ).fetchone()[0]
        assert abs(comparison["last_touch"][3] - float(old_none)) < 0.01
        # channel revenue per model = credited revenue; linear and first touch recomputed from the paths
        recomputed = dict(
            con.execute(
                """select marketing_channel, sum(net_revenue_eur / path_length)::double from marts.fct_attribution_path
               where path_length > 0 group by marketing_channel"""
            ).fetchall()
        )
        linear = dict(
            con.execute(
                """select marketing_channel, attributed_revenue_eur from marts.mart_attribution_channel_roi
               where attribution_model = 'linear' and attributed_revenue_eur > 0"""
            ).fetchall()
        )
        assert set(linear) == set(recomputed) and all(abs(linear[c] - recomputed[c]) < 0.01 for c in linear)
        first = dict(
            con.execute(
                """select marketing_channel, sum(net_revenue_eur)::double from marts.fct_attribution_path
               where touch_position = 1 group by marketing_channel"""
            ).fetchall()
        )
        first_mart = dict(
            con.execute(
                """select marketing_channel, attributed_revenue_eur from marts.mart_attribution_channel_roi
               where attribution_model = 'first_touch' and attributed_revenue_eur > 0"""
            ).fetchall()
        )
        assert set(first) == set(first_mart) and all(abs(first[c] - first_mart[c]) < 0.01 for c in first)
        # the Markov chain converged and its shares add up; ROI beside CLV / CAC has every spending channel
        unabsorbed, share_total, channels = con.execute(
            """select max(abs(unabsorbed_probability)), sum(removal_effect_share), count(*)
               from marts.mart_attribution_markov_channel"""
        ).fetchone()
        assert unabsorbed < 1e-9 and abs(share_total - 1) < 1e-9 and channels >= 8
        missing = con.execute(
            """select count(*) from marts.mart_attribution_channel_roi_clv
               where marketing_spend_eur > 0 and (last_touch_roi is null or data_driven_roi is null)"""
        ).fetchone()[0]
        assert missing == 0


def test_model_assets_score_every_text_and_customer(bundled_run) -> None:
    """Sentiment covers every text, predictive CLV every buyer; scores, grades and CLV are plausible."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        texts, scored = con.execute(
            """select (select count(*) from intermediate.int_social__comments where comment_text is not null)
                      + (select count(*) from intermediate.int_social__mentions where mention_text is not null)
                      + (select count(*) from intermediate.int_reviews__product_reviews
                         where nullif(trim(concat_ws('. ', review_title, review_body)), '') is not null)
                      + (select count(*) from intermediate.int_survey__nps_responses where verbatim is not null)
                      + (select count(*) from intermediate.int_blog__comments where is_approved and not is_staff
                         and comment_text is not null),
                      (select count(*) from marts.fct_text_sentiment)"""
        ).fetchone()
        assert scored == texts > 1000
        # reviews: the score follows the stars
        by_rating = dict(
            con.execute(
                """select r.rating >= 4, avg(s.sentiment_score) from marts.fct_text_sentiment s
               join intermediate.int_reviews__product_reviews r on r.review_id = s.text_id
               where s.text_kind = 'review' and r.rating in (1, 2, 4, 5) group by 1"""
            ).fetchall()
        )
        assert by_rating[True] > 0.2 > -0.2 > by_rating[False]

        buyers, predicted, alive = con.execute(
            """select (select count(distinct customer_id) from marts.fct_order where not is_cancelled),
                      count(predictive_clv_eur), avg(probability_alive) from marts.mart_customer_clv"""
        ).fetchone()
        assert predicted == buyers > 1000 and 0.3 < alive < 1

        grades = dict(con.execute("select lead_grade, count(*) from marts.mart_lead_scores group by 1").fetchall())
        assert set(grades) == {"A", "B", "C", "D"}
        mql_score, other_score = con.execute(
            "select avg(lead_score) filter (where is_mql), avg(lead_score) filter (where not is_mql)"
            " from marts.mart_lead_scores"
        ).fetchone()
        assert mql_score > other_score

    # texts already scored by the same model are not scored again by the second run
    second = {
        e.asset_key.to_user_string(): e.materialization.metadata
        for e in bundled_run.second.get_asset_materialization_events()
    }
    assert second["ml/text_sentiment"]["texts_scored_now"].value == 0


# BI-friendly types of the published marts (issue 16; dbt/macros/bi_types.sql says why).
INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
}
MONEY_TYPE = "DECIMAL(18,2)"
SECONDS_TYPE = "DECIMAL(18,6)"


def bi_type_problems(columns: list[tuple[str, str, str]]) -> list[str]:
    """What breaks the rules among ``(table, column, data type)`` of the published marts: integers are
    BIGINT (never HUGEINT); money (``*_eur``) DECIMAL(18,2), or DOUBLE when computed by a division or
    a model; other decimals only durations in seconds (``*_s``, DECIMAL(18,6)); rates DOUBLE, never
    FLOAT; ``*_date`` DATE; ``*_at`` / ``*_at_utc`` TIMESTAMP."""
    problems = []
    for table, column, data_type in columns:
        name = f"{table}.{column} {data_type}"
        if data_type in INTEGER_TYPES and data_type != "BIGINT":
            problems.append(f"{name}: integers must be BIGINT")
        elif column.endswith("_eur") and data_type not in (MONEY_TYPE, "DOUBLE"):
            problems.append(f"{name}: money must be {MONEY_TYPE} (DOUBLE only for a computed ratio)")
        elif (
            data_type.startswith("DECIMAL")
            and not column.endswith("_eur")
            and not (column.endswith("_s") and data_type == SECONDS_TYPE)
        ):
            problems.append(f"{name}: a decimal that is neither money nor seconds ({SECONDS_TYPE})")
        elif data_type in ("FLOAT", "REAL"):
            problems.append(f"{name}: rates must be DOUBLE")
        elif column.endswith("_date") and not column.endswith("_to_date") and data_type != "DATE":
            problems.append(f"{name}: dates must be DATE")
        elif column.endswith(("_at", "_at_utc")) and data_type != "TIMESTAMP":
            problems.append(f"{name}: points in time must be TIMESTAMP")
    return problems


def published_type_problems(published_file, parquet_dir) -> tuple[int, list[str]]:
    """The rules on every marts column of the published file, and its Parquet copy has the same types."""
    with duckdb.connect(str(published_file), read_only=True) as con:
        columns = con.execute(
            """select table_name, column_name, data_type from duckdb_columns()
               where schema_name = 'marts' order by table_name, column_index"""
        ).fetchall()
        problems = bi_type_problems(columns)
        if parquet_dir is not None:
            types = {(table, column): data_type for table, column, data_type in columns}
            for table in sorted({table for table, _, _ in columns}):
                path = str(parquet_dir / "marts" / f"{table}.parquet").replace("'", "''")
                for column, data_type, *_ in con.execute(f"describe select * from read_parquet('{path}')").fetchall():
                    if types.get((table, column)) != data_type:
                        problems.append(
                            f"{table}.{column}: {data_type} in Parquet, {types.get((table, column))} in DuckDB"
                        )
    return len(columns), problems


def test_published_marts_have_bi_friendly_types(bundled_run) -> None:
    """Counts BIGINT, money DECIMAL(18,2), rates DOUBLE, dates DATE, in the DuckDB file and in Parquet."""
    settings = bundled_run.workspace.settings
    assert settings.published_parquet is not None
    checked, problems = published_type_problems(settings.published_file, settings.published_parquet)
    assert checked > 500
    assert problems == []
