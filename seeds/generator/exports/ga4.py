"""GA4 -> BigQuery event export, extracted with ``bq extract`` (the landing folder ``ga4_events/``).

What the files look like (docs/sources/ga4.md; Google's schema
https://support.google.com/analytics/answer/7029846, BigQuery's export rules
https://cloud.google.com/bigquery/docs/exporting-data):

* one BigQuery table per Europe/Rome day, ``events_YYYYMMDD``, extracted as newline-delimited JSON,
  gzip: ``events_YYYYMMDD.json.gz``, or with a wildcard URI as shards
  ``events_YYYYMMDD-000000000000.json.gz``, ``-000000000001.json.gz``;
* on a few days the streaming table ``events_intraday_YYYYMMDD`` was extracted during the day
  (events up to the extraction hour, no traffic_source / user_ltv / is_active_user /
  session_traffic_source_last_click, some streaming duplicates) and then the day's daily table;
* on a few days the daily table was extracted twice: once the next morning (a single file, without
  the events GA4 received late) and again after GA4 updated the table (a wildcard export, every
  event): the warehouse keeps the larger extract of a load, and a newer load of a table replaces
  the older one;
* BigQuery's JSON: NULL fields omitted at every level, INT64 as JSON strings (event_timestamp,
  int_value, quantity, batch ids...), ``<``, ``>``, ``&`` written ``\\u003c`` ``\\u003e`` ``\\u0026``,
  other characters raw UTF-8, rows in no particular order (here: sessions in random order);
* the record layout of the current export: event_params (a value in exactly one of string_value,
  int_value, double_value), privacy_info (consent mode), user_properties, user_first_touch_timestamp,
  user_ltv, device with web_info, geo with sub_continent / metro, traffic_source (first touch),
  stream_id, platform, ecommerce (purchase_revenue, tax, shipping, refund_value, *_in_usd), items,
  collected_traffic_source (landing events), is_active_user, batch_*, session_traffic_source_last_click
  (manual_campaign, google_ads_campaign, cross_channel_campaign with the default channel group);
* consent-denied cookieless pings (no user_pseudo_id, no ga_session_id, analytics_storage No) and
  refunds sent by the shop's back office through the Measurement Protocol (no session, no device).

Not simulated: Parquet extracts (the loader reads them; tests use a DuckDB-made file), the app-only
records (app_info, publisher, event_previous_timestamp), SA360 / CM360 / DV360 last-click records.
"""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path

from seeds.generator.gz import GzipSink
from seeds.generator.rng import py_stream

FOLDERS = ("ga4_events",)
STREAM_ID = "4938271056"
GOOGLE_ADS_CUSTOMER_ID = "4821935521"  # account 482-193-5521 without dashes
GOOGLE_ADS_ACCOUNT_NAME = "Ergonova IT"
_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_ENCODE_STR = json.encoder.encode_basestring  # what _DUMPS uses for a str (ensure_ascii=False)
SUB_CONTINENTS = {
    "IT": "Southern Europe",
    "ES": "Southern Europe",
    "GB": "Northern Europe",
    "DE": "Western Europe",
    "FR": "Western Europe",
    "CH": "Western Europe",
    "US": "Northern America",
}
# GA4's default channel group of a session source (https://support.google.com/analytics/answer/9756891)
CHANNEL_GROUPS = {
    "organic_search": "Organic Search",
    "paid_search": "Paid Search",
    "paid_social": "Paid Social",
    "display": "Display",
    "organic_social": "Organic Social",
    "referral": "Referral",
    "direct": "Direct",
    "email": "Email",
    "sms": "SMS",
    "dem": "Unassigned",
    "affiliate": "Affiliates",
}


def bq_json(value: object) -> str:
    """JSON as BigQuery's export writes it: compact, raw UTF-8, <, >, & as \\u escapes."""
    return _DUMPS(value).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def bq_str(value: str) -> str:
    """``bq_json`` of a string (the same text, without the encoder's dispatch)."""
    s = _ENCODE_STR(value)
    if "&" in s or "<" in s or ">" in s:
        s = s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return s


