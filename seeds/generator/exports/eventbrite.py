"""Eventbrite Platform API v3 pages, saved as the API returns them (docs/sources/eventbrite.md).

* ``eventbrite_events/events_<organization_id>_<YYYYMMDD>_page<N>.json.gz`` — one response page of
  ``GET /v3/organizations/{organization_id}/events/?expand=venue``: ``{"pagination": {...},
  "events": [...]}``;
* ``eventbrite_attendees/attendees_<event_id>_<YYYYMMDD>_page<N>.json.gz`` — one response page of
  ``GET /v3/events/{event_id}/attendees/`` (no ``status`` filter, so cancelled and refunded
  tickets are listed): ``{"pagination": {...}, "attendees": [...]}``.

Each file is the response body, gzipped (the loader reads ``.json`` and ``.json.gz`` alike).
``YYYYMMDD`` is the pull date (the day after the extract window). Pages hold 50 records
("page_size"), with ``has_more_items`` and a ``continuation`` token while more follow. Field sets
and formats follow the Attendee and Event objects of the API reference
(eventbrite.com/platform/api#/reference/attendee, /reference/event): ids as digit strings,
times as ``YYYY-MM-DDTHH:MM:SSZ`` (``start.local`` / ``end.local`` wall time without offset),
money as ``{"display", "currency", "value" (minor units), "major_value"}``, one attendee per ticket.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from seeds.generator import gz  # gz.LEVEL: one-shot gzip.compress keeps these bytes

FOLDERS = ("eventbrite_events", "eventbrite_attendees")
PAGE_SIZE = 50
API = "https://www.eventbriteapi.com/v3"


def money(minor: int, currency: str = "EUR") -> dict[str, Any]:
    """An Eventbrite currency object (value in minor units; display as the fixtures show it)."""
    major = f"{minor // 100}.{minor % 100:02d}"
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}.get(currency, currency + " ")
    return {"display": f"{symbol}{major}", "currency": currency, "value": minor, "major_value": major}


def costs(gross_minor: int, fee_minor: int, payment_minor: int, currency: str = "EUR") -> dict[str, Any]:
    return {
        "base_price": money(gross_minor, currency),
        "eventbrite_fee": money(fee_minor, currency),
        "gross": money(gross_minor, currency),
        "payment_fee": money(payment_minor, currency),
        "tax": money(0, currency),
    }


def _continuation(folder: str, key: str, page: int) -> str:
    return base64.b64encode(f"{folder}:{key}:{page + 1}".encode()).decode().rstrip("=")


def _pages(records: list[dict[str, Any]]) -> Iterable[tuple[int, int, list[dict[str, Any]]]]:
    count = max(1, -(-len(records) // PAGE_SIZE))
    for page in range(1, count + 1):
        yield page, count, records[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]


def _write_pages(out: Path, folder: str, prefix: str, key: str, records: list[dict[str, Any]]) -> int:
    files = 0
    for page, count, chunk in _pages(records):
        pagination: dict[str, Any] = {
            "object_count": len(records),
            "page_number": page,
            "page_size": PAGE_SIZE,
            "page_count": count,
            "has_more_items": page < count,
        }
        if page < count:
            pagination["continuation"] = _continuation(folder, prefix, page)
        document = {"pagination": pagination, key: chunk}
        path = out / folder / f"{prefix}_page{page}.json.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        # the API's body as saved by curl (one line of UTF-8 JSON, no trailing newline), gzipped by the
        # pull script to keep the committed set small (mtime 0: same content, same bytes)
        path.write_bytes(
            gzip.compress(json.dumps(document, ensure_ascii=False).encode("utf-8"), compresslevel=gz.LEVEL, mtime=0)
        )
        files += 1
    return files


def write(
    out: Path,
    organization_id: str,
    pull_date: str,
    events: list[dict[str, Any]],
    attendees: dict[str, list[dict[str, Any]]],
) -> dict[str, int]:
    """Write the event pages and one series of attendee pages per event; row counts per folder."""
    _write_pages(out, "eventbrite_events", f"events_{organization_id}_{pull_date}", "events", events)
    rows = 0
    for event in events:
        records = attendees.get(event["id"], [])  # an event without attendees: one empty page
        _write_pages(out, "eventbrite_attendees", f"attendees_{event['id']}_{pull_date}", "attendees", records)
        rows += len(records)
    return {"eventbrite_events": len(events), "eventbrite_attendees": rows}


def event_resource(event_id: str) -> str:
    return f"{API}/events/{event_id}/"


def attendee_resource(event_id: str, attendee_id: str) -> str:
    return f"{API}/events/{event_id}/attendees/{attendee_id}/"


def venue_resource(venue_id: str) -> str:
    return f"{API}/venues/{venue_id}/"
