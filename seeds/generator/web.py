"""Website analytics (GA4): session planning and event expansion, one month at a time.

``plan`` adds the sessions every person needs (acquisition visit, identification
visit, account sign-up, a login on every device of an account holder, the 1-3
visits of anonymous visitors). ``write`` then, month by month, adds background
browsing, expands every session into GA4 events (first_visit, session_start, page_view,
user_engagement, scroll, view_item, add_to_cart, begin_checkout, purchase,
form_submit, generate_lead, sign_up, login), adds the refunds the shop's back office
sends through the Measurement Protocol, and hands them to ``exports.ga4``, which writes
the BigQuery export's daily tables as ``bq extract`` names them, while collecting the
per campaign-day / landing-page aggregates that the ads and Search Console extracts
must agree with. Browsers of anonymous visitors that deny analytics consent send
cookieless pings (no user_pseudo_id, no session).
"""

from __future__ import annotations

import math
import random

import numpy as np

from seeds.generator import catalog, geo
from seeds.generator.catalog import BLOG, PRODUCTS, PRODUCTS_BY_CATEGORY, SITE, page_title
from seeds.generator.clock import DAY, HOUR
from seeds.generator.crm import sigmoid
from seeds.generator.exports.ga4 import (
    DIRECT_LAST_CLICK_JSON,
    DailyTables,
    Ga4Event,
    bq_json,
    device_json,
    geo_json,
    last_click,
    p_int,
    p_num,
    p_str,
    privacy_json,
    stable_fraction,
)
from seeds.generator.people import Device, Person
from seeds.generator.rng import streams
from seeds.generator.sessions import Visit, pick_device
from seeds.generator.traffic import Touch, make_gclid

BOUNCE_P = {
    "organic_search": 0.64,
    "paid_search": 0.64,
    "paid_social": 0.76,
    "display": 0.84,
    "organic_social": 0.70,
    "referral": 0.58,
    "direct": 0.56,
    "email": 0.62,
    "dem": 0.66,
    "sms": 0.70,
}
_SHOP_PRODUCTS = [p for p in PRODUCTS if p.category != "services"]
_POP = [p.popularity for p in _SHOP_PRODUCTS]
_ITEMS: dict[tuple[str, int], str] = {}  # (sku, quantity) -> item record at list price
_ENGAGED = (p_str("session_engaged", "0"), p_str("session_engaged", "1"))
LEGACY_TOUCHES = (
    ("(organic)", "organic", "google", 0.45),
    ("(direct)", "(none)", "(direct)", 0.3),
    ("(referral)", "referral", "blog.lavoroagile.it", 0.1),
    ("newsletter", "email", "newsletter", 0.15),
)


