"""Meta Ads Manager exports (Campaigns, breakdown by Day, .csv): loader, end to end (fixture in
tests/fixtures/exports/meta_ads, mapping in generic/ads_campaign_mapping) and the generator's
native files.

Figures: tests/fixtures/exports/meta_ads/EXPECTED.md.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import MANIFEST_TABLE, RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures
from tests.ingest.test_exports_google_ads import generated, query  # noqa: F401 (the shared generated set)

LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)
TABLE = "meta_ads_campaign_daily"
FIXTURE_NAME = "Bottega-Aurora-Campaigns-Mar-17-2025-Mar-19-2025.csv"
FIXTURE = EXPORT_FIXTURES_DIR / "meta_ads" / TABLE / FIXTURE_NAME
PRIMAVERA, ALWAYS_ON = "120215384756102938", "120209847561029384"


def land(landing: Path, name: str, text: str) -> Path:
    folder = landing / TABLE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def load(con, landing: Path):
    return load_table(con, raw_table(TABLE), landing, LOADED_AT)


def fixture_text() -> str:
    return FIXTURE.read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------- loader


def test_the_export_loads_without_the_summary_row_with_the_header_currency(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURE.parent, tmp_path / TABLE)
    assert (tmp_path / TABLE / FIXTURE_NAME).read_bytes()[:3] == b"\xef\xbb\xbf"
    result = load(con, tmp_path)
    assert result.rows_added == 6 and not result.warnings
    assert con.execute(f"select dropped_rows from {MANIFEST_TABLE}").fetchone()[0] == 1
    assert con.execute(f"select distinct currency from raw.{TABLE}").fetchall() == [("EUR",)]
    assert con.execute(f"select count(*) from raw.{TABLE} where reporting_starts <> reporting_ends").fetchone() == (0,)
    rows = con.execute(
        f"select campaign_id, reporting_starts, impressions, link_clicks, clicks_all, amount_spent, purchases,"
        f" purchases_conversion_value, reach, cpm, cpc, ctr_link_click_through_rate, result_indicator"
        f" from raw.{TABLE} order by campaign_id, reporting_starts"
    ).fetchall()
    assert [r[0] for r in rows] == [ALWAYS_ON] * 3 + [PRIMAVERA] * 3  # ids stay text, all 18 digits
    assert rows[0][:9] == (ALWAYS_ON, date(2025, 3, 17), 7310, 71, 118, 42.6, None, None, 6105)  # blanks are null
    assert rows[3][5:8] == (84.37, 4.0, 389.6) and rows[3][9:12] == (6.776707, 0.570068, 1.18875502)
    assert sum(r[2] for r in rows) == 60290 and sum(r[3] for r in rows) == 662
    assert round(sum(r[5] for r in rows), 2) == 390.17 and sum(r[4] for r in rows) == 1048
    assert {r[12] for r in rows} == {"actions:link_click", "actions:offsite_conversion.fb_pixel_purchase"}


def test_another_account_currency_and_an_added_column(con, tmp_path: Path) -> None:
    text = (
        fixture_text()
        .replace("(EUR)", "(USD)")
        .replace('"Purchases conversion value"', '"Purchases conversion value","Purchase ROAS (return on ad spend)"')
    )
    lines = text.split("\n")
    text = "\n".join(line + ",3.2" if line and i else line for i, line in enumerate(lines))
    land(tmp_path, "Shop-US-Campaigns-Mar-17-2025-Mar-19-2025.csv", "\ufeff" + text)
    result = load(con, tmp_path)
    assert result.rows_added == 6
    assert result.warnings and "Purchase ROAS (return on ad spend)" in result.warnings[0]
    assert con.execute(f"select distinct currency, count(cpm) from raw.{TABLE} group by 1").fetchall() == [("USD", 6)]


def test_cost_per_results_spelling_and_optional_columns_missing(con, tmp_path: Path) -> None:
    land(
        tmp_path,
        "Shop-Campaigns-Mar-1-2026-Mar-1-2026.csv",
        '"Reporting starts","Reporting ends","Campaign name","Campaign ID","Cost per results","Amount spent (CHF)",'
        'Impressions,"Link clicks",Purchases,"Purchases conversion value"\n'
        "2026-03-01,2026-03-01,,,,5.5,1000,10,,\n"
        '2026-03-01,2026-03-01,"Saldi | Conversions",120000000000000001,5.5,5.5,1000,10,1,80\n',
    )
    assert load(con, tmp_path).rows_added == 1
    assert con.execute(f"select cost_per_result, currency, reach, campaign_delivery from raw.{TABLE}").fetchall() == [
        (5.5, "CHF", None, None)
    ]


def test_a_missing_required_column_names_file_line_and_column(con, tmp_path: Path) -> None:
    text = fixture_text()
    header, *rest = text.split("\n")
    position = next(csv.reader([header])).index("Link clicks")

    def drop(line: str) -> str:
        record = next(csv.reader([line]))
        del record[position]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(record)
        return buffer.getvalue()

    land(tmp_path, FIXTURE_NAME, "\n".join(drop(line) if line else line for line in [header, *rest]))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert (error.value.file, error.value.line, error.value.column) == (f"{TABLE}/{FIXTURE_NAME}", 1, "link_clicks")


def test_an_id_mangled_by_a_spreadsheet_loads_as_text_for_the_gate_to_refuse(con, tmp_path: Path) -> None:
    land(tmp_path, FIXTURE_NAME, fixture_text().replace(PRIMAVERA, "1.20215E+17"))
    load(con, tmp_path)
    bad = con.execute(f"select count(*) from raw.{TABLE} where not regexp_full_match(campaign_id, '\\d+')").fetchone()
    assert bad == (3,)
    campaign_id = next(c for c in raw_table(TABLE).columns if c.name == "campaign_id")
    assert campaign_id.data_type == "varchar" and campaign_id.quality["regex"] == r"^\d+$"  # the raw gate's rule


# --------------------------------------------------------------------------- end to end (all tools' fixtures)


def test_end_to_end_raw_staging_conformed_and_marts(exports_run) -> None:
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if "ads" in p]
    assert not problems, problems
    assert query(workspace, f"select count(*), sum(impressions) from raw.{TABLE}") == [(6, 60290)]
    staged = query(
        workspace,
        "select ad_campaign_id, report_date, reported_days, link_clicks, clicks_all, cost_eur,"
        " purchases, purchases_value_eur, reach from staging.stg_meta_ads__campaign_daily"
        " order by ad_campaign_id, report_date",
    )
    assert len(staged) == 6 and {r[2] for r in staged} == {1}
    assert staged[0] == (ALWAYS_ON, date(2025, 3, 17), 1, 71, 118, 42.6, 0.0, 0.0, 6105)  # empty Purchases -> 0
    conformed = query(
        workspace,
        "select ad_campaign_id, account_id, utm_campaign, utm_campaign_source, network,"
        " sum(clicks), sum(conversions), sum(conversion_value_eur)"
        " from intermediate.int_ads__campaign_daily where source_system = 'meta_ads'"
        " group by all order by 1",
    )
    assert conformed == [
        (ALWAYS_ON, "act_1029384756", "brand_always_on", "mapping_campaign_name", "social", 212, 1.0, 64.9),
        (PRIMAVERA, "act_1029384756", "spring_2025", "mapping_campaign_name", "social", 450, 12.0, 1199.0),
    ]
    monthly = query(
        workspace,
        "select impressions, clicks, cost_eur, conversions, conversion_value_eur,"
        " round(return_on_ad_spend, 3) from marts.mart_paid_media_kpis_monthly"
        " where platform = 'meta_ads'",
    )
    assert monthly == [(60290, 662, 390.17, 13.0, 1263.9, 3.239)]
    daily = query(
        workspace,
        "select period_start_date, impressions, cost_eur from marts.mart_paid_media_kpis_daily"
        " where platform = 'meta_ads' order by 1",
    )
    assert daily == [
        (date(2025, 3, 17), 19760, 126.97),
        (date(2025, 3, 18), 20800, 135.27),
        (date(2025, 3, 19), 19730, 127.93),
    ]
    both = query(
        workspace,
        "select sum(cost_eur), sum(impressions), sum(clicks), round(sum(conversions), 2),"
        " sum(conversion_value_eur) from marts.mart_paid_media_kpis_monthly"
        " where platform in ('google_ads', 'meta_ads')",
    )
    assert both == [(1022.92, 74501, 1730, 44.83, 5123.05)]


# --------------------------------------------------------------------------- generator

NAME = re.compile(r"^Ergonova-Italia-Campaigns-[A-Z][a-z]{2}-[1-9]\d?-\d{4}-[A-Z][a-z]{2}-[1-9]\d?-\d{4}\.csv$")


def test_the_generator_writes_one_ads_manager_export_per_month(generated: Path) -> None:  # noqa: F811
    names = sorted(p.name for p in (generated / TABLE).iterdir())
    assert names == [
        "Ergonova-Italia-Campaigns-Apr-1-2026-Apr-5-2026.csv",
        "Ergonova-Italia-Campaigns-Feb-20-2026-Feb-28-2026.csv",
        "Ergonova-Italia-Campaigns-Mar-1-2026-Mar-31-2026.csv",
    ]
    assert all(NAME.match(n) for n in names)
    raw = (generated / TABLE / names[2]).read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf"Reporting starts","Reporting ends","Campaign name","Campaign ID",')
    lines = raw.decode("utf-8-sig").split("\n")
    assert '"Amount spent (EUR)"' in lines[0] and '"CPM (cost per 1,000 impressions) (EUR)"' in lines[0]
    assert lines[1].startswith("2026-03-01,2026-03-31,,,")  # the account summary row
    assert re.match(
        r'^2026-03-(\d\d),2026-03-\1,"[^"]+",120\d{15},(active|completed),"7-day click or 1-day view",', lines[2]
    )
    assert not re.search(r"\d\.\d*0,", "\n".join(lines))  # plain numbers: no trailing zeros
    with duckdb.connect(":memory:") as connection:
        result = load_table(connection, raw_table(TABLE), generated, LOADED_AT)
        assert result.rows_added > 0 and not result.warnings
        assert connection.execute(
            f"select count(*) from raw.{TABLE} where reporting_starts <> reporting_ends"
            " or campaign_id is null or currency <> 'EUR'"
        ).fetchone() == (0,)
        assert connection.execute(f"select sum(dropped_rows) from {MANIFEST_TABLE}").fetchone() == (3,)


def test_the_meta_spend_is_the_finance_media_spend_and_every_campaign_is_mapped(generated: Path) -> None:  # noqa: F811
    with duckdb.connect(":memory:") as connection:
        for table in (TABLE, "ads_campaign_mapping", "finance_marketing_spend"):
            load_table(connection, raw_table(table), generated, LOADED_AT)
        unmapped = connection.execute(f"""
            select count(*) from raw.{TABLE} as export
            left join raw.ads_campaign_mapping as mapping
                on mapping.platform = 'meta_ads' and mapping.campaign_name = export.campaign_name
            where mapping.utm_campaign is null""").fetchone()[0]
        assert unmapped == 0
        mismatches = connection.execute(f"""
            with export as (
                select reporting_starts as day, utm_campaign, round(sum(amount_spent), 2) as cost
                from raw.{TABLE} inner join raw.ads_campaign_mapping using (campaign_name)
                group by all having sum(amount_spent) > 0
            ),
            finance as (
                select spend_date as day, utm_campaign, round(sum(amount), 2) as cost
                from raw.finance_marketing_spend where platform = 'meta_ads' and cost_type = 'media' group by all
            )
            select count(*) from export full join finance using (day, utm_campaign)
            where export.cost is distinct from finance.cost""").fetchone()[0]
        assert mismatches == 0
