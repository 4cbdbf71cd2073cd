"""Trustpilot product reviews, as the private Product Reviews API returns them (docs/sources/trustpilot.md).

``GET https://api.trustpilot.com/v1/private/product-reviews/business-units/{businessUnitId}/reviews``
(developers.trustpilot.com/product-reviews-api, Business-user OAuth token; the private endpoint is
the one that carries the consumer email). The team saves each response page as returned:

* ``trustpilot_product_reviews/product_reviews_<YYYYMMDD pull date>_page<N>.json``

One JSON document per page, ``{"productReviews": [...], "links": [...]}`` (``links`` with
``next-page`` / ``prev-page``), ``perPage=100``, compact UTF-8 as the API sends it. A pull on the
first day of each month (Europe/Rome) returns the reviews written or edited during the previous
month, so a review edited in a later month appears again in that month's pull with a later
``updatedAt`` (and possibly other stars and text): the warehouse keeps the latest version.

Fields (key order of the API's examples): ``id`` (24 hex), ``createdAt`` / ``updatedAt``
(``YYYY-MM-DDTHH:MM:SSZ``, null when never edited), ``businessUnitId``, ``stars`` (1-5),
``content`` (no title on product reviews), ``product`` {id, productUrl, productImages, name, sku,
gtin, mpn, brand}, ``consumer`` {id, email as the invitation had it, display name}, ``referenceId``
(the order number the invitation carried; null for reviews not from an order-linked invitation),
``locale``, ``language`` (detected, may differ from the locale), ``redirectUri``, ``state``
(published), ``hasModerationHistory``, ``conversationId`` (company reply), ``attributeRatings``,
``attachments``.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from seeds.generator import catalog
from seeds.generator.clock import DAY, HOUR
from seeds.generator.identity import normalize_email
from seeds.generator.rng import streams
from seeds.generator.texts import TextGen
from seeds.generator.writers import write_json_document

FOLDERS = ("trustpilot_product_reviews",)
TABLE = "trustpilot_product_reviews"
PER_PAGE = 100
BUSINESS_UNIT_ID = "5d3f1c2b8e4a7f0012c4e9a1"
API = f"https://api.trustpilot.com/v1/private/product-reviews/business-units/{BUSINESS_UNIT_ID}/reviews"
EDIT_P = 0.25  # reviews of 1-3 stars the consumer edits after the company's reply
REPLY_P = {1: 0.7, 2: 0.6, 3: 0.35, 4: 0.08, 5: 0.05}
ATTRIBUTE = {"it-IT": "Qualità", "en-GB": "Quality", "en-US": "Quality"}


@dataclass
class Review:
    ts: int
    person: object
    product: catalog.Product
    rating: int
    body: str
    declared_language: str | None
    display_name: str
    email: str
    order_number: str | None
    issues: tuple[str, ...]


def _hex24(r) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(24))


def _gtin(sku: str) -> str:
    return "80" + f"{zlib.crc32(sku.encode('utf-8')):011d}"[-11:]


def _locale(p) -> str:
    if p.lang == "it":
        return "it-IT"
    return "en-US" if p.country == "US" else "en-GB"


def write(world, reviews: list[Review]) -> dict[str, int]:
    out: Path = world.cfg.out
    clock = world.clock
    _, r = streams(world.cfg.seed, "trustpilot-export")
    edits_text = TextGen(streams(world.cfg.seed, "trustpilot-edits")[1])
    products: dict[str, dict[str, object]] = {}
    for prod in sorted(catalog.PRODUCTS, key=lambda x: x.sku):
        products[prod.sku] = {
            "id": _hex24(r),
            "productUrl": catalog.SITE + prod.path,
            "productImages": [f"{catalog.SITE}/cdn/img/{prod.sku.lower()}.jpg"],
            "name": prod.name_it,
            "sku": prod.sku,
            "gtin": _gtin(prod.sku) if prod.category != "services" else None,
            "mpn": None if prod.category == "services" else "EN-" + prod.sku.replace("-", ""),
            "brand": catalog.BRAND,
        }
    consumers: dict[int, str] = {}
    # (version time, review record) of every version a pull returns
    versions: list[tuple[int, dict[str, object]]] = []
    for rev in reviews:
        p = rev.person
        consumer_id = consumers.get(p.idx)
        if consumer_id is None:
            consumer_id = consumers[p.idx] = _hex24(r)
        world.ledger.row(
            p.idx,
            [("email", rev.email, normalize_email(rev.email))],
            joins=(("order", rev.order_number),) if rev.order_number else (),
        )
        locale = _locale(p)
        language = rev.declared_language or locale[:2]  # Trustpilot always detects a language
        record: dict[str, object] = {
            "id": _hex24(r),
            "createdAt": clock.utc(rev.ts),
            "updatedAt": None,
            "businessUnitId": BUSINESS_UNIT_ID,
            "stars": rev.rating,
            "content": rev.body,
            "product": products[rev.product.sku],
            "consumer": {"id": consumer_id, "email": rev.email, "name": rev.display_name},
            "referenceId": rev.order_number,
            "locale": locale,
            "language": language,
            "redirectUri": (catalog.SITE + ("/grazie" if locale == "it-IT" else "/thank-you"))
            if rev.order_number
            else None,
            "state": "published",
            "hasModerationHistory": r.random() < (0.08 if rev.rating <= 2 else 0.01),
            "conversationId": None,
            "attributeRatings": [],
            "attachments": [],
        }
        if r.random() < 0.25:
            stars = max(1, min(5, rev.rating + r.choice((-1, 0, 0, 0, 1))))
            record["attributeRatings"] = [
                {"attributeId": "a1b2c3d4e5f6a7b8c9d0e1f2", "attributeName": ATTRIBUTE[locale], "rating": stars}
            ]
        if r.random() < 0.05:
            attachment = _hex24(r)
            record["attachments"] = [
                {
                    "id": attachment,
                    "state": "Published",
                    "processedFiles": [
                        {
                            "dimension": "1024px",
                            "mimeType": "image/jpeg",
                            "url": f"https://user-images.trustpilot.com/{attachment}/1024x1024.jpg",
                        }
                    ],
                }
            ]
        reply_ts = None
        if r.random() < REPLY_P[rev.rating]:
            reply_ts = rev.ts + r.randint(2 * HOUR, 4 * DAY)
        if reply_ts is not None and reply_ts < clock.t1:
            conversation = _hex24(r)
            edit_ts = reply_ts + r.randint(HOUR, 20 * DAY)
            if rev.rating <= 3 and r.random() < EDIT_P and edit_ts < clock.t1:
                # the original version, as the pull of its month returned it (with the reply if already there)
                replied = clock.month_key(reply_ts) == clock.month_key(rev.ts)
                versions.append((rev.ts, dict(record, conversationId=conversation if replied else None)))
                new_stars = min(5, rev.rating + r.choice((1, 1, 2)))
                lang = p.lang  # the consumer writes the update in their own language
                pname = rev.product.name_it if lang == "it" else rev.product.name
                _, body = edits_text.review(
                    lang,
                    new_stars,
                    rev.product.category,
                    (),
                    pname,
                    {"city": p.city.name_local if lang == "it" else p.city.name_en},
                )
                prefix = "Aggiornamento: " if lang == "it" else "Update: "
                versions.append(
                    (
                        edit_ts,
                        dict(
                            record,
                            updatedAt=clock.utc(edit_ts),
                            stars=new_stars,
                            content=prefix + body,
                            conversationId=conversation,
                        ),
                    )
                )
                continue
            record["conversationId"] = conversation
        versions.append((rev.ts, record))
    return _write_pulls(out, clock, versions)


def _write_pulls(out: Path, clock, versions: list[tuple[int, dict[str, object]]]) -> dict[str, int]:
    """One pull per month (on the 1st of the next month): the reviews written or edited in that month,
    each in its state at the pull (the latest of its versions dated in the month)."""
    by_month: dict[str, dict[str, tuple[int, dict[str, object]]]] = {m: {} for m in clock.months}
    for ts, record in versions:
        month = by_month[clock.month_key(ts)]
        kept = month.get(record["id"])
        if kept is None or ts >= kept[0]:
            month[record["id"]] = (ts, record)
    rows = 0
    for month in clock.months:
        page_records = sorted(
            (rec for _, rec in by_month[month].values()), key=lambda rec: (rec["createdAt"], rec["id"])
        )
        y, m = int(month[:4]), int(month[4:])
        pulled = f"{y + (m == 12):04d}{m % 12 + 1:02d}01"
        pages = [page_records[i : i + PER_PAGE] for i in range(0, len(page_records), PER_PAGE)] or [[]]
        for n, page in enumerate(pages, start=1):
            links = []
            if n > 1:
                links.append({"href": f"{API}?page={n - 1}&perPage={PER_PAGE}", "method": "GET", "rel": "prev-page"})
            if n < len(pages):
                links.append({"href": f"{API}?page={n + 1}&perPage={PER_PAGE}", "method": "GET", "rel": "next-page"})
            write_json_document(
                out / TABLE / f"product_reviews_{pulled}_page{n}.json", {"productReviews": page, "links": links}
            )
            rows += len(page)
    return {TABLE: rows}
