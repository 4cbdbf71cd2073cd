"""Web shop: purchase timing (BG/NBD), basket value (Gamma-Gamma), orders, lines, refunds.

Purchase process per customer (Fader, Hardie & Lee): while "alive" a customer
buys with rate lambda ~ Gamma(r=0.25, alpha=4.5 weeks), and after every purchase
drops out with probability p ~ Beta(a=0.8, b=2.4). The process runs in
seasonal time (busy weeks come sooner). Each customer's mean order value is
p/nu with nu ~ Gamma(q=3.74, gamma=61.4) and each order's target value
~ Gamma(p=6.25, nu) (Gamma-Gamma spend model); baskets are built from the
catalogue to approach that target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from seeds.generator import catalog, geo
from seeds.generator.catalog import PRODUCTS, PRODUCTS_BY_CATEGORY, Product
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.crm import sigmoid
from seeds.generator.identity import email_variant
from seeds.generator.people import Person
from seeds.generator.rng import streams
from seeds.generator.sessions import Visit, pick_device
from seeds.generator.traffic import Touch, make_gclid

REFUND_REASONS = ("damaged", "wrong_size", "not_as_described", "changed_mind", "late_delivery")
_SHOP_PRODUCTS = [p for p in PRODUCTS if p.category != "services"]


@dataclass(slots=True, eq=False)
class Order:
    person: Person
    ts: int
    kind: str  # regular, business, pos
    visit: Visit | None = None
    logged_in: bool = False
    email: str = ""
    phone: str | None = None
    currency: str = "EUR"
    lines: list = field(default_factory=list)  # (product, qty, unit_price, line_discount)
    subtotal: float = 0.0
    discount: float = 0.0
    shipping: float = 0.0
    tax: float = 0.0
    total: float = 0.0
    coupon: str | None = None
    touch: Touch | None = None
    landing_url: str | None = None
    billing_country: str = "IT"
    billing_city: str = ""
    cancel_ts: int | None = None
    refunds: list = field(default_factory=list)  # (ts, amount, reason)
    late: bool = False
    damaged: bool = False
    order_id: str = ""
    order_number: str = ""
    revenue_eur: float = 0.0
    first: bool = False
    quantity: int = 0


def price_in(currency: str, eur: float) -> float:
    """Fixed presentment price list: converted at the start rate, rounded to x.99 / x.90."""
    if currency == "EUR":
        return eur
    rate = dict(geo.FX_START)[currency]
    v = eur / rate
    return round(v) - 0.01 if v >= 10 else round(v, 1) - 0.1


class Shop:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "shop")

    # ------------------------------------------------------------------ planning
    def _seasonal_after(self, p: Person, ts: int, mean_days: float) -> int | None:
        """A time ``Exp(mean_days)`` of seasonal demand after ``ts`` (None if beyond the window)."""
        clock = self.w.clock
        day_from = (ts - clock.t0) / DAY
        d = self.w.demand.advance(
            "b2b" if p.persona == "b2b" else "b2c", day_from, float(self.rng.exponential(mean_days))
        )
        if not math.isfinite(d) or d >= clock.n_days:
            return None
        day = int(d)
        hour = self.w.demand.hour_pick(p.persona).draw(self.rng)
        t = clock.at_local(day, hour * HOUR + self.r.randint(0, HOUR - 1))
        if t <= ts:
            t = ts + self.r.randint(2 * HOUR, 3 * DAY)
        return t if t < clock.t1 - HOUR else None

    def plan(self) -> None:
        """Decide who buys when (before email runs: checkout opt-ins need it)."""
        w, r = self.w, self.r
        clock = w.clock
        for p in w.persons:
            if not p.identified:
                continue
            first: int | None = None
            plans: list[tuple[int, str]] = []
            if p.route == "purchase":
                first = p.id_ts
            elif p.lead is not None and p.persona == "b2c":
                if p.lead.won:
                    first = p.lead.closed_ts
            elif p.legacy_customer:
                first = self._seasonal_after(p, clock.t0, 7.0 / max(p.bg_lambda, 1e-6))
            else:
                prob = sigmoid(-0.75 + 1.1 * p.z) if p.persona == "b2c" else 0.1
                if p.route == "signup":
                    prob = min(0.95, prob * 1.3)
                if r.random() < prob:
                    first = self._seasonal_after(p, p.id_ts, 25.0)
            t = first
            while t is not None:
                plans.append((t, "regular"))
                if r.random() < p.bg_p:  # BG/NBD dropout after a purchase
                    p.dropped_out = True
                    p.churned_ts = t + r.randint(HOUR, DAY)
                    if p.churned_ts >= clock.t1:
                        p.churned_ts = None
                    break
                t = self._seasonal_after(p, t, 7.0 / max(p.bg_lambda, 1e-6))
            p.purchases = plans
            if plans and p.account_ts is None and p.route != "purchase" and r.random() < 0.45:
                p.account_ts, p.account_via = plans[0][0], "checkout"

    def _plan_business(self) -> None:
        """Won B2B deals are often fulfilled through the shop with a business account."""
        w, r, clock = self.w, self.r, self.w.clock
        for lead in sorted(w.leads, key=lambda x: (x.created_ts, x.person.idx)):
            p = lead.person
            if p.persona != "b2b" or not lead.won or r.random() >= 0.45:
                continue
            bt = lead.closed_ts + r.randint(DAY, 10 * DAY)
            if bt >= clock.t1 - HOUR:
                continue
            p.purchases.append((bt, "business"))
            p.purchases.sort()
            if p.account_ts is None:
                p.account_ts, p.account_via = bt, "checkout"

    # ------------------------------------------------------------------ building
    def _basket(self, p: Person, kind: str) -> list[tuple[Product, int]]:
        r, rng = self.r, self.rng
        if kind == "business":
            target = max(600.0, p.lead.amount * r.uniform(0.25, 0.9)) if p.lead else 1500.0
        else:
            target = float(rng.gamma(6.25, 1.0 / p.gg_nu))  # Gamma-Gamma: E = 6.25 / nu
        lines: list[tuple[Product, int]] = []
        total = 0.0
        if kind == "business":
            main = r.choice(list(PRODUCTS_BY_CATEGORY["chairs"] + PRODUCTS_BY_CATEGORY["desks"]))
            qty = max(2, int(target * 0.7 / main.price_eur))
            lines.append((main, qty))
            total = main.price_eur * qty
            if r.random() < 0.5:
                svc = r.choice(PRODUCTS_BY_CATEGORY["services"])
                lines.append((svc, 1))
                total += svc.price_eur
        else:
            for _ in range(6):
                room = target - total
                cands = [
                    x for x in _SHOP_PRODUCTS if x.price_eur <= room * 1.25 and all(x is not line[0] for line in lines)
                ]
                if not cands:
                    break
                wts = [x.popularity * (1.0 + x.price_eur / max(room, 1.0)) for x in cands]
                prod = r.choices(cands, wts)[0]
                qty = 1 if prod.price_eur > 100 or r.random() < 0.8 else r.randint(2, 3)
                lines.append((prod, qty))
                total += prod.price_eur * qty
                if total >= target * 0.85:
                    break
            if not lines:
                cheap = [x for x in _SHOP_PRODUCTS if x.price_eur < 60]
                lines.append((r.choice(cheap), 1))
        return lines

    def _landing(self, touch: Touch, lines) -> str:
        r = self.r
        prod = lines[0][0]
        camp = self.w.calendar.by_utm.get(touch.campaign) if touch.campaign else None
        if camp is not None and camp.landing_categories and r.random() < 0.5:
            return f"/shop/{r.choice(camp.landing_categories)}"
        if touch.channel == "organic_search":
            return prod.path if r.random() < 0.6 else (r.choice(catalog.BLOG).path if r.random() < 0.5 else "/")
        if touch.channel == "direct":
            return "/" if r.random() < 0.7 else prod.path
        return prod.path if r.random() < 0.6 else f"/shop/{prod.category}"

    def build(self) -> None:
        """Orders in time order; attach each to a web session (or a store till)."""
        w, r, clock = self.w, self.r, self.w.clock
        self._plan_business()
        plans = sorted(((t, p.idx, k) for p in w.persons for t, k in p.purchases), key=lambda x: (x[0], x[1]))
        orders: list[Order] = []
        for t, idx, kind in plans:
            p = w.persons[idx]
            first = not p.orders
            if (
                kind == "regular"
                and p.country == "IT"
                and p.city.name_en in ("Milan", "Rome")
                and p.phone_nsn
                and r.random() < 0.06
            ):
                kind = "pos"
            o = Order(p, t, kind, first=first)
            lines = self._basket(p, kind)
            # currency & prices
            c = p.country
            cur = {
                "GB": "GBP" if r.random() < 0.9 else "EUR",
                "US": "USD" if r.random() < 0.95 else "EUR",
                "CH": "CHF" if r.random() < 0.85 else "EUR",
            }.get(c, "EUR")
            o.currency = cur
            o.billing_country = c if r.random() < 0.97 else "IT"
            city = p.city.name_local
            x = r.random()
            o.billing_city = city.lower() if x < 0.05 else (city.upper() if x < 0.08 else city)
            # session
            if kind != "pos":
                self._attach_visit(o, p, lines)
            else:
                o.ts = clock.at_local(clock.day_index(t), r.randint(10 * HOUR, 19 * HOUR))
                if o.ts >= clock.t1 or o.ts < clock.t0:
                    o.ts = t
                o.logged_in = p.account_at(o.ts) and r.random() < 0.5
            # lines and money
            day = clock.day_index(o.ts)
            subtotal = 0.0
            bundle = len(lines) >= 2 and r.random() < 0.12
            for i, (prod, qty) in enumerate(lines):
                unit = price_in(cur, prod.price_eur)
                ld = 0.0
                if bundle and i == len(lines) - 1:
                    ld = round(unit * qty * 0.10, 2)
                if kind == "business":
                    ld = round(unit * qty * (0.08 if qty < 5 else 0.15), 2)
                o.lines.append((prod, qty, unit, ld))
                subtotal += unit * qty - ld
                o.quantity += qty
            o.subtotal = round(subtotal, 2)
            o.coupon, pct = self._coupon(o, p, day)
            o.discount = round(o.subtotal * pct, 2)
            o.shipping = self._shipping(cur, o.billing_country, o.subtotal - o.discount, kind)
            o.total = round(o.subtotal - o.discount + o.shipping, 2)
            vat = geo.COUNTRY_BY_CODE[o.billing_country].vat_rate
            o.tax = round(o.total * vat / (1 + vat), 2)
            o.revenue_eur = round(o.total * w.fx.eur_per_unit(cur, day), 2)
            # identity on the order
            o.email, o.phone = self._contact_fields(o, p)
            # fulfilment outcome
            peak = clock.local_date(o.ts).month == 12 or w.demand.b2c[day] > 1.7
            o.late = kind != "pos" and r.random() < (0.16 if peak else 0.06)
            o.damaged = kind != "pos" and r.random() < 0.02
            if r.random() < 0.02:
                ct = o.ts + r.randint(HOUR, 3 * DAY)
                if clock.next_month(clock.month_key(o.ts)) is not None and ct < clock.t1:
                    o.cancel_ts = ct
            if o.cancel_ts is None:
                self._refunds(o)
            if o.late or o.damaged or o.refunds:
                p.bad_experience.append(o.ts)
            p.orders.append(o)
            orders.append(o)
            if first:
                p.crm_events.append((o.ts + r.randint(60, 3600), "lifecycle", "customer"))
        orders.sort(key=lambda o: (o.ts, o.person.idx))
        oid = 5_812_000_000_000
        for i, o in enumerate(orders):
            oid += r.randint(1, 40)
            o.order_id = str(oid)
            o.order_number = f"ER{100001 + i}"
        w.orders = orders

    def _attach_visit(self, o: Order, p: Person, lines) -> None:
        w, r, clock = self.w, self.r, self.w.clock
        t = o.ts
        v: Visit | None = None
        for cv in reversed(w.click_visits.get(p.idx, [])):
            if t - 72 * HOUR <= cv.ts <= t and cv.order is None and cv.intent == "browse":
                if r.random() < 0.6:
                    v = cv
                break
        if v is not None:
            o.ts = v.ts + r.randint(3 * MINUTE, 25 * MINUTE)
            v.intent = "purchase"
        else:
            start = t - r.randint(4 * MINUTE, 30 * MINUTE)
            if (
                o.first
                and p.route == "purchase"
                and p.id_ts == p.acq_ts
                and p.acq_touch is not None
                and o.kind == "regular"
            ):
                touch = p.acq_touch
                start = max(start, clock.t0)
            else:
                touch = w.traffic.draw(r, clock.day_index(start), p.persona, p.lang, new=False)
            prefer = (
                "desktop" if o.kind == "business" or p.persona == "b2b" else ("mobile" if r.random() < 0.55 else None)
            )
            dev = pick_device(r, p, start, prefer)
            v = Visit(start, p, dev, touch, self._landing(touch, lines), "purchase")
            if touch.medium == "cpc":
                v.gclid = make_gclid(r)
            if o.ts <= start:
                o.ts = start + r.randint(3 * MINUTE, 20 * MINUTE)
            w.visits.add(v)
        o.ts = min(o.ts, clock.t1 - 2 * MINUTE)
        v.order = o
        v.anchor_ts = o.ts
        v.bounce_ok = False
        if p.account_via == "checkout" and p.account_ts is not None and p.account_ts <= o.ts + 4 * DAY:
            p.account_ts = o.ts - 60  # account created in this checkout
            p.account_via = "checkout_done"
            v.signup = True
            o.logged_in = True
        elif p.account_at(o.ts):
            o.logged_in = r.random() < 0.92
            v.login = o.logged_in
        o.visit = v
        o.touch = v.touch
        o.landing_url = v.touch.landing_url(v.landing, v.gclid)

    def _coupon(self, o: Order, p: Person, day: int) -> tuple[str | None, float]:
        r, cal = self.r, self.w.calendar
        if o.kind == "business":
            return None, 0.0
        touch_c = cal.by_utm.get(o.touch.campaign) if o.touch and o.touch.campaign else None
        if touch_c is not None and touch_c.coupon and touch_c.active(day) and r.random() < 0.65:
            return touch_c.coupon, touch_c.coupon_pct
        promo = [c for c in cal.seasonal_on(day) if c.coupon]
        if promo and r.random() < 0.22:
            return promo[-1].coupon, promo[-1].coupon_pct
        if o.first and p.subscribed_ts is not None and p.subscribed_ts <= o.ts and r.random() < 0.3:
            return "WELCOME10", 0.10
        return None, 0.0

    @staticmethod
    def _shipping(cur: str, country: str, net: float, kind: str) -> float:
        eur_net = net * dict(geo.FX_START)[cur]
        if kind == "pos":
            return 0.0
        if country == "IT":
            fee, free = 6.90, 99
        elif country in ("DE", "FR", "ES"):
            fee, free = 12.90, 199
        else:
            fee, free = 24.90, 299
        if eur_net >= free:
            return 0.0
        return round(price_in(cur, fee) if cur != "EUR" else fee, 2)

    def _contact_fields(self, o: Order, p: Person) -> tuple[str, str | None]:
        r = self.r
        if o.kind == "pos":
            email = catalog.PLACEHOLDER_EMAIL
        elif p.test_email_user and not o.logged_in and r.random() < 0.5:
            email = catalog.TEST_EMAIL
        elif o.kind == "business" or p.persona == "b2b" and r.random() < 0.5:
            email = p.role_mailbox if p.role_mailbox and r.random() < 0.5 else (p.email_work or p.email_personal)
        else:
            email = p.email_personal or p.email_work
        email = email_variant(r, email)
        phone = None
        if p.phone_nsn and (o.kind == "pos" or r.random() < 0.7):
            fmts = geo.phone_formats(p.country, p.phone_nsn)
            phone = r.choices(fmts, geo.PHONE_FORMAT_WEIGHTS[p.country][: len(fmts)])[0]
        return email, phone

    def _refunds(self, o: Order) -> None:
        r, clock = self.r, self.w.clock
        prob = 0.042 + (0.25 if o.late else 0.0) + (0.65 if o.damaged else 0.0)
        if o.kind == "pos" or r.random() >= prob:
            return
        if o.damaged:
            reason = "damaged"
        elif o.late and r.random() < 0.7:
            reason = "late_delivery"
        else:
            cat = o.lines[0][0].category
            reason = r.choices(
                ("wrong_size", "not_as_described", "changed_mind"),
                (0.4 if cat in ("chairs", "textiles", "desks") else 0.05, 0.3, 0.45),
            )[0]
        if r.random() < 0.45 or len(o.lines) == 1 and o.lines[0][1] == 1 and r.random() < 0.6:
            amount = o.total
        else:
            prod, qty, unit, ld = r.choice(o.lines)
            share = (unit - ld / qty) * (1 - (o.discount / o.subtotal if o.subtotal else 0))
            amount = round(min(o.total, share if r.random() < 0.7 else o.total * r.uniform(0.1, 0.4)), 2)
        amount = round(max(amount, 1.0), 2)
        t = o.ts + r.randint(3 * DAY, 30 * DAY)
        parts = [amount]
        if amount > 20 and r.random() < 0.2:
            a1 = round(amount * r.uniform(0.3, 0.7), 2)
            parts = [a1, round(amount - a1, 2)]
        for a in parts:
            if t >= clock.t1:
                break
            o.refunds.append((t, a, reason))
            t += r.randint(2 * DAY, 10 * DAY)

    # ------------------------------------------------------------------ writing
    def write(self) -> dict[str, int]:
        """The orders as the shop's platform exports them: Shopify Admin API order pages and the admin
        CSV export (seeds/generator/exports/shopify.py), registering their identifiers in the ledger."""
        from seeds.generator.exports import shopify

        return shopify.write(self.w)
