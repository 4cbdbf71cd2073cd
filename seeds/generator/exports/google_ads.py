"""Google Ads: the "Campaign report" the web UI downloads, one per month.

Google Ads > Campaigns > (table) Segment > Time > Day > Download > .csv, English (US) UI
(spec: /work/specs/google_ads.md, docs/sources/google_ads.md). What the file looks like:

* named after the report title, ``Campaign report.csv``; the browser names the next downloads
  into the same folder ``Campaign report (1).csv``, ``Campaign report (2).csv`` ... (one per
  month here, in month order);
* UTF-8 without BOM, comma-delimited, minimal quoting (only fields with a comma), ``\\n``;
* two title lines above the header: the report name and the date range in the UI's words
  (``"March 1, 2026 - March 31, 2026"``);
* one row per campaign and day with impressions (campaign-days without impressions are not
  listed), numbers with thousands separators (``"1,204"``, ``"1,078.50"``), CTR as ``17.61%``,
  ``--`` where a ratio cannot be computed (Avg. CPC without clicks, Cost / conv. without
  conversions);
* ``Total: Account`` and ``Total: Campaigns`` rows at the bottom (label in the first column,
  ``--`` in the attribute columns);
* no UTM and no customer id (the team's mapping, ``ads_campaign_mapping``, gives both).

Also the team's mapping of the Google Ads campaigns: ``ads_campaign_mapping/
campaign_mapping_google_ads.csv`` (platform, account_id, campaign_id, campaign_name,
utm_campaign), by campaign id.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seeds.generator.writers import ExportCsv

FOLDERS = ("google_ads_campaign_daily", "ads_campaign_mapping")
TABLE = "google_ads_campaign_daily"
MAPPING_FOLDER = "ads_campaign_mapping"
MAPPING_FILE = "campaign_mapping_google_ads.csv"
REPORT_TITLE = "Campaign report"
HEADER = (
    "Day",
    "Campaign",
    "Campaign ID",
    "Campaign type",
    "Campaign status",
    "Currency code",
    "Impr.",
    "Clicks",
    "CTR",
    "Avg. CPC",
    "Cost",
    "Conversions",
    "Conv. value",
    "Cost / conv.",
)
MAPPING_HEADER = ("platform", "account_id", "campaign_id", "campaign_name", "utm_campaign")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
CAMPAIGN_TYPE = {"search": "Search", "display": "Display", "video": "Video"}
NOT_COMPUTABLE = "--"


@dataclass(frozen=True)
class CampaignDay:
    """One campaign-day of the simulated account, in the account currency."""

    day: str  # YYYY-MM-DD, account time zone (Europe/Rome)
    campaign_id: str
    campaign: str
    network: str
    status: str  # Enabled / Paused at download time
    impressions: int
    clicks: int
    cost: float
    conversions: float
    conversion_value: float


def file_name(index: int) -> str:
    """``Campaign report.csv`` for the first download, ``Campaign report (n).csv`` after."""
    return f"{REPORT_TITLE}.csv" if index == 0 else f"{REPORT_TITLE} ({index}).csv"


def date_range_line(first: str, last: str) -> str:
    """``March 1, 2026 - March 31, 2026`` (English UI)."""

    def words(iso: str) -> str:
        year, month, day = (int(part) for part in iso.split("-"))
        return f"{MONTHS[month - 1]} {day}, {year}"

    return f"{words(first)} - {words(last)}"


def _number(value: float, decimals: int = 2) -> str:
    return f"{round(value + 0.0, decimals):,.{decimals}f}"


def _ratio(numerator: float, denominator: float, *, percent: bool = False) -> str:
    if not denominator:
        return NOT_COMPUTABLE
    value = numerator / denominator * (100 if percent else 1)
    return f"{value:,.2f}%" if percent else _number(value)


def _metrics(impressions: int, clicks: int, cost: float, conversions: float, value: float) -> list[str]:
    return [
        f"{impressions:,}",
        f"{clicks:,}",
        _ratio(clicks, impressions, percent=True),
        _ratio(cost, clicks),
        _number(cost),
        _number(conversions),
        _number(value),
        _ratio(cost, conversions),
    ]


def write_report(path: Path, first: str, last: str, currency: str, rows: Sequence[CampaignDay]) -> int:
    """One downloaded campaign report; returns the campaign-day rows written."""
    out = ExportCsv(
        path, HEADER, preamble=[(REPORT_TITLE,), (date_range_line(first, last),)], quoting=csv.QUOTE_MINIMAL
    )
    listed = sorted((r for r in rows if r.impressions > 0), key=lambda r: (r.day, r.campaign, r.campaign_id))
    for r in listed:
        out.write(
            [
                r.day,
                r.campaign,
                r.campaign_id,
                CAMPAIGN_TYPE[r.network],
                r.status,
                currency,
                *_metrics(
                    r.impressions, r.clicks, round(r.cost, 2), round(r.conversions, 2), round(r.conversion_value, 2)
                ),
            ]
        )
    totals = _metrics(
        sum(r.impressions for r in listed),
        sum(r.clicks for r in listed),
        sum(round(r.cost, 2) for r in listed),
        sum(round(r.conversions, 2) for r in listed),
        sum(round(r.conversion_value, 2) for r in listed),
    )
    for label in ("Total: Account", "Total: Campaigns"):
        out.write_raw([label, NOT_COMPUTABLE, NOT_COMPUTABLE, NOT_COMPUTABLE, NOT_COMPUTABLE, currency, *totals])
    out.close()
    return out.rows


def write_mapping(out_dir: Path, rows: Sequence[tuple[str, str, str, str]]) -> int:
    """The team's sheet of Google Ads campaigns: (account_id, campaign_id, campaign_name, utm_campaign)."""
    out = ExportCsv(out_dir / MAPPING_FOLDER / MAPPING_FILE, MAPPING_HEADER)
    for account_id, campaign_id, name, utm in sorted(rows, key=lambda r: (r[2], r[1])):
        out.write(["google_ads", account_id, campaign_id, name, utm])
    out.close()
    return out.rows
