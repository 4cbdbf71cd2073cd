"""Google Ads "Campaign report" downloads (UI .csv and the "Excel .csv" UTF-16 variant), the team's
campaign mapping and the paid media generic CSV: loader, end to end (fixtures in
tests/fixtures/exports/google_ads and generic/ads_*), and the generator's native files.

Figures: tests/fixtures/exports/google_ads/EXPECTED.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)
TABLE = "google_ads_campaign_daily"
FIXTURE = EXPORT_FIXTURES_DIR / "google_ads" / TABLE / "Campaign report.csv"
MAPPING_FIXTURE = EXPORT_FIXTURES_DIR / "generic" / "ads_campaign_mapping" / "campaign_mapping.csv"
BRAND, PROMO = "15734829102", "21983746510"


def land(landing: Path, name: str, data: bytes | str, table: str = TABLE) -> Path:
    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def load(con, landing: Path, table: str = TABLE):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- loader


def test_the_campaign_report_loads_without_title_lines_and_totals(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURE.parent, tmp_path / TABLE)
    result = load(con, tmp_path)
    assert result.rows_added == 6 and not result.warnings
    assert con.execute(f"select dropped_rows from {MANIFEST_TABLE}").fetchone()[0] == 2  # Total: Account / Campaigns
    rows = con.execute(
        f"select day, campaign, campaign_id, campaign_type, campaign_status, currency_code, impr, clicks, ctr, avg_cpc,"
        f" cost, conversions, conv_value, cost_conv, customer_id from raw.{TABLE} order by _source_row"
    ).fetchall()
    assert rows[0] == (
        date(2025, 3, 17),
        "IT | Search | Brand",
        BRAND,
        "Search",
        "Enabled",
        "EUR",
        1204,
        212,
        17.61,
        0.41,
        86.92,
        9.0,
        1078.5,
        9.66,
        None,
    )
    # "--" (Cost / conv. without conversions) is null, not 0; thousands separators are gone
    assert rows[3][2] == PROMO and rows[3][11] == 0.0 and rows[3][13] is None
    assert [r[6] for r in rows] == [1204, 3402, 1187, 3650, 1250, 3518]
    assert sum(r[6] for r in rows) == 14211 and round(sum(r[10] for r in rows), 2) == 632.75
    assert round(sum(r[11] for r in rows), 2) == 31.83 and round(sum(r[12] for r in rows), 2) == 3859.15


def test_the_excel_csv_variant_utf16_with_tabs_loads_the_same_rows(con, tmp_path: Path) -> None:
    records = list(csv.reader(io.StringIO(fixture_text())))
    tsv = io.StringIO()
    csv.writer(tsv, delimiter="\t", lineterminator="\r\n").writerows(records)
    land(tmp_path, "Campaign report.csv", tsv.getvalue().encode("utf-16"))  # BOM FF FE + UTF-16 LE
    assert (tmp_path / TABLE / "Campaign report.csv").read_bytes()[:2] == b"\xff\xfe"
    assert load(con, tmp_path).rows_added == 6
    assert con.execute(f"select sum(impr), round(sum(cost), 2), count(cost_conv) from raw.{TABLE}").fetchone() == (
        14211,
        632.75,
        5,
    )


def test_a_bom_another_column_order_and_totals_labels_in_another_column(con, tmp_path: Path) -> None:
    """Columns in the user's order (Day not first): the totals rows are told apart by their Campaign ID."""
    land(
        tmp_path,
        "Campaign report (3).csv",
        '\ufeffCampaign report\n"Sep 1, 2026 to Sep 2, 2026"\n'
        "Campaign status,Campaign,Campaign ID,Day,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value,All"
        " conv.,Search impr. share\n"
        'Enabled,"Saldi, autunno",12345678901,2026-09-01,EUR,"1,234.56","12,034",842,40.50,"2,000.00",41.00,< 10%\n'
        "Paused,Brand,12345678902,2026-09-02,EUR,0.00,3,0,0.00,0.00,0.00,--\n"
        'Total: Account,,,,EUR,"1,234.56","12,037",842,40.50,"2,000.00",41.00,--\n'
        'Total : campagnes,--,--,--,EUR,"1,234.56","12,037",842,40.50,"2,000.00",41.00,--\n',
    )
    result = load(con, tmp_path)
    assert result.rows_added == 2
    assert result.warnings and "Search impr. share" in result.warnings[0]  # an added column is reported, not refused
    assert con.execute(
        f"select campaign, cost, impr, all_conv, campaign_type from raw.{TABLE} order by day"
    ).fetchall() == [("Saldi, autunno", 1234.56, 12034, 41.0, None), ("Brand", 0.0, 3, 0.0, None)]


