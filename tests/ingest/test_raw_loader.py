"""Raw loader: idempotent reloads, new-file pick-up, malformed files rejected with nothing lost."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table, raw_tables
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table

NPS = raw_table("survey_nps_responses")
HEADER = "response_id,survey_id,submitted_at,respondent_email,contact_id,score,verbatim,channel"
LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)


def write_nps(landing: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    folder = landing / NPS.name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write("\n".join([header, *rows]) + "\n")
    return path


def good_rows(prefix: str, count: int) -> list[str]:
    return [
        f'{prefix}{i},relationship_q1,2026-03-0{1 + i % 9}T10:00:00Z,a{i}@example.org,,{i % 11},"Ottimo, grazie",email'
        for i in range(count)
    ]


def table_state(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, int]:
    rows = con.execute(f"select count(*) from raw.{name}").fetchone()[0]
    files = con.execute(f"select count(*) from {MANIFEST_TABLE} where table_name = ?", [name]).fetchone()[0]
    return rows, files


def test_contract_declares_every_tool_and_generic_csv() -> None:
    sources = {t.source for t in raw_tables()}
    tools = {
        "ga4",
        "mailchimp",
        "hubspot",
        "shopify",
        "meta",
        "meta_ads",
        "google_ads",
        "search_console",
        "trustpilot",
        "delighted",
        "eventbrite",
        "wordpress",
    }
    generic = {"web", "esp", "crm", "shop", "social", "ads", "gsc", "reviews", "survey", "ticketing", "blog", "finance"}
    assert tools | generic <= sources, sorted(tools | generic - sources)
    assert len({t.name for t in raw_tables()}) == len(raw_tables())


def test_reload_is_idempotent_and_new_files_are_picked_up(con, tmp_path: Path) -> None:
    write_nps(tmp_path, "nps_202603.csv.gz", good_rows("r", 5))
    first = load_table(con, NPS, tmp_path, LOADED_AT)
    assert (first.rows_added, first.rows_total, first.files_loaded) == (
        5,
        5,
        ["survey_nps_responses/nps_202603.csv.gz"],
    )

    second = load_table(con, NPS, tmp_path, LOADED_AT)
    assert (second.rows_added, second.rows_total, second.files_loaded) == (0, 5, [])
    assert second.files_skipped == ["survey_nps_responses/nps_202603.csv.gz"]

    write_nps(tmp_path, "nps_202604.csv.gz", good_rows("s", 3))
    third = load_table(con, NPS, tmp_path, LOADED_AT)
    assert (third.rows_added, third.rows_total) == (3, 8)
    assert table_state(con, NPS.name) == (8, 2)
    lineage = con.execute(
        "select _source_file, count(*) from raw.survey_nps_responses group by 1 order by 1"
    ).fetchall()
    assert lineage == [("survey_nps_responses/nps_202603.csv.gz", 5), ("survey_nps_responses/nps_202604.csv.gz", 3)]
    row = con.execute(
        "select score, verbatim, submitted_at from raw.survey_nps_responses where response_id = 'r1'"
    ).fetchone()
    assert row == (1, "Ottimo, grazie", datetime(2026, 3, 2, 10, 0))


def test_bad_value_names_file_line_and_column_and_loads_nothing(con, tmp_path: Path) -> None:
    write_nps(tmp_path, "nps_202603.csv.gz", good_rows("r", 5))
    load_table(con, NPS, tmp_path, LOADED_AT)
    rows = good_rows("s", 4)
    rows[2] = rows[2].replace(",2,", ",ten,")  # line 4 of the file (header is line 1)
    write_nps(tmp_path, "nps_202604.csv.gz", good_rows("t", 2))  # a good new file in the same batch
    write_nps(tmp_path, "nps_202605.csv.gz", rows)

    with pytest.raises(RawLoadError) as error:
        load_table(con, NPS, tmp_path, LOADED_AT)
    assert (error.value.file, error.value.line, error.value.column) == (
        "survey_nps_responses/nps_202605.csv.gz",
        4,
        "score",
    )
    assert "nps_202605.csv.gz, line 4, column 'score'" in str(error.value)
    assert "ten" in str(error.value)
    assert table_state(con, NPS.name) == (5, 1), "the failed batch must leave the table exactly as it was"


def test_missing_column_is_named(con, tmp_path: Path) -> None:
    header = HEADER.replace(",channel", "")
    write_nps(tmp_path, "nps_202603.csv.gz", [r.rsplit(",", 1)[0] for r in good_rows("r", 3)], header=header)
    with pytest.raises(RawLoadError) as error:
        load_table(con, NPS, tmp_path, LOADED_AT)
    assert (error.value.line, error.value.column) == (1, "channel")
    assert (
        con.execute(
            "select count(*) from information_schema.tables where table_name = 'survey_nps_responses'"
        ).fetchone()[0]
        == 0
    )


def test_short_row_is_rejected_with_its_line(con, tmp_path: Path) -> None:
    rows = good_rows("r", 6)
    rows[4] = "r4,relationship_q1,2026-03-01T10:00:00Z"
    write_nps(tmp_path, "nps_202603.csv.gz", rows)
    with pytest.raises(RawLoadError) as error:
        load_table(con, NPS, tmp_path, LOADED_AT)
    assert error.value.line == 6
    assert "MISSING COLUMNS" in str(error.value)
