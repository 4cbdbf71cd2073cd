"""GA4 BigQuery event export (and the generic web CSV): loader, staging, sessions, web marts, generator.

Fixtures: tests/fixtures/exports/ga4/ga4_events (figures in its EXPECTED.md), the same 1 Nov table
as Parquet in tests/fixtures/ga4_parquet/ga4_events (a separate landing root: never loaded with the
JSON copy), and the generic web CSV in tests/fixtures/exports/generic/web_events (30-31 Oct 2026).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_tables
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import run_failures

FIXTURES = Path(__file__).parents[1] / "fixtures"
GA4_FIXTURE = FIXTURES / "exports" / "ga4" / "ga4_events"
PARQUET_FIXTURE = FIXTURES / "ga4_parquet" / "ga4_events"
LOADED_AT = datetime(2026, 11, 3, 6, 0)


def _table(name: str):
    return next(t for t in raw_tables() if t.name == name)


def _landing(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "landing" / "ga4_events"
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return tmp_path / "landing"


def _fixture_lines(name: str = "events_20261101.json.gz") -> list[str]:
    return gzip.decompress((GA4_FIXTURE / name).read_bytes()).decode("utf-8").splitlines()


def _load(landing: Path, table: str = "ga4_events"):
    con = duckdb.connect()
    result = load_table(con, _table(table), landing, LOADED_AT)
    return con, result


# ----------------------------------------------------------------------------------- loader


def test_json_fixtures_load_with_bigquery_json_rules(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(GA4_FIXTURE, landing / "ga4_events")
    con, result = _load(landing)
    assert result.rows_added == 45 and not result.warnings
    per_table = dict(con.execute("select export_table, count(*) from raw.ga4_events group by 1").fetchall())
    assert per_table == {"events_20261101": 18, "events_20261102": 18, "events_intraday_20261102": 9}
    # INT64 written as JSON strings, at every level
    first = con.execute(
        "select event_timestamp from raw.ga4_events where _source_file like '%events_20261101%' and _source_row = 1"
    ).fetchone()[0]
    assert first == 1793524500000000
    session, quantity = con.execute(
        """select list_filter(event_params, lambda p: p.key = 'ga_session_id')[1].value.int_value, items[1].quantity
           from raw.ga4_events where event_name = 'purchase' and export_table = 'events_20261102'"""
    ).fetchone()
    assert (session, quantity) == (1793573400, 2)
    set_at = con.execute(
        """select distinct user_properties[1].value.set_timestamp_micros from raw.ga4_events
           where user_pseudo_id = '1187345621.1759312800' and len(user_properties) > 0"""
    ).fetchall()
    assert set_at == [(1759313000000000,)]
    # omitted NULL keys are nulls; \u0026 / \u003e escapes decoded; raw UTF-8 kept
    assert con.execute("select count(*) from raw.ga4_events where user_pseudo_id is null").fetchone()[0] == 2
    assert (
        con.execute(
            "select count(*) from raw.ga4_events where event_name = 'page_view' and ecommerce is not null"
        ).fetchone()[0]
        == 0
    )
    locations = {
        r[0]
        for r in con.execute(
            "select list_filter(event_params, lambda p: p.key = 'page_location')[1].value.string_value"
            " from raw.ga4_events"
        ).fetchall()
    }
    assert (
        "https://www.bottega-aurora.it/collezioni/autunno?utm_source=instagram&utm_medium=paid_social"
        "&utm_campaign=autunno_2026&utm_content=reel_ciotole"
    ) in locations
    titles = {
        r[0]
        for r in con.execute(
            "select list_filter(event_params, lambda p: p.key = 'page_title')[1].value.string_value from raw.ga4_events"
        ).fetchall()
    }
    assert "Vaso Girasole | Casa > Vasi | Bottega Aurora" in titles
    assert "Tazza Mattutina: la qualità di Deruta – Bottega Aurora" in titles
    assert con.execute(
        "select count(distinct device.web_info.browser), count(device.browser) from raw.ga4_events"
    ).fetchone() == (3, 0)


def test_parquet_extract_loads_like_its_json_copy(tmp_path: Path) -> None:
    parquet, _ = _load(PARQUET_FIXTURE.parent)
    landing = _landing(tmp_path, {"events_20261101.json.gz": (GA4_FIXTURE / "events_20261101.json.gz").read_bytes()})
    json_copy, _ = _load(landing)
    columns = (
        "event_timestamp, event_name, user_pseudo_id, ecommerce.purchase_revenue, device.web_info.browser, export_table"
    )
    rows = parquet.execute(f"select {columns} from raw.ga4_events order by all").fetchall()
    assert len(rows) == 18
    assert rows == json_copy.execute(f"select {columns} from raw.ga4_events order by all").fetchall()
    params = (
        "list_sort(list_transform(event_params, lambda p: p.key || '=' || coalesce(p.value.string_value,"
        " cast(p.value.int_value as varchar), cast(p.value.double_value as varchar))))"
    )
    assert (
        parquet.execute(f"select {params} from raw.ga4_events order by event_timestamp, event_name").fetchall()
        == json_copy.execute(f"select {params} from raw.ga4_events order by event_timestamp, event_name").fetchall()
    )


def test_a_record_without_a_required_field_fails_naming_file_line_and_field(tmp_path: Path) -> None:
    lines = _fixture_lines()
    record = json.loads(lines[4])
    del record["event_name"]
    lines[4] = json.dumps(record, separators=(",", ":"))
    landing = _landing(tmp_path, {"events_20261101.json": ("\n".join(lines) + "\n").encode()})
    with pytest.raises(RawLoadError) as error:
        _load(landing)
    assert (error.value.file, error.value.line, error.value.column) == (
        "ga4_events/events_20261101.json",
        5,
        "event_name",
    )


def test_an_unknown_top_level_column_loads_with_a_warning_and_explicit_nulls_load(tmp_path: Path) -> None:
    lines = _fixture_lines()
    records = [json.loads(line) for line in lines]
    records[0]["event_original_occurrence_timestamp"] = "1793524500000000"  # a column Google adds later
    records[1]["user_id"] = None  # hand-made files write explicit nulls
    records[2]["ecommerce"] = None
    text = "\n".join(json.dumps(r, separators=(",", ":"), ensure_ascii=False) for r in records) + "\n"
    landing = _landing(tmp_path, {"events_20261101-000000000000.json.gz": gzip.compress(text.encode())})
    con, result = _load(landing)
    assert result.rows_added == 18
    assert any("event_original_occurrence_timestamp" in w for w in result.warnings), result.warnings
    assert con.execute("select count(*) from raw.ga4_events where user_id is null").fetchone()[0] >= 1


def test_generic_web_csv_loads_by_header_name(tmp_path: Path) -> None:
    source = FIXTURES / "exports" / "generic" / "web_events" / "web_events_2026-10.csv"
    header, *rows = source.read_text(encoding="utf-8").splitlines()
    # another tool's labels and column order, semicolons: still the same columns
    columns = header.split(",")
    renamed = {"client_id": "Visitor ID", "event_timestamp": "Timestamp", "page_location": "Page URL"}
    reader = list(csv.reader(rows))
    order = list(reversed(range(len(columns))))
    text = ";".join(renamed.get(columns[i], columns[i]) for i in order) + "\n"
    text += "\n".join(";".join(row[i] for i in order) for row in reader) + "\n"
    folder = tmp_path / "landing" / "web_events"
    folder.mkdir(parents=True)
    (folder / "web_events_export.csv").write_text(text, encoding="utf-8")
    con, result = _load(tmp_path / "landing", "web_events")
    assert result.rows_added == 15
    assert con.execute(
        "select count(*) filter (where client_id is null), count(distinct session_id) from raw.web_events"
    ).fetchone() == (1, 3)


# ----------------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def warehouse(exports_run):
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if re.search(r"(stg|int|fct|mart)_(ga4|web)_|raw__(ga4|web)_", p)]
    assert not problems, problems
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        yield con


def test_raw_and_staging_apply_the_table_rules(warehouse) -> None:
    assert warehouse.execute("select count(*) from raw.ga4_events").fetchone()[0] == 45
    rows = warehouse.execute(
        "select event_date_local, count(*), count(*) filter (where is_intraday), count(*)"
        " filter (where session_key is null)"
        " from staging.stg_ga4__events group by 1 order by 1"
    ).fetchall()
    # the daily table of 2 Nov replaced the 9 intraday rows: 36 events, not 45
    assert rows == [(date(2026, 11, 1), 18, 0, 2), (date(2026, 11, 2), 18, 0, 1)]
    # every 2 Nov row is the daily copy: first-touch source and is_active_user present
    marco = warehouse.execute(
        "select first_touch_source, first_touch_medium, first_touch_campaign, is_active_user,"
        " transaction_id, event_value"
        " from staging.stg_ga4__events where event_name = 'purchase' and event_date_local = date '2026-11-02'"
    ).fetchone()
    assert marco == ("instagram", "paid_social", "autunno_2026", True, "1002", 89.9)
    # value read from int_value (120) and double_value (89.9); a refund with ecommerce.refund_value
    assert warehouse.execute(
        "select list(event_value order by event_at_utc) from staging.stg_ga4__events where transaction_id is not null"
    ).fetchone()[0] == [120.0, 89.9, 35.0]
    assert warehouse.execute(
        "select refund_value, session_key from staging.stg_ga4__events where event_name = 'refund'"
    ).fetchone() == (35.0, None)
    assert (
        warehouse.execute(
            "select count(*) from staging.stg_ga4__events where event_name = 'newsletter_popup_view'"
        ).fetchone()[0]
        == 2
    )
    assert warehouse.execute("select count(*) from staging.stg_web__events").fetchone()[0] == 15


def test_cookieless_pings_count_in_events_but_never_in_identity(warehouse) -> None:
    assert (
        warehouse.execute(
            "select count(*) from intermediate.int_web__all_events where is_cookieless and source_system = 'ga4'"
        ).fetchone()[0]
        == 2
    )
    assert (
        warehouse.execute("select count(*) from intermediate.int_web__events where user_pseudo_id is null").fetchone()[
            0
        ]
        == 0
    )
    assert (
        warehouse.execute(
            "select count(*) from intermediate.int_identity__observations where identifier_value is null"
        ).fetchone()[0]
        == 0
    )


def test_sessions_count_and_source_the_way_ga4_does(warehouse) -> None:
    sessions = {
        row[0]: row[1:]
        for row in warehouse.execute(
            """select session_key, session_date_local, session_end_date_local, event_count, is_engaged, is_new_user,
                  traffic_source, traffic_medium, ga4_channel_group, landing_source, landing_medium
           from intermediate.int_web__sessions where source_system = 'ga4'"""
        ).fetchall()
    }
    assert len(sessions) == 6
    # S2: crosses Rome midnight, counts on 1 Nov with all its 9 events
    assert sessions["905512347.1793573400.1793573400"][:5] == (date(2026, 11, 1), date(2026, 11, 2), 9, True, True)
    # S4: not engaged (session_engaged '0' everywhere) although it lasted minutes
    assert sessions["2045517733.1793538300.1793538300"][3] is False
    # S5: a typed URL; GA4's session last click inherits Email, the landing event alone is direct
    assert sessions["1187345621.1759312800.1793608800"][5:] == ("newsletter", "email", "Email", "(direct)", "(none)")
    assert sessions["1733402218.1793637900.1793637900"][5:8] == ("google", "cpc", "Paid Search")


def _day(warehouse, day: str) -> dict:
    cursor = warehouse.execute(f"select * from marts.mart_web_kpis_daily where period_start_date = date '{day}'")
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=False))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            "2026-11-01",
            {
                "sessions": 3,
                "users": 3,
                "new_users": 2,
                "engaged_sessions": 2,
                "pageviews": 8,
                "events": 18,
                "engagement_time_msec": 283_500,
                "purchases": 1,
                "purchase_revenue_eur": 120.0,
                "refunds": 0,
                "refund_value_eur": 0.0,
            },
        ),
        (
            "2026-11-02",
            {
                "sessions": 3,
                "users": 4,
                "new_users": 1,
                "engaged_sessions": 3,
                "pageviews": 7,
                "events": 18,
                "engagement_time_msec": 290_000,
                "purchases": 1,
                "purchase_revenue_eur": 89.9,
                "refunds": 1,
                "refund_value_eur": 35.0,
            },
        ),
        # the generic web CSV: a session crossing midnight counts on 30 Oct, its purchase on 31 Oct;
        # a cookieless hit is a page view without a user; a self-referral is direct
        (
            "2026-10-30",
            {
                "sessions": 2,
                "users": 2,
                "new_users": 1,
                "engaged_sessions": 2,
                "pageviews": 3,
                "events": 9,
                "purchases": 0,
                "purchase_revenue_eur": 0.0,
            },
        ),
        (
            "2026-10-31",
            {
                "sessions": 1,
                "users": 2,
                "new_users": 0,
                "engaged_sessions": 0,
                "bounced_sessions": 1,
                "pageviews": 3,
                "events": 6,
                "purchases": 1,
                "purchase_revenue_eur": 59.0,
                "refunds": 1,
                "refund_value_eur": 19.0,
            },
        ),
    ],
)
def test_daily_web_kpis_match_the_expected_figures(warehouse, day: str, expected: dict) -> None:
    figures = _day(warehouse, day)
    assert {k: figures[k] for k in expected} == pytest.approx(expected)


def test_monthly_and_source_marts(warehouse) -> None:
    november = warehouse.execute(
        "select sessions, users, new_users, pageviews, purchase_revenue_eur - refund_value_eur"
        " from marts.mart_web_kpis_monthly where period_start_date = date '2026-11-01'"
    ).fetchone()
    assert november[:4] == (6, 4, 3, 15) and november[4] == pytest.approx(174.9)
    sources = {
        (r[0], r[1]): r[2]
        for r in warehouse.execute(
            "select traffic_source, traffic_medium, sum(sessions) from marts.mart_web_traffic_sources_monthly"
            " where period_start_date = date '2026-11-01' group by 1, 2"
        ).fetchall()
    }
    assert sources == {
        ("newsletter", "email"): 2,
        ("google", "organic"): 2,
        ("instagram", "paid_social"): 1,
        ("google", "cpc"): 1,
    }
    october = warehouse.execute(
        "select sessions, users, pageviews, events from marts.mart_web_kpis_monthly"
        " where period_start_date = date '2026-10-01'"
    ).fetchone()
    assert october == (3, 3, 6, 15)


# ----------------------------------------------------------------------------------- generator


def test_generator_writes_the_bigquery_export_deterministically(tmp_path: Path) -> None:
    args = ["--people", "150", "--start", "2026-03-01", "--end", "2026-03-20", "--seed", "3"]
    for out in ("a", "b"):
        subprocess.run(
            [sys.executable, "-m", "seeds.generator", "generate", *args, "--out", str(tmp_path / out)],
            check=True,
            capture_output=True,
        )
    files = sorted(p.name for p in (tmp_path / "a" / "ga4_events").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b" / "ga4_events").iterdir())
    pattern = re.compile(r"^events_(intraday_)?202603\d\d(-\d{12})?\.json\.gz$")
    assert files and all(pattern.match(name) for name in files), files
    for name in files:
        assert (tmp_path / "a" / "ga4_events" / name).read_bytes() == (
            tmp_path / "b" / "ga4_events" / name
        ).read_bytes()
    text = gzip.decompress((tmp_path / "a" / "ga4_events" / files[5]).read_bytes()).decode("utf-8")
    assert "null" not in text and "&" not in text and "\\u0026" in text
    records = [json.loads(line) for line in text.splitlines()]
    assert all(isinstance(r["event_timestamp"], str) for r in records)
    assert all(
        isinstance(p["value"]["int_value"], str)
        for r in records
        for p in r["event_params"]
        if "int_value" in p["value"]
    )
    page_view = next(r for r in records if r["event_name"] == "page_view" and "user_pseudo_id" in r)
    assert {
        "privacy_info",
        "device",
        "geo",
        "session_traffic_source_last_click",
        "is_active_user",
        "batch_page_id",
    } <= set(page_view)
    assert "web_info" in page_view["device"]


def test_daily_tables_write_intraday_reexports_and_shards(tmp_path: Path, monkeypatch) -> None:
    from seeds.generator.clock import Clock
    from seeds.generator.exports import ga4

    clock = Clock(date(2026, 3, 1), date(2026, 3, 4))
    tables = ga4.DailyTables(tmp_path, clock, seed=1)
    layouts = {0: "single", 1: "sharded", 2: "intraday", 3: "reexport"}
    monkeypatch.setattr(tables, "layout", lambda day: layouts[day])
    tables.LATE_SESSION_SHARE = 0.5
    for day in range(4):
        for session in range(8):
            t = clock.at_local(day, 9 * 3600 + session * 3600) * 1_000_000
            for k in range(3):
                tables.add(
                    ga4.Ga4Event(
                        t + k,
                        "page_view",
                        [ga4.p_int("ga_session_id", session)],
                        session=day * 100 + session,
                        pseudo_id=f"{session}.1",
                        last_click=ga4.DIRECT_LAST_CLICK_JSON,
                        engaged=True,
                        traffic_source='{"name":"(direct)","medium":"(none)","source":"(direct)"}',
                    )
                )
    stats = tables.close()
    folder = tmp_path / "ga4_events"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "events_20260301.json.gz",
        "events_20260302-000000000000.json.gz",
        "events_20260302-000000000001.json.gz",
        "events_20260303.json.gz",
        "events_20260304-000000000000.json.gz",
        "events_20260304-000000000001.json.gz",
        "events_20260304.json.gz",
        "events_intraday_20260303.json.gz",
    ]

    def rows(name: str) -> list[dict]:
        return [json.loads(line) for line in gzip.decompress((folder / name).read_bytes()).decode().splitlines()]

    intraday = rows("events_intraday_20260303.json.gz")
    assert intraday and all(
        "traffic_source" not in r and "is_active_user" not in r and "session_traffic_source_last_click" not in r
        for r in intraday
    )
    assert all("traffic_source" in r and r["is_active_user"] is True for r in rows("events_20260303.json.gz"))
    reexport = rows("events_20260304-000000000000.json.gz") + rows("events_20260304-000000000001.json.gz")
    assert len(reexport) == 24 and len(rows("events_20260304.json.gz")) < 24
    assert stats["ga4_intraday_tables"] == 1 and stats["ga4_reexported_tables"] == 1