def test_a_missing_required_column_names_file_line_and_column(con, tmp_path: Path) -> None:
    lines = fixture_text().splitlines()
    records = [r[:2] + r[3:] for r in csv.reader(lines)]  # without Campaign ID
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    land(tmp_path, "Campaign report.csv", buffer.getvalue())
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert (error.value.file, error.value.line, error.value.column) == (
        f"{TABLE}/Campaign report.csv",
        3,
        "campaign_id",
    )


def test_a_report_without_the_day_segment_is_refused(con, tmp_path: Path) -> None:
    land(
        tmp_path,
        "Campaign report.csv",
        'Campaign report\n"March 1, 2026 - March 31, 2026"\n'
        "Month,Campaign,Campaign ID,Currency code,Impr.,Clicks,Cost,Conversions,Conv. value\n"
        '2026-03-01,Brand,12345678901,EUR,"4,000",300,120.00,10.00,900.00\n',
    )
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert error.value.column == "day" and error.value.line == 3


def test_a_non_iso_day_is_refused_with_its_line(con, tmp_path: Path) -> None:
    text = fixture_text().replace("2025-03-18,IT | Search | Brand", "18/03/2025,IT | Search | Brand")
    land(tmp_path, "Campaign report.csv", text)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert (error.value.line, error.value.column) == (6, "Day")


def test_the_mapping_loads_with_optional_columns(con, tmp_path: Path) -> None:
    land(
        tmp_path,
        "by_name.csv",
        "platform,campaign_name,utm_campaign\nmeta_ads,Saldi 2026 | Conversions,saldi_2026\n",
        table="ads_campaign_mapping",
    )
    shutil.copy(MAPPING_FIXTURE, tmp_path / "ads_campaign_mapping" / MAPPING_FIXTURE.name)
    assert load(con, tmp_path, "ads_campaign_mapping").rows_added == 5
    assert con.execute(
        "select campaign_id, account_id from raw.ads_campaign_mapping where campaign_name like 'Saldi%'"
    ).fetchall() == [(None, None)]


# --------------------------------------------------------------------------- end to end (all tools' fixtures)


def query(workspace, sql: str) -> list[tuple]:
    """Rows of ``sql``; decimals (the EUR amounts) as floats rounded to 6 places."""
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        rows = connection.execute(sql).fetchall()
    return [tuple(round(float(v), 6) if isinstance(v, Decimal) else v for v in row) for row in rows]


def test_end_to_end_raw_staging_conformed_and_marts(exports_run) -> None:
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if "ads" in p]
    assert not problems, problems
    assert query(workspace, f"select count(*), sum(impr) from raw.{TABLE}") == [(6, 14211)]
    assert query(workspace, "select count(*) from raw.ads_campaign_mapping") == [(4,)]
    staged = query(
        workspace,
        "select ad_campaign_id, report_date, impressions, clicks, cost_eur, conversions,"
        " conversion_value_eur, network, campaign_status, segment_rows"
        " from staging.stg_google_ads__campaign_daily order by report_date, ad_campaign_id",
    )
    assert len(staged) == 6
    assert staged[0][:7] == (BRAND, date(2025, 3, 17), 1204, 212, 86.92, 9.0, 1078.5)
    assert {(r[7], r[8], r[9]) for r in staged} == {("search", "enabled", 1)}
    conformed = query(
        workspace,
        "select distinct ad_campaign_id, account_id, utm_campaign, utm_campaign_source"
        " from intermediate.int_ads__campaign_daily where source_system = 'google_ads' order by 1",
    )
    assert conformed == [
        (BRAND, "482-193-5521", "brand_always_on", "mapping_campaign_id"),
        (PROMO, "482-193-5521", "spring_2025", "mapping_campaign_id"),
    ]
    daily = query(
        workspace,
        "select period_start_date, impressions, clicks, cost_eur from marts.mart_paid_media_kpis_daily"
        " where platform = 'google_ads' order by 1",
    )
    assert [(r[0], r[3]) for r in daily] == [
        (date(2025, 3, 17), 205.38),
        (date(2025, 3, 18), 210.51),
        (date(2025, 3, 19), 216.86),
    ]
    monthly = query(
        workspace,
        "select impressions, clicks, cost_eur, conversions, conversion_value_eur,"
        " round(cost_per_acquisition_eur, 2), round(click_through_rate, 4)"
        " from marts.mart_paid_media_kpis_monthly where platform = 'google_ads'",
    )
    assert monthly == [(14211, 1068, 632.75, pytest.approx(31.83), 3859.15, 19.88, 0.0752)]
    campaigns = query(
        workspace,
        "select utm_campaign, cost_eur from marts.mart_paid_media_campaign_kpis_monthly"
        " where platform = 'google_ads' order by 1",
    )
    assert campaigns == [("brand_always_on", 262.85), ("spring_2025", 369.90)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    """The generic CSV (DV360 in the fixture) beside the native exports."""
    workspace, _ = exports_run
    assert query(workspace, "select count(*) from raw.ads_campaign_daily") == [(6,)]
    assert query(
        workspace,
        "select count(*), sum(impressions), sum(cost_eur), min(utm_campaign_source)"
        " from intermediate.int_ads__campaign_daily where source_system = 'generic_csv'",
    ) == [(6, 214605, 531.95, "export")]
    total = query(workspace, "select sum(cost_eur), count(*) from intermediate.int_ads__campaign_daily")
    assert total == [(1554.87, 18)]  # 632.75 Google + 390.17 Meta + 531.95 DV360


# --------------------------------------------------------------------------- generator


GENERATE = ["--people", "150", "--start", "2026-02-20", "--end", "2026-04-05"]
ADS_FOLDERS = ("google_ads_campaign_daily", "meta_ads_campaign_daily", "ads_campaign_mapping", "ads_campaign_daily")


def generate(out: Path, seed: str = "3") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("ads_generated"))


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ADS_FOLDERS
        for p in sorted((root / folder).iterdir())
    }


