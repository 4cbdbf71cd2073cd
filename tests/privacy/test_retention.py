"""Storage limitation: rows past their retention period leave raw, quarantine and the incremental models,
and landing files whose rows are all past it leave the landing folder for good.

Small DuckDB files built with ``ensure_raw_table`` and a few hand-written rows (no dbt run); the incremental
models are stand-in tables with the columns retention cuts on.
"""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import DagsterInstance, materialize

from dagster_project.ingest.raw_contract import raw_table, raw_tables
from dagster_project.ingest.raw_loader import ensure_raw_table, load_table
from dagster_project.privacy import retention

TODAY = date(2026, 12, 15)  # events (25 months): cutoff 2024-11-15; customer records (120): 2016-12-15
LOADED = datetime(2026, 12, 1, 3, 0)
HEADER = "activity_id,campaign_id,recipient_email,recipient_phone,event_type,event_at,link_url,bounce_type\n"


def activity_csv(*rows: tuple[str, str]) -> str:
    """(activity id, event_at in UTC) -> an ESP activity export."""
    return HEADER + "".join(f"{aid},c1,{aid.lower()}@example.com,,open,{at},,\n" for aid, at in rows)


def land(landing: Path, name: str, text: str) -> Path:
    path = landing / "esp_activity" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(con: duckdb.DuckDBPyConnection, landing: Path):
    return load_table(con, raw_table("esp_activity"), landing, LOADED, run_id="test")


def ids(con: duckdb.DuckDBPyConnection, relation: str, column: str = "activity_id") -> list[str]:
    return sorted(r[0] for r in con.execute(f"select {column} from {relation}").fetchall())


@pytest.fixture
def con(tmp_path: Path):
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    for name in ("esp_activity", "shop_orders", "ads_campaign_daily"):
        ensure_raw_table(connection, raw_table(name))
    yield connection
    connection.close()


def insert_activity(
    con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str]], schema: str = "raw", file: str = "esp_activity/a.csv"
) -> None:
    con.executemany(
        f"insert into {schema}.esp_activity (activity_id, campaign_id, event_type, event_at, _source_file,"
        " _source_row, _loaded_at)"
        " values (?, 'c1', 'open', ?, ?, ?, ?)",
        [[aid, at, file, i + 1, LOADED] for i, (aid, at) in enumerate(rows)],
    )


# --- configuration ------------------------------------------------------------------------------


def test_every_raw_table_has_a_class_and_a_date_that_compiles() -> None:
    config = retention.load_config()
    names = {t.name for t in raw_tables()}
    assert set(config.tables) == names, "retention.yml lists exactly the raw tables of the contract"
    con = duckdb.connect()
    for table in raw_tables():
        ensure_raw_table(con, table)
    for name, rule in config.tables.items():
        if rule.date is None:
            assert config.classes[rule.retention_class].months is None, f"{name}: pruned but without a date"
            continue
        sql = retention.raw_day_sql(con, f"raw.{name}", rule.date)  # raises on unknown columns or a non-date type
        con.execute(f"select {sql} from raw.{name}").fetchall()


def test_every_incremental_model_is_listed_with_a_documented_day_column() -> None:
    config = retention.load_config()
    models = retention.incremental_models()
    assert "intermediate.int_identity__customer_ids" in models
    assert set(config.models) == set(models), "retention.yml lists exactly the incremental dbt models"
    assert config.models["intermediate.int_identity__customer_ids"].prune is False
    for relation, rule in config.models.items():
        if not rule.prune:
            continue
        model = relation.split(".", 1)[1]
        documented = set()
        for path in models[relation].parent.glob("_*.yml"):
            for node in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
                if node["name"] == model:
                    documented |= {c["name"] for c in node.get("columns", [])}
        assert rule.date in documented, f"{relation}: {rule.date} is not a documented column"
        if rule.class_column:
            assert rule.class_column in documented