def bq_money(x: float) -> str:
    """``bq_json(round(x, 2))``: json writes a finite float as its ``repr``."""
    v = round(x, 2)
    return repr(v) if math.isfinite(v) else _DUMPS(v)


def stable_fraction(*parts: object) -> float:
    """A value in [0, 1) from a CRC-32 of the parts: a fixed property of a device, day or order."""
    return zlib.crc32("|".join(str(p) for p in parts).encode("utf-8")) / 4_294_967_296


# ----------------------------------------------------------------------------------- parameters


# A parameter is kept as its JSON text (what ``bq_json`` writes for the record): every event of a page
# repeats the page's parameters, and serializing each record once is most of the GA4 writer's work. The keys
# are plain names (no character JSON or BigQuery escapes), so only the value goes through ``bq_json``.


def p_str(key: str, value: str) -> str:
    return '{"key":"' + key + '","value":{"string_value":' + bq_str(value) + "}}"


def p_int(key: str, value: int) -> str:
    return '{"key":"' + key + '","value":{"int_value":"' + str(int(value)) + '"}}'


def p_num(key: str, value: float) -> str:
    """A number as the gtag sends it: integral values land in int_value, others in double_value."""
    value = float(value)
    if value.is_integer():
        return '{"key":"' + key + '","value":{"int_value":"' + str(int(value)) + '"}}'
    return '{"key":"' + key + '","value":{"double_value":' + bq_money(value) + "}}"


# ----------------------------------------------------------------------------------- records


def device_json(pseudo_id: str, category: str, os_: str, browser: str, language: str) -> str:
    """device as GA4 exports it for a web browser (OS / browser versions and models fixed per browser id)."""
    f = stable_fraction("device", pseudo_id)
    k = int(f * 3)  # one of three releases in use
    d: dict = {"category": category}
    if os_ == "iOS":
        model = "iPad" if category == "tablet" else "iPhone"
        d.update(mobile_brand_name="Apple", mobile_model_name=model, mobile_marketing_name=model)
        version = ("iOS 18.6.2", "iOS 18.7", "iOS 26.0")[k]
    elif os_ == "Android":
        models = (
            ("Samsung", "SM-S921B", "Galaxy S24"),
            ("Samsung", "SM-A556B", "Galaxy A55"),
            ("Xiaomi", "2312DRA50G", "Redmi Note 13"),
        )
        brand, model, marketing = models[k]
        d.update(mobile_brand_name=brand, mobile_model_name=model, mobile_marketing_name=marketing)
        version = ("Android 14", "Android 15", "Android 16")[k]
    else:
        d.update(
            mobile_brand_name={"Safari": "Apple", "Edge": "Microsoft", "Firefox": "Mozilla"}.get(browser, "Google"),
            mobile_model_name=browser,
        )
        version = {
            "Windows": ("Windows 10", "Windows 11", "Windows 11")[k],
            "Macintosh": ("Macintosh 14.7", "Macintosh 15.6", "Macintosh 26.0")[k],
            "Linux": "Linux",
        }.get(os_, os_)
    d.update(operating_system=os_, operating_system_version=version, language=language, is_limited_ad_tracking="No")
    browser_version = {
        "Chrome": ("140.0.7339.207", "141.0.7390.54", "142.0.7444.59"),
        "Safari": ("18.6", "18.7", "26.0"),
        "Firefox": ("143.0", "144.0", "145.0"),
        "Edge": ("140.0.3485.94", "141.0.3537.57", "142.0.3595.53"),
        "Samsung Internet": ("27.0", "28.0", "28.0"),
    }.get(browser, ("1.0", "1.0", "1.0"))[k]
    d["web_info"] = {"browser": browser, "browser_version": browser_version, "hostname": "www.ergonova.it"}
    return bq_json(d)


def geo_json(city: str, country_code: str, country: str, continent: str, region: str) -> str:
    return bq_json(
        {
            "city": city,
            "country": country,
            "continent": continent,
            "region": region,
            "sub_continent": SUB_CONTINENTS.get(country_code, "(not set)"),
            "metro": "(not set)",
        }
    )


