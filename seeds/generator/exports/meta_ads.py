"""Meta Ads: the Ads Manager export of the Campaigns tab by day, one per month.

Ads Manager > Campaigns > Breakdown > By time > Day > Reports > Export table data > .csv,
English (US) Facebook language (spec: /work/specs/meta_ads.md, docs/sources/meta_ads.md):

* named ``<Ad account name, spaces as ->-Campaigns-<Mon>-<D>-<YYYY>-<Mon>-<D>-<YYYY>.csv``, days
  not zero-padded (``Ergonova-Italia-Campaigns-Mar-1-2026-Mar-31-2026.csv``);
* UTF-8 with BOM, comma-delimited, ``\\n``; a header or value with a space, comma, quote or
  parenthesis is quoted (``"Amount spent (EUR)"``, ``"7-day click or 1-day view"``), single
  tokens are not (``Results``, ``2026-03-01``, ``actions:link_click``, ``42.6``);
* the ad account currency only in the headers ``Amount spent (EUR)``, ``CPM (cost per 1,000
  impressions) (EUR)``, ``CPC (cost per link click) (EUR)``;
* first data row: the account summary over the whole range (empty Campaign name and ID,
  Reporting starts..ends = the range, deduplicated reach), then one row per campaign and day
  with impressions (Reporting starts = Reporting ends = the day);
* numbers plain, no thousands separator, no trailing zeros (``42.6``, ``297``); an empty cell
  where there is nothing (no purchases, no link clicks);
* no UTM and no ad account id (the team's mapping, ``ads_campaign_mapping``, gives both).

Also the team's mapping of the Meta campaigns: ``ads_campaign_mapping/
campaign_mapping_meta_ads.csv``, by campaign name (as the team copies it from Ads Manager).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from seeds.generator.writers import ExportCsv

FOLDERS = ("meta_ads_campaign_daily", "ads_campaign_mapping")
TABLE = "meta_ads_campaign_daily"
MAPPING_FOLDER = "ads_campaign_mapping"
MAPPING_FILE = "campaign_mapping_meta_ads.csv"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ATTRIBUTION = "7-day click or 1-day view"
MAPPING_HEADER = ("platform", "account_id", "campaign_id", "campaign_name", "utm_campaign")
_QUOTE_WHEN = (" ", ",", '"', "(", ")", "\n")


def header(currency: str) -> tuple[str, ...]:
    return (
        "Reporting starts",
        "Reporting ends",
        "Campaign name",
        "Campaign ID",
        "Campaign delivery",
        "Attribution setting",
        "Results",
        "Result indicator",
        "Cost per result",
        f"Amount spent ({currency})",
        "Impressions",
        "Reach",
        "Frequency",
        f"CPM (cost per 1,000 impressions) ({currency})",
        "Link clicks",
        f"CPC (cost per link click) ({currency})",
        "CTR (link click-through rate)",
        "Clicks (all)",
        "Purchases",
        "Purchases conversion value",
    )


@dataclass(frozen=True)
class CampaignDay:
    """One campaign-day of the simulated ad account, in the account currency."""

    day: str  # YYYY-MM-DD, ad account time zone (Europe/Rome)
    campaign_id: str
    campaign: str
    delivery: str  # active / completed at export time
    result_indicator: str  # what Results counts (the campaign objective)
    results: int
    impressions: int
    reach: int
    link_clicks: int
    clicks_all: int
    spend: float
    purchases: int
    purchases_value: float


def file_name(account_name: str, first: str, last: str) -> str:
    """``Ergonova-Italia-Campaigns-Mar-1-2026-Mar-31-2026.csv``."""

    def words(iso: str) -> str:
        year, month, day = (int(part) for part in iso.split("-"))
        return f"{MONTHS[month - 1]}-{day}-{year}"

    return f"{account_name.replace(' ', '-')}-Campaigns-{words(first)}-{words(last)}.csv"


def plain(value: float | int | None, decimals: int = 2) -> str:
    """A number as Ads Manager writes it: rounded, no trailing zeros (``42.6``, ``297``); empty for None."""
    if value is None:
        return ""
    text = f"{round(float(value) + 0.0, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _ratio(numerator: float, denominator: float, decimals: int, scale: float = 1.0) -> str:
    return plain(numerator / denominator * scale, decimals) if denominator else ""


def _field(value: str) -> str:
    if any(c in value for c in _QUOTE_WHEN):
        return '"' + value.replace('"', '""') + '"'
    return value


class _MetaCsv:
    """A CSV as Ads Manager writes it: BOM, ``\\n``, a field with a space, comma, quote or
    parenthesis quoted (deterministic bytes)."""

    def __init__(self, path: Path, headers: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("w", encoding="utf-8", newline="")
        self._file.write("\ufeff")
        self.line(headers)
        self.n_cols = len(headers)
        self.rows = 0

    def line(self, fields: Sequence[str]) -> None:
        self._file.write(",".join(_field(f) for f in fields) + "\n")

    def write(self, row: Sequence[object]) -> None:
        if len(row) != self.n_cols:
            raise ValueError(f"expected {self.n_cols} values, got {len(row)}: {row!r}")
        self.line(["" if v is None else str(v) for v in row])
        self.rows += 1

    def close(self) -> None:
        self._file.close()


def _metrics(
    spend: float, impressions: int, reach: int, link_clicks: int, clicks_all: int, purchases: int, value: float
) -> list[str]:
    return [
        plain(spend),
        str(impressions),
        str(reach),
        _ratio(impressions, reach, 6),
        _ratio(spend, impressions, 6, 1000.0),
        plain(link_clicks or None, 0),
        _ratio(spend, link_clicks, 6),
        _ratio(link_clicks, impressions, 8, 100.0) if link_clicks else "",
        plain(clicks_all or None, 0),
        plain(purchases or None, 0),
        plain(value if purchases else None),
    ]


def write_export(
    path: Path, first: str, last: str, currency: str, rows: Sequence[CampaignDay], summary_reach: int
) -> int:
    """One Ads Manager export; returns the campaign-day rows written (the summary row not counted)."""
    listed = sorted((r for r in rows if r.impressions > 0), key=lambda r: (r.campaign, r.campaign_id, r.day))
    out = _MetaCsv(path, header(currency))
    spend = sum(round(r.spend, 2) for r in listed)
    purchases = sum(r.purchases for r in listed)
    value = sum(round(r.purchases_value, 2) for r in listed if r.purchases)
    out.line(
        [
            first,
            last,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            *_metrics(
                spend,
                sum(r.impressions for r in listed),
                summary_reach,
                sum(r.link_clicks for r in listed),
                sum(r.clicks_all for r in listed),
                purchases,
                value,
            ),
        ]
    )
    for r in listed:
        out.write(
            [
                r.day,
                r.day,
                r.campaign,
                r.campaign_id,
                r.delivery,
                ATTRIBUTION,
                plain(r.results or None, 0),
                r.result_indicator,
                _ratio(round(r.spend, 2), r.results, 8),
                *_metrics(
                    round(r.spend, 2),
                    r.impressions,
                    r.reach,
                    r.link_clicks,
                    r.clicks_all,
                    r.purchases,
                    round(r.purchases_value, 2),
                ),
            ]
        )
    out.close()
    return out.rows


def write_mapping(out_dir: Path, rows: Sequence[tuple[str, str, str]]) -> int:
    """The team's sheet of Meta campaigns, by name: (account_id, campaign_name, utm_campaign)."""
    out = ExportCsv(out_dir / MAPPING_FOLDER / MAPPING_FILE, MAPPING_HEADER)
    for account_id, name, utm in sorted(rows, key=lambda r: r[1]):
        out.write(["meta_ads", account_id, "", name, utm])
    out.close()
    return out.rows
