"""Google Search Console bulk data export (bq extract NDJSON of searchdata_site_impression,
searchdata_url_impression, ExportLog) and the SEO generic CSV: loader, end to end (fixtures in
tests/fixtures/exports/search_console and generic/gsc_search_performance), and the generator's
native files.

Figures: tests/fixtures/exports/search_console/EXPECTED.md. The generic fixture
(generic/gsc_search_performance/search_performance_202609.csv) holds September 2026: 2026-09-14
ita/gbr 300 impressions, 42 clicks; 2026-09-15 one row landed twice (the generic CSV keeps one
copy) 100 impressions, 40 clicks; month: 400 impressions, 82 clicks, sum_top_position 600
(average position 2.5).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 7, 12, 0, 0)
SITE = "gsc_searchdata_site_impression"
URL = "gsc_searchdata_url_impression"
LOG = "gsc_export_log"
FIXTURES = EXPORT_FIXTURES_DIR / "search_console"
FOLDERS = (SITE, URL, LOG)


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def fixture_lines(table: str, name: str) -> list[dict]:
    path = FIXTURES / table / name
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def land_lines(landing: Path, table: str, name: str, records: list[dict]) -> Path:
    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- loader


def test_the_extracts_load_with_int64_strings_gzip_and_shard_names(con, tmp_path: Path) -> None:
    for table in FOLDERS:
        shutil.copytree(FIXTURES / table, tmp_path / table)
    site, url, log = (load(con, tmp_path, t) for t in FOLDERS)
    assert (site.rows_added, url.rows_added, log.rows_added) == (14, 15, 6)
    assert not site.warnings and not url.warnings and not log.warnings
    # INT64 arrive as JSON strings ("120"): typed bigint / double in raw
    assert con.execute(
        f"select sum(impressions), sum(clicks), sum(sum_top_position) from raw.{SITE} where search_type = 'WEB'"
    ).fetchone() == (900, 116, 3320.0)
    assert con.execute(
        f"select sum(impressions), sum(clicks), sum(sum_position) from raw.{URL} where search_type = 'WEB'"
    ).fetchone() == (905, 115, 3314.0)
    # the partition date comes from the file name, shard suffix and .gz included
    assert con.execute(f"select partition_date, count(*) from raw.{URL} group by 1 order by 1").fetchall() == [
        ("20261102", 6),
        ("20261103", 4),
        ("20261104", 5),
    ]
    # anonymized queries: "" in the site table, an absent key (null) in the URL table
    assert con.execute(f"select count(*) from raw.{SITE} where is_anonymized_query and query = ''").fetchone() == (3,)
    assert con.execute(f"select count(*) from raw.{URL} where is_anonymized_query and query is null").fetchone() == (3,)
    assert con.execute(f"select count(*) from raw.{URL} where is_review_snippet").fetchone()[0] > 0
    latest = con.execute(f"select max(publish_time) at time zone 'UTC' from raw.{LOG}").fetchone()[0]
    assert latest == datetime(2026, 11, 6, 10, 5, 29, 331000)


def test_unknown_appearance_flags_are_ignored_and_missing_ones_are_null(con, tmp_path: Path) -> None:
    records = fixture_lines(URL, "searchdata_url_impression_20261102.json")
    records[0]["is_ai_overview"] = True  # a flag Google added after our contract
    del records[0]["is_video"]
    land_lines(tmp_path, URL, "searchdata_url_impression_20261102.json", records)
    result = load(con, tmp_path, URL)
    assert result.rows_added == 6
    assert any("is_ai_overview" in w for w in result.warnings)
    assert con.execute(f"select is_video from raw.{URL} where _source_row = 1").fetchone() == (None,)
    assert con.execute(f"select ignored_fields from {MANIFEST_TABLE}").fetchone()[0] == "is_ai_overview"


def test_positions_as_numbers_and_a_csv_extract_load_too(con, tmp_path: Path) -> None:
    records = fixture_lines(SITE, "searchdata_site_impression_20261103.json")
    for r in records:  # FLOAT64 reading of sum_top_position: a JSON number
        r["sum_top_position"] = float(r["sum_top_position"]) + 0.5
    land_lines(tmp_path, SITE, "searchdata_site_impression_20261103.json", records)
    # bq extract --destination_format=CSV of another day: header, NULL as an empty field
    columns = [
        "data_date",
        "site_url",
        "query",
        "is_anonymized_query",
        "country",
        "search_type",
        "device",
        "impressions",
        "clicks",
        "sum_top_position",
    ]
    rows = fixture_lines(SITE, "searchdata_site_impression_20261104.json")
    csv_text = (
        ",".join(columns)
        + "\n"
        + "".join(
            ",".join(
                "true" if r.get(c) is True else "false" if r.get(c) is False else str(r.get(c) or "") for c in columns
            )
            + "\n"
            for r in rows
        )
    )
    (tmp_path / SITE / "searchdata_site_impression_20261104.csv").write_text(csv_text, encoding="utf-8")
    assert load(con, tmp_path, SITE).rows_added == 8
    assert con.execute(f"select sum(sum_top_position) from raw.{SITE} where data_date = '2026-11-03'").fetchone() == (
        942.0,
    )
    assert con.execute(
        f"select sum(impressions), count(query) from raw.{SITE} where data_date = '2026-11-04'"
    ).fetchone() == (300, 3)


def test_a_record_without_impressions_names_file_line_and_column(con, tmp_path: Path) -> None:
    records = fixture_lines(SITE, "searchdata_site_impression_20261102.json")
    del records[3]["impressions"]
    land_lines(tmp_path, SITE, "searchdata_site_impression_20261102.json", records)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, SITE)
    assert (error.value.file, error.value.line, error.value.column) == (
        f"{SITE}/searchdata_site_impression_20261102.json",
        4,
        "impressions",
    )
    assert "Nothing was loaded" in str(error.value)


def test_a_non_numeric_count_is_refused_with_its_line(con, tmp_path: Path) -> None:
    records = fixture_lines(SITE, "searchdata_site_impression_20261102.json")
    records[1]["clicks"] = "n/a"
    land_lines(tmp_path, SITE, "searchdata_site_impression_20261102.json", records)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, SITE)
    assert error.value.line == 2 and error.value.column == "clicks"


# --------------------------------------------------------------------------- end to end


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        rows = connection.execute(sql).fetchall()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]


def test_end_to_end_raw_staging_conformed_and_marts(exports_run) -> None:
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if "seo" in p or "gsc" in p or "search_console" in p]
    assert not problems, problems
    assert query(workspace, f"select count(*) from raw.{SITE}") == [(14,)]
    assert query(workspace, f"select count(*) from raw.{URL}") == [(15,)]
    assert query(workspace, f"select count(*) from raw.{LOG}") == [(6,)]
    # the repeated key of the URL table is summed, not de-duplicated
    assert query(
        workspace,
        "select impressions, clicks, sum_position, export_rows from staging.stg_search_console__url_impressions"
        " where search_date = '2026-11-02' and page_path = '/it/borse/borsa-tote-aurora'"
        " and search_query = 'borsa in pelle' and device_category = 'mobile'",
    ) == [(125, 8, 294.0, 2)]
    assert query(
        workspace,
        "select search_type, sum(impressions) from staging.stg_search_console__site_impressions group by 1 order by 1",
    ) == [("image", 30), ("web", 900)]
    assert query(
        workspace, "select count(*), sum((is_latest_version)::int) from staging.stg_search_console__export_log"
    ) == [(6, 6)]
    # conformed: property totals from the site table, Web only, no page
    assert query(
        workspace,
        "select count(*), sum(impressions), sum(clicks), count(page_url), min(aggregation_level)"
        " from intermediate.int_seo__search_performance where source_system = 'search_console'",
    ) == [(14 - 1, 900, 116, 0, "property")]
    # the per-page view from the URL table
    pages = query(
        workspace,
        "select page_path, sum(impressions), sum(clicks), sum(sum_top_position) / sum(impressions) + 1"
        " from intermediate.int_seo__page_performance where source_system = 'search_console'"
        " group by 1 order by 1",
    )
    assert pages == [
        ("/", 110, 55, 1.0),
        ("/en/", 50, 13, 6.4),
        ("/en/bags/aurora-leather-tote", 110, 6, 7.363636),
        ("/it/borse/borsa-tote-aurora", 445, 33, 3.121348),
        ("/it/portafogli/portafoglio-donna-luna", 190, 8, 8.368421),
    ]
    # marts (November 2026 is the Search Console fixture only)
    daily = query(
        workspace,
        "select period_start_date, impressions, clicks, click_through_rate, average_position"
        " from marts.mart_seo_kpis_daily where period_start_date between '2026-11-01' and '2026-11-30'"
        " order by 1",
    )
    assert daily == [
        (date(2026, 11, 2), 350, 51, 0.145714, 4.142857),
        (date(2026, 11, 3), 250, 38, 0.152, 4.76),
        (date(2026, 11, 4), 300, 27, 0.09, 5.266667),
    ]
    assert query(
        workspace,
        "select impressions, clicks, click_through_rate, average_position from marts.mart_seo_kpis_monthly"
        " where period_start_date = '2026-11-01'",
    ) == [(900, 116, 0.128889, 4.688889)]
    assert query(
        workspace,
        "select device_category, impressions, clicks from marts.mart_seo_kpis_by_device_monthly"
        " where period_start_date = '2026-11-01' order by 1",
    ) == [("desktop", 260, 38), ("mobile", 640, 78)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    workspace, _ = exports_run
    assert query(workspace, "select count(*) from raw.gsc_search_performance") == [(5,)]
    assert query(
        workspace,
        "select count(*), sum(impressions), sum(clicks), min(aggregation_level), min(search_type)"
        " from intermediate.int_seo__search_performance where source_system = 'generic_csv'",
    ) == [(4, 400, 82, "page", "web")]
    assert query(
        workspace, "select count(*) from intermediate.int_seo__page_performance where source_system = 'generic_csv'"
    ) == [(4,)]
    assert query(
        workspace,
        "select impressions, clicks, average_position from marts.mart_seo_kpis_monthly"
        " where period_start_date = '2026-09-01'",
    ) == [(400, 82, 2.5)]


# --------------------------------------------------------------------------- generator


GENERATE = ["--people", "150", "--start", "2026-02-20", "--end", "2026-04-05"]


def generate(out: Path, seed: str = "3") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("search_console_generated"))


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in FOLDERS
        for p in sorted((root / folder).iterdir())
    }


def test_the_generator_writes_one_bq_extract_per_table_and_day(generated: Path) -> None:
    assert not (generated / "gsc_search_performance").exists()  # the generic CSV is no longer generated
    site = sorted(p.name for p in (generated / SITE).iterdir())
    url = sorted(p.name for p in (generated / URL).iterdir())
    assert site and [n.replace("site", "url") for n in site] == url
    assert all(
        n.startswith("searchdata_site_impression_2026")
        and n.endswith(".json.gz")
        and len(n) == len("searchdata_site_impression_YYYYMMDD.json.gz")
        for n in site
    )
    assert [p.name[:10] + p.name[18:] for p in (generated / LOG).iterdir()] == ["ExportLog_.json.gz"]
    with gzip.open(generated / URL / url[0], "rt", encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    assert list(first)[:3] == ["data_date", "site_url", "url"] and list(first)[-3:] == [
        "impressions",
        "clicks",
        "sum_position",
    ]
    assert isinstance(first["impressions"], str) and first["impressions"].isdigit()
    with duckdb.connect(":memory:") as connection:
        for table in FOLDERS:
            result = load_table(connection, raw_table(table), generated, LOADED_AT)
            assert result.rows_added > 0 and not result.warnings, table
        assert connection.execute(
            f"select count(*) from raw.{SITE} where data_date < '2026-02-20' or data_date > '2026-04-05'"
            f" or clicks > impressions or strptime(partition_date, '%Y%m%d')::date <> data_date"
        ).fetchone() == (0,)
        # property totals are below the per-page totals (an impression counts once per property)
        site_web, url_web = connection.execute(
            f"select (select sum(impressions) from raw.{SITE} where search_type = 'WEB'),"
            f" (select sum(impressions) from raw.{URL} where search_type = 'WEB')"
        ).fetchone()
        assert 0 < site_web <= url_web
        # the quirks: repeated keys, other search types, anonymized queries
        assert (
            connection.execute(
                f"select count(*) from (select data_date, url, query, country, device, search_type"
                f" from raw.{URL} group by all having count(*) > 1)"
            ).fetchone()[0]
            > 0
        )
        assert connection.execute(f"select count(distinct search_type) from raw.{URL}").fetchone()[0] >= 2
        assert connection.execute(
            f"select bool_and(query = '') from raw.{SITE} where is_anonymized_query"
        ).fetchone() == (True,)


def test_the_web_clicks_are_the_seo_modules_clicks(generated: Path) -> None:
    """Same world: the URL table's Web clicks per day follow GA4's organic Google sessions (clicks >= sessions)."""
    with duckdb.connect(":memory:") as connection:
        load_table(connection, raw_table(URL), generated, LOADED_AT)
        load_table(connection, raw_table(SITE), generated, LOADED_AT)
        mismatches = connection.execute(f"""
            select count(*) from (
                select data_date, sum(clicks) as clicks from raw.{URL} where search_type = 'WEB' group by 1
            ) as url full join (
                select data_date, sum(clicks) as clicks from raw.{SITE} where search_type = 'WEB' group by 1
            ) as site using (data_date)
            where url.clicks is distinct from site.clicks""").fetchone()[0]
        assert mismatches == 0  # a click lands on one page: clicks add up from pages to the property


def test_the_generator_is_deterministic_for_the_search_console_files(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digests(again) == digests(generated)
    other = generate(tmp_path / "other", seed="4")
    assert digests(other) != digests(generated)