def privacy_json(analytics: bool, ads: bool) -> str:
    return bq_json(
        {
            "analytics_storage": "Yes" if analytics else "No",
            "ads_storage": "Yes" if ads else "No",
            "uses_transient_token": "No",
        }
    )


def last_click(
    channel: str,
    source: str,
    medium: str,
    campaign: str | None,
    content: str | None,
    referrer: str | None,
    ad=None,
    tagged: bool = False,
) -> dict:
    """session_traffic_source_last_click of a session whose own source is not direct."""
    group = CHANNEL_GROUPS.get(channel, "Unassigned")
    if not tagged and channel == "organic_social" and referrer:
        # an untagged link from a social network: GA4 sees the referrer's host / referral
        source, medium = referrer.split("://", 1)[-1].split("/", 1)[0].removeprefix("www."), "referral"
    name = campaign or {"organic": "(organic)", "referral": "(referral)"}.get(
        medium, "(referral)" if not tagged else "(not set)"
    )
    cross = {
        "campaign_name": name,
        "source": source,
        "medium": medium,
        "source_platform": "Google Ads" if ad is not None and ad.platform == "google_ads" else "Manual",
        "default_channel_group": group,
        "primary_channel_group": group,
    }
    record: dict = {}
    if ad is not None and ad.platform == "google_ads":
        cross["campaign_id"] = ad.campaign_id
        record["google_ads_campaign"] = {
            "customer_id": GOOGLE_ADS_CUSTOMER_ID,
            "account_name": GOOGLE_ADS_ACCOUNT_NAME,
            "campaign_id": ad.campaign_id,
            "campaign_name": ad.name,
        }
    else:
        manual = {"campaign_name": name, "source": source, "medium": medium}
        if content:
            manual["content"] = content
        record["manual_campaign"] = manual
    record["cross_channel_campaign"] = cross
    return record


DIRECT_LAST_CLICK = {
    "manual_campaign": {"campaign_name": "(direct)", "source": "(direct)", "medium": "(none)"},
    "cross_channel_campaign": {
        "campaign_name": "(direct)",
        "source": "(direct)",
        "medium": "(none)",
        "default_channel_group": "Direct",
        "primary_channel_group": "Direct",
    },
}
DIRECT_LAST_CLICK_JSON = bq_json(DIRECT_LAST_CLICK)


_NAMES: dict[str, str] = {}


def _name_json(name: str) -> str:
    s = _NAMES.get(name)
    if s is None:
        s = _NAMES[name] = bq_json(name)
    return s