def test_default_periods_and_cutoffs() -> None:
    config = retention.load_config()
    assert retention.months_of(config.classes["events"], {}) == 25
    assert retention.months_of(config.classes["customer_records"], {}) == 120
    assert retention.months_of(config.classes["aggregates"], {}) is None
    assert config.tables["ga4_events"].retention_class == "events"
    assert config.tables["shop_orders"].retention_class == "customer_records"
    assert config.tables["ads_campaign_daily"].retention_class == "aggregates"
    assert retention.months_before(TODAY, 25) == date(2024, 11, 15)
    assert retention.months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_events_are_kept_25_months_in_the_reporting_time_zone(con) -> None:
    insert_activity(
        con,
        [
            ("OLD", "2024-11-14 22:30:00"),  # 23:30 in Rome on the 14th: past
            ("EDGE", "2024-11-14 23:30:00"),  # 00:30 in Rome on the 15th: kept
            ("NEW", "2026-01-01 10:00:00"),
        ],
    )
    con.execute(
        "insert into raw.shop_orders (order_id, created_at, _loaded_at) values ('O1', '2020-01-01 10:00:00+00', ?)",
        [LOADED],
    )
    result = retention.plan(con, TODAY, environ={})
    by_relation = {r.relation: r for r in result.relations}
    assert by_relation["raw.esp_activity"].cutoff == date(2024, 11, 15)
    assert by_relation["raw.esp_activity"].rows == 1
    assert by_relation["raw.shop_orders"].cutoff == date(2016, 12, 15)
    assert by_relation["raw.shop_orders"].rows == 0  # an order of 2020 is an accounting record: kept
    assert by_relation["raw.ads_campaign_daily"].cutoff is None
    retention.apply(con, TODAY, environ={})
    assert ids(con, "raw.esp_activity") == ["EDGE", "NEW"]


def test_environment_overrides_a_class(con, monkeypatch) -> None:
    insert_activity(con, [("A", "2025-06-01 10:00:00"), ("B", "2026-06-01 10:00:00")])
    monkeypatch.setenv("CRM_RETENTION_EVENTS_MONTHS", "13")  # cutoff 2025-11-15
    result = retention.plan(con, TODAY)
    esp = next(r for r in result.relations if r.relation == "raw.esp_activity")
    assert (esp.months, esp.cutoff, esp.rows) == (13, date(2025, 11, 15), 1)
    monkeypatch.setenv("CRM_RETENTION_EVENTS_MONTHS", "thirteen")
    with pytest.raises(ValueError, match="CRM_RETENTION_EVENTS_MONTHS"):
        retention.plan(con, TODAY)


@pytest.mark.parametrize("value", ["off", "0"])
def test_off_keeps_a_class_forever(con, value) -> None:
    insert_activity(con, [("ANCIENT", "2001-01-01 10:00:00")])
    result = retention.apply(con, TODAY, environ={"CRM_RETENTION_EVENTS_MONTHS": value})
    esp = next(r for r in result.relations if r.relation == "raw.esp_activity")
    assert esp.cutoff is None and esp.rows == 0
    assert ids(con, "raw.esp_activity") == ["ANCIENT"]


# --- what apply deletes -------------------------------------------------------------------------


def make_models(con: duckdb.DuckDBPyConnection) -> None:
    """Stand-ins for the incremental models retention prunes (only the columns it reads)."""
    for schema in ("staging", "intermediate"):
        con.execute(f"create schema if not exists {schema}")
    con.execute("create table staging.stg_esp__activity (activity_id varchar, event_date_local date)")
    con.execute("insert into staging.stg_esp__activity values ('OLD', '2024-01-10'), ('NEW', '2026-01-01')")
    con.execute(
        "create table intermediate.int_touchpoints__unioned (touchpoint_id varchar, touchpoint_type varchar,"
        " occurred_date_local date)"
    )
    con.execute(
        "insert into intermediate.int_touchpoints__unioned values"
        " ('t1', 'email_open', '2024-01-10'), ('t2', 'email_open', '2026-01-01'),"
        " ('t3', 'order', '2020-01-10'), ('t4', 'order', '2015-01-10'), ('t5', 'list_subscribe', '2020-01-10')"
    )
    con.execute(
        "create table intermediate.int_identity__customer_ids (identifier_type varchar, identifier_value varchar,"
        " customer_id varchar)"
    )
    con.execute("insert into intermediate.int_identity__customer_ids values ('email', 'old@example.com', 'C1')")


def test_dry_run_deletes_nothing(con, tmp_path) -> None:
    landing = tmp_path / "landing"
    land(landing, "old.csv", activity_csv(("OLD", "2024-01-10T10:00:00Z")))
    load(con, landing)
    make_models(con)
    result = retention.plan(con, TODAY, landing, environ={})
    assert result.rows == 4 and not result.applied  # raw, staging, an email touchpoint and an order of 2015
    assert [f for _, f, _ in result.files] == ["esp_activity/old.csv"]
    assert ids(con, "raw.esp_activity") == ["OLD"]
    assert ids(con, "staging.stg_esp__activity") == ["NEW", "OLD"]
    assert (landing / "esp_activity" / "old.csv").exists()
    assert not con.execute(
        "select count(*) from information_schema.tables where table_name = 'retention_runs'"
    ).fetchone()[0]
    assert con.execute("select count(*) from raw._load_manifest where retired_at is not null").fetchone()[0] == 0