class Website:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "web")
        self.bg_rng, self.bg_r = streams(world.cfg.seed, "web-background")
        self._geo_cache: dict[tuple[str, str], str] = {}
        self.stats = {
            "sessions": 0,
            "events": 0,
            "logged_in_events": 0,
            "single_page": 0,
            "purchases": 0,
            "cookieless_events": 0,
            "refund_events": 0,
        }
        self._last_click: dict[str, tuple[int, str]] = {}  # browser -> (time, last non-direct session source)
        self._records: dict[str, str] = {}  # interned device records
        self._last_click_records: dict[tuple, str] = {}  # session source -> its last-click record
        self._first_touch_records: dict[tuple[str, str, str], str] = {}  # device first touch -> traffic_source
        self._ltv: dict[str, float] = {}  # browser -> purchase revenue so far, EUR
        self._tables: DailyTables | None = None
        self._mp_session = 0

    # ------------------------------------------------------------------ planning
    def plan(self) -> None:
        w, r, rng, clock = self.w, self.r, self.rng, self.w.clock
        add = w.visits.add
        for p in w.persons:
            if not p.devices:
                continue
            if not p.identified:
                n = r.choices((1, 2, 3), (0.55, 0.3, 0.15))[0]
                t = p.acq_ts
                dev = p.devices[0]
                for k in range(n):
                    if k == 0:
                        touch = p.acq_touch or w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, True)
                    else:
                        t = t + int(HOUR + rng.exponential(12 * DAY))
                        touch = w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, False)
                    add(self._browse_visit(p, dev, t, touch, r))
                continue
            route = p.route
            web_first = route in ("newsletter", "signup", "purchase", "lead_form")
            # acquisition visit (unless the identifying visit is the acquisition visit and is made elsewhere)
            if web_first and not (p.id_ts == p.acq_ts and route in ("purchase", "lead_form")):
                dev = p.devices[0]
                touch = p.acq_touch or w.traffic.draw(r, clock.day_index(p.acq_ts), p.persona, p.lang, True)
                if p.id_ts == p.acq_ts:
                    add(self._id_visit(p, dev, p.acq_ts, touch))
                else:
                    add(self._browse_visit(p, dev, p.acq_ts, touch, r))
                    if route in ("newsletter", "signup"):
                        t = p.id_ts
                        add(
                            self._id_visit(
                                p,
                                pick_device(r, p, t),
                                t,
                                w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, False),
                            )
                        )
            # account created in a dedicated sign-up session
            if p.account_via == "visit" and p.account_ts is not None and p.account_ts != p.id_ts:
                t = p.account_ts
                dev = pick_device(r, p, t)
                touch = w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, False)
                add(Visit(t, p, dev, touch, "/", "signup", signup=True, bounce_ok=False))
            # every device of an account holder logs in at least once (unless a purchase or the
            # account sign-up already ties it to the person)
            if p.account_ts is not None:
                for dev in p.devices:
                    if (
                        any(
                            o.visit is not None and o.visit.device is dev and (o.logged_in or o.visit.signup)
                            for o in p.orders
                        )
                        and not dev.shared
                    ):
                        continue
                    lo = max(dev.active_from, p.account_ts + HOUR, clock.t0)
                    t = lo + int(rng.exponential(12 * DAY)) + r.randint(0, 6 * HOUR)
                    if t >= clock.t1 - HOUR:
                        t = lo + r.randint(0, max(1, (clock.t1 - HOUR - lo) // 2)) if lo < clock.t1 - 2 * HOUR else None
                    if t is None:
                        continue
                    touch = w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, False)
                    add(
                        Visit(
                            t,
                            p,
                            dev,
                            touch,
                            r.choice(("/", "/account/login", "/account/login")),
                            "login",
                            login=True,
                            bounce_ok=False,
                        )
                    )

    def _id_visit(self, p: Person, dev: Device, t: int, touch: Touch) -> Visit:
        signup = p.account_via == "visit" and p.account_ts == p.id_ts
        if p.route == "signup":
            return Visit(t, p, dev, touch, self._landing(touch, p, self.r), "signup", signup=signup, bounce_ok=False)
        return Visit(
            t,
            p,
            dev,
            touch,
            self._landing(touch, p, self.r),
            "newsletter",
            signup=signup,
            form_id="newsletter",
            bounce_ok=False,
        )

    def _landing(self, touch: Touch, p: Person, r: random.Random) -> str:
        ch = touch.channel
        camp = self.w.calendar.by_utm.get(touch.campaign) if touch.campaign else None
        if camp is not None and camp.landing_categories and r.random() < 0.6:
            cat = r.choice(camp.landing_categories)
            if r.random() < 0.5:
                return f"/shop/{cat}"
            return r.choice(PRODUCTS_BY_CATEGORY[cat]).path
        if ch == "organic_search":
            x = r.random()
            if p.persona == "b2b":
                return (
                    r.choice(BLOG).path
                    if x < 0.55
                    else ("/" if x < 0.75 else ("/business" if x < 0.85 else r.choice(_SHOP_PRODUCTS).path))
                )
            return r.choice(BLOG).path if x < 0.38 else ("/" if x < 0.55 else r.choices(_SHOP_PRODUCTS, _POP)[0].path)
        if ch == "direct":
            return "/" if r.random() < 0.75 else r.choice(("/account/login", "/shop/chairs", "/pricing"))
        if ch == "referral":
            return r.choice(BLOG).path if r.random() < 0.4 else r.choices(_SHOP_PRODUCTS, _POP)[0].path
        if ch in ("organic_social", "paid_social", "display"):
            return (
                r.choices(_SHOP_PRODUCTS, _POP)[0].path
                if r.random() < 0.6
                else f"/shop/{r.choice(catalog.CATEGORIES[:6])}"
            )
        if ch == "paid_search":
            return "/" if (touch.ad and "Brand" in touch.ad.name) else r.choices(_SHOP_PRODUCTS, _POP)[0].path
        return "/"

    def _browse_visit(
        self, p: Person, dev: Device, t: int, touch: Touch, r: random.Random, login_p: float = 0.0
    ) -> Visit:
        b2b = p.persona == "b2b"
        pricing = r.random() < (sigmoid(-1.6 + 1.7 * p.z) if b2b else sigmoid(-3.2 + 0.9 * p.z))
        login = login_p > 0 and p.account_at(t) and r.random() < login_p
        return Visit(t, p, dev, touch, self._landing(touch, p, r), "browse", login=login, pricing=pricing)

    # ------------------------------------------------------------------ background sessions
    def _background(self, month: str) -> None:
        w, rng, r, clock = self.w, self.bg_rng, self.bg_r, self.w.clock
        lo, hi = clock.month_bounds(month)
        t_lo, t_hi = clock.local_midnight(lo), clock.local_midnight(hi + 1)
        persons = [p for p in w.persons if p.identified and p.visit_rate > 0 and p.acq_ts < t_hi]
        if not persons:
            return
        rates = np.empty(len(persons))
        for i, p in enumerate(persons):
            start = max(p.acq_ts, t_lo)
            frac = (t_hi - start) / (30.44 * DAY)
            rate = p.visit_rate * frac
            if p.churned_ts is not None and p.churned_ts < t_hi:
                rate *= 0.45
            rates[i] = rate
        counts = rng.poisson(rates)
        for i in np.nonzero(counts)[0]:
            p = persons[int(i)]
            lo_p = max(lo, clock.day_index(max(p.acq_ts, t_lo)))
            days = w.demand.day_pick(p.persona, lo_p, hi)  # choice(p=...) draws, the CDF computed once
            hours = w.demand.hour_pick(p.persona)
            for _ in range(int(counts[i])):
                day = lo_p + days.draw(rng)
                t = clock.at_local(day, hours.draw(rng) * HOUR + r.randint(0, HOUR - 1))
                if t <= p.acq_ts or t >= clock.t1:
                    continue
                dev = pick_device(r, p, t)
                touch = w.traffic.draw(r, day, p.persona, p.lang, False)
                v = self._browse_visit(p, dev, t, touch, r, login_p=0.12 if p.persona == "b2c" else 0.08)
                if touch.medium == "cpc":
                    v.gclid = make_gclid(r)
                w.visits.add(v)

    # ------------------------------------------------------------------ expansion
    def _geo_json(self, p: Person, r: random.Random) -> str:
        c = geo.COUNTRY_BY_CODE[p.country]
        city = p.city
        if r.random() < 0.03:  # travelling
            city = r.choices(c.cities, [x.weight for x in c.cities])[0]
        key = (p.country, city.name_en)
        s = self._geo_cache.get(key)
        if s is None:
            s = geo_json(city.name_en, p.country, c.name_en, c.continent, city.region_en)
            self._geo_cache[key] = s
        return s

    def _device_json(self, d: Device) -> str:
        if not d.json_device:
            record = device_json(d.pseudo_id, d.category, d.os, d.browser, d.language)
            d.json_device = self._records.setdefault(record, record)
        return d.json_device

    def _cookieless(self, p: Person, dev: Device) -> bool:
        """Anonymous visitors' browsers that deny analytics storage: GA4 gets cookieless pings only."""
        return not p.identified and stable_fraction(self.w.cfg.seed, "consent", dev.pseudo_id) < 0.15

    def _usd(self, amount: float, currency: str, day: int) -> float:
        fx = self.w.fx
        return amount * fx.eur_per_unit(currency, day) / fx.eur_per_unit("USD", day)

    def _session_last_click(self, v: Visit, touch: Touch, self_referral: bool) -> str:
        """session_traffic_source_last_click: the session's source, a direct one inherits the last non-direct."""
        pid = v.device.pseudo_id
        if touch.channel != "direct" and not self_referral:
            # few distinct sources: each record serialized once (ad campaigns live for the whole run: keyed by id)
            key = (touch.channel, touch.source, touch.medium, touch.campaign, touch.content, touch.referrer)
            key += (id(touch.ad), touch.tagged)
            record = self._last_click_records.get(key)
            if record is None:
                record = bq_json(last_click(*key[:6], touch.ad, touch.tagged))
                self._last_click_records[key] = record
            self._last_click[pid] = (v.ts, record)
            return record
        previous = self._last_click.get(pid)
        if previous is not None and v.ts - previous[0] <= 90 * DAY:
            return previous[1]
        return DIRECT_LAST_CLICK_JSON

    @staticmethod
    def _item(sku: str, quantity: int = 1, price: float | None = None, revenue: float | None = None) -> str:
        """One item record as its JSON text (list prices and quantities repeat: those are kept)."""
        key = (sku, quantity) if price is None and revenue is None else None
        if key is not None:
            s = _ITEMS.get(key)
            if s is not None:
                return s
        prod = catalog.PRODUCT_BY_SKU[sku]
        item = {
            "item_id": prod.sku,
            "item_name": prod.name_it,
            "item_brand": "Ergonova",
            "item_category": prod.category,
            "price": round(prod.price_eur if price is None else price, 2),
            "quantity": str(quantity),
        }
        if revenue is not None:
            item["item_revenue"] = round(revenue, 2)
        s = bq_json(item)
        if key is not None:
            _ITEMS[key] = s
        return s

    def _pages(self, v: Visit, r: random.Random) -> list[tuple[str, list]]:
        """Page path of the session: [(path, [(event_name, extra_params), ...]), ...]."""
        p = v.person
        b2b = p.persona == "b2b"
        if v.login and not p.account_at(v.anchor_ts or v.ts):  # account finally created later (at a checkout)
            v.login = False
        pages: list[tuple[str, list]] = [(v.landing, [])]
        if v.intent == "browse" and v.bounce_ok and not v.login and r.random() < BOUNCE_P.get(v.touch.channel, 0.45):
            return pages
        login = ("login", {"method": "email" if r.random() < 0.8 else "google"})
        if v.login and v.intent != "purchase":
            if v.landing == "/account/login":
                pages[0] = (v.landing, [login])
            else:
                pages.append(("/account/login", [login]))
            if v.intent == "login":
                for _ in range(r.choice((0, 1, 1, 2))):
                    pages.append(self._next_page(pages[-1][0], p, r))
                return pages
        if v.intent == "signup":
            pages.append(("/account/signup", [("sign_up", {"method": "email" if r.random() < 0.75 else "google"})]))
        if v.intent == "purchase" and v.order is not None:
            o = v.order
            for _ in range(r.choice((0, 0, 1, 2))):
                pages.append(self._next_page(pages[-1][0], p, r))
            for prod, qty, _unit, _line_discount in o.lines:
                pages.append(
                    (
                        prod.path,
                        [
                            ("view_item", {"value": prod.price_eur, "sku": prod.sku}),
                            (
                                "add_to_cart",
                                {"value": round(prod.price_eur * qty, 2), "sku": prod.sku, "quantity": qty},
                            ),
                        ],
                    )
                )
            pages.append(("/cart", []))
            if v.login:  # "log in or continue as guest" at checkout
                pages.append(("/account/login", [login]))
            if v.signup:
                pages.append(("/checkout", [("begin_checkout", {"value": o.total}), ("sign_up", {"method": "email"})]))
            else:
                pages.append(("/checkout", [("begin_checkout", {"value": o.total})]))
            pages.append(("/checkout/thank-you", [("purchase", {})]))
            if r.random() < 0.15:
                pages.append(("/", []))
            return pages
        if v.intent == "lead":
            if v.pricing or b2b:
                pages.append(("/pricing", []))
            if r.random() < 0.4:
                pages.append(self._next_page("/pricing", p, r))
            pages.append(
                (
                    "/contact",
                    [
                        ("form_submit", {"form_id": v.form_id or "contact"}),
                        ("generate_lead", {"form_id": v.form_id or "contact"}),
                    ],
                )
            )
            return pages
        if v.intent == "newsletter":
            for _ in range(r.randint(0, 2)):
                pages.append(self._next_page(pages[-1][0], p, r))
            path = pages[-1][0]
            evs = [("form_submit", {"form_id": "newsletter"})]
            pages[-1] = (path, pages[-1][1] + evs)
            if v.signup:
                pages.append(("/account/signup", [("sign_up", {"method": "email"})]))
            return pages
        # browse / signup continuation
        n_more = 1 + min(int(r.expovariate(0.85)), 6)
        if v.intent == "signup":
            n_more = r.randint(0, 2)
        for _ in range(n_more):
            pages.append(self._next_page(pages[-1][0], p, r))
        if v.pricing and not any(pg == "/pricing" for pg, _ in pages):
            pages.insert(min(len(pages), r.randint(1, len(pages))), ("/pricing", []))
        return pages

    def _next_page(self, cur: str, p: Person, r: random.Random) -> tuple[str, list]:
        b2b = p.persona == "b2b"
        x = r.random()
        if cur.startswith("/products/"):
            if x < 0.45:
                prod = r.choices(_SHOP_PRODUCTS, _POP)[0]
                return prod.path, [("view_item", {"value": prod.price_eur, "sku": prod.sku})]
            if x < 0.6:
                prod = catalog.PRODUCT_BY_SKU[cur.rsplit("/", 1)[1].upper()]
                return "/cart", [("add_to_cart", {"value": prod.price_eur, "sku": prod.sku})]
            if x < 0.8:
                return f"/shop/{r.choice(catalog.CATEGORIES[:6])}", []
            return ("/pricing", []) if b2b else ("/", [])
        if cur.startswith("/shop/"):
            cat = cur[6:]
            prods = PRODUCTS_BY_CATEGORY.get(cat) or _SHOP_PRODUCTS
            prod = r.choice(prods)
            if x < 0.75:
                return prod.path, [("view_item", {"value": prod.price_eur, "sku": prod.sku})]
            return "/", []
        if cur.startswith("/blog/"):
            if x < 0.35:
                return r.choice(BLOG).path, []
            if x < 0.65:
                prod = r.choices(_SHOP_PRODUCTS, _POP)[0]
                return prod.path, [("view_item", {"value": prod.price_eur, "sku": prod.sku})]
            if x < 0.8:
                return "/blog", []
            return ("/business", []) if b2b else ("/", [])
        # home and the rest
        if b2b:
            opts = (
                ("/business", 2),
                ("/pricing", 1.2),
                ("/blog", 1),
                ("/events", 0.8),
                ("/contact", 0.5),
                ("/shop/chairs", 1),
                ("/shop/desks", 1),
            )
        else:
            opts = (
                ("/shop/chairs", 2.5),
                ("/shop/desks", 1.5),
                ("/shop/accessories", 1.5),
                ("/shop/lighting", 1),
                ("/blog", 0.8),
                ("/contact", 0.2),
            )
        path = r.choices([o for o, _ in opts], [wt for _, wt in opts])[0]
        if path == "/blog":
            return r.choice(BLOG).path, []
        return path, []

    def _expand(self, v: Visit, r: random.Random) -> list[Ga4Event]:
        """Events of one session (and the Measurement Protocol refunds of its order)."""
        w, clock = self.w, self.w.clock
        seed = w.cfg.seed
        p, dev, touch = v.person, v.device, v.touch
        dev.session_count += 1
        first_session = dev.session_count == 1 and not dev.legacy
        if dev.first_touch is None:
            if dev.legacy:
                name, med, src, _ = r.choices(LEGACY_TOUCHES, [x[3] for x in LEGACY_TOUCHES])[0]
                dev.first_touch = (name, med, src)
                dev.session_count += r.randint(2, 40)
            else:
                dev.first_touch = (touch.ga4_name, touch.medium, touch.source)
        ts_json = self._first_touch_records.get(dev.first_touch)
        if ts_json is None:
            first = dev.first_touch
            ts_json = bq_json({"name": first[0], "medium": first[1], "source": first[2]})
            self._first_touch_records[first] = ts_json
        device = self._device_json(dev)
        geo_record = self._geo_json(p, r)
        sid, snum = v.ts, dev.session_count
        if touch.medium == "cpc" and v.gclid is None:
            v.gclid = make_gclid(r)
        pages = self._pages(v, r)
        single = len(pages) == 1
        # dwell times
        dwell = []
        for path, _evs in pages:
            if path.startswith("/blog/"):
                d = r.lognormvariate(math.log(75), 0.8)
            elif path.startswith(("/checkout", "/account")):
                d = r.lognormvariate(math.log(50), 0.5)
            else:
                d = r.lognormvariate(math.log(32), 0.8)
            dwell.append(min(d, 1200.0))
        if single:
            dwell[0] = min(dwell[0], r.uniform(2, 9.5)) if r.random() < 0.8 else dwell[0]
        # purchase anchor: the purchase event happens exactly at the order time
        anchor_idx = None
        if v.order is not None:
            for i, (_path, evs) in enumerate(pages):
                if any(e == "purchase" for e, _ in evs):
                    anchor_idx = i
            if anchor_idx is not None and v.anchor_ts is not None:
                budget = max(v.anchor_ts - v.ts, 30)
                pre = sum(dwell[:anchor_idx])
                if pre > budget * 0.95 or pre < budget * 0.5:
                    f = budget * r.uniform(0.7, 0.95) / max(pre, 1e-6)
                    dwell[:anchor_idx] = [d * f for d in dwell[:anchor_idx]]
        # what the tag and GA4 record besides the page path
        cookieless = self._cookieless(p, dev)
        pid = None if cookieless else dev.pseudo_id
        privacy = privacy_json(not cookieless, not cookieless and stable_fraction(seed, "ads", dev.pseudo_id) >= 0.22)
        first_touch_us = None if cookieless else int(dev.pseudo_id.rsplit(".", 1)[1]) * 1_000_000
        prev_url = touch.referrer
        self_referral = (
            touch.channel == "direct" and not single and stable_fraction(seed, "self-referral", v.seq) < 0.04
        )
        if self_referral:  # a new session on a tab left open: the referrer is the site itself
            prev_url = SITE + "/shop/chairs"
        stslc = None if cookieless else self._session_last_click(v, touch, self_referral)
        collected = None  # the landing events' collected_traffic_source, as JSON text
        if touch.tagged or v.gclid:
            fields: dict[str, str] = {}
            if touch.tagged:
                fields.update(
                    manual_campaign_name=touch.campaign or touch.ga4_name,
                    manual_source=touch.source,
                    manual_medium=touch.medium,
                )
                if touch.content:
                    fields["manual_content"] = touch.content
            if v.gclid:
                fields["gclid"] = v.gclid
            collected = bq_json(fields)
        o = v.order
        paypal = o is not None and stable_fraction(seed, "paypal", o.order_number) < 0.3
        day = clock.day_index(v.ts)
        cust = p.customer_number

        out: list[Ga4Event] = []
        us = v.ts * 1_000_000 + r.randint(0, 999_999)
        user_id = None
        engaged = False
        logged = False

        session = v.seq
        ts_record = None if cookieless else ts_json

        def event(
            t_us: int,
            name: str,
            params: list,
            batch: tuple,
            collected: str | None = None,
            ecommerce: dict | None = None,
            items: list | None = None,
            value_usd: float | None = None,
        ) -> None:
            if not cookieless:
                params = params + [_ENGAGED[engaged]]
            # positional, in Ga4Event's order: session, pseudo_id, user_id, value_usd, privacy, first_touch_us,
            # ltv, device, geo, traffic_source, ecommerce, items, collected, batch, last_click
            out.append(
                Ga4Event(
                    t_us,
                    name,
                    params,
                    session,
                    pid,
                    None if cookieless else user_id,
                    value_usd,
                    privacy,
                    first_touch_us,
                    self._ltv.get(pid) if pid else None,
                    device,
                    geo_record,
                    ts_record,
                    ecommerce,
                    items,
                    collected,
                    batch,
                    stslc,
                )
            )

        for i, (path, evs) in enumerate(pages):
            if anchor_idx is not None and i == anchor_idx and v.anchor_ts is not None:
                us = max(us + 1000, v.anchor_ts * 1_000_000 + r.randint(0, 999_999))
            url = touch.landing_url(path, v.gclid) if i == 0 else SITE + path
            title = page_title(path)
            page_id = i + 1  # GA4's batch_page_id: the page's number within the engagement
            ordering = 1
            base = [] if cookieless else [p_int("ga_session_id", sid), p_int("ga_session_number", snum)]
            base += [p_str("page_location", url), p_str("page_title", title)]
            referrer = prev_url
            ignored = []
            if paypal and path == "/checkout/thank-you":  # back from the payment page: an unwanted referral
                referrer = "https://www.paypal.com/"
                ignored = [p_str("ignore_referrer", "true")]
            with_referrer = base + ([p_str("page_referrer", referrer)] if referrer else []) + ignored
            if i > 0:
                engaged = True
            landing = i == 0
            if landing and not cookieless:
                if first_session:
                    event(us, "first_visit", with_referrer, (0, page_id, ordering), collected=collected)
                event(us, "session_start", with_referrer, (0, page_id, ordering), collected=collected)
            event(
                us,
                "page_view",
                with_referrer + ([p_int("entrances", 1)] if landing else []),
                (0, page_id, ordering),
                collected=collected if landing else None,
            )
            t_page = us
            span = int(dwell[i] * 1_000_000)
            for name, extra in evs:
                t_page += int(span * r.uniform(0.15, 0.6) / max(len(evs), 1))
                if name in ("login", "sign_up"):
                    user_id = cust
                    logged = True
                if name in ("login", "sign_up", "purchase", "generate_lead", "form_submit"):
                    engaged = True
                ps = list(base) + ignored
                ecommerce, items, value_usd = None, None, None
                if name in ("view_item", "add_to_cart"):
                    ps += [p_num("value", float(extra["value"])), p_str("currency", "EUR")]
                    items = [self._item(extra["sku"], extra.get("quantity", 1))]
                    value_usd = self._usd(float(extra["value"]), "EUR", day)
                elif name == "begin_checkout":
                    ps += [p_num("value", float(extra["value"])), p_str("currency", o.currency)]
                    items = [self._item(prod.sku, qty, unit) for prod, qty, unit, ld in o.lines]
                    value_usd = self._usd(float(extra["value"]), o.currency, day)
                elif name == "purchase":
                    ps += [
                        p_str("transaction_id", o.order_number),
                        p_num("value", float(o.total)),
                        p_str("currency", o.currency),
                        p_num("tax", float(o.tax)),
                    ]
                    if o.shipping:
                        ps.append(p_num("shipping", float(o.shipping)))
                    usd = self._usd(1.0, o.currency, day)
                    ecommerce = {
                        "total_item_quantity": str(o.quantity),
                        "purchase_revenue_in_usd": round(o.total * usd, 2),
                        "purchase_revenue": o.total,
                    }
                    if o.shipping:
                        ecommerce.update(shipping_value_in_usd=round(o.shipping * usd, 2), shipping_value=o.shipping)
                    ecommerce.update(
                        tax_value_in_usd=round(o.tax * usd, 2),
                        tax_value=o.tax,
                        unique_items=str(len(o.lines)),
                        transaction_id=o.order_number,
                    )
                    items = [self._item(prod.sku, qty, unit, unit * qty - ld) for prod, qty, unit, ld in o.lines]
                    value_usd = o.total * usd
                elif name in ("login", "sign_up"):
                    ps.append(p_str("method", extra["method"]))
                elif name in ("form_submit", "generate_lead"):
                    ps.append(p_str("form_id", extra["form_id"]))
                if name == "purchase":
                    t_page = us + 1000
                    if pid:
                        self._ltv[dev.pseudo_id] = self._ltv.get(dev.pseudo_id, 0.0) + o.revenue_eur
                ordering += 1
                event(t_page, name, ps, (0, page_id, ordering), ecommerce=ecommerce, items=items, value_usd=value_usd)
                if name == "purchase" and pid:
                    self._refund_events(o, p, dev, ts_json, first_touch_us)
            if dwell[i] >= 10:
                engaged = True
            if not single or r.random() < 0.3:
                t_eng = us + span
                if dwell[i] > 25 and r.random() < 0.4:
                    t_sc = us + int(span * r.uniform(0.4, 0.8))
                    ordering += 1
                    event(t_sc, "scroll", list(base) + [p_int("percent_scrolled", 90)], (0, page_id, ordering))
                ps = list(base) + [p_int("engagement_time_msec", int(dwell[i] * 1000 * r.uniform(0.6, 0.95)))]
                ordering += 1
                event(t_eng, "user_engagement", ps, (0, page_id, ordering))
            prev_url = url
            us = us + span + r.randint(200_000, 3_000_000)
        for ev in out:  # GA4's user activity of the day follows the session's engagement
            ev.engaged = engaged and not cookieless
        # ledger: the identifiers exactly as written (a cookieless browser writes none)
        if not cookieless:
            ledger = w.ledger
            idents = [("user_pseudo_id", dev.pseudo_id, dev.pseudo_id)]
            if logged:
                idents.append(("user_id", cust, cust))
                v.logged = True
            joins = (("order", o.order_number),) if o is not None else ()
            ledger.row(p.idx, idents, joins)
        # keep only events inside the window
        t1_us = clock.t1 * 1_000_000
        out = [e for e in out if e.us < t1_us]
        # aggregates for ads / gsc / social
        if touch.ad is not None:
            key = (touch.ad.campaign_id, day)
            agg = w.ad_sessions.get(key)
            if agg is None:
                agg = w.ad_sessions[key] = [0, 0, 0.0, 0]
            agg[0] += 1
            if o is not None:
                agg[1] += 1
                agg[2] += o.revenue_eur
            if v.lead:
                agg[3] += 1
        elif touch.medium == "organic" and touch.source == "google":
            pday = min(max(clock.pacific_day_index(v.ts), 0), clock.n_days - 1)
            c = geo.COUNTRY_BY_CODE[p.country]
            key = (pday, v.landing, c.alpha3, dev.category.upper())
            agg = w.organic_sessions.get(key)
            if agg is None:
                agg = w.organic_sessions[key] = [0, 0]
            agg[0 if p.lang == "it" else 1] += 1
        if touch.channel == "organic_social" and touch.content:
            w.post_sessions[touch.content] = w.post_sessions.get(touch.content, 0) + 1
        st = self.stats
        st["sessions"] += 1
        st["events"] += len(out)
        st["single_page"] += single
        if cookieless:
            st["cookieless_events"] += len(out)
        if logged:
            st["logged_in_events"] += sum(1 for e in out if e.user_id is not None)
        return out

    def _refund_events(self, o, p: Person, dev: Device, ts_json: str, first_touch_us: int | None) -> None:
        """The shop's back office reports each refund of a tracked order through the Measurement Protocol:
        a refund event with the purchase's client id, outside any session (no device, geo or consent)."""
        if o.cancel_ts is not None or self._tables is None:
            return
        clock = self.w.clock
        for t, amount, _reason in o.refunds:
            if t >= clock.t1:
                continue
            day = clock.day_index(t)
            usd = self._usd(1.0, o.currency, day)
            self._mp_session -= 1
            user_id = p.customer_number if p.customer_number and p.account_at(t) else None
            self._tables.add(
                Ga4Event(
                    t * 1_000_000,
                    "refund",
                    [
                        p_str("transaction_id", o.order_number),
                        p_str("currency", o.currency),
                        p_num("value", float(amount)),
                    ],
                    session=self._mp_session,
                    pseudo_id=dev.pseudo_id,
                    user_id=user_id,
                    value_usd=amount * usd,
                    first_touch_us=first_touch_us,
                    ltv=self._ltv.get(dev.pseudo_id),
                    traffic_source=ts_json,
                    ecommerce={
                        "refund_value_in_usd": round(amount * usd, 2),
                        "refund_value": amount,
                        "transaction_id": o.order_number,
                    },
                )
            )
            self.stats["refund_events"] += 1

    # ------------------------------------------------------------------ writing
    def write(self) -> dict[str, int]:
        w, clock = self.w, self.w.clock
        er = streams(w.cfg.seed, "web-expand")[1]
        tables = self._tables = DailyTables(w.cfg.out, clock, w.cfg.seed)
        for month in clock.months:
            self._background(month)
            for v in w.visits.take_month(month):
                for ev in self._expand(v, er):
                    tables.add(ev)
                # a session lasts hours at most: the days before yesterday are complete
                tables.flush_before(clock.day_index(v.ts) - 1)
        stats = tables.close()
        w.stats.update(stats)
        w.stats.update({"web_" + k: v for k, v in self.stats.items()})
        return {"ga4_events": stats["ga4_rows"]}
