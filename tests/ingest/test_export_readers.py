"""The export reader: files as tools write them (columns by name, title lines, totals rows, BOMs,
encodings, number and date formats, JSON pages, Parquet, zip), errors naming file, line and column.

The contracts here are built in the test, so the reader is tested independently of any channel.
"""

from __future__ import annotations

import gzip
import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dagster_project.ingest.raw_contract import CsvOptions, RawColumn, RawTable
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table

LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)


def column(name: str, data_type: str = "varchar", **meta) -> RawColumn:
    return RawColumn(
        name=name,
        data_type=data_type,
        description="",
        optional=meta.get("optional", False),
        required=meta.get("required", False),
        headers=tuple(meta.get("headers", ())),
        formats=tuple(meta.get("formats", ())),
        origin=meta.get("origin", "file"),
    )


def contract(name: str, columns: list[RawColumn], **options) -> RawTable:
    return RawTable(
        source="test",
        table=name,
        name=name,
        description="",
        columns=tuple(columns),
        formats=tuple(options.get("formats", ("csv",))),
        file_patterns=tuple(options.get("files", ())),
        file_name_pattern=options.get("file_name_pattern"),
        encoding=options.get("encoding", "utf-8"),
        csv=options.get("csv", CsvOptions()),
        json_records=options.get("json_records"),
    )


ORDERS = contract(
    "shop_export",
    [
        column("name"),
        column("total", "double"),
        column("created_at", "timestamptz", formats=["%Y-%m-%d %H:%M:%S %z"]),
        column("accepts_marketing", "boolean", optional=True),
    ],
)


def write(landing: Path, table: RawTable, name: str, text: str | bytes, *, gz: bool = False) -> Path:
    folder = landing / table.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def rows(con, table: RawTable, columns: str = "*") -> list[tuple]:
    return con.execute(f"select {columns} from raw.{table.name} order by _source_file, _source_row").fetchall()


def test_columns_match_by_name_in_any_order_and_an_added_column_is_reported(con, tmp_path: Path) -> None:
    write(
        tmp_path,
        ORDERS,
        "orders_export_1.csv",
        "Created at,Total,Name,Gift note\n"
        "2026-03-01 10:00:00 +0100,12.50,#1001,ciao\n"
        "2026-03-02 09:30:00 +0200,7,#1002,\n",
    )
    result = load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert result.rows_added == 2
    assert result.warnings and "Gift note" in result.warnings[0]
    assert rows(con, ORDERS, "name, total, created_at, accepts_marketing, _source_row") == [
        ("#1001", 12.5, datetime(2026, 3, 1, 9, 0, tzinfo=UTC), None, 1),
        ("#1002", 7.0, datetime(2026, 3, 2, 7, 30, tzinfo=UTC), None, 2),
    ]
    ignored = con.execute(f"select ignored_fields from {MANIFEST_TABLE}").fetchone()[0]
    assert ignored == "Gift note"


def test_a_missing_required_column_is_named_with_the_header_line(con, tmp_path: Path) -> None:
    write(tmp_path, ORDERS, "orders.csv", "Name,Created at\n#1001,2026-03-01 10:00:00 +0100\n")
    with pytest.raises(RawLoadError) as error:
        load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert (error.value.file, error.value.line, error.value.column) == ("shop_export/orders.csv", 1, "total")
    assert "Nothing was loaded" in str(error.value)


def test_utf8_bom_semicolons_and_excel_booleans(con, tmp_path: Path) -> None:
    write(
        tmp_path,
        ORDERS,
        "orders.csv",
        "\ufeffName;Total;Created at;Accepts Marketing\n#1;1.5;2026-03-01 10:00:00 +0000;yes\n#2;2;2026-03-01"
        " 11:00:00 +0000;no\n",
    )
    load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert rows(con, ORDERS, "name, accepts_marketing") == [("#1", True), ("#2", False)]


def test_a_cast_error_names_the_physical_line_after_a_multiline_field(con, tmp_path: Path) -> None:
    write(
        tmp_path,
        ORDERS,
        "orders.csv",
        'Name,Total,Created at\n#1,"1.0",2026-03-01 10:00:00 +0000\n"#2\nsecond line",2.0,2026-03-01 10:00:00 +0000\n'
        "#3,three,2026-03-01 10:00:00 +0000\n",
    )
    with pytest.raises(RawLoadError) as error:
        load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert (error.value.line, error.value.column) == (5, "Total")
    assert "'three'" in str(error.value)