def test_apply_deletes_exactly_the_old_rows_of_raw_quarantine_and_incremental_models(con) -> None:
    insert_activity(con, [("OLD", "2024-01-10 10:00:00"), ("NEW", "2026-01-01 10:00:00")])
    con.execute("create schema quarantine")
    con.execute("create table quarantine.esp_activity as select * from raw.esp_activity limit 0")
    insert_activity(
        con, [("QOLD", "2023-05-01 10:00:00"), ("QNEW", "2026-02-01 10:00:00")], "quarantine", "esp_activity/q.csv"
    )
    make_models(con)
    result = retention.apply(con, TODAY, environ={})
    assert ids(con, "raw.esp_activity") == ["NEW"]
    assert ids(con, "quarantine.esp_activity") == ["QNEW"]
    assert ids(con, "staging.stg_esp__activity") == ["NEW"]
    # events by the events cutoff, orders and consent evidence by the customer records cutoff
    assert ids(con, "intermediate.int_touchpoints__unioned", "touchpoint_id") == ["t2", "t3", "t5"]
    assert ids(con, "intermediate.int_identity__customer_ids", "customer_id") == ["C1"]  # never pruned by date
    deleted = {(r.relation, r.retention_class): r.rows for r in result.relations}
    assert deleted[("raw.esp_activity", "events")] == 1
    assert deleted[("intermediate.int_touchpoints__unioned", "events")] == 1
    assert deleted[("intermediate.int_touchpoints__unioned", "customer_records")] == 1
    assert result.rows == 5


def test_a_file_past_retention_leaves_the_landing_folder_and_is_not_loaded_again(con, tmp_path) -> None:
    landing = tmp_path / "landing"
    old_text = activity_csv(("OLD1", "2024-01-10T10:00:00Z"), ("OLD2", "2024-02-10T10:00:00Z"))
    old = land(landing, "activity_202401.csv", old_text)
    mixed = land(
        landing, "activity_mixed.csv", activity_csv(("MOLD", "2024-03-01T10:00:00Z"), ("MNEW", "2026-03-01T10:00:00Z"))
    )
    assert load(con, landing).rows_added == 4

    result = retention.apply(con, TODAY, landing, environ={})
    assert result.files_deleted == ["esp_activity/activity_202401.csv"]
    assert not old.exists() and mixed.exists()  # a file with a recent row stays whole
    assert ids(con, "raw.esp_activity") == ["MNEW"]
    retired = con.execute("select file_name, row_count from raw._load_manifest where retired_at is not null").fetchall()
    assert retired == [("esp_activity/activity_202401.csv", 2)]

    # delivered again with the same bytes: skipped by the manifest; under another name: a duplicate
    land(landing, "activity_202401.csv", old_text)
    (landing / "esp_activity" / "copy_of_activity_202401.csv.gz").write_bytes(gzip.compress(old_text.encode()))
    again = load(con, landing)
    assert again.rows_added == 0
    assert again.files_skipped == ["esp_activity/activity_202401.csv", "esp_activity/activity_mixed.csv"]
    assert again.files_duplicate == ["esp_activity/copy_of_activity_202401.csv.gz"]
    assert ids(con, "raw.esp_activity") == ["MNEW"]
    # the next retention run deletes both from the landing folder again
    second = retention.apply(con, TODAY, landing, environ={})
    assert sorted(second.files_deleted) == [
        "esp_activity/activity_202401.csv",
        "esp_activity/copy_of_activity_202401.csv.gz",
    ]
    assert sorted(p.name for p in (landing / "esp_activity").iterdir()) == ["activity_mixed.csv"]

    # delivered again changed (a correction with a recent row): only the rows within retention are loaded
    land(landing, "activity_202401.csv", old_text + "LATE,c1,late@example.com,,open,2026-04-01T10:00:00Z,,\n")
    changed = load(con, landing)
    assert changed.rows_added == 1
    assert ids(con, "raw.esp_activity") == ["LATE", "MNEW"]