def test_the_generator_writes_one_campaign_report_per_month_as_downloaded(generated: Path) -> None:
    names = sorted(p.name for p in (generated / TABLE).iterdir())
    assert names == ["Campaign report (1).csv", "Campaign report (2).csv", "Campaign report.csv"]
    lines = (generated / TABLE / "Campaign report (1).csv").read_bytes().decode("utf-8").split("\n")
    assert lines[0] == "Campaign report" and lines[1] == '"March 1, 2026 - March 31, 2026"'
    assert lines[2] == (
        "Day,Campaign,Campaign ID,Campaign type,Campaign status,Currency code,Impr.,Clicks,CTR,"
        "Avg. CPC,Cost,Conversions,Conv. value,Cost / conv."
    )
    assert lines[-3].startswith("Total: Account,--,--,--,--,EUR,") and lines[-2].startswith("Total: Campaigns,")
    assert lines[-1] == ""
    first = (generated / TABLE / "Campaign report.csv").read_text(encoding="utf-8").split("\n")[1]
    assert first == '"February 20, 2026 - February 28, 2026"'  # the window starts mid-month
    with duckdb.connect(":memory:") as connection:
        result = load_table(connection, raw_table(TABLE), generated, LOADED_AT)
        assert result.rows_added > 0 and not result.warnings
        assert connection.execute(
            f"select count(*) from raw.{TABLE} where day < date '2026-02-20'"
            f" or day > date '2026-04-05' or campaign_id is null"
        ).fetchone() == (0,)


def test_the_google_ads_cost_is_the_finance_media_spend(generated: Path) -> None:
    """Same simulated world: the reports' cost per day and campaign is finance's Google Ads media spend."""
    with duckdb.connect(":memory:") as connection:
        for table in (TABLE, "ads_campaign_mapping", "finance_marketing_spend", "ads_campaign_daily"):
            load_table(connection, raw_table(table), generated, LOADED_AT)
        mismatches = connection.execute(f"""
            with report as (
                select day, utm_campaign, round(sum(cost), 2) as cost
                from raw.{TABLE} inner join raw.ads_campaign_mapping using (campaign_id)
                group by all having sum(cost) > 0
            ),
            finance as (
                select spend_date as day, utm_campaign, round(sum(amount), 2) as cost
                from raw.finance_marketing_spend where platform = 'google_ads' and cost_type = 'media' group by all
            )
            select count(*) from report full join finance using (day, utm_campaign)
            where report.cost is distinct from finance.cost""").fetchone()[0]
        assert mismatches == 0
        assert connection.execute(
            "select count(*) from raw.ads_campaign_daily where platform <> 'dv360'"
        ).fetchone() == (0,)


def test_the_generator_is_deterministic_for_the_ads_files(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digests(again) == digests(generated)
    other = generate(tmp_path / "other", seed="4")
    assert digests(other).keys() == digests(generated).keys() and digests(other) != digests(generated)