def test_report_title_lines_totals_rows_placeholders_and_formatted_numbers(con, tmp_path: Path) -> None:
    report = contract(
        "ads_report",
        [
            column("day", "date"),
            column("campaign"),
            column("impr", "bigint", headers=[r"Impr\."]),
            column("cost", "double"),
            column("ctr", "double", formats=["percent"]),
            column("conv_value", "double", headers=[r"Conv\. value"]),
        ],
        csv=CsvOptions(
            null_values=("--",), drop_rows_column="day", drop_rows_matching="^Total", number_format="1,234.56"
        ),
    )
    write(
        tmp_path,
        report,
        "Campaign report.csv",
        'Campaign report\n"November 1, 2026 - November 2, 2026"\n'
        "Day,Campaign,Impr.,Cost,CTR,Conv. value\n"
        '2026-11-01,Saldi,"1,204","1,010.50",3.45%,--\n'
        '2026-11-02,Saldi,980,10.00,2.00%,"2,000.00"\n'
        'Total: Account,--,"2,184","1,020.50",2.80%,"2,000.00"\n',
    )
    result = load_table(con, report, tmp_path, LOADED_AT)
    assert result.rows_added == 2
    assert rows(con, report, "day, impr, cost, round(ctr, 4), conv_value, _source_row") == [
        (date(2026, 11, 1), 1204, 1010.5, 0.0345, None, 1),
        (date(2026, 11, 2), 980, 10.0, 0.02, 2000.0, 2),
    ]
    assert con.execute(f"select dropped_rows from {MANIFEST_TABLE}").fetchone()[0] == 1


def test_a_header_capture_group_fills_a_column(con, tmp_path: Path) -> None:
    meta_ads = contract(
        "meta_ads",
        [
            column("campaign_name"),
            column("amount_spent", "double", headers=[r"Amount spent \((?P<currency>[A-Z]{3})\)"]),
            column("currency", origin="header"),
        ],
    )
    write(tmp_path, meta_ads, "export.csv", "Campaign name,Amount spent (CHF)\nSaldi,12.30\n")
    load_table(con, meta_ads, tmp_path, LOADED_AT)
    assert rows(con, meta_ads, "campaign_name, amount_spent, currency") == [("Saldi", 12.3, "CHF")]


def test_utf16_excel_export_is_read_by_its_bom(con, tmp_path: Path) -> None:
    text = "Name\tTotal\tCreated at\n#1\t3.5\t2026-03-01 10:00:00 +0000\n"
    write(tmp_path, ORDERS, "orders.csv", text.encode("utf-16"))
    load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert rows(con, ORDERS, "name, total") == [("#1", 3.5)]


def test_latin1_is_refused_with_file_line_and_byte_unless_declared(con, tmp_path: Path) -> None:
    text = "Name,Total,Created at\n#1,1,2026-03-01 10:00:00 +0000\nCaffè,2,2026-03-01 10:00:00 +0000\n"
    write(tmp_path, ORDERS, "orders.csv", text.encode("latin-1"))
    with pytest.raises(RawLoadError) as error:
        load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert error.value.file == "shop_export/orders.csv" and error.value.line == 3
    assert "byte" in error.value.problem and "encoding" in error.value.problem
    declared = contract(ORDERS.name, list(ORDERS.columns), encoding="latin-1")
    load_table(con, declared, tmp_path, LOADED_AT)
    assert rows(con, declared, "name") == [("#1",), ("Caffè",)]


def test_a_file_that_is_not_gzip_is_refused_with_its_name(con, tmp_path: Path) -> None:
    write(tmp_path, ORDERS, "orders.csv.gz", "Name,Total,Created at\n")
    with pytest.raises(RawLoadError) as error:
        load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert error.value.file == "shop_export/orders.csv.gz" and "cannot read" in error.value.problem


def test_json_pages_under_a_key_integers_as_strings_and_required_fields(con, tmp_path: Path) -> None:
    pages = contract(
        "api_pages",
        [
            column("id", "bigint", required=True),
            column("email"),
            column("score", "integer"),
        ],
        formats=("json",),
        json_records="results",
    )
    write(
        tmp_path,
        pages,
        "page_1.json",
        json.dumps({"results": [{"id": "1", "email": "a@x.it", "score": "9"}, {"id": 2, "extra": True}], "paging": {}}),
    )
    result = load_table(con, pages, tmp_path, LOADED_AT)
    assert rows(con, pages, "id, email, score, _source_row") == [(1, "a@x.it", 9, 1), (2, None, None, 2)]
    assert result.warnings == []  # keys of the page's records: only `extra` is undeclared, and it is not on record 1
    write(tmp_path, pages, "page_2.json", json.dumps({"results": [{"id": 3}, {"email": "b@x.it"}]}))
    with pytest.raises(RawLoadError) as error:
        load_table(con, pages, tmp_path, LOADED_AT)
    assert error.value.column == "id" and "record 2" in error.value.problem


