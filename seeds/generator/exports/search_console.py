"""Google Search Console bulk data export, as `bq extract` writes it (docs/sources/search_console.md).

Search Console's bulk data export fills three BigQuery tables (support.google.com/webmasters/answer/12917991):
``searchdata_url_impression`` (aggregated by URL), ``searchdata_site_impression`` (aggregated by
property) and ``ExportLog``. A team lands them with ``bq extract
--destination_format=NEWLINE_DELIMITED_JSON --compression=GZIP`` of each day's partition
(cloud.google.com/bigquery/docs/exporting-data), one file per table and day:

* ``gsc_searchdata_url_impression/searchdata_url_impression_YYYYMMDD.json.gz``
* ``gsc_searchdata_site_impression/searchdata_site_impression_YYYYMMDD.json.gz``
* ``gsc_export_log/ExportLog_YYYYMMDD.json.gz`` (not partitioned: extracted whole once, after the last day)

NDJSON as BigQuery writes it: keys in table-schema order, INT64 columns (impressions, clicks,
sum_position, sum_top_position, epoch_version) as JSON strings, booleans as true/false, NULL
fields omitted (url/country of Discover rows under the anonymization threshold, device of Discover
rows, the query of anonymized rows in the URL table; the site table writes the anonymized query as
``""``), TIMESTAMP as ``2026-11-04 09:41:07.215 UTC``. ``data_date`` is a Pacific Time day.

Quirks reproduced: rows repeating a dimension key (Google accumulates a day incrementally; the
warehouse must sum them), WEB plus a few IMAGE (product pages) and DISCOVER (blog posts) rows
(``search_type`` is part of the grain), search-appearance flags, and the site table's property
totals, which count an impression once however many of the site's URLs it showed (so they are
below the URL table's totals), with the site's topmost position.

Same world as before: the URL table's Web rows are the rows the SEO module derives from the
organic Google sessions GA4 recorded; everything this module adds is drawn from its own stream.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from seeds.generator.catalog import BRAND_QUERIES_IT, GSC_PROPERTY, SITE
from seeds.generator.rng import streams
from seeds.generator.writers import ExportJsonLines

FOLDERS = ("gsc_searchdata_site_impression", "gsc_searchdata_url_impression", "gsc_export_log")

# Search-appearance flags of searchdata_url_impression, in the table's schema order.
APPEARANCE_FLAGS = (
    "is_amp_top_stories",
    "is_amp_blue_link",
    "is_job_listing",
    "is_job_details",
    "is_tpf_qa",
    "is_tpf_faq",
    "is_tpf_howto",
    "is_weblite",
    "is_action",
    "is_events_listing",
    "is_events_details",
    "is_search_appearance_android_app",
    "is_amp_story",
    "is_amp_image_result",
    "is_video",
    "is_organic_shopping",
    "is_review_snippet",
    "is_special_announcement",
    "is_recipe_feature",
    "is_recipe_rich_snippet",
    "is_subscribed_content",
    "is_page_experience",
    "is_practice_problems",
    "is_math_solvers",
    "is_translated_result",
    "is_edu_q_and_a",
    "is_product_snippets",
    "is_merchant_listings",
    "is_learning_videos",
)
REPEAT_P = 0.02  # share of rows Google writes as two rows with the same key
IMAGE_P = 0.12  # product-page rows that also showed in Google Images
DISCOVER_P = 0.06  # blog pages shown in Discover on a day they had Web traffic


def _stable(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _flags(path: str, search_type: str) -> dict[str, bool]:
    """Search appearances of a page (fixed per page, so a row has one combination)."""
    on: set[str] = set()
    if search_type == "WEB":
        on.add("is_page_experience")
    if path.startswith("/products/"):
        on.update(
            ("is_product_snippets", "is_merchant_listings") if search_type == "WEB" else ("is_merchant_listings",)
        )
        if search_type == "WEB" and _stable(path) % 3 != 0:
            on.add("is_review_snippet")
    elif path.startswith("/blog/") and search_type == "WEB" and _stable(path) % 4 == 0:
        on.add("is_tpf_faq")
    return {f: f in on for f in APPEARANCE_FLAGS}


class _Day:
    """The rows of one Pacific day, URL table and site table."""

    def __init__(self) -> None:
        self.url: list[dict[str, object]] = []
        self.site: list[dict[str, object]] = []


def _split(r, imps: int, clicks: int, pos: int) -> list[tuple[int, int, int]]:
    """One row, or the two rows Google wrote for it (same key, metrics adding up)."""
    if imps < 2 or r.random() >= REPEAT_P:
        return [(imps, clicks, pos)]
    a = max(1, min(imps - 1, round(imps * r.uniform(0.5, 0.95))))
    b = imps - a
    cb = min(b, clicks - min(a, round(clicks * a / imps)))
    ca = clicks - cb
    pa = round(pos * a / imps)
    return [(a, ca, pa), (b, cb, pos - pa)]


def _url_record(
    day: str,
    url: str | None,
    query: str | None,
    anonymized: bool,
    country: str | None,
    search_type: str,
    device: str | None,
    path: str,
    imps: int,
    clicks: int,
    pos: int,
    anonymized_discover: bool = False,
) -> dict[str, object]:
    rec: dict[str, object] = {"data_date": day, "site_url": GSC_PROPERTY}
    if url is not None:
        rec["url"] = url
    if query is not None:
        rec["query"] = query
    rec["is_anonymized_query"] = anonymized
    rec["is_anonymized_discover"] = anonymized_discover
    if country is not None:
        rec["country"] = country
    rec["search_type"] = search_type
    if device is not None:
        rec["device"] = device
    rec.update(_flags(path, search_type))
    rec.update({"impressions": str(imps), "clicks": str(clicks), "sum_position": str(pos)})
    return rec


def _site_record(
    day: str,
    query: str | None,
    anonymized: bool,
    country: str | None,
    search_type: str,
    device: str | None,
    imps: int,
    clicks: int,
    pos: int,
) -> dict[str, object]:
    rec: dict[str, object] = {"data_date": day, "site_url": GSC_PROPERTY}
    if query is not None:
        rec["query"] = query
    rec["is_anonymized_query"] = anonymized
    if country is not None:
        rec["country"] = country
    rec["search_type"] = search_type
    if device is not None:
        rec["device"] = device
    rec.update({"impressions": str(imps), "clicks": str(clicks), "sum_top_position": str(pos)})
    return rec


def write(world, url_rows: list[tuple]) -> dict[str, int]:
    """Write the export files from the URL-level Web rows of the SEO module.

    ``url_rows``: (pacific_day_index, path, query or None, alpha3, device, impressions, clicks,
    sum of zero-based positions), sorted.
    """
    out: Path = world.cfg.out
    clock = world.clock
    rng, r = streams(world.cfg.seed, "search-console-export")
    days: dict[int, _Day] = {}
    # site-table groups: (day, search_type, query, country, device) -> [(imps, clicks, pos)]
    groups: dict[int, dict[tuple, list[tuple[int, int, int]]]] = {}

    def add_url(
        pday: int,
        path: str | None,
        query: str | None,
        country: str | None,
        search_type: str,
        device: str | None,
        imps: int,
        clicks: int,
        pos: int,
        anonymized_discover: bool = False,
    ) -> None:
        day = days.setdefault(pday, _Day())
        iso = clock.day_iso(pday)
        anonymized = query is None and search_type != "DISCOVER"
        for a, c, p in _split(r, imps, clicks, pos):
            day.url.append(
                _url_record(
                    iso,
                    SITE + path if path is not None else None,
                    query,
                    anonymized,
                    country,
                    search_type,
                    device,
                    path or "",
                    a,
                    c,
                    p,
                    anonymized_discover,
                )
            )
        groups.setdefault(pday, {}).setdefault((search_type, query, country, device), []).append((imps, clicks, pos))

    discover_pages: dict[tuple[int, str], int] = {}
    for pday, path, query, alpha3, device, imps, clicks, pos in url_rows:
        add_url(pday, path, query, alpha3, "WEB", device, imps, clicks, pos)
        if path.startswith("/products/") and query is not None and r.random() < IMAGE_P:
            i_imps = int(rng.poisson(max(1.0, imps * 0.4))) + 1
            i_clicks = 1 if r.random() < 0.12 else 0
            add_url(pday, path, query, alpha3, "IMAGE", device, i_imps, i_clicks, round(i_imps * r.uniform(2.0, 30.0)))
        if path.startswith("/blog/"):
            discover_pages[(pday, path)] = discover_pages.get((pday, path), 0) + imps
    # a property always has impressions: a day without a click still exports rows (and a file)
    for pday in range(clock.n_days):
        if pday not in days:
            imps = int(rng.poisson(4)) + 1
            add_url(pday, "/", BRAND_QUERIES_IT[0], "ita", "WEB", "MOBILE", imps, 0, round(imps * r.uniform(0.0, 1.5)))
    for (pday, path), web_imps in discover_pages.items():
        if r.random() >= DISCOVER_P:
            continue
        d_imps = int(rng.poisson(max(2.0, web_imps * 1.5))) + 1
        d_clicks = min(d_imps, int(rng.poisson(d_imps * 0.03)))
        if r.random() < 0.2:  # under the Discover anonymization threshold: no URL, no country
            add_url(pday, None, None, None, "DISCOVER", None, d_imps, d_clicks, 0, anonymized_discover=True)
        else:
            add_url(
                pday, path, None, r.choice(("ita", "ita", "ita", "gbr", "deu")), "DISCOVER", None, d_imps, d_clicks, 0
            )

    # The site table: an impression counts once for the property however many of its URLs showed;
    # clicks add up; the position is the site's topmost one.
    for pday in sorted(groups):
        day = days[pday]
        iso = clock.day_iso(pday)
        for (search_type, query, country, device), parts in sorted(
            groups[pday].items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2] or "", kv[0][3] or "")
        ):
            imps_list = [p[0] for p in parts]
            clicks = sum(p[1] for p in parts)
            top = max(imps_list)
            overlap = r.uniform(0.15, 0.5) if query is not None else r.uniform(0.7, 1.0)
            imps = max(clicks, top + round((sum(imps_list) - top) * overlap), 1)
            best = min(p[2] / p[0] for p in parts)
            pos = round(imps * best)
            anonymized = query is None and search_type != "DISCOVER"
            site_query = "" if anonymized else query
            for a, c, p in _split(r, imps, clicks, pos):
                day.site.append(_site_record(iso, site_query, anonymized, country, search_type, device, a, c, p))

    counts = dict.fromkeys(FOLDERS, 0)
    log_rows: list[dict[str, object]] = []
    for pday in sorted(days):
        day = days[pday]
        ymd = clock.day_iso(pday).replace("-", "")
        for table, records in (("url", day.url), ("site", day.site)):
            f = ExportJsonLines(
                out / f"gsc_searchdata_{table}_impression" / f"searchdata_{table}_impression_{ymd}.json.gz"
            )
            for rec in records:
                f.write(rec)
            f.close()
            counts[f"gsc_searchdata_{table}_impression"] += f.rows
        # each table is exported about two days after the PT day, not at the same time
        for k, namespace in enumerate(("SEARCHDATA_SITE_IMPRESSION", "SEARCHDATA_URL_IMPRESSION")):
            ts = clock.local_midnight(pday + 2) + 9 * 3600 + k * 1200 + r.randint(0, 1800)
            publish = clock.utc(ts)[:19].replace("T", " ") + f".{r.randint(0, 999):03d} UTC"
            log_rows.append(
                {
                    "agenda": "SEARCHDATA",
                    "namespace": namespace,
                    "data_date": clock.day_iso(pday),
                    "epoch_version": "0",
                    "publish_time": publish,
                }
            )
    if days:
        extracted = clock.day_iso(max(days) + 3).replace("-", "")
        f = ExportJsonLines(out / "gsc_export_log" / f"ExportLog_{extracted}.json.gz")
        for rec in log_rows:
            f.write(rec)
        f.close()
        counts["gsc_export_log"] = f.rows
    return counts
