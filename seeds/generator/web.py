"""Website analytics (GA4 export): session planning and event expansion, one month at a time.

``plan`` adds the sessions every person needs (acquisition visit, identification
visit, account sign-up, a login on every device of an account holder, the 1-3
visits of anonymous visitors). ``write`` then, month by month, adds background
browsing, expands every session into GA4 events (session_start, page_view,
user_engagement, scroll, view_item, add_to_cart, begin_checkout, purchase,
form_submit, generate_lead, sign_up, login) and streams them to NDJSON, while
collecting the per campaign-day / landing-page aggregates that the ads and
Search Console extracts must agree with.
"""

from __future__ import annotations

import json
import math
import random

import numpy as np

from seeds.generator import catalog, geo
from seeds.generator.catalog import BLOG, PRODUCTS, PRODUCTS_BY_CATEGORY, SITE, page_title
from seeds.generator.clock import DAY, HOUR
from seeds.generator.crm import sigmoid
from seeds.generator.people import Device, Person
from seeds.generator.rng import streams
from seeds.generator.sessions import Visit, pick_device
from seeds.generator.traffic import Touch, make_gclid
from seeds.generator.writers import MonthlyWriter

_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
BOUNCE_P = {"organic_search": 0.64, "paid_search": 0.64, "paid_social": 0.76, "display": 0.84,
            "organic_social": 0.70, "referral": 0.58, "direct": 0.56, "email": 0.62, "dem": 0.66, "sms": 0.70}
_SHOP_PRODUCTS = [p for p in PRODUCTS if p.category != "services"]
_POP = [p.popularity for p in _SHOP_PRODUCTS]
LEGACY_TOUCHES = (("(organic)", "organic", "google", 0.45), ("(direct)", "(none)", "(direct)", 0.3),
                  ("(referral)", "referral", "blog.lavoroagile.it", 0.1), ("newsletter", "email", "newsletter", 0.15))


def _s(key: str, v: str) -> dict:
    return {"key": key, "value": {"string_value": v, "int_value": None, "double_value": None}}


def _i(key: str, v: int) -> dict:
    return {"key": key, "value": {"string_value": None, "int_value": v, "double_value": None}}


def _d(key: str, v: float) -> dict:
    return {"key": key, "value": {"string_value": None, "int_value": None, "double_value": v}}


