"""GDPR consent (issue 15): a GA4 visitor without analytics consent counts in the web KPIs and is in
no customer.

The hand-written fixture ``tests/fixtures/ga4_consent/ga4_events/events_20261103.json`` (figures in
``tests/fixtures/exports/ga4/EXPECTED.md``, section "Consent root") follows GA4's consent mode as
documented (docs/sources/ga4.md, Consent): browser A denied analytics on every event but still sent
its client id, session id and a login (advanced consent mode); browser B consented, logged in, then
revoked consent (a later session sent with analytics denied, login included); one cookieless ping.
dbt runs only the web and identity-observation models on a tiny DuckDB file (the project parsed once).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from dbt.cli.main import dbtRunner

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import load_table
from dagster_project.settings import DBT_PROJECT_DIR, WAREHOUSE_PATH_ENV

FIXTURE_ROOT = Path(__file__).parents[1] / "fixtures" / "ga4_consent"
DEVICE_A, DEVICE_B = "3300000001.1793696400", "3300000002.1793703600"

# the observation model's other inputs, empty (only the columns it reads)
EMPTY_INPUTS = {
    "int_commerce__orders": (
        "order_id varchar, order_number varchar, email varchar, phone_e164 varchar, customer_number varchar,"
        " created_at_utc timestamp"
    ),
    "int_crm__contacts": (
        "crm_contact_id varchar, email varchar, phone_e164 varchar, customer_number varchar, instagram_handle varchar,"
        " linkedin_handle varchar, created_at_utc timestamp"
    ),
    "int_reviews__product_reviews": (
        "review_id varchar, order_number varchar, reviewer_email varchar, submitted_at_utc timestamp"
    ),
    "int_social__comments": (
        "comment_id varchar, platform varchar, author_handle_normalized varchar, created_at_utc timestamp"
    ),
    "int_social__mentions": (
        "mention_id varchar, platform varchar, author_handle_normalized varchar, created_at_utc timestamp"
    ),
    "int_survey__nps_responses": (
        "nps_response_id varchar, respondent_email varchar, crm_contact_id varchar, respondent_phone_e164 varchar,"
        " submitted_at_utc timestamp"
    ),
    "int_blog__comments": (
        "comment_id varchar, email varchar, is_staff boolean, comment_status varchar, commented_at_utc timestamp"
    ),
    "int_events__registrations": (
        "registration_id varchar, email varchar, phone_e164 varchar, registered_at_utc timestamp"
    ),
    "int_email__activity": "recipient_email varchar, recipient_phone_e164 varchar, event_at_utc timestamp",
    "int_email__list_membership": "subscriber_email varchar, subscriber_phone_e164 varchar, event_at_utc timestamp",
}
# the generic web CSV's staging model, empty
GENERIC_WEB_COLUMNS = ", ".join(
    f"{name} {kind}"
    for names, kind in [
        (
            "event_id event_name user_pseudo_id user_id session_key page_location page_path page_title page_referrer"
            " page_hostname utm_source utm_medium utm_campaign gclid session_source session_medium session_campaign"
            " event_currency device_category operating_system browser device_language geo_country geo_region geo_city"
            " transaction_id _source_file",
            "varchar",
        ),
        ("event_at_utc event_at_local _loaded_at", "timestamp"),
        ("event_date_local", "date"),
        ("ga_session_id engagement_time_msec", "bigint"),
        ("is_session_engaged_flag is_engagement_reported", "boolean"),
        ("event_value purchase_revenue refund_value", "double"),
    ]
    for name in names.split()
)
MODELS = [
    "stg_ga4__events",
    "int_web__all_events",
    "int_web__events",
    "int_web__sessions",
    "int_web__device_consent",
    "int_identity__observations",
]


@pytest.fixture(scope="module")
def consent_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("consent_dbt")
    warehouse = root / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("set timezone = 'UTC'")
        load_table(con, raw_table("ga4_events"), FIXTURE_ROOT, datetime(2026, 11, 4, 6))
        con.execute("create schema if not exists staging")
        con.execute(
            "create table staging.stg_finance__fx_rates (rate_date date, currency varchar, eur_per_unit double)"
        )
        con.execute(f"create table staging.stg_web__events ({GENERIC_WEB_COLUMNS})")
        con.execute("create schema if not exists intermediate")
        for table, columns in EMPTY_INPUTS.items():
            con.execute(f"create table intermediate.{table} ({columns})")
    args = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(root / "target"),
        "--quiet",
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WAREHOUSE_PATH_ENV, str(warehouse))
        parsed = dbtRunner().invoke(["parse", *args])
        assert parsed.success, parsed.exception
        result = dbtRunner(manifest=parsed.result).invoke(["run", "--select", *MODELS, *args])
        assert result.success, [(r.node.name, r.message) for r in (result.result or []) if str(r.status) != "success"]
    return warehouse


def test_visitor_without_analytics_consent_counts_in_sessions_and_in_no_customer(consent_warehouse: Path) -> None:
    with duckdb.connect(str(consent_warehouse)) as con:
        # aggregate KPIs: every event (the ping too), every session of both browsers
        events, pageviews, denied = con.execute(
            "select count(*), count(*) filter (where event_name = 'page_view'), count(*)"
            " filter (where is_analytics_consent_denied)"
            " from intermediate.int_web__all_events"
        ).fetchone()
        assert (events, pageviews, denied) == (10, 5, 7)
        sessions = dict(
            con.execute(
                "select session_key, is_analytics_consent_denied from intermediate.int_web__sessions"
            ).fetchall()
        )
        assert sessions == {
            f"{DEVICE_A}.1793696400": True,
            f"{DEVICE_B}.1793703600": False,
            f"{DEVICE_B}.1793718000": True,
        }
        # neither browser may be linked: A never consented, B revoked
        consent = {
            d: (c, w)
            for d, c, w in con.execute(
                "select user_pseudo_id, has_analytics_consent, is_consent_withdrawn"
                " from intermediate.int_web__device_consent"
            ).fetchall()
        }
        assert consent == {DEVICE_A: (False, False), DEVICE_B: (False, True)}
        # identity: no observation of their browsers, logins or shop accounts
        assert con.execute("select count(*) from intermediate.int_identity__observations").fetchone() == (0,)
