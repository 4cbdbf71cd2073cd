"""Incremental event models: building them load after load equals a full refresh of the same data."""

import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
from dbt.cli.main import dbtRunner

from dagster_project.settings import DBT_PROJECT_DIR, WAREHOUSE_PATH_ENV
from tests.conftest import MonthlyLoads

INCREMENTAL = {  # incremental model -> schema
    "stg_ga4__events": "staging",
    "stg_esp__activity": "staging",
    "int_web__sessions": "intermediate",
    "int_email__recipient_activity": "intermediate",
    "int_touchpoints__unioned": "intermediate",
    "mart_web_kpis_daily": "marts",
    "mart_email_kpis_daily": "marts",
}

# Raw tables whose rows the day-by-day test releases one day at a time: the day of a row.
# (Tools whose rows come nested in API pages, such as Mailchimp's email activity, are delivered
# whole in the monthly test.)
DAILY_SOURCES = {
    # GA4: a day's table is exported whole (events_YYYYMMDD, the property's day), never split by UTC day
    "ga4_events": "strptime(right(export_table, 8), '%Y%m%d')",
    "esp_activity": "event_at",  # SMS, in the generic ESP CSV
    # (Mailchimp's email activity comes a whole campaign per file, never a day at a time: the month by
    # month test covers it, as new and re-exported campaign files.)
    "esp_list_membership": "event_at",
    "social_comments": "created_at",  # LinkedIn, in the generic social CSV
    "social_mentions": "created_at",
    "shopify_api_orders": "timezone('UTC', created_at)",
    "eventbrite_attendees": "created",
}


def comparable(rows: list[tuple]) -> list[tuple]:
    """Rows with floats rounded: sums of doubles differ in the last bits with the order of addition."""
    return [tuple(round(value, 6) if isinstance(value, float) else value for value in row) for row in rows]


def incremental_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {
        model: comparable(con.execute(f"select * from {schema}.{model} order by all").fetchall())
        for model, schema in INCREMENTAL.items()
    }


def test_monthly_loads_equal_a_full_refresh(monthly_loads: MonthlyLoads) -> None:
    """The February run built the incremental models on top of January (with January's late
    rows in February's files): a full refresh of the same data gives the same tables."""
    workspace = monthly_loads.workspace
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        incremental = incremental_tables(con)
    assert all(incremental.values())
    rebuild = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--full-refresh",
            "--select",
            *INCREMENTAL,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
        ],
        env={**os.environ, WAREHOUSE_PATH_ENV: str(workspace.warehouse)},
        capture_output=True,
        text=True,
    )
    assert rebuild.returncode == 0, rebuild.stdout[-3000:]
    with duckdb.connect(str(workspace.warehouse), read_only=True) as con:
        full = incremental_tables(con)
    for model in INCREMENTAL:
        assert full[model] == incremental[model], f"{model}: incremental build differs from a full refresh"


