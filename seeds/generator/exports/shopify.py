"""Shopify: the shop's orders as the Admin REST API returns them, and one month as the admin CSV.

What a Shopify merchant can hand over (docs/sources/shopify.md, spec /work/specs/shopify.md):

* ``shopify_api_orders/orders_page<N>_<YYYYMM>.json.gz`` -- the pages of
  ``GET /admin/api/2025-01/orders.json?status=any&limit=250&updated_at_min=<previous pull>``,
  saved as returned (``{"orders": [...]}``, compact JSON, gzip-compressed to keep the bundle
  small). One pull at the start of every month (a few hours after midnight): it returns every
  order created *or changed* since the previous pull (refunded, cancelled, fulfilled), in its
  state at the time of the pull, newest first, 250 per page. An order changed in several months
  is in several pulls; an order updated while the pages were fetched shows up twice (~0.5%).
  Orders placed between midnight and the pull land in the previous month's file.
  Shopify REST conventions: money as JSON strings in the shop currency (EUR) with the customer's
  (presentment) currency in ``presentment_currency`` / ``*_set.presentment_money``; ids as
  numbers; timestamps ISO 8601 with the shop's offset; keys present with ``null``; refunds nested
  in the order with their transactions (in the presentment currency); discount codes spread
  over the lines through ``discount_allocations`` -> ``discount_applications``.
* ``shopify_orders/orders_export_1_<YYYYMM>.csv`` -- the admin export (Orders > Export, "export
  orders by date") of the last month of the window, downloaded at the end: 79 columns, one row
  per line item, order-level columns (and ``Id``) on the first row only, newest first, plain
  UTF-8 without BOM, LF, timestamps ``YYYY-MM-DD HH:MM:SS +HHMM``, ``Accepts Marketing`` yes/no,
  ``""`` for an empty discount code, ``Lineitem discount`` 0.00 (as observed in real exports).
  Its orders are also in the API pulls: the warehouse counts each once (the API copy).

The simulated shop (Ergonova) sells in EUR and lets foreign customers pay in GBP / USD / CHF
(Shopify Markets); the checkout rate is the day's reference rate of the FX table, so the shop
money total of an order equals the ground truth's ``revenue_eur``. Payment is captured at
checkout (Shopify's default): a cancellation refunds the whole order (financial status
``refunded``, ``cancelled_at`` set). Customers who log in do so through Multipass with the
shop's own account number (``customer.multipass_identifier`` = the GA4 user_id and the CRM
customer number); guest checkouts get a guest customer record (``state: disabled``).

Every identifier written is registered in the ground-truth ledger exactly as written: the
order's email and phone, the account number of logged-in checkouts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from seeds.generator import catalog, geo
from seeds.generator.catalog import PRODUCTS
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.gz import write_gzip
from seeds.generator.identity import normalize_email
from seeds.generator.rng import streams
from seeds.generator.writers import money

FOLDERS = ("shopify_api_orders", "shopify_orders")
API_FOLDER, CSV_FOLDER = FOLDERS
PAGE_SIZE = 250
VENDOR = catalog.BRAND
SHOP_CURRENCY = "EUR"

CSV_HEADERS = (
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Street",
    "Billing Address1",
    "Billing Address2",
    "Billing Company",
    "Billing City",
    "Billing Zip",
    "Billing Province",
    "Billing Country",
    "Billing Phone",
    "Shipping Name",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping Company",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Notes",
    "Note Attributes",
    "Cancelled at",
    "Payment Method",
    "Payment Reference",
    "Refunded Amount",
    "Vendor",
    "Outstanding Balance",
    "Employee",
    "Location",
    "Device ID",
    "Id",
    "Tags",
    "Risk Level",
    "Source",
    "Lineitem discount",
    "Tax 1 Name",
    "Tax 1 Value",
    "Tax 2 Name",
    "Tax 2 Value",
    "Tax 3 Name",
    "Tax 3 Value",
    "Tax 4 Name",
    "Tax 4 Value",
    "Tax 5 Name",
    "Tax 5 Value",
    "Phone",
    "Receipt Number",
    "Duties",
    "Billing Province Name",
    "Shipping Province Name",
    "Payment ID",
    "Payment Terms Name",
    "Next Payment Due At",
    "Payment References",
)
QUOTED_EMPTY = object()  # a field the export writes as "" (vs a bare empty one)
_REFUND_NOTES = {
    "it": {
        "damaged": "Arrivato danneggiato",
        "wrong_size": "Misura sbagliata",
        "not_as_described": "Non conforme alla descrizione",
        "changed_mind": "Reso: il cliente ha cambiato idea",
        "late_delivery": "Consegna in ritardo",
        "cancel": "Ordine annullato",
    },
    "en": {
        "damaged": "Arrived damaged",
        "wrong_size": "Wrong size",
        "not_as_described": "Not as described",
        "changed_mind": "Return: customer changed their mind",
        "late_delivery": "Late delivery",
        "cancel": "Order cancelled",
    },
}
_SHIPPING_TITLE = {"it": "Spedizione standard", "en": "Standard shipping"}
_FREE_SHIPPING_TITLE = {"it": "Spedizione gratuita", "en": "Free shipping"}
_GATEWAYS = (("shopify_payments", "Shopify Payments", 0.72), ("paypal", "PayPal Express Checkout", 0.28))
_PRODUCT_INDEX = {p.sku: i for i, p in enumerate(PRODUCTS)}
_COUNTRY_NAMES = {c.code: c.name_en for c in geo.COUNTRIES}


def _csv_time(local_iso: str) -> str:
    """``2025-11-01T09:39:01+01:00`` -> ``2025-11-01 09:39:01 +0100`` (the admin export's format)."""
    return f"{local_iso[:10]} {local_iso[11:19]} {local_iso[19:22]}{local_iso[23:25]}"


@dataclass
class _Refund:
    refund_id: int
    ts: int
    amount: float  # presentment currency
    note: str
    transaction_id: int
    lines: list = field(default_factory=list)  # (line index, quantity)


@dataclass
class _Plan:
    """What Shopify knows of one order over time (shop-currency figures fixed at checkout)."""

    order: object
    rate: float
    gateway: tuple
    fulfilled_ts: int | None
    refunds: list
    line_ids: list
    customer_id: int
    logged_in: bool
    closed_ts: int | None
    events: list  # times the order changed (created, fulfilled, closed, refunded, cancelled)


class ShopifyExport:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "shopify-export")
        self._guest_ids: dict[str, int] = {}
        self._next_guest = 7_512_300_000_000
        self._next_line = 14_880_500_000_000
        self._next_refund = 921_100_000_000
        self._next_transaction = 7_604_200_000_000

    # ------------------------------------------------------------------ ids
    def _customer_id(self, o) -> int:
        if o.logged_in and o.person.customer_number:
            return 7_401_000_000_000 + int(o.person.customer_number.lstrip("C")) * 17
        key = normalize_email(o.email) or f"phone:{o.phone}"
        cid = self._guest_ids.get(key)
        if cid is None:
            self._next_guest += self.r.randint(40_000, 9_000_000)
            cid = self._guest_ids[key] = self._next_guest
        return cid

    def _line_id(self) -> int:
        self._next_line += self.r.randint(30_000, 600_000)
        return self._next_line

    # ------------------------------------------------------------------ planning
    def _plan(self, o) -> _Plan:
        r, clock = self.r, self.w.clock
        day = clock.day_index(o.ts)
        rate = self.w.fx.eur_per_unit(o.currency, day)
        if o.kind == "pos":
            fulfilled = o.ts + r.randint(5, 90)
        elif o.cancel_ts is not None:
            fulfilled = None
        else:
            fulfilled = o.ts + r.randint(18 * HOUR, 3 * DAY) + (r.randint(4 * DAY, 9 * DAY) if o.late else 0)
            if fulfilled >= clock.t1:
                fulfilled = None
        lang = "it" if o.person.lang == "it" else "en"
        refunds: list[_Refund] = []
        for t, amount, reason in o.refunds:
            self._next_refund += r.randint(200_000, 9_000_000)
            self._next_transaction += r.randint(300_000, 12_000_000)
            ref = _Refund(self._next_refund, t, amount, _REFUND_NOTES[lang][reason], self._next_transaction)
            if abs(amount - o.total) < 0.005:
                ref.lines = [(i, qty) for i, (_, qty, _, _) in enumerate(o.lines)]
            refunds.append(ref)
        if o.cancel_ts is not None:
            self._next_refund += r.randint(200_000, 9_000_000)
            self._next_transaction += r.randint(300_000, 12_000_000)
            refunds.append(
                _Refund(
                    self._next_refund,
                    o.cancel_ts,
                    o.total,
                    _REFUND_NOTES[lang]["cancel"],
                    self._next_transaction,
                    [(i, qty) for i, (_, qty, _, _) in enumerate(o.lines)],
                )
            )
        events = [o.ts + r.randint(1, 4)]
        closed = None
        if fulfilled is not None:
            closed = min(fulfilled + r.randint(1, 40), clock.t1 - 1)  # archived once fulfilled and paid
            events += [fulfilled, closed]
        events += [x.ts + r.randint(1, 5) for x in refunds]
        events = [min(e, clock.t1 - 1) for e in events]
        gateway = ("cash", "Cash", 1.0) if o.kind == "pos" else r.choices(_GATEWAYS, [g[2] for g in _GATEWAYS])[0]
        return _Plan(
            o,
            rate,
            gateway,
            fulfilled,
            refunds,
            [self._line_id() for _ in o.lines],
            self._customer_id(o),
            bool(o.logged_in and o.person.customer_number),
            closed,
            sorted(events),
        )

    # ------------------------------------------------------------------ money
    def _shop_money(self, plan: _Plan) -> dict:
        """Shop-currency (EUR) figures of the order, converted line by line at the checkout rate."""
        o, rate = plan.order, plan.rate
        conv = (lambda x: round(x * rate + 0.0, 2)) if o.currency != SHOP_CURRENCY else (lambda x: round(x + 0.0, 2))
        units = [conv(unit) for _, _, unit, _ in o.lines]
        line_disc = [conv(ld) for _, _, _, ld in o.lines]
        lines_total = round(sum(u * qty for u, (_, qty, _, _) in zip(units, o.lines, strict=False)), 2)
        order_disc = conv(o.discount)
        shipping = conv(o.shipping)
        total_discounts = round(sum(line_disc) + order_disc, 2)
        subtotal = round(lines_total - total_discounts, 2)
        total = round(subtotal + shipping, 2)
        return {
            "units": units,
            "line_disc": line_disc,
            "lines_total": lines_total,
            "order_disc": order_disc,
            "shipping": shipping,
            "total_discounts": total_discounts,
            "subtotal": subtotal,
            "total": total,
            "tax": conv(o.tax),
        }

    # ------------------------------------------------------------------ API order
    def _status_at(self, plan: _Plan, at: int, shop_total: float) -> tuple[str, list[_Refund], float]:
        o = plan.order
        done = [x for x in plan.refunds if x.ts <= at]
        refunded = round(sum(x.amount for x in done), 2)
        if refunded >= o.total - 0.005:
            status = "refunded"
        elif refunded > 0:
            status = "partially_refunded"
        else:
            status = "paid"
        refunded_shop = round(refunded * (shop_total / o.total), 2) if o.total else 0.0
        return status, done, refunded_shop

    def _marketing(self, o, at: int) -> tuple[bool, dict]:
        p = o.person
        accepts = bool(
            p.subscribed_ts is not None and p.subscribed_ts <= o.ts + DAY and (p.unsub_ts is None or p.unsub_ts > o.ts)
        )
        clock = self.w.clock
        if p.unsub_ts is not None and p.unsub_ts <= at:
            consent = {
                "state": "unsubscribed",
                "opt_in_level": "single_opt_in",
                "consent_updated_at": clock.local(p.unsub_ts),
            }
        elif p.subscribed_ts is not None and p.subscribed_ts <= at:
            consent = {
                "state": "subscribed",
                "opt_in_level": "single_opt_in",
                "consent_updated_at": clock.local(p.subscribed_ts),
            }
        else:
            consent = {"state": "not_subscribed", "opt_in_level": "single_opt_in", "consent_updated_at": None}
        return accepts, consent

    def _api_order(self, plan: _Plan, at: int) -> dict:
        """The order as GET orders.json returns it at time ``at``."""
        o, clock = plan.order, self.w.clock
        p = o.person
        m = self._shop_money(plan)
        status, done, refunded_shop = self._status_at(plan, at, m["total"])
        fulfilled = plan.fulfilled_ts is not None and plan.fulfilled_ts <= at
        updated = max(e for e in plan.events if e <= at)
        lang = "it" if p.lang == "it" else "en"
        vat = geo.COUNTRY_BY_CODE[o.billing_country].vat_rate
        tax_title = f"{'IVA' if o.billing_country == 'IT' else o.billing_country + ' VAT'} {round(vat * 100):d}%"
        cancelled = o.cancel_ts is not None and o.cancel_ts <= at
        applications, order_app, line_app = [], None, None
        if o.coupon:
            order_app = len(applications)
            applications.append(
                {
                    "type": "discount_code",
                    "title": o.coupon,
                    "code": o.coupon,
                    "value": f"{o.discount / o.subtotal * 100:.1f}" if o.subtotal else "0.0",
                    "value_type": "percentage",
                    "allocation_method": "across",
                    "target_selection": "all",
                    "target_type": "line_item",
                }
            )
        if any(ld for *_, ld in o.lines):
            line_app = len(applications)
            applications.append(
                {
                    "type": "automatic",
                    "title": "Sconto business" if o.kind == "business" else "Bundle -10%",
                    "code": None,
                    "value": "10.0",
                    "value_type": "percentage",
                    "allocation_method": "each",
                    "target_selection": "entitled",
                    "target_type": "line_item",
                }
            )
        # the order-level discount spread over the lines in proportion to their net amounts (last line takes the rest)
        nets = [u * qty - ld for u, (_, qty, _, _), ld in zip(m["units"], o.lines, m["line_disc"], strict=False)]
        spread, left = [], m["order_disc"]
        for i, net in enumerate(nets):
            share = left if i == len(nets) - 1 else round(m["order_disc"] * net / (sum(nets) or 1), 2)
            spread.append(share)
            left = round(left - share, 2)
        refunded_qty: dict[int, int] = {}
        for x in done:
            for i, qty in x.lines:
                refunded_qty[i] = refunded_qty.get(i, 0) + qty
        line_items = []
        for i, ((prod, qty, _, _), unit, ld, line_id) in enumerate(
            zip(o.lines, m["units"], m["line_disc"], plan.line_ids, strict=False)
        ):
            allocations = []
            if ld:
                allocations.append({"amount": money(ld), "discount_application_index": line_app})
            if order_app is not None and spread[i]:
                allocations.append({"amount": money(spread[i]), "discount_application_index": order_app})
            gross = unit * qty - ld - spread[i]
            pidx = _PRODUCT_INDEX[prod.sku]
            line_items.append(
                {
                    "id": line_id,
                    "product_id": 9_120_340_000_000 + pidx * 32_771,
                    "variant_id": 48_611_200_000_000 + pidx * 32_771,
                    "title": prod.name_it if lang == "it" else prod.name,
                    "variant_title": None,
                    "name": prod.name_it if lang == "it" else prod.name,
                    "sku": prod.sku,
                    "vendor": VENDOR,
                    "quantity": qty,
                    "current_quantity": qty - refunded_qty.get(i, 0),
                    "price": money(unit),
                    "total_discount": "0.00",
                    "fulfillment_status": "fulfilled" if fulfilled else None,
                    "discount_allocations": allocations,
                    "tax_lines": [{"title": tax_title, "price": money(gross * vat / (1 + vat)), "rate": vat}],
                }
            )

        def conv_presentment(x: float) -> dict:
            return {"amount": money(x), "currency_code": o.currency}

        web = o.kind != "pos"
        landing = referrer = None
        if web and o.landing_url:
            landing = o.landing_url[len(catalog.SITE) :] if o.landing_url.startswith(catalog.SITE) else o.landing_url
            landing = landing or "/"
            referrer = o.touch.referrer if o.touch is not None else None
        accepts, consent = self._marketing(o, at)
        first, last = p.first, p.last
        phone = o.phone
        customer = {
            "id": plan.customer_id,
            "email": normalize_email(o.email) or None,
            "first_name": first,
            "last_name": last,
            "phone": None,
            "state": "enabled" if plan.logged_in else "disabled",
            "multipass_identifier": p.customer_number if plan.logged_in else None,
            "email_marketing_consent": consent,
        }
        current_total = 0.0 if cancelled else round(m["total"] - refunded_shop, 2)
        return {
            "id": int(o.order_id),
            "name": o.order_number,
            "order_number": int(o.order_number.lstrip("ER")),
            "email": o.email,
            "contact_email": o.email,
            "phone": phone if o.kind == "pos" else None,
            "customer_locale": lang,
            "created_at": clock.local(o.ts),
            "processed_at": clock.local(o.ts),
            "updated_at": clock.local(updated),
            "closed_at": clock.local(plan.closed_ts) if plan.closed_ts is not None and plan.closed_ts <= at else None,
            "cancelled_at": clock.local(o.cancel_ts) if cancelled else None,
            "cancel_reason": "customer" if cancelled else None,
            "currency": SHOP_CURRENCY,
            "presentment_currency": o.currency,
            "taxes_included": True,
            "subtotal_price": money(m["subtotal"]),
            "total_line_items_price": money(m["lines_total"]),
            "total_discounts": money(m["total_discounts"]),
            "total_tax": money(m["tax"]),
            "total_price": money(m["total"]),
            "total_outstanding": "0.00",
            "current_subtotal_price": money(0.0 if cancelled else max(m["subtotal"] - refunded_shop, 0.0)),
            "current_total_discounts": money(0.0 if cancelled else m["total_discounts"]),
            "current_total_tax": money(0.0 if cancelled else round(current_total * vat / (1 + vat), 2)),
            "current_total_price": money(current_total),
            "total_price_set": {
                "shop_money": {"amount": money(m["total"]), "currency_code": SHOP_CURRENCY},
                "presentment_money": conv_presentment(o.total),
            },
            "total_shipping_price_set": {
                "shop_money": {"amount": money(m["shipping"]), "currency_code": SHOP_CURRENCY},
                "presentment_money": conv_presentment(o.shipping),
            },
            "financial_status": status,
            "fulfillment_status": "fulfilled" if fulfilled else None,
            "buyer_accepts_marketing": accepts,
            "landing_site": landing,
            "landing_site_ref": None,
            "referring_site": referrer,
            "source_name": "web" if web else "pos",
            "tags": "b2b" if o.kind == "business" else "",
            "test": False,
            "note": None,
            "discount_codes": (
                [{"code": o.coupon, "amount": money(m["order_disc"]), "type": "percentage"}] if o.coupon else []
            ),
            "discount_applications": applications,
            "billing_address": {
                "name": f"{first} {last}",
                "first_name": first,
                "last_name": last,
                "city": o.billing_city,
                "country": _COUNTRY_NAMES.get(o.billing_country),
                "country_code": o.billing_country,
                "phone": phone,
            },
            "customer": customer,
            "line_items": line_items,
            "shipping_lines": (
                []
                if not web
                else [
                    {
                        "code": (_SHIPPING_TITLE if m["shipping"] else _FREE_SHIPPING_TITLE)[lang],
                        "title": (_SHIPPING_TITLE if m["shipping"] else _FREE_SHIPPING_TITLE)[lang],
                        "price": money(m["shipping"]),
                    }
                ]
            ),
            "refunds": [
                {
                    "id": x.refund_id,
                    "created_at": clock.local(x.ts),
                    "processed_at": clock.local(x.ts),
                    "note": x.note,
                    "restock": bool(x.lines),
                    "refund_line_items": [
                        {
                            "line_item_id": plan.line_ids[i],
                            "quantity": qty,
                            "restock_type": "return",
                            "subtotal": round(m["units"][i] * qty, 2),
                            "total_tax": round(m["units"][i] * qty * vat / (1 + vat), 2),
                        }
                        for i, qty in x.lines
                    ],
                    "transactions": [
                        {
                            "id": x.transaction_id,
                            "kind": "refund",
                            "status": "success",
                            "gateway": plan.gateway[0],
                            "amount": money(x.amount),
                            "currency": o.currency,
                            "created_at": clock.local(x.ts - 1),
                            "processed_at": clock.local(x.ts - 1),
                        }
                    ],
                    "order_adjustments": [],
                }
                for x in done
            ],
        }

    # ------------------------------------------------------------------ CSV rows
    def _csv_rows(self, plan: _Plan, at: int) -> list[list[object]]:
        order = self._api_order(plan, at)
        o, clock = plan.order, self.w.clock
        m = self._shop_money(plan)
        _, done, refunded_shop = self._status_at(plan, at, m["total"])
        b = order["billing_address"]
        fulfilled_at = _csv_time(clock.local(plan.fulfilled_ts)) if order["fulfillment_status"] else None
        tax_title = order["line_items"][0]["tax_lines"][0]["title"]
        shipping_line = order["shipping_lines"][0]["title"] if order["shipping_lines"] else None
        first: dict[str, object] = {
            "Name": o.order_number,
            "Email": o.email,
            "Financial Status": order["financial_status"],
            "Paid at": _csv_time(clock.local(o.ts + 2)),
            "Fulfillment Status": order["fulfillment_status"] or "unfulfilled",
            "Fulfilled at": fulfilled_at,
            "Accepts Marketing": "yes" if order["buyer_accepts_marketing"] else "no",
            "Currency": SHOP_CURRENCY,
            "Subtotal": money(m["subtotal"]),
            "Shipping": money(m["shipping"]),
            "Taxes": money(m["tax"]),
            "Total": money(m["total"]),
            "Discount Code": o.coupon or QUOTED_EMPTY,
            "Discount Amount": money(m["total_discounts"]),
            "Shipping Method": shipping_line,
            "Billing Name": b["name"],
            "Billing City": b["city"],
            "Billing Country": b["country_code"],
            "Billing Phone": b["phone"],
            "Shipping Name": b["name"],
            "Shipping City": b["city"],
            "Shipping Country": b["country_code"],
            "Shipping Phone": b["phone"],
            "Note Attributes": QUOTED_EMPTY,
            "Cancelled at": _csv_time(order["cancelled_at"]) if order["cancelled_at"] else None,
            "Payment Method": plan.gateway[1],
            "Refunded Amount": money(refunded_shop),
            "Outstanding Balance": "0.00",
            "Id": o.order_id,
            "Tags": order["tags"] or QUOTED_EMPTY,
            "Risk Level": "Low",
            "Source": order["source_name"],
            "Tax 1 Name": tax_title,
            "Tax 1 Value": money(m["tax"]),
        }
        rows = []
        for i, (prod, qty, _, _) in enumerate(o.lines):
            li = order["line_items"][i]
            values: dict[str, object] = dict(first) if i == 0 else {}
            values.update(
                {
                    "Name": o.order_number,
                    "Email": o.email,
                    "Created at": _csv_time(order["created_at"]),
                    "Lineitem quantity": qty,
                    "Lineitem name": li["name"],
                    "Lineitem price": li["price"],
                    "Lineitem compare at price": "" if i == 0 else QUOTED_EMPTY,
                    "Lineitem sku": prod.sku,
                    "Lineitem requires shipping": "true",
                    "Lineitem taxable": "true",
                    "Lineitem fulfillment status": "fulfilled" if li["fulfillment_status"] else "pending",
                    "Vendor": VENDOR,
                    "Lineitem discount": "0.00",
                    "Phone": order["phone"],
                }
            )
            rows.append([values.get(h) for h in CSV_HEADERS])
        return rows

    # ------------------------------------------------------------------ writing
    def _pull_times(self) -> list[tuple[str, int]]:
        """(month, time of the pull at the start of the next month) for every month of the window."""
        clock, r = self.w.clock, self.r
        out = []
        for month in clock.months:
            _, hi = clock.month_bounds(month)
            out.append(
                (month, clock.local_midnight(hi + 1) + r.randint(2 * HOUR, 8 * HOUR) + r.randint(0, 59 * MINUTE))
            )
        return out

    def write(self) -> dict[str, int]:
        w = self.w
        out: Path = w.cfg.out
        plans = [self._plan(o) for o in w.orders]
        ledger = w.ledger
        for plan in plans:
            o = plan.order
            ids = [("email", o.email, normalize_email(o.email))]
            if o.phone:
                ids.append(("phone", o.phone, o.person.phone_e164))
            if plan.logged_in:
                ids.append(("user_id", o.person.customer_number, o.person.customer_number))
            ledger.row(o.person.idx, ids, joins=(("order", o.order_number),))
        api_rows, dups = 0, 0
        previous = w.clock.t0 - 1
        for month, pulled_at in self._pull_times():
            changed = [p for p in plans if any(previous < e <= pulled_at for e in p.events)]
            changed.sort(key=lambda p: (-p.order.ts, p.order.order_id))  # created_at desc, as the API pages
            records = []
            for plan in changed:
                record = self._api_order(plan, pulled_at)
                records.append(record)
                if self.r.random() < 0.005:  # updated while the pages were fetched: returned twice
                    records.append(record)
                    dups += 1
            # a pull with nothing new still returns (and saves) one page: {"orders":[]}
            for page, start in enumerate(range(0, max(len(records), 1), PAGE_SIZE), start=1):
                _write_page(out / API_FOLDER / f"orders_page{page}_{month}.json.gz", records[start : start + PAGE_SIZE])
            api_rows += len(records)
            previous = pulled_at
        # the admin CSV of the last month (export by date), downloaded at the end of the window
        month = w.clock.months[-1]
        lo, hi = w.clock.month_bounds(month)
        start, end = w.clock.local_midnight(lo), w.clock.local_midnight(hi + 1)
        export_at = w.clock.t1 - 1
        lines = [_csv_line(CSV_HEADERS)]
        for plan in sorted(
            (p for p in plans if start <= p.order.ts < end), key=lambda p: (-p.order.ts, p.order.order_id)
        ):
            lines += [_csv_line(row) for row in self._csv_rows(plan, export_at)]
        path = out / CSV_FOLDER / f"orders_export_1_{month}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes("".join(lines).encode("utf-8"))
        w.stats["dup_orders"] = dups
        return {API_FOLDER: api_rows, CSV_FOLDER: len(lines) - 1}


def _csv_field(value: object) -> str:
    """RFC 4180 as the admin export writes it: quoted only when needed; QUOTED_EMPTY as ``""``."""
    if value is QUOTED_EMPTY:
        return '""'
    if value is None:
        return ""
    text = str(value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(values) -> str:
    return ",".join(_csv_field(v) for v in values) + "\n"


def _write_page(path: Path, orders: list[dict]) -> None:
    """One API response body, compact JSON as Shopify sends it, gzip with fixed header bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"orders": orders}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_gzip(path, body)


def write(world) -> dict[str, int]:
    return ShopifyExport(world).write()