def test_ndjson_checks_every_line_and_names_the_line(con, tmp_path: Path) -> None:
    events = contract(
        "events",
        [
            column("event_name", required=True),
            column("event_timestamp", "bigint", required=True),
            column("device", "struct(category varchar, web_info struct(browser varchar))"),
        ],
        formats=("json",),
    )
    lines = [
        {
            "event_name": "page_view",
            "event_timestamp": "1772355600000000",
            "device": {"web_info": {"browser": "Chrome"}},
        },
        {"event_name": "refund", "event_timestamp": "1772355600000001", "new_top_level": 1},
        {"event_timestamp": "1772355600000002"},
    ]
    write(tmp_path, events, "events_20260301.json", "\n".join(json.dumps(e) for e in lines) + "\n")
    with pytest.raises(RawLoadError) as error:
        load_table(con, events, tmp_path, LOADED_AT)
    assert (error.value.line, error.value.column) == (3, "event_name")
    write(tmp_path, events, "events_20260301.json", "\n".join(json.dumps(e) for e in lines[:2]) + "\n")
    load_table(con, events, tmp_path, LOADED_AT)
    assert rows(con, events, "event_name, event_timestamp, device.web_info.browser") == [
        ("page_view", 1772355600000000, "Chrome"),
        ("refund", 1772355600000001, None),
    ]


def test_json_bad_value_names_line_and_field(con, tmp_path: Path) -> None:
    events = contract("events", [column("event_name"), column("event_timestamp", "bigint")], formats=("json",))
    lines = [{"event_name": "a", "event_timestamp": 1}, {"event_name": "b", "event_timestamp": "yesterday"}]
    write(tmp_path, events, "events.json", "\n".join(json.dumps(e) for e in lines) + "\n")
    with pytest.raises(RawLoadError) as error:
        load_table(con, events, tmp_path, LOADED_AT)
    assert (error.value.line, error.value.column) == (2, "event_timestamp")