class Website:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "web")
        self.bg_rng, self.bg_r = streams(world.cfg.seed, "web-background")
        self._geo_cache: dict[tuple[str, str], str] = {}
        self.stats = {"sessions": 0, "events": 0, "logged_in_events": 0, "single_page": 0, "purchases": 0}

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
                        add(self._id_visit(p, pick_device(r, p, t), t,
                                           w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, False)))
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
                    if any(o.visit is not None and o.visit.device is dev and (o.logged_in or o.visit.signup)
                           for o in p.orders) and not dev.shared:
                        continue
                    lo = max(dev.active_from, p.account_ts + HOUR, clock.t0)
                    t = lo + int(rng.exponential(12 * DAY)) + r.randint(0, 6 * HOUR)
                    if t >= clock.t1 - HOUR:
                        t = lo + r.randint(0, max(1, (clock.t1 - HOUR - lo) // 2)) if lo < clock.t1 - 2 * HOUR else None
                    if t is None:
                        continue
                    touch = w.traffic.draw(r, clock.day_index(t), p.persona, p.lang, False)
                    add(Visit(t, p, dev, touch, r.choice(("/", "/account/login", "/account/login")), "login",
                              login=True, bounce_ok=False))

    def _id_visit(self, p: Person, dev: Device, t: int, touch: Touch) -> Visit:
        signup = p.account_via == "visit" and p.account_ts == p.id_ts
        if p.route == "signup":
            return Visit(t, p, dev, touch, self._landing(touch, p, self.r), "signup", signup=signup, bounce_ok=False)
        return Visit(t, p, dev, touch, self._landing(touch, p, self.r), "newsletter", signup=signup,
                     form_id="newsletter", bounce_ok=False)

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
                return r.choice(BLOG).path if x < 0.55 else ("/" if x < 0.75 else ("/business" if x < 0.85 else
                                                                                 r.choice(_SHOP_PRODUCTS).path))
            return r.choice(BLOG).path if x < 0.38 else ("/" if x < 0.55 else
                                                         r.choices(_SHOP_PRODUCTS, _POP)[0].path)
        if ch == "direct":
            return "/" if r.random() < 0.75 else r.choice(("/account/login", "/shop/chairs", "/pricing"))
        if ch == "referral":
            return r.choice(BLOG).path if r.random() < 0.4 else r.choices(_SHOP_PRODUCTS, _POP)[0].path
        if ch in ("organic_social", "paid_social", "display"):
            return r.choices(_SHOP_PRODUCTS, _POP)[0].path if r.random() < 0.6 else f"/shop/{r.choice(catalog.CATEGORIES[:6])}"
        if ch == "paid_search":
            return "/" if (touch.ad and "Brand" in touch.ad.name) else r.choices(_SHOP_PRODUCTS, _POP)[0].path
        return "/"

    def _browse_visit(self, p: Person, dev: Device, t: int, touch: Touch, r: random.Random,
                      login_p: float = 0.0) -> Visit:
        b2b = p.persona == "b2b"
        pricing = r.random() < (sigmoid(-1.6 + 1.7 * p.z) if b2b else sigmoid(-3.2 + 0.9 * p.z))
        login = login_p > 0 and p.account_at(t) and r.random() < login_p
        return Visit(t, p, dev, touch, self._landing(touch, p, r), "browse", login=login, pricing=pricing)

    # ------------------------------------------------------------------ background sessions
    def _background(self, month: str) -> None:
        w, rng, r, clock = self.w, self.bg_rng, self.bg_r, self.w.clock
        lo, hi = clock.month_bounds(month)
        t_lo, t_hi = clock.local_midnight(lo), clock.local_midnight(hi + 1)
        days = hi - lo + 1
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
            wts = w.demand.weights(p.persona)[lo_p:hi + 1]
            hp = w.demand.hour_p(p.persona)
            for _ in range(int(counts[i])):
                day = lo_p + int(rng.choice(len(wts), p=wts / wts.sum()))
                t = clock.at_local(day, int(rng.choice(24, p=hp)) * HOUR + r.randint(0, HOUR - 1))
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
            s = _DUMPS({"continent": c.continent, "country": c.name_en, "region": city.region_en, "city": city.name_en})
            self._geo_cache[key] = s
        return s

    @staticmethod
    def _device_json(d: Device) -> str:
        if not d.json_device:
            d.json_device = _DUMPS({"category": d.category, "operating_system": d.os, "browser": d.browser,
                                    "language": d.language})
        return d.json_device

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
            for prod, qty, unit, ld in o.lines:
                pages.append((prod.path, [("view_item", {"value": prod.price_eur}),
                                          ("add_to_cart", {"value": round(prod.price_eur * qty, 2)})]))
            pages.append(("/cart", []))
            if v.login:  # "log in or continue as guest" at checkout
                pages.append(("/account/login", [login]))
            if v.signup:
                pages.append(("/checkout", [("begin_checkout", {"value": o.total}),
                                            ("sign_up", {"method": "email"})]))
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
            pages.append(("/contact", [("form_submit", {"form_id": v.form_id or "contact"}),
                                       ("generate_lead", {"form_id": v.form_id or "contact"})]))
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
                return prod.path, [("view_item", {"value": prod.price_eur})]
            if x < 0.6:
                prod = catalog.PRODUCT_BY_SKU[cur.rsplit("/", 1)[1].upper()]
                return "/cart", [("add_to_cart", {"value": prod.price_eur})]
            if x < 0.8:
                return f"/shop/{r.choice(catalog.CATEGORIES[:6])}", []
            return ("/pricing", []) if b2b else ("/", [])
        if cur.startswith("/shop/"):
            cat = cur[6:]
            prods = PRODUCTS_BY_CATEGORY.get(cat) or _SHOP_PRODUCTS
            prod = r.choice(prods)
            if x < 0.75:
                return prod.path, [("view_item", {"value": prod.price_eur})]
            return "/", []
        if cur.startswith("/blog/"):
            if x < 0.35:
                return r.choice(BLOG).path, []
            if x < 0.65:
                prod = r.choices(_SHOP_PRODUCTS, _POP)[0]
                return prod.path, [("view_item", {"value": prod.price_eur})]
            if x < 0.8:
                return "/blog", []
            return ("/business", []) if b2b else ("/", [])
        # home and the rest
        if b2b:
            opts = (("/business", 2), ("/pricing", 1.2), ("/blog", 1), ("/events", 0.8), ("/contact", 0.5),
                    ("/shop/chairs", 1), ("/shop/desks", 1))
        else:
            opts = (("/shop/chairs", 2.5), ("/shop/desks", 1.5), ("/shop/accessories", 1.5), ("/shop/lighting", 1),
                    ("/blog", 0.8), ("/contact", 0.2))
        path = r.choices([o for o, _ in opts], [wt for _, wt in opts])[0]
        if path == "/blog":
            return r.choice(BLOG).path, []
        return path, []

    def _expand(self, v: Visit, r: random.Random) -> list[tuple[int, str]]:
        """Events of one session as (timestamp_us, ndjson_line)."""
        w, clock = self.w, self.w.clock
        p, dev, touch = v.person, v.device, v.touch
        dev.session_count += 1
        if dev.first_touch is None:
            if dev.legacy:
                name, med, src, _ = r.choices(LEGACY_TOUCHES, [x[3] for x in LEGACY_TOUCHES])[0]
                dev.first_touch = (name, med, src)
                dev.session_count += r.randint(2, 40)
            else:
                dev.first_touch = (touch.ga4_name, touch.medium, touch.source)
        ts_json = _DUMPS({"name": dev.first_touch[0], "medium": dev.first_touch[1], "source": dev.first_touch[2]})
        device_json = self._device_json(dev)
        geo_json = self._geo_json(p, r)
        sid, snum = v.ts, dev.session_count
        if touch.medium == "cpc" and v.gclid is None:
            v.gclid = make_gclid(r)
        pages = self._pages(v, r)
        single = len(pages) == 1
        # dwell times
        dwell = []
        for path, evs in pages:
            if path.startswith("/blog/"):
                d = r.lognormvariate(math.log(75), 0.8)
            elif path.startswith("/checkout") or path.startswith("/account"):
                d = r.lognormvariate(math.log(50), 0.5)
            else:
                d = r.lognormvariate(math.log(32), 0.8)
            dwell.append(min(d, 1200.0))
        if single:
            dwell[0] = min(dwell[0], r.uniform(2, 9.5)) if r.random() < 0.8 else dwell[0]
        # purchase anchor: the purchase event happens exactly at the order time
        anchor_idx = None
        if v.order is not None:
            for i, (path, evs) in enumerate(pages):
                if any(e == "purchase" for e, _ in evs):
                    anchor_idx = i
            if anchor_idx is not None and v.anchor_ts is not None:
                budget = max(v.anchor_ts - v.ts, 30)
                pre = sum(dwell[:anchor_idx])
                if pre > budget * 0.95 or pre < budget * 0.5:
                    f = budget * r.uniform(0.7, 0.95) / max(pre, 1e-6)
                    dwell[:anchor_idx] = [d * f for d in dwell[:anchor_idx]]
        out: list[tuple[int, str]] = []
        us = v.ts * 1_000_000 + r.randint(0, 999_999)
        user_id = None
        engaged = False
        cust = p.customer_number
        prev_url = touch.referrer
        cts_json = _DUMPS({"manual_campaign_name": touch.campaign or touch.ga4_name, "manual_source": touch.source,
                           "manual_medium": touch.medium, "gclid": v.gclid})
        logged = False
        o = v.order
        for i, (path, evs) in enumerate(pages):
            if anchor_idx is not None and i == anchor_idx and v.anchor_ts is not None:
                us = max(us + 1000, v.anchor_ts * 1_000_000 + r.randint(0, 999_999))
            url = touch.landing_url(path, v.gclid) if i == 0 else SITE + path
            title = page_title(path)
            base = [_i("ga_session_id", sid), _i("ga_session_number", snum), _s("page_location", url),
                    _s("page_title", title)]
            if i > 0:
                engaged = True
            eng = [_s("session_engaged", "1")] if engaged else []
            if i == 0:
                ps = list(base)
                if prev_url:
                    ps.append(_s("page_referrer", prev_url))
                out.append((us, self._line(us, "session_start", ps, user_id, device_json, geo_json, ts_json,
                                           cts_json, None, dev, p)))
            pv = list(base)
            if prev_url:
                pv.append(_s("page_referrer", prev_url))
            out.append((us, self._line(us, "page_view", pv + eng, user_id, device_json, geo_json, ts_json,
                                       "null", None, dev, p)))
            t_page = us
            span = int(dwell[i] * 1_000_000)
            for j, (name, extra) in enumerate(evs):
                t_page += int(span * r.uniform(0.15, 0.6) / max(len(evs), 1))
                if name in ("login", "sign_up"):
                    user_id = cust
                    logged = True
                if name in ("login", "sign_up", "purchase", "generate_lead", "form_submit"):
                    engaged = True
                ps = list(base)
                if name in ("view_item", "add_to_cart", "begin_checkout"):
                    ps += [_d("value", float(extra["value"])), _s("currency", "EUR")]
                elif name == "purchase":
                    ps += [_d("value", float(o.total)), _s("currency", o.currency)]
                elif name in ("login", "sign_up"):
                    ps.append(_s("method", extra["method"]))
                elif name in ("form_submit", "generate_lead"):
                    ps.append(_s("form_id", extra["form_id"]))
                ps += [_s("session_engaged", "1")] if engaged else []
                ecom = None
                if name == "purchase":
                    t_page = us + 1000
                    ecom = _DUMPS({"transaction_id": o.order_number, "purchase_revenue": o.revenue_eur,
                                   "total_item_quantity": o.quantity})
                out.append((t_page, self._line(t_page, name, ps, user_id, device_json, geo_json, ts_json, "null",
                                               ecom, dev, p)))
            if dwell[i] >= 10:
                engaged = True
            if not single or r.random() < 0.3:
                t_eng = us + span
                if dwell[i] > 25 and r.random() < 0.4:
                    ps = list(base) + ([_s("session_engaged", "1")] if engaged else [])
                    t_sc = us + int(span * r.uniform(0.4, 0.8))
                    out.append((t_sc, self._line(t_sc, "scroll", ps, user_id, device_json, geo_json, ts_json,
                                                 "null", None, dev, p)))
                ps = list(base) + [_i("engagement_time_msec", int(dwell[i] * 1000 * r.uniform(0.6, 0.95)))]
                ps += [_s("session_engaged", "1")] if engaged else []
                out.append((t_eng, self._line(t_eng, "user_engagement", ps, user_id, device_json, geo_json, ts_json,
                                              "null", None, dev, p)))
            prev_url = url
            us = us + span + r.randint(200_000, 3_000_000)
        # ledger
        ledger = w.ledger
        pid = dev.pseudo_id
        idents = [("user_pseudo_id", pid, pid)]
        if logged:
            idents.append(("user_id", cust, cust))
            v.logged = True
        joins = (("order", o.order_number),) if o is not None else ()
        ledger.row(p.idx, idents, joins)
        # keep only events inside the window, in time order
        t1_us = clock.t1 * 1_000_000
        out = [e for e in out if e[0] < t1_us]
        out.sort(key=lambda e: e[0])
        # aggregates for ads / gsc / social
        day = clock.day_index(v.ts)
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
        if logged:
            st["logged_in_events"] += sum(1 for _, line in out if '"user_id":"' in line)
        return out

    def _line(self, us: int, name: str, params: list, user_id: str | None, device_json: str, geo_json: str,
              ts_json: str, cts_json: str, ecom: str | None, dev: Device, p: Person) -> str:
        clock = self.w.clock
        ts = us // 1_000_000
        uid = "null" if user_id is None else _DUMPS(user_id)
        return ('{"event_date":"' + clock.ga4_date(ts) + '","event_timestamp":' + str(us) + ',"event_name":"' + name
                + '","event_params":' + _DUMPS(params) + ',"user_pseudo_id":"' + dev.pseudo_id + '","user_id":' + uid
                + ',"device":' + device_json + ',"geo":' + geo_json + ',"traffic_source":' + ts_json
                + ',"collected_traffic_source":' + cts_json + ',"ecommerce":' + (ecom or "null")
                + ',"platform":"WEB"}')

    # ------------------------------------------------------------------ writing
    def write(self) -> dict[str, int]:
        w, clock = self.w, self.w.clock
        _, wr = streams(w.cfg.seed, "web-writer")
        er = streams(w.cfg.seed, "web-expand")[1]
        gw = MonthlyWriter(w.cfg.out, "ga4_events", clock, wr, late_p=0.01, dup_p=0.005)
        for month in clock.months:
            self._background(month)
            for v in w.visits.take_month(month):
                for us, line in self._expand(v, er):
                    ts = us // 1_000_000
                    gw.write(clock.month_key(ts), line, ts)
        gw.close()
        w.stats["ga4_late"] = gw.late_rows
        w.stats["ga4_dups"] = gw.dup_rows
        w.stats.update({"web_" + k: v for k, v in self.stats.items()})
        return {"ga4_events": gw.rows}