class Ga4Event:
    """One exported event row, its records pre-serialized; daily-only records kept apart."""

    __slots__ = (
        "us",
        "name",
        "params",
        "value_usd",
        "user_id",
        "pseudo_id",
        "privacy",
        "first_touch_us",
        "ltv",
        "device",
        "geo",
        "traffic_source",
        "ecommerce",
        "items",
        "collected",
        "batch",
        "last_click",
        "session",
        "engaged",
        "late",
        "seq",
    )

    def __init__(
        self,
        us: int,
        name: str,
        params: list,
        session: int,  # from here on also positional: the GA4 writer makes millions (keywords cost more)
        pseudo_id: str | None = None,
        user_id: str | None = None,
        value_usd: float | None = None,
        privacy: str | None = None,
        first_touch_us: int | None = None,
        ltv: float | None = None,
        device: str | None = None,
        geo: str | None = None,
        traffic_source: str | None = None,
        ecommerce: dict | None = None,
        items: list | None = None,
        collected: str | None = None,  # JSON text
        batch: tuple | None = None,
        last_click: str | None = None,
        engaged: bool = False,
        late: bool = False,
    ) -> None:
        self.us, self.name, self.params, self.session = us, name, params, session
        self.pseudo_id, self.user_id, self.value_usd, self.privacy = pseudo_id, user_id, value_usd, privacy
        self.first_touch_us, self.ltv, self.device, self.geo = first_touch_us, ltv, device, geo
        self.traffic_source, self.ecommerce, self.items, self.collected = traffic_source, ecommerce, items, collected
        self.batch, self.last_click, self.engaged, self.late = batch, last_click, engaged, late
        self.seq = 0

    def line(self, event_date: str, daily: bool, active: bool | None) -> str:
        out = [
            '{"event_date":"',
            event_date,
            '","event_timestamp":"',
            str(self.us),
            '","event_name":',
            _name_json(self.name),
            ',"event_params":[',
            ",".join(self.params),
            "]",
        ]
        if self.value_usd is not None:
            out += [',"event_value_in_usd":', bq_money(self.value_usd)]
        if self.user_id is not None:
            out += [',"user_id":', bq_str(self.user_id)]
        if self.pseudo_id is not None:
            out += [',"user_pseudo_id":', bq_str(self.pseudo_id)]
        if self.privacy is not None:
            out += [',"privacy_info":', self.privacy]
        out.append(',"user_properties":[]')
        if self.first_touch_us is not None:
            out += [',"user_first_touch_timestamp":"', str(self.first_touch_us), '"']
        if daily and self.ltv:
            out += [',"user_ltv":{"revenue":', bq_money(self.ltv), ',"currency":"EUR"}']
        if self.device is not None:
            out += [',"device":', self.device]
        if self.geo is not None:
            out += [',"geo":', self.geo]
        if daily and self.traffic_source is not None:
            out += [',"traffic_source":', self.traffic_source]
        out.append(',"stream_id":"' + STREAM_ID + '","platform":"WEB"')
        if self.ecommerce is not None:
            out += [',"ecommerce":', bq_json(self.ecommerce)]
        out += [',"items":[', ",".join(self.items), "]"] if self.items else [',"items":[]']
        if self.collected is not None:
            out += [',"collected_traffic_source":', self.collected]
        if daily and active is not None:
            out.append(',"is_active_user":' + ("true" if active else "false"))
        if self.batch is not None:
            index, page_id, ordering = self.batch
            out += [
                ',"batch_event_index":"',
                str(index),
                '","batch_page_id":"',
                str(page_id),
                '","batch_ordering_id":"',
                str(ordering),
                '"',
            ]
        if daily and self.last_click is not None:
            out += [',"session_traffic_source_last_click":', self.last_click]
        out.append("}")
        return "".join(out)


# ----------------------------------------------------------------------------------- files


class _GzipLines:
    """A gzip file of text lines with deterministic bytes (no file name, mtime 0)."""

    def __init__(self, path: Path) -> None:
        self._text = GzipSink(path)
        self.rows = 0

    def write(self, line: str) -> None:
        self._text.write(line)
        self._text.write("\n")
        self.rows += 1

    def close(self) -> None:
        self._text.close()