def test_a_bad_value_in_a_page_of_records_names_the_page_line_the_record_and_the_field(con, tmp_path: Path) -> None:
    pages = contract(
        "api_pages",
        [column("id", required=True), column("createdAt", "timestamptz")],
        formats=("json",),
        json_records="results",
    )
    good = {"results": [{"id": "1", "createdAt": "2026-03-01T10:00:00.123Z"}]}
    bad = {"results": [{"id": "2", "createdAt": "2026-03-02T10:00:00Z"}, {"id": "3", "createdAt": "yesterday"}]}
    # one page per line (as saved from an API), then a pretty-printed page
    write(tmp_path, pages, "pages_1.json", json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(RawLoadError) as error:
        load_table(con, pages, tmp_path, LOADED_AT)
    assert (error.value.line, error.value.column) == (2, "createdAt") and "record 2 of 'results'" in error.value.problem
    (tmp_path / "api_pages" / "pages_1.json").unlink()
    write(tmp_path, pages, "pages_2.json", "\n\n" + json.dumps(bad, indent=2))
    with pytest.raises(RawLoadError) as error:
        load_table(con, pages, tmp_path, LOADED_AT)
    assert (error.value.line, error.value.column) == (3, "createdAt") and "'yesterday'" in error.value.problem


def test_parquet_columns_by_name_and_file_name_columns(con, tmp_path: Path) -> None:
    table = contract(
        "daily",
        [
            column("export_table", origin="file_name"),
            column("event_name"),
            column("user_ltv", "struct(revenue double, currency varchar)"),
            column("batch_event_index", "bigint", optional=True),
        ],
        formats=("parquet", "json"),
        file_name_pattern=r"^(?P<export_table>events(_intraday)?_\d{8})",
    )
    folder = tmp_path / table.name
    folder.mkdir()
    con.execute(f"""copy (select {{'currency': 'EUR', 'revenue': 12.5}} as user_ltv, 'purchase' as event_name,
                                 7 as unknown)
                    to '{folder / "events_20261101.parquet"}' (format parquet)""")
    result = load_table(con, table, tmp_path, LOADED_AT)
    assert rows(con, table, "export_table, event_name, user_ltv.revenue, batch_event_index") == [
        ("events_20261101", "purchase", 12.5, None)
    ]
    assert "unknown" in result.warnings[0]
    (folder / "notes.json").write_text('{"event_name": "x"}\n')
    with pytest.raises(RawLoadError) as error:
        load_table(con, table, tmp_path, LOADED_AT)
    assert "file name does not match" in error.value.problem


def test_zip_archive_members_and_file_patterns(con, tmp_path: Path) -> None:
    members = contract(
        "members",
        [
            column("status", origin="file_name"),
            column("email_address"),
            column("unsub_time", "timestamp", optional=True),
        ],
        files=["*_members_export_*.csv"],
        file_name_pattern=r"^(?P<status>subscribed|unsubscribed|cleaned)_members",
    )
    folder = tmp_path / members.name
    folder.mkdir()
    with zipfile.ZipFile(folder / "members_export_abc.zip", "w") as archive:
        archive.writestr("subscribed_members_export_abc.csv", "Email Address,OPTIN_TIME\na@x.it,2026-01-01 10:00:00\n")
        archive.writestr(
            "unsubscribed_members_export_abc.csv", "Email Address,UNSUB_TIME\nb@x.it,2026-02-01 10:00:00\n"
        )
        archive.writestr("__MACOSX/._subscribed_members_export_abc.csv", "junk")
    (folder / "readme.txt").write_text("not an export")  # .txt is a CSV suffix, but not the export's name
    result = load_table(con, members, tmp_path, LOADED_AT)
    assert result.files_loaded == ["members/members_export_abc.zip"]
    assert rows(con, members, "status, email_address, unsub_time, _source_file") == [
        ("subscribed", "a@x.it", None, "members/members_export_abc.zip/subscribed_members_export_abc.csv"),
        (
            "unsubscribed",
            "b@x.it",
            datetime(2026, 2, 1, 10, 0),
            "members/members_export_abc.zip/unsubscribed_members_export_abc.csv",
        ),
    ]


def test_partial_and_temporary_files_are_not_loaded(con, tmp_path: Path) -> None:
    write(tmp_path, ORDERS, "orders.csv.part", "Name,Total,Created at\n#1,1,2026-03-01 10:00:00 +0000\n")
    write(tmp_path, ORDERS, ".~lock.orders.csv", "x")
    write(tmp_path, ORDERS, "orders.xlsx", "x")
    result = load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert result.files_loaded == []
    assert result.files_not_read == ["shop_export/orders.csv.part", "shop_export/orders.xlsx"]
    assert any("orders.xlsx: not read" in w for w in result.warnings)


def test_a_changed_file_replaces_its_rows_and_identical_content_under_another_name_is_a_duplicate(
    con, tmp_path: Path
) -> None:
    header = "Name,Total,Created at\n"
    write(tmp_path, ORDERS, "orders.csv", header + "#1,1,2026-03-01 10:00:00 +0000\n#2,2,2026-03-01 10:00:00 +0000\n")
    load_table(con, ORDERS, tmp_path, LOADED_AT)
    # completed / corrected in place (a re-export of the same file): replaces, never adds
    write(
        tmp_path,
        ORDERS,
        "orders.csv",
        header + "#1,1,2026-03-01 10:00:00 +0000\n#2,2,2026-03-01 10:00:00 +0000\n#3,3,2026-03-01 10:00:00 +0000\n",
    )
    result = load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert result.files_replaced == ["shop_export/orders.csv"] and result.rows_added == 3
    assert rows(con, ORDERS, "name") == [("#1",), ("#2",), ("#3",)]
    assert con.execute(f"select count(*) from {MANIFEST_TABLE}").fetchone()[0] == 1
    # the same rows delivered again under another name: recorded as a duplicate, not loaded
    write(
        tmp_path,
        ORDERS,
        "orders_copy.csv",
        header + "#1,1,2026-03-01 10:00:00 +0000\n#2,2,2026-03-01 10:00:00 +0000\n#3,3,2026-03-01 10:00:00 +0000\n",
    )
    result = load_table(con, ORDERS, tmp_path, LOADED_AT)
    assert result.files_loaded == [] and result.files_duplicate == ["shop_export/orders_copy.csv"]
    assert any("same content as shop_export/orders.csv" in w for w in result.warnings)
    assert load_table(con, ORDERS, tmp_path, LOADED_AT).files_loaded == []
    assert len(rows(con, ORDERS)) == 3