def test_day_by_day_loads_equal_a_full_refresh(monthly_loads: MonthlyLoads, tmp_path: Path, monkeypatch) -> None:
    """Replay the last days of the data one day at a time, each day's rows loaded the next
    morning and some rows arriving late (after the lookback window), with an incremental dbt
    run after each load: the result equals a full refresh."""
    first_day, last_day, late_from = date(2026, 2, 23), date(2026, 2, 28), date(2026, 2, 5)
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(monthly_loads.workspace.warehouse, warehouse)
    monkeypatch.setenv(WAREHOUSE_PATH_ENV, str(warehouse))

    # Take the rows of the replayed days, and ~5% of the rows of earlier days (the late ones),
    # out of the raw tables; each goes back on its release day (late ones on the last day).
    with duckdb.connect(str(warehouse)) as con:
        loaded_before = max(
            con.execute(f"select max(_loaded_at) from raw.{table}").fetchone()[0] for table in DAILY_SOURCES
        )
        con.execute("create schema replay")
        for table, occurred_at in DAILY_SOURCES.items():
            day = f"cast({occurred_at} as date)"
            held = (
                f"{day} >= date '{first_day}'"
                f" or ({day} >= date '{late_from}' and hash(_source_file, {occurred_at}) % 20 = 0)"
            )
            con.execute(f"""
                create table replay.{table} as
                select *, case when {day} >= date '{first_day}' then {day} else date '{last_day}' end as _release_day
                from raw.{table} where {held}""")
            con.execute(f"delete from raw.{table} where {held}")
        late_rows = con.execute(
            f"select count(*) from replay.ga4_events where _release_day = date '{last_day}' "
            f"and make_timestamp(event_timestamp) < date '{first_day}'"
        ).fetchone()[0]
        web_days = con.execute("select count(distinct _release_day) from replay.ga4_events").fetchone()[0]
        shop_days = con.execute(
            f"select count(distinct _release_day) from replay.shopify_api_orders where _release_day < date '{last_day}'"
        ).fetchone()[0]
    assert late_rows > 0 and web_days == (last_day - first_day).days + 1 and shop_days > 0, (
        late_rows,
        web_days,
        shop_days,
    )

    # In-process dbt with the project parsed once (a subprocess per day would parse it each time).
    args = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(tmp_path / "dbt_target"),
        "--quiet",
    ]
    parsed = dbtRunner().invoke(["parse", *args])
    assert parsed.success, parsed.exception
    dbt = dbtRunner(manifest=parsed.result)
    models = [f"+{model}" for model in INCREMENTAL]  # with their upstream tables (identity, sessions, ...)

    def build(*flags: str) -> list:
        result = dbt.invoke(["run", *flags, "--select", *models, *args])
        assert result.success, result.exception or [r.message for r in result.result if r.status != "success"]
        return [r for r in result.result if r.node.name in INCREMENTAL]

    build("--full-refresh")
    day, release = first_day, 0
    while day <= last_day:
        release += 1
        with duckdb.connect(str(warehouse)) as con:  # dbt keeps a read-write connection: same config
            loaded_at = f"timestamp '{loaded_before}' + interval {release} hour"
            if day == last_day:
                # GA4 late events arrive in a re-export of their day's table, whole (the loader replaces a
                # changed file's rows): the tables of the late rows are loaded again, with them.
                late_tables = (
                    f"select distinct export_table from replay.ga4_events where _release_day = date '{day}'"
                    f" and strptime(right(export_table, 8), '%Y%m%d') < date '{first_day}'"
                )
                con.execute(
                    f"create temp table _reexport as select * from raw.ga4_events where export_table in ({late_tables})"
                )
                con.execute(f"delete from raw.ga4_events where export_table in ({late_tables})")
                con.execute(f"insert into raw.ga4_events select * replace ({loaded_at} as _loaded_at) from _reexport")
            for table in DAILY_SOURCES:
                con.execute(f"""
                    insert into raw.{table}
                    select * exclude (_release_day) replace (timestamp '{loaded_before}' + interval {release}
                        hour as _loaded_at)
                    from replay.{table} where _release_day = date '{day}'""")
        for result in build():
            # the incremental branch ran: the model filtered on its watermark
            assert "as watermark" in result.node.compiled_code, f"{result.node.name} did not build incrementally"
        day += timedelta(days=1)
    # an operator's backfill of a date range (the reprocess_since config of the dbt layers)
    since = first_day - timedelta(days=20)
    for result in build("--vars", f"{{incremental_reprocess_since: {since}}}"):
        assert f"cast('{since}' as date)" in result.node.compiled_code, f"{result.node.name} ignored the backfill date"

    with duckdb.connect(str(warehouse)) as con:
        day_by_day = incremental_tables(con)
    build("--full-refresh")
    with duckdb.connect(str(warehouse)) as con:
        full = incremental_tables(con)
    for model in INCREMENTAL:
        assert day_by_day[model], model
        only_incremental = sorted(set(day_by_day[model]) - set(full[model]))[:3]
        only_full = sorted(set(full[model]) - set(day_by_day[model]))[:3]
        assert day_by_day[model] == full[model], (
            f"{model}: day-by-day incremental builds differ from a full refresh "
            f"({len(day_by_day[model])} vs {len(full[model])} rows); only day by day: {only_incremental}; "
            f"only in the full refresh: {only_full}"
        )