def test_each_run_is_recorded_in_the_audit_table(con, tmp_path) -> None:
    landing = tmp_path / "landing"
    land(landing, "old.csv", activity_csv(("OLD", "2024-01-10T10:00:00Z")))
    land(landing, "new.csv", activity_csv(("NEW", "2026-01-10T10:00:00Z")))
    load(con, landing)
    retention.apply(con, TODAY, landing, run_id="r1", environ={})
    rows = con.execute(
        "select run_id, as_of, layer, retention_class, months, cutoff, rows_deleted, files_deleted"
        " from audit.retention_runs where relation = 'raw.esp_activity'"
    ).fetchall()
    assert rows == [("r1", TODAY, "raw", "events", 25, date(2024, 11, 15), 1, 1)]
    forever = con.execute(
        "select cutoff, rows_deleted from audit.retention_runs where relation = 'raw.ads_campaign_daily'"
    ).fetchall()
    assert forever == [(None, 0)]
    retention.apply(con, TODAY, landing, run_id="r2", environ={})
    assert con.execute("select count(distinct run_id) from audit.retention_runs").fetchone()[0] == 2


# --- Dagster ------------------------------------------------------------------------------------


def test_the_asset_materializes_with_a_today_config(tmp_path, monkeypatch) -> None:
    from dagster_project.assets.retention import retention_run
    from dagster_project.resources import LandingFolder, WarehouseResource

    monkeypatch.delenv("CRM_RETENTION_EVENTS_MONTHS", raising=False)
    warehouse = tmp_path / "w.duckdb"
    landing = tmp_path / "landing"
    land(landing, "old.csv", activity_csv(("OLD", "2024-01-10T10:00:00Z")))
    with duckdb.connect(str(warehouse)) as con:
        load(con, landing)
    resources = {"warehouse": WarehouseResource(database=str(warehouse)), "landing": LandingFolder(path=str(landing))}
    for dry_run, remaining in ((True, 1), (False, 0)):
        result = materialize(
            [retention_run],
            resources=resources,
            instance=DagsterInstance.ephemeral(),
            run_config={"ops": {"privacy__retention": {"config": {"today": TODAY.isoformat(), "dry_run": dry_run}}}},
        )
        assert result.success
        metadata = result.asset_materializations_for_node("privacy__retention")[0].metadata
        assert metadata["cutoffs"].value["esp_activity"] == "2024-11-15"
        assert metadata["rows_per_table"].value["raw.esp_activity"] == 1
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert con.execute("select count(*) from raw.esp_activity").fetchone()[0] == remaining
    assert not (landing / "esp_activity" / "old.csv").exists()


def test_job_and_monthly_schedule_are_defined_and_not_part_of_the_daily_run(tmp_path, _dbt_manifest) -> None:
    from dagster import AssetKey

    from dagster_project.definitions import build_definitions
    from dagster_project.settings import Settings

    defs = build_definitions(Settings(warehouse_path=tmp_path / "w.duckdb", landing_dir=tmp_path / "landing"))
    job = defs.resolve_job_def("apply_retention")
    assert job.tags["crm/warehouse"] == str(tmp_path / "w.duckdb")
    assert AssetKey(["privacy", "retention"]) in job.asset_layer.selected_asset_keys
    schedule = defs.resolve_schedule_def("monthly_retention")
    assert (schedule.cron_schedule, schedule.execution_timezone, schedule.job_name) == (
        "0 5 1 * *",
        "Europe/Rome",
        "apply_retention",
    )
    daily = defs.resolve_job_def("full_pipeline")
    assert AssetKey(["privacy", "retention"]) not in daily.asset_layer.selected_asset_keys


def test_the_cli_prints_cutoffs_and_takes_the_run_lock(tmp_path, monkeypatch, capsys) -> None:
    from dagster_project.operations import cli
    from dagster_project.operations.run_lock import lock_path

    warehouse, landing = tmp_path / "w.duckdb", tmp_path / "landing"
    monkeypatch.setenv("CRM_WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("CRM_LANDING_DIR", str(landing))
    monkeypatch.delenv("CRM_RETENTION_EVENTS_MONTHS", raising=False)
    land(landing, "old.csv", activity_csv(("OLD", "2024-01-10T10:00:00Z")))
    with duckdb.connect(str(warehouse)) as con:
        load(con, landing)
    assert cli.main(["retention", "--dry-run", "--today", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "dry run: nothing changed" in out
    line = next(line for line in out.splitlines() if "raw.esp_activity" in line)
    assert "before 2024-11-15 (25 months)" in line and "1 rows to delete" in line
    assert (landing / "esp_activity" / "old.csv").exists()
    assert cli.main(["retention", "--today", TODAY.isoformat()]) == 0
    assert "1 rows deleted" in next(line for line in capsys.readouterr().out.splitlines() if "raw.esp_activity" in line)
    assert not (landing / "esp_activity" / "old.csv").exists()
    assert lock_path(warehouse).exists()  # taken (and released) around the run
