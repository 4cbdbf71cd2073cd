"""Landing files (issue 14): file identity and replacement, duplicate deliveries, files still being
written, encodings, compression errors, every record's required fields, unknown landing content.

Fixtures are written inline, byte by byte, on the real contracts of the dbt sources
(``finance_marketing_spend``: a generic CSV; ``ga4_events``: the GA4 BigQuery export, NDJSON).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from dagster_project.ingest.raw_contract import RawColumn, RawTable, raw_table
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table, unknown_landing_content
from dagster_project.settings import LANDING_SETTLE_ENV, landing_settle_seconds

SPEND = raw_table("finance_marketing_spend")
GA4 = raw_table("ga4_events")
LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)
SPEND_HEADER = "spend_date,channel,platform,utm_campaign,cost_type,amount,currency"
BOM = b"\xef\xbb\xbf"


def spend_text(rows: int, header: str = SPEND_HEADER, platform: str = "google_ads") -> str:
    lines = [header] + [f"2026-03-{1 + i:02d},paid_search,{platform},brand,media,10.00,EUR" for i in range(rows)]
    return "\n".join(lines) + "\n"


def write(landing: Path, table: RawTable, name: str, data: str | bytes, *, gz: bool = False, age_s: float = 0) -> Path:
    folder = landing / table.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path.write_bytes(gzip.compress(raw) if gz else raw)
    if age_s:
        old = time.time() - age_s
        os.utime(path, (old, old))
    return path


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ga4_event(index: int, **overrides) -> dict:
    event = {
        "event_date": "20261101",
        "event_timestamp": str(1761955200000000 + index),
        "event_name": "page_view",
        "event_params": [{"key": "ga_session_id", "value": {"int_value": "1761955200"}}],
        "user_pseudo_id": f"{index}.1761955200",
    }
    event.update(overrides)
    return event


def ndjson(events: list[dict]) -> str:
    return "".join(json.dumps(e) + "\n" for e in events)


def spend_state(con) -> tuple[int, float]:
    rows, amount = con.execute(f"select count(*), coalesce(sum(amount), 0) from {SPEND.qualified_name}").fetchone()
    return rows, float(amount)


def manifest(con, table: RawTable = SPEND) -> dict[str, tuple]:
    return {
        row[0]: row[1:]
        for row in con.execute(
            f"select file_name, row_count, content_checksum, duplicate_of from {MANIFEST_TABLE}"
            " where table_name = ? order by file_name",
            [table.name],
        ).fetchall()
    }


# --------------------------------------------------------------------------- already working, on the real contract


def test_a_file_edited_or_completed_in_place_replaces_its_earlier_rows(con, tmp_path: Path) -> None:
    write(tmp_path, SPEND, "spend_late.csv", spend_text(3))
    load_table(con, SPEND, tmp_path, LOADED_AT)
    assert spend_state(con) == (3, 30.0)
    write(tmp_path, SPEND, "spend_late.csv", spend_text(6))
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert result.files_replaced == ["finance_marketing_spend/spend_late.csv"]
    assert spend_state(con) == (6, 60.0), "a completed file replaces its first version, never adds to it"


def test_columns_in_any_order_an_added_column_ignored_a_missing_one_named(con, tmp_path: Path) -> None:
    header = "currency,amount,cost_type,utm_campaign,platform,channel,spend_date,notes"
    lines = [header] + [f"EUR,10.00,media,brand,google_ads,paid_search,2026-03-0{i + 1},note {i}" for i in range(3)]
    write(tmp_path, SPEND, "spend.csv", "\n".join(lines) + "\n")
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert spend_state(con) == (3, 30.0)
    assert any("notes" in w and "ignored" in w for w in result.warnings)
    write(
        tmp_path,
        SPEND,
        "spend_2.csv",
        spend_text(2, header=SPEND_HEADER.replace("platform,", "")).replace("google_ads,", ""),
    )
    with pytest.raises(RawLoadError) as error:
        load_table(con, SPEND, tmp_path, LOADED_AT)
    assert (error.value.file, error.value.column) == ("finance_marketing_spend/spend_2.csv", "platform")


def test_utf8_bom_accepted_on_csv_gzip_csv_zip_members_json_and_ndjson(con, tmp_path: Path) -> None:
    write(tmp_path, SPEND, "spend_excel.csv", BOM + spend_text(1).encode())  # Excel's "CSV UTF-8"
    write(tmp_path, SPEND, "spend_excel_gz.csv.gz", BOM + spend_text(2).encode(), gz=True)
    write(tmp_path, SPEND, "spend_excel.zip", zipped({"spend_in_zip.csv": BOM + spend_text(3).encode()}))
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert result.rows_added == 6 and result.files_duplicate == []
    write(tmp_path, GA4, "events_20261101.json", BOM + ndjson([ga4_event(1), ga4_event(2)]).encode())
    write(tmp_path, GA4, "events_20261102.json.gz", BOM + ndjson([ga4_event(3)]).encode(), gz=True)
    assert load_table(con, GA4, tmp_path, LOADED_AT).rows_added == 3
    pages = RawTable(
        source="t",
        table="pages",
        name="pages",
        description="",
        formats=("json",),
        columns=(RawColumn("id", "bigint", "", required=True),),
        json_records="results",
    )
    write(tmp_path, pages, "page_1.json", BOM + json.dumps({"results": [{"id": 1}, {"id": 2}]}, indent=2).encode())
    assert load_table(con, pages, tmp_path, LOADED_AT).rows_added == 2


# --------------------------------------------------------------------------- duplicate deliveries


def test_the_same_rows_as_csv_beside_csv_gz_or_zip_are_a_duplicate_delivery(con, tmp_path: Path) -> None:
    text = spend_text(6)
    write(tmp_path, SPEND, "spend.csv", text)
    write(tmp_path, SPEND, "spend.csv.gz", text, gz=True)
    write(tmp_path, SPEND, "spend_archive.zip", zipped({"spend.csv": text.encode()}))
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert result.files_loaded == ["finance_marketing_spend/spend.csv"]
    assert result.files_duplicate == [
        "finance_marketing_spend/spend.csv.gz",
        "finance_marketing_spend/spend_archive.zip",
    ]
    assert any("spend.csv.gz: same content as finance_marketing_spend/spend.csv" in w for w in result.warnings)
    assert spend_state(con) == (6, 60.0), "2,034 -> 4,068 rows was the defect"
    recorded = manifest(con)
    content = recorded["finance_marketing_spend/spend.csv"][1]
    assert recorded["finance_marketing_spend/spend.csv"] == (6, content, None)
    assert recorded["finance_marketing_spend/spend.csv.gz"] == (0, content, "finance_marketing_spend/spend.csv")
    assert recorded["finance_marketing_spend/spend_archive.zip"] == (0, content, "finance_marketing_spend/spend.csv")
    again = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert (again.files_loaded, again.files_duplicate, len(again.files_skipped)) == ([], [], 3)
    # a re-delivery in a later run, under a new name
    write(tmp_path, SPEND, "spend_redelivered.csv", text)
    later = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert later.files_duplicate == ["finance_marketing_spend/spend_redelivered.csv"] and spend_state(con) == (6, 60.0)


def test_a_header_only_file_is_never_the_original_of_a_duplicate(con, tmp_path: Path) -> None:
    write(tmp_path, SPEND, "spend_202601.csv", spend_text(0))
    write(tmp_path, SPEND, "spend_202602.csv", spend_text(0))  # a month without spend: same bytes, not a duplicate
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert result.files_duplicate == [] and len(result.files_loaded) == 2
    write(tmp_path, SPEND, "spend_202603.csv", spend_text(2))
    write(tmp_path, SPEND, "spend_202603_copy.csv", spend_text(2))
    assert load_table(con, SPEND, tmp_path, LOADED_AT).files_duplicate == [
        "finance_marketing_spend/spend_202603_copy.csv"
    ]


def test_equal_bytes_are_other_data_where_the_file_name_feeds_columns(con, tmp_path: Path) -> None:
    daily = RawTable(
        source="t",
        table="daily",
        name="daily_pulls",
        description="",
        formats=("csv",),
        columns=(RawColumn("pull_date", "varchar", "", origin="file_name"), RawColumn("score", "integer", "")),
        file_name_pattern=r"^pull_(?P<pull_date>\d{8})",
    )
    write(tmp_path, daily, "pull_20261101.csv", "score\n9\n")
    write(tmp_path, daily, "pull_20261102.csv", "score\n9\n")
    result = load_table(con, daily, tmp_path, LOADED_AT)
    assert len(result.files_loaded) == 2 and result.files_duplicate == []
    assert con.execute("select pull_date, score from raw.daily_pulls order by 1").fetchall() == [
        ("20261101", 9),
        ("20261102", 9),
    ]
    assert {row[2] for row in manifest(con, daily).values()} == {None}


def test_a_duplicate_stays_one_when_its_original_changes_and_loads_when_it_changes(con, tmp_path: Path) -> None:
    write(tmp_path, SPEND, "spend.csv", spend_text(6))
    write(tmp_path, SPEND, "spend_copy.csv", spend_text(6))
    load_table(con, SPEND, tmp_path, LOADED_AT)
    write(tmp_path, SPEND, "spend.csv", spend_text(4))  # the original corrected in place
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert result.files_replaced == ["finance_marketing_spend/spend.csv"]
    assert "finance_marketing_spend/spend_copy.csv" in result.files_skipped
    assert spend_state(con) == (4, 40.0)
    write(tmp_path, SPEND, "spend_copy.csv", spend_text(1, platform="meta_ads"))  # the duplicate's own bytes change
    result = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert result.files_loaded == ["finance_marketing_spend/spend_copy.csv"] and spend_state(con) == (5, 50.0)
    assert manifest(con)["finance_marketing_spend/spend_copy.csv"][2] is None


# --------------------------------------------------------------------------- files still being written


def test_a_file_still_being_written_is_left_for_the_next_run(con, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(LANDING_SETTLE_ENV, "30")
    write(
        tmp_path, SPEND, "spend_late.csv", "".join(spend_text(6).splitlines(keepends=True)[:4])
    )  # 3 of 6 rows, just written
    first = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert first.files_unsettled == ["finance_marketing_spend/spend_late.csv"] and first.files_loaded == []
    assert any("spend_late.csv: modified less than 30 s ago" in w for w in first.warnings)
    assert spend_state(con) == (0, 0.0)
    write(tmp_path, SPEND, "spend_late.csv", spend_text(6), age_s=120)  # complete, and settled
    second = load_table(con, SPEND, tmp_path, LOADED_AT)
    assert second.files_loaded == ["finance_marketing_spend/spend_late.csv"] and second.files_unsettled == []
    assert spend_state(con) == (6, 60.0), "not 9 rows / 90 EUR"
    # a loaded file touched without a change is simply skipped, not reported as being written
    os.utime(tmp_path / SPEND.name / "spend_late.csv")
    assert load_table(con, SPEND, tmp_path, LOADED_AT).files_unsettled == []


def test_files_seeded_from_the_bundle_keep_their_mtime_and_are_settled(con, tmp_path: Path, monkeypatch) -> None:
    from dagster_project.operations.cli import seed_landing

    monkeypatch.setenv(LANDING_SETTLE_ENV, "30")
    source = tmp_path / "bundle"
    write(source, SPEND, "spend.csv.gz", spend_text(2), gz=True, age_s=3600)
    seed_landing(tmp_path / "landing", source)
    seeded = tmp_path / "landing" / SPEND.name / "spend.csv.gz"
    assert seeded.stat().st_mtime == (source / SPEND.name / "spend.csv.gz").stat().st_mtime
    assert load_table(con, SPEND, tmp_path / "landing", LOADED_AT).files_loaded == [
        "finance_marketing_spend/spend.csv.gz"
    ]


def test_settle_seconds_default_and_override(monkeypatch) -> None:
    monkeypatch.delenv(LANDING_SETTLE_ENV, raising=False)
    assert landing_settle_seconds() == 2.0
    monkeypatch.setenv(LANDING_SETTLE_ENV, "0.5")
    assert landing_settle_seconds() == 0.5
    monkeypatch.setenv(LANDING_SETTLE_ENV, "soon")
    with pytest.raises(ValueError, match=LANDING_SETTLE_ENV):
        landing_settle_seconds()


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize("codec, text", [("latin-1", "Müller"), ("cp1252", "à la carte")])
def test_a_latin1_or_cp1252_file_is_refused_naming_table_file_line_and_byte(con, tmp_path: Path, codec, text) -> None:
    lines = spend_text(3).splitlines(keepends=True)
    lines[2] = lines[2].replace("brand", text)  # line 3 of the file
    data = "".join(lines).encode(codec)
    write(tmp_path, SPEND, "spend.csv", data)
    with pytest.raises(RawLoadError) as error:
        load_table(con, SPEND, tmp_path, LOADED_AT)
    bad = next(i for i, b in enumerate(data) if b >= 0x80)  # 0xfc (ü) or 0xe0 (à), a single byte
    assert (error.value.table, error.value.file, error.value.line) == (
        SPEND.name,
        "finance_marketing_spend/spend.csv",
        3,
    )
    assert f"byte {bad} of the file" in error.value.problem
    assert str(error.value).startswith("raw.finance_marketing_spend: file finance_marketing_spend/spend.csv, line 3")


@pytest.mark.parametrize("gz", [False, True])
def test_an_invalid_byte_far_into_a_csv_is_located_by_line_and_byte(con, tmp_path: Path, gz: bool) -> None:
    lines = spend_text(20000).splitlines(keepends=True)
    lines[15001] = lines[15001].replace("brand", "caf\u00e9")  # line 15002, far beyond the lines Python samples
    data = "".join(lines).encode("latin-1")
    write(tmp_path, SPEND, "spend.csv.gz" if gz else "spend.csv", data, gz=gz)
    with pytest.raises(RawLoadError) as error:
        load_table(con, SPEND, tmp_path, LOADED_AT)
    assert error.value.line == 15002
    assert f"byte {data.index(b'caf' + bytes([0xE9])) + 3} of the file" in error.value.problem
    assert "CRM_LANDING_ENCODING_FINANCE_MARKETING_SPEND" in error.value.problem


def test_an_invalid_byte_far_into_ndjson_is_located_by_line_and_byte(con, tmp_path: Path) -> None:
    events = [ga4_event(i) for i in range(5000)]
    data = ndjson(events).encode()
    marker = f'"user_pseudo_id": "{4001}.1761955200"'.encode()
    data = data.replace(marker, marker.replace(b"4001.", b"M\xfcller."))  # line 4002
    write(tmp_path, GA4, "events_20261101.json", data)
    with pytest.raises(RawLoadError) as error:
        load_table(con, GA4, tmp_path, LOADED_AT)
    assert (error.value.file, error.value.line) == ("ga4_events/events_20261101.json", 4002)
    assert f"byte {data.index(bytes([0xFC]))} of the file" in error.value.problem


def test_an_encoding_declared_by_environment_variable_loads_the_file(con, tmp_path: Path, monkeypatch) -> None:
    data = spend_text(2, platform="caffè_€").encode("cp1252")
    write(tmp_path, SPEND, "spend.csv", data)
    with pytest.raises(RawLoadError):
        load_table(con, SPEND, tmp_path, LOADED_AT)
    monkeypatch.setenv("CRM_LANDING_ENCODING_FINANCE_MARKETING_SPEND", "cp1252")
    load_table(con, SPEND, tmp_path, LOADED_AT)
    assert con.execute(f"select distinct platform from {SPEND.qualified_name}").fetchall() == [("caffè_€",)]
    monkeypatch.setenv("CRM_LANDING_ENCODING_FINANCE_MARKETING_SPEND", "klingon")
    write(tmp_path, SPEND, "spend_2.csv", spend_text(1))
    with pytest.raises(RawLoadError, match="unknown encoding 'klingon'"):
        load_table(con, SPEND, tmp_path, LOADED_AT)


# --------------------------------------------------------------------------- compression errors


def _truncated(data: bytes) -> bytes:
    compressed = gzip.compress(data)
    return compressed[: len(compressed) // 2]


def _damaged_zip() -> bytes:
    data = bytearray(zipped({"spend.csv": spend_text(200).encode()}))
    for index in range(60, 120):  # inside the deflated member
        data[index] ^= 0x5A
    return bytes(data)


@pytest.mark.parametrize(
    "table, name, data",
    [
        (SPEND, "spend.csv.gz", spend_text(3).encode()),  # named .gz, not gzip
        (SPEND, "spend.csv.gz", _truncated(spend_text(400).encode())),
        (SPEND, "spend.zip", b"PK\x03\x04 this is no zip archive"),
        (SPEND, "spend.zip", _damaged_zip()),
        (GA4, "events_20261101.json.gz", ndjson([ga4_event(1)]).encode()),  # not gzip
        (GA4, "events_20261101.json.gz", _truncated(ndjson([ga4_event(i) for i in range(300)]).encode())),
    ],
    ids=[
        "csv-not-gzip",
        "csv-truncated-gzip",
        "zip-not-zip",
        "zip-damaged-member",
        "json-not-gzip",
        "json-truncated-gzip",
    ],
)
def test_gzip_and_zip_errors_are_refused_naming_the_file(
    con, tmp_path: Path, table: RawTable, name: str, data: bytes
) -> None:
    write(tmp_path, table, name, data)
    with pytest.raises(RawLoadError) as error:
        load_table(con, table, tmp_path, LOADED_AT)
    assert error.value.file.startswith(f"{table.name}/{name}")
    assert f"file {table.name}/{name}" in str(error.value)


# --------------------------------------------------------------------------- every record's required fields


def test_a_ga4_event_without_event_params_on_line_2_is_refused_naming_the_line(con, tmp_path: Path) -> None:
    second = ga4_event(2)
    del second["event_params"]
    write(tmp_path, GA4, "events_20261101.json", ndjson([ga4_event(1), second, ga4_event(3, event_params=[])]))
    with pytest.raises(RawLoadError) as error:
        load_table(con, GA4, tmp_path, LOADED_AT)
    assert (error.value.file, error.value.line, error.value.column) == (
        "ga4_events/events_20261101.json",
        2,
        "event_params",
    )
    write(tmp_path, GA4, "events_20261101.json", ndjson([ga4_event(1), ga4_event(3, event_params=[])]))
    assert load_table(con, GA4, tmp_path, LOADED_AT).rows_added == 2  # an empty list is present


# --------------------------------------------------------------------------- unknown landing content


def _landing_with_unknown_content(root: Path) -> Path:
    write(root, SPEND, "spend.csv", spend_text(1), age_s=60)
    (root / SPEND.name / "readme.md").write_text("not an export")
    (root / SPEND.name / "spend.csv.part").write_text("a partial download")
    (root / SPEND.name / "older").mkdir()
    (root / "ga4_events").mkdir()
    (root / "ga4_events" / "notes.txt").write_text("GA4 reads events_* JSON/Parquet")
    (root / "shop_ordersx").mkdir()
    (root / "shop_ordersx" / "orders.csv").write_text("order_id\n1\n")
    (root / "notes.txt").write_text("at the root")
    (root / "extract.json").write_text('{"start": "2026-01-01", "end": "2026-12-31"}')
    (root / "_ground_truth").mkdir()
    (root / ".DS_Store").write_text("")
    return root


def test_unknown_landing_content_lists_typos_root_files_and_unread_files(tmp_path: Path) -> None:
    landing = _landing_with_unknown_content(tmp_path / "landing")
    assert unknown_landing_content(landing) == [
        "finance_marketing_spend/older/",
        "finance_marketing_spend/readme.md",
        "ga4_events/notes.txt",
        "notes.txt",
        "shop_ordersx/",
    ]
    assert unknown_landing_content(tmp_path / "missing") == []


def test_landing_content_check_warns_without_blocking_and_raw_metadata(tmp_path: Path, monkeypatch) -> None:
    from dagster import AssetCheckSeverity, materialize

    from dagster_project.assets.raw import build_raw_asset, raw_asset_key
    from dagster_project.quality.landing_checks import LANDING_CONTENT_CHECK, landing_folder_checks
    from dagster_project.resources import LandingFolder, WarehouseResource

    monkeypatch.setenv(LANDING_SETTLE_ENV, "30")
    landing = _landing_with_unknown_content(tmp_path / "landing")
    write(landing, SPEND, "spend_copy.csv", spend_text(1), age_s=60)
    write(landing, SPEND, "spend_late.csv", spend_text(2))
    checks = landing_folder_checks(raw_asset_key(SPEND))
    assert [spec.blocking for c in checks for spec in c.check_specs] == [False]
    result = materialize(
        [build_raw_asset(SPEND), *checks],
        resources={
            "warehouse": WarehouseResource(database=str(tmp_path / "w.duckdb")),
            "landing": LandingFolder(path=str(landing)),
        },
        raise_on_error=False,
    )
    assert result.success
    evaluations = {
        e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
    }
    check = evaluations[LANDING_CONTENT_CHECK]
    assert not check.passed and check.severity == AssetCheckSeverity.WARN
    unknown = check.metadata["unknown"].value
    assert len(unknown) == 5 and any(
        "shop_ordersx/: no raw table" in line and "shop_orders/" in line for line in unknown
    )
    metadata = next(
        e.event_specific_data.materialization.metadata
        for e in result.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION"
    )
    assert metadata["files_duplicate"].value == ["finance_marketing_spend/spend_copy.csv"]
    assert metadata["files_unsettled"].value == ["finance_marketing_spend/spend_late.csv"]


def test_a_parquet_record_with_a_null_required_field_is_refused(con, tmp_path: Path) -> None:
    folder = tmp_path / GA4.name
    folder.mkdir()
    con.execute(
        f"""copy (select * from (values ('20261101', 1761955200000000, 'page_view',
                                         [{{'key': 'k', 'value': {{'string_value': 'v'}}}}]),
                                        ('20261101', 1761955200000001, 'scroll', null))
                  as t(event_date, event_timestamp, event_name, event_params))
            to '{folder / "events_20261101.parquet"}' (format parquet)"""
    )
    with pytest.raises(RawLoadError) as error:
        load_table(con, GA4, tmp_path, LOADED_AT)
    assert (error.value.column, error.value.problem) == ("event_params", "row 2: required field null")
