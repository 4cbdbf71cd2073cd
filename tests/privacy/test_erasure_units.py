"""Erasure, piece by piece, on hand-written files (no pipeline run): matching forms, the landing
rewrite in each format, the register consulted at load, the dry run, the scrubbing helpers."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import CsvOptions, RawColumn, RawTable
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table
from dagster_project.privacy import compaction, erasure
from dagster_project.privacy.classification import ColumnPii
from dagster_project.privacy.erasure_register import erased_rows_sql, match_forms, register
from dagster_project.privacy.keyed_hash import MissingSecretError, hmac_hex
from dagster_project.privacy.landing_rewrite import RewriteError, rewrite_without

KEY = b"unit-test-erasure-key-0123456789"
LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)


def _identifier(name: str, identifier_type: str, data_type: str = "varchar") -> RawColumn:
    return RawColumn(name, data_type, "", privacy=(ColumnPii(name, "identifier", identifier_type),))


CONTACTS = RawTable(
    source="t",
    table="contacts",
    name="contacts",
    description="",
    columns=(
        RawColumn("id", "varchar", "", privacy=(ColumnPii("id", "none"),)),
        _identifier("email", "email"),
        _identifier("phone", "phone"),
        RawColumn("note", "varchar", "", privacy=(ColumnPii("note", "free_text"),)),
    ),
    csv=CsvOptions(),
)
PAGES = RawTable(
    source="t",
    table="pages",
    name="pages",
    description="",
    formats=("json",),
    json_records="results",
    columns=(
        RawColumn("id", "bigint", "", privacy=(ColumnPii("id", "none"),)),
        RawColumn(
            "properties",
            "struct(email varchar, firstname varchar)",
            "",
            privacy=(
                ColumnPii("properties", "identifier"),
                ColumnPii("properties", "identifier", "email", ("email",)),
                ColumnPii("properties", "name", None, ("firstname",)),
            ),
        ),
    ),
)
EVENTS = RawTable(
    source="t",
    table="events",
    name="events",
    description="",
    formats=("json", "parquet"),
    columns=(RawColumn("n", "bigint", ""), _identifier("user_pseudo_id", "user_pseudo_id")),
)

CSV_TEXT = (
    "Contacts export\r\n"  # a report preamble, kept verbatim
    "id,email,phone,note\r\n"
    '1,ann@example.com,+39 333 123 4567,"likes\r\nnewlines"\r\n'
    "2, Bob@Example.com ,,ok\r\n"
    "\r\n"
    '3,carl@example.com,333 123 4567,"the same phone, national"\r\n'
    "4,dora@example.com,0039 320 000 0000,last\r\n"
)


def _write(landing: Path, table: RawTable, name: str, data: bytes) -> Path:
    folder = landing / table.name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def _register(con: duckdb.DuckDBPyConnection, *identifiers: tuple[str, str]) -> None:
    register(con, "era_test", identifiers, KEY)


def test_matching_forms_of_phones_emails_and_handles() -> None:
    assert match_forms("phone", "+39 333 123 4567") == {"393331234567", "3331234567"}
    assert match_forms("phone", "0039 333 1234567") == {"393331234567", "3331234567"}
    assert match_forms("phone", "+1 (212) 555-0100") == {"12125550100", "2125550100"}
    assert match_forms("phone", "12345") == set()  # too short to be anyone's
    assert match_forms("email", "  Ann@Example.COM ") == {"ann@example.com"}
    assert match_forms("instagram_handle", "@Ann.Studio") == {"ann.studio"}


@pytest.mark.parametrize("gz", [False, True])
def test_a_csv_rewrite_keeps_every_other_byte(tmp_path: Path, gz: bool) -> None:
    data = CSV_TEXT.encode()
    path = _write(tmp_path, CONTACTS, "contacts.csv" + (".gz" if gz else ""), gzip.compress(data) if gz else data)
    rewrite_without(CONTACTS, path, f"contacts/{path.name}", {f"contacts/{path.name}": {1, 3}})
    out = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
    assert (
        out.decode() == "Contacts export\r\nid,email,phone,note\r\n2, Bob@Example.com ,,ok\r\n\r\n"
        "4,dora@example.com,0039 320 000 0000,last\r\n"
    )


def test_a_json_page_and_ndjson_and_parquet_and_zip_member_rewrite(tmp_path: Path) -> None:
    page = {
        "results": [{"id": 1, "properties": {"email": "a@x.it"}}, {"id": 2, "properties": {"email": "b@x.it"}}],
        "paging": {"next": None},
    }
    path = _write(tmp_path, PAGES, "page_1.json", json.dumps(page, indent=2).encode())
    rewrite_without(PAGES, path, "pages/page_1.json", {"pages/page_1.json": {1}})
    assert json.loads(path.read_text()) == {"results": [page["results"][1]], "paging": {"next": None}}

    lines = "".join(json.dumps({"n": n, "user_pseudo_id": f"d{n}"}) + "\n" for n in range(1, 5))
    path = _write(tmp_path, EVENTS, "events_1.json.gz", gzip.compress(lines.encode()))
    rewrite_without(EVENTS, path, "events/events_1.json.gz", {"events/events_1.json.gz": {2, 4}})
    assert gzip.decompress(path.read_bytes()).decode().splitlines() == lines.splitlines()[0::2]

    parquet = tmp_path / "events" / "events_2.parquet"
    duckdb.sql(
        "copy (select range + 1 as n, 'd' || (range + 1) as user_pseudo_id"
        f" from range(5)) to '{parquet}' (format parquet)"
    )
    rewrite_without(EVENTS, parquet, "events/events_2.parquet", {"events/events_2.parquet": {1, 5}})
    assert duckdb.sql(f"select n from read_parquet('{parquet}') order by n").fetchall() == [(2,), (3,), (4,)]

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "id,email,phone,note\n1,a@x.it,,\n2,b@x.it,,\n")
        archive.writestr("b.csv", "id,email,phone,note\n3,c@x.it,,\n")
    path = _write(tmp_path, CONTACTS, "export.zip", buffer.getvalue())
    rewrite_without(CONTACTS, path, "contacts/export.zip", {"contacts/export.zip/a.csv": {2}})
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["a.csv", "b.csv"]
        assert archive.read("a.csv").decode() == "id,email,phone,note\n1,a@x.it,,\n"
        assert archive.read("b.csv").decode() == "id,email,phone,note\n3,c@x.it,,\n"


def test_a_rewrite_that_would_not_read_back_leaves_the_file(tmp_path: Path, monkeypatch) -> None:
    from dagster_project.privacy import landing_rewrite

    path = _write(tmp_path, CONTACTS, "contacts.csv", CSV_TEXT.encode())
    monkeypatch.setattr(landing_rewrite, "_csv_without", lambda text, *a: text.replace("2, Bob", "9, Bob"))
    with pytest.raises(RewriteError, match="does not read back"):
        rewrite_without(CONTACTS, path, "contacts/contacts.csv", {"contacts/contacts.csv": {1}})
    assert path.read_bytes() == CSV_TEXT.encode()


def test_the_register_matches_every_spelling_and_the_loader_leaves_erased_rows_out(
    con, tmp_path: Path, monkeypatch
) -> None:
    path = _write(tmp_path, CONTACTS, "contacts.csv", CSV_TEXT.encode())
    assert load_table(con, CONTACTS, tmp_path, LOADED_AT).rows_added == 4
    _register(con, ("email", "bob@example.com"), ("phone", "+393331234567"))
    predicate = erased_rows_sql(CONTACTS, KEY)
    assert sorted(r[0] for r in con.execute(f"select id from raw.contacts as r where {predicate}").fetchall()) == [
        "1",
        "2",
        "3",
    ]

    # re-delivered with a change: loaded again without the erased rows, the landing file rewritten
    monkeypatch.setenv("CRM_ERASURE_KEY", KEY.decode())
    path.write_bytes(CSV_TEXT.replace("last", "last edited").encode())
    result = load_table(con, CONTACTS, tmp_path, LOADED_AT)
    assert (result.rows_added, result.rows_erased) == (1, 3)
    assert con.execute("select id, _source_row from raw.contacts").fetchall() == [("4", 1)]
    assert "ann@example.com" not in path.read_text() and "4,dora@example.com" in path.read_text()
    checksum = con.execute(
        f"select checksum from {MANIFEST_TABLE} where file_name = 'contacts/contacts.csv'"
    ).fetchone()[0]
    assert load_table(con, CONTACTS, tmp_path, LOADED_AT).files_skipped == ["contacts/contacts.csv"]  # not new again
    assert checksum


def test_without_the_key_a_load_after_an_erasure_fails_naming_the_variable(con, tmp_path: Path, monkeypatch) -> None:
    _write(tmp_path, CONTACTS, "contacts.csv", CSV_TEXT.encode())
    _register(con, ("email", "bob@example.com"))
    monkeypatch.delenv("CRM_ERASURE_KEY", raising=False)
    monkeypatch.delenv("CRM_ERASURE_KEY_FILE", raising=False)
    with pytest.raises(RawLoadError, match="CRM_ERASURE_KEY"):
        load_table(con, CONTACTS, tmp_path, LOADED_AT)


def test_plan_and_execute_on_raw_rows_nested_fields_and_renumbering(con, tmp_path: Path) -> None:
    _write(tmp_path, CONTACTS, "contacts.csv", CSV_TEXT.encode())
    page = {
        "results": [
            {"id": 1, "properties": {"email": "ANN@example.com", "firstname": "Annabella"}},
            {"id": 2, "properties": {"email": "zed@x.it", "firstname": "Zed"}},
        ]
    }
    _write(tmp_path, PAGES, "page_1.json", json.dumps(page).encode())
    for table in (CONTACTS, PAGES):
        load_table(con, table, tmp_path, LOADED_AT)
    con.execute("create schema audit")
    con.execute("create table audit.data_quality_results (message varchar, partial_unexpected json)")
    con.execute(
        """insert into audit.data_quality_results values ('bad: ann@example.com', '["ann@example.com", "x"]')"""
    )

    plan = erasure.plan(con, ["ann@example.com"], KEY, tables=[CONTACTS, PAGES])
    assert plan.rows == {"raw.contacts": 1, "raw.pages": 1}
    assert "Annabella" in plan.scrub_values and plan.audit_rows == {"audit.data_quality_results": 1}
    assert con.execute("select count(*) from raw.contacts").fetchone()[0] == 4  # a plan changes nothing

    erasure.execute(con, plan, tmp_path, KEY)
    assert con.execute("select id, _source_row from raw.contacts order by id").fetchall() == [
        ("2", 1),
        ("3", 2),
        ("4", 3),
    ]
    assert con.execute("select id from raw.pages").fetchall() == [(2,)]
    message, sample = con.execute("select message, partial_unexpected from audit.data_quality_results").fetchone()
    assert "ann@" not in message and json.loads(sample) == ["[erased]", "x"]
    (log,) = con.execute("select request_hash, status, rows_removed from audit.erasure_log").fetchall()
    assert (
        log[0] == hmac_hex(KEY, "ann@example.com") and log[1] == "scrubbed" and json.loads(log[2])["raw.contacts"] == 1
    )
    assert "ann@example.com" not in (tmp_path / "contacts" / "contacts.csv").read_text()
    assert json.loads((tmp_path / "pages" / "page_1.json").read_text())["results"] == [page["results"][1]]
    assert sorted(erasure.pending_values(con)[plan.erasure_id]) == sorted(plan.scrub_values)
    erasure.finish(con, [plan.erasure_id])
    assert erasure.pending_values(con) == {}
    assert con.execute("select status from audit.erasure_log").fetchone()[0] == "completed"


def test_a_request_naming_nobody_is_refused(con) -> None:
    with pytest.raises(erasure.ErasureError):
        erasure.parse_request(["  "])


def test_scrubbing_logs_in_place_and_sqlite_then_compacting(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "run.log"
    log.parent.mkdir()
    log.write_text('config {"identifiers": ["ann@example.com"]} rows 3048432 of 13048432\n')
    size = log.stat().st_size
    assert compaction.scrub_text_files([tmp_path / "logs"], ["Ann@Example.com", "3048432"]) == [log]
    assert log.stat().st_size == size and "ann@" not in log.read_text() and "13048432" in log.read_text()

    db = tmp_path / "home" / "storage" / "runs.db"
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as con:
        con.execute("create table runs (run_body text)")
        con.execute("""insert into runs values ('{"identifiers": ["ann@example.com"]}')""")
    assert compaction.scrub_sqlite(tmp_path / "home", ["ann@example.com"]) == [db]
    assert b"ann@example.com" not in db.read_bytes()

    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("pragma force_compression = 'uncompressed'")  # so the deleted bytes are plain to see
        con.execute(
            "create schema raw; create table raw.t as select case when range = 777 then 'ann@example.com'"
            " else 'other' || range end as v, range as n from range(200000)"
        )
        con.execute("create view raw.v as select * from raw.t")
        con.execute("checkpoint")
        con.execute("delete from raw.t where n = 777")
        con.execute("checkpoint")
    assert b"ann@example.com" in warehouse.read_bytes()  # deleted, not gone
    compaction.compact_duckdb(warehouse)
    assert b"ann@example.com" not in warehouse.read_bytes()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from raw.v").fetchone()[0] == 199999


def test_the_erasure_key_is_never_defaulted(monkeypatch) -> None:
    from dagster_project.privacy.erasure_register import erasure_key

    monkeypatch.delenv("CRM_ERASURE_KEY", raising=False)
    monkeypatch.delenv("CRM_ERASURE_KEY_FILE", raising=False)
    with pytest.raises(MissingSecretError, match="CRM_ERASURE_KEY is not set"):
        erasure_key()