class DailyTables:
    """Collects events per Europe/Rome day and writes each day's table(s) once the day is complete."""

    INTRADAY_SHARE = 0.03
    REEXPORT_SHARE = 0.03
    SHARDED_SHARE = 0.05
    LATE_SESSION_SHARE = 0.04  # sessions of a re-exported day whose events GA4 received late

    def __init__(self, out: Path, clock, seed: int) -> None:
        self.folder = out / FOLDERS[0]
        self.clock = clock
        self.seed = seed
        self.rng = py_stream(seed, "ga4-export")
        self.days: dict[int, list[Ga4Event]] = {}
        self.stats = {
            "ga4_tables": 0,
            "ga4_files": 0,
            "ga4_intraday_tables": 0,
            "ga4_reexported_tables": 0,
            "ga4_streaming_duplicates": 0,
            "ga4_rows": 0,
        }
        self._seq = 0
        self._first: int | None = None  # the earliest day in ``days`` (None: not known)

    def add(self, ev: Ga4Event) -> None:
        day = self.clock.day_index(ev.us // 1_000_000)
        ev.seq = self._seq
        self._seq += 1
        self.days.setdefault(day, []).append(ev)
        if self._first is not None and day < self._first:
            self._first = day

    def flush_before(self, day: int) -> None:
        # called once per session: nothing to do unless the earliest buffered day is before ``day``
        # (``days`` also holds refunds weeks ahead, so scanning it every time costs O(days))
        if not self.days or self._first_day() >= day:
            return
        for d in sorted(k for k in self.days if k < day):
            self._write_day(d, self.days.pop(d))
        self._first = None

    def _first_day(self) -> int:
        if self._first is None:
            self._first = min(self.days)
        return self._first

    def close(self) -> dict[str, int]:
        self.flush_before(1 << 30)
        return self.stats

    def layout(self, day: int) -> str:
        """How the day's table was extracted: fixed per calendar date (not per seed), so every seed
        gives the same file layout."""
        x = stable_fraction("ga4-day", self.clock.day_iso(day))
        if x < self.INTRADAY_SHARE:
            return "intraday"
        if x < self.INTRADAY_SHARE + self.REEXPORT_SHARE:
            return "reexport"
        if x < self.INTRADAY_SHARE + self.REEXPORT_SHARE + self.SHARDED_SHARE:
            return "sharded"
        return "single"

    def _ordered(self, events: list[Ga4Event]) -> list[list[Ga4Event]]:
        """The day's rows grouped by session, the sessions not in time order (BigQuery keeps no order;
        sessions with the same source, device and place next to each other compress best)."""
        sessions: dict[int, list[Ga4Event]] = {}
        for ev in sorted(events, key=lambda e: (e.us, e.seq)):
            sessions.setdefault(ev.session, []).append(ev)
        groups = list(sessions.values())
        groups.sort(key=lambda g: (g[0].last_click or "", g[0].device or "", g[0].geo or "", g[0].us, g[0].seq))
        return groups

    def _write(
        self,
        name: str,
        groups: list[list[Ga4Event]],
        event_date: str,
        daily: bool,
        active: set[str],
        shards: int = 1,
        duplicates: float = 0.0,
    ) -> None:
        files = []
        for k in range(shards):
            suffix = f"-{k:012d}" if shards > 1 else ""
            files.append(_GzipLines(self.folder / f"{name}{suffix}.json.gz"))
        for i, group in enumerate(groups):
            target = files[i % shards]
            for ev in group:
                line = ev.line(event_date, daily, (ev.pseudo_id in active) if daily else None)
                target.write(line)
                if duplicates and self.rng.random() < duplicates:
                    target.write(line)
                    self.stats["ga4_streaming_duplicates"] += 1
        for f in files:
            f.close()
            self.stats["ga4_rows"] += f.rows
        self.stats["ga4_files"] += len(files)

    def _write_day(self, day: int, events: list[Ga4Event]) -> None:
        if not events:
            return
        ymd = self.clock.day_iso(day).replace("-", "")
        active = {ev.pseudo_id for ev in events if ev.engaged and ev.pseudo_id is not None}
        groups = self._ordered(events)
        layout = self.layout(day)
        self.stats["ga4_tables"] += 1
        if layout == "intraday":
            # the streaming table extracted in the afternoon, then the complete daily table
            cutoff = (self.clock.local_midnight(day) + self.rng.randint(14, 19) * 3600) * 1_000_000
            partial = [[ev for ev in g if ev.us < cutoff] for g in groups]
            self._write(f"events_intraday_{ymd}", [g for g in partial if g], ymd, False, active, duplicates=0.01)
            self.stats["ga4_intraday_tables"] += 1
            self._write(f"events_{ymd}", groups, ymd, True, active)
        elif layout == "reexport":
            # first extracted the next morning (without the late events), re-extracted whole later
            early = [
                [
                    ev
                    for ev in g
                    if not (ev.late or stable_fraction(self.seed, "late", ev.session) < self.LATE_SESSION_SHARE)
                ]
                for g in groups
            ]
            self._write(f"events_{ymd}", [g for g in early if g], ymd, True, active)
            self._write(f"events_{ymd}", groups, ymd, True, active, shards=2)
            self.stats["ga4_reexported_tables"] += 1
        elif layout == "sharded":
            self._write(f"events_{ymd}", groups, ymd, True, active, shards=2)
        else:
            self._write(f"events_{ymd}", groups, ymd, True, active)
