"""Ticketing: webinars, workshops, store events and trade fairs; registrations and check-ins.

Written as Eventbrite exports (API v3 pages of events and attendees, exports/eventbrite.py).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from seeds.generator import catalog, geo, texts
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.crm import create_lead, sigmoid
from seeds.generator.identity import email_variant, normalize_email
from seeds.generator.people import Person
from seeds.generator.rng import streams


@dataclass(slots=True, eq=False)
class TicketEvent:
    event_id: str
    name: str
    event_type: str  # webinar, workshop, trade_fair, store_event
    format: str  # online, offline
    start_ts: int
    end_ts: int
    city: str | None
    country: str | None
    capacity: int
    utm: str
    lang: str
    topic: str
    slug: str


@dataclass(slots=True, eq=False)
class Registration:
    reg_id: str
    event: TicketEvent
    person: Person
    email: str
    phone: str | None
    first: str
    last: str
    company: str | None
    reg_ts: int
    checkin_ts: int | None
    ticket: str


TYPE_FIT = {  # persona -> event type -> weight
    "b2b": {"webinar": 3.0, "trade_fair": 2.5, "workshop": 1.5, "store_event": 0.3},
    "b2c": {"webinar": 0.4, "trade_fair": 0.4, "workshop": 1.5, "store_event": 3.0},
}
SIZE = {"webinar": 42, "workshop": 22, "store_event": 32, "trade_fair": 110}
CAPACITY = {"webinar": (300, 500), "workshop": (30, 60), "store_event": (60, 120), "trade_fair": (1500, 3000)}
OFFLINE_CITIES = (("Milano", "IT", 0.6), ("Roma", "IT", 0.2), ("Torino", "IT", 0.1), ("Bologna", "IT", 0.1))


def _slug(s: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in s)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")[:60]


def _schedule(world, rng: np.random.Generator, r: random.Random) -> list[TicketEvent]:
    clock, cal = world.clock, world.calendar
    events: list[tuple[int, str, str]] = []  # (day, type, format)
    for month in clock.months:
        lo, hi = clock.month_bounds(month)
        if hi - lo < 5:
            continue
        m = int(month[4:])
        types = ["webinar"]
        if r.random() < 0.6 and m != 8:
            types.append("webinar")
        if m in (2, 4, 10):  # the trade-fair season
            types.append("trade_fair")
        if m in (3, 9, 11, 12) or r.random() < 0.35:
            types.append("store_event")
        if m != 8 and r.random() < 0.55:
            types.append("workshop")
        types = types[:4]
        if len(types) < 2:
            types.append("workshop")
        for t in types:
            # a suitable weekday in the month
            for _ in range(50):
                day = r.randint(lo + 3, hi) if hi - lo > 6 else r.randint(lo, hi)
                wd = clock.weekday(day)
                if t == "webinar" and wd in (1, 2, 3):
                    break
                if t == "trade_fair" and wd == 1 and day + 2 <= clock.n_days - 1:
                    break
                if t == "store_event" and wd == 5:
                    break
                if t == "workshop" and wd in (3, 5):
                    break
            fmt = "online" if t == "webinar" or (t == "workshop" and r.random() < 0.3) else "offline"
            events.append((day, t, fmt))
    events.sort()
    out: list[TicketEvent] = []
    for i, (day, t, fmt) in enumerate(events):
        if t == "webinar":
            start = clock.at_local(day, r.choice((11 * HOUR, 17 * HOUR + 30 * MINUTE)))
            end = start + r.choice((60, 60, 75, 90)) * MINUTE
            en = r.random() < 0.2
            topic_it, topic_en = r.choice(texts.WEBINAR_TOPICS)
            topic = topic_en if en else topic_it
            name = f"Webinar{' (EN)' if en else ''} | {topic}"
            lang = "en" if en else "it"
        elif t == "workshop":
            start = clock.at_local(day, 18 * HOUR if clock.weekday(day) == 3 else 10 * HOUR)
            end = start + (2 if clock.weekday(day) == 3 else 3) * HOUR
            topic = r.choice(texts.WORKSHOP_TOPICS)
            name, lang = f"Workshop | {topic}", "it"
        elif t == "store_event":
            start = clock.at_local(day, 10 * HOUR)
            end = start + 9 * HOUR
            topic = "Open day"
            name, lang = "Open day showroom", "it"
        else:
            start = clock.at_local(day, 9 * HOUR + 30 * MINUTE)
            end = clock.at_local(day + 2, 18 * HOUR + 30 * MINUTE)
            fair = r.choice(texts.FAIRS)
            topic = fair
            name, lang = f"Ergonova a {fair} {clock.local_date(start).year}", "it"
        city = country = None
        if fmt == "offline":
            city = r.choices([c for c, _, _ in OFFLINE_CITIES], [w for _, _, w in OFFLINE_CITIES])[0]
            if t == "trade_fair":
                city = r.choice(("Milano", "Bologna"))
            if t == "store_event":
                city = r.choice(("Milano", "Roma"))
            country = "IT"
            name = f"{name} – {city}"
        b2b = [c for c in cal.active(day) if c.kind == "b2b"]
        promo = cal.promo_utm(day)
        if t in ("webinar", "workshop") and b2b:
            utm = b2b[0].utm
        elif t == "store_event" and promo:
            utm = promo
        else:
            utm = "brand_always_on"
        cap = r.randint(*CAPACITY[t])
        out.append(
            TicketEvent(
                f"EV{2001 + i}",
                name,
                t,
                fmt,
                start,
                min(end, clock.t1 - 1),
                city,
                country,
                cap,
                utm,
                lang,
                topic,
                _slug(name),
            )
        )
    return out


def _company_typed(r: random.Random, p: Person) -> str | None:
    if p.company is None:
        return None if r.random() < 0.93 else r.choice(("privato", "-", "Freelance", "n/a"))
    name = p.company.name
    x = r.random()
    if x < 0.5:
        return name
    if x < 0.75:
        return name.rsplit(" ", 1)[0]
    if x < 0.85:
        return name.lower()
    if x < 0.9:
        return name.upper()
    return name.replace(" ", "", 1)


class Ticketing:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "events")

    def plan(self) -> None:
        w, rng, r = self.w, self.rng, self.r
        clock = w.clock
        events = _schedule(w, rng, r)
        w.ticket_events = events
        if not events:
            return
        regs: list[tuple[TicketEvent, Person, int]] = []
        counts = {e.event_id: 0 for e in events}
        taken: set[tuple[str, int]] = set()
        # 1) persons whose first contact is an event registration
        for p in w.persons:
            if p.route != "event":
                continue
            cands, wts = [], []
            for e in events:
                gap = e.start_ts - p.acq_ts
                if HOUR <= gap <= 30 * DAY:
                    fit = TYPE_FIT[p.persona][e.event_type]
                    if e.format == "offline" and p.country != "IT":
                        fit *= 0.05
                    if e.lang == "en" and p.lang == "it":
                        fit *= 0.3
                    cands.append(e)
                    wts.append(fit * SIZE[e.event_type])
            if not cands:
                p.route = "lead_form" if p.persona == "b2b" else "newsletter"
                p.acq_channel = w.traffic.channel(r, clock.day_index(p.acq_ts), p.persona, True)
                p.acq_touch = w.traffic.touch(r, p.acq_channel, clock.day_index(p.acq_ts), p.persona, p.lang)
                continue
            e = r.choices(cands, wts)[0]
            regs.append((e, p, p.acq_ts))
            counts[e.event_id] += 1
            taken.add((e.event_id, p.idx))
        # 2) known persons registering to events
        known = [p for p in w.persons if p.identified and p.id_ts is not None]
        z = np.array([p.z for p in known])
        id_ts = np.array([p.id_ts for p in known], dtype=np.int64)
        b2b = np.array([p.persona == "b2b" for p in known])
        italy = np.array([p.country == "IT" for p in known])
        lang_it = np.array([p.lang == "it" for p in known])
        for e in events:
            target = int(rng.poisson(SIZE[e.event_type] * w.cfg.scale)) - counts[e.event_id]
            target = min(target, e.capacity - counts[e.event_id])
            if target <= 0:
                continue
            fit = np.where(b2b, TYPE_FIT["b2b"][e.event_type], TYPE_FIT["b2c"][e.event_type])
            wt = fit * np.exp(1.3 * z) * (id_ts < e.start_ts - DAY)
            if e.format == "offline":
                wt = wt * np.where(italy, 1.0, 0.03)
            if e.lang == "en":
                wt = wt * np.where(lang_it, 0.3, 1.0)
            if wt.sum() <= 0:
                continue
            k = min(target, int((wt > 0).sum()))
            chosen = rng.choice(len(known), size=k, replace=False, p=wt / wt.sum())
            for j in sorted(int(x) for x in chosen):
                p = known[j]
                if (e.event_id, p.idx) in taken:
                    continue
                lo = max(p.id_ts + HOUR, e.start_ts - 21 * DAY, clock.t0)
                hi = e.start_ts - HOUR
                if hi <= lo:
                    continue
                ts = int(lo + (hi - lo) * (1 - r.random() ** 1.6))
                regs.append((e, p, ts))
                taken.add((e.event_id, p.idx))
        regs.sort(key=lambda x: (x[2], x[1].idx))
        # 3) registration rows, check-ins, duplicates
        out: list[Registration] = []
        for e, p, ts in regs:
            # registrants are already the more interested persons: base rates are set so that
            # about 60% of offline and 40% of online registrants show up
            base = 0.34 if e.format == "offline" else 0.15
            checkin = None
            if r.random() < sigmoid(math.log(base / (1 - base)) + 1.4 * p.z):
                if e.format == "offline":
                    checkin = e.start_ts - 30 * MINUTE + r.randint(0, 150 * MINUTE)
                    if e.event_type == "trade_fair":
                        checkin += r.randint(0, 2) * DAY
                else:
                    checkin = e.start_ts - 5 * MINUTE + r.randint(0, 25 * MINUTE)
                if checkin >= clock.t1:
                    checkin = None
            ticket = "free"
            if e.event_type == "workshop" and r.random() < 0.6 or e.event_type == "trade_fair" and r.random() < 0.35:
                ticket = "paid"
            out.append(self._registration(e, p, ts, checkin, ticket))
            if r.random() < 0.02:  # registered twice (second form, other spelling)
                dup = self._registration(e, p, min(ts + r.randint(2, 90) * MINUTE, e.start_ts - 1), None, ticket)
                out.append(dup)
        out.sort(key=lambda g: (g.reg_ts, g.person.idx))
        for i, g in enumerate(out):
            g.reg_id = f"R{300001 + i}"
        w.registrations = out
        # 4) consequences: identification, leads, CRM
        for g in out:
            p = g.person
            if p.route == "event" and g.reg_ts == p.acq_ts:
                p.crm_events.append((g.reg_ts + r.randint(2 * HOUR, 2 * DAY), "crm_import", "event"))
                if p.persona == "b2b" or r.random() < 0.2:
                    create_lead(w, p, g.reg_ts + r.randint(HOUR, DAY), "event", e_utm(g))
            elif g.checkin_ts is not None and p.lead is None and p.persona == "b2b" and r.random() < 0.35:
                create_lead(w, p, g.checkin_ts + r.randint(2 * HOUR, 3 * DAY), "event", e_utm(g))

    def _registration(self, e: TicketEvent, p: Person, ts: int, checkin: int | None, ticket: str) -> Registration:
        r = self.r
        if p.test_email_user and r.random() < 0.6:
            email = catalog.TEST_EMAIL
        elif p.role_mailbox and (p.crm_role_email or (p.phone_nsn and r.random() < 0.5)):
            email = p.role_mailbox  # the shared mailbox, with the attendee's own phone when known
        elif (
            p.persona == "b2b"
            and p.email_work
            and (p.email_personal is None or p.phone_nsn is None or r.random() < 0.8)
        ):
            email = p.email_work
        else:
            email = p.email_personal or p.email_work
        personal = (email == p.email_personal and p.persona == "b2b") or email == p.role_mailbox
        email = email_variant(r, email)
        phone = None
        if p.phone_nsn and (personal or r.random() < 0.5):
            fmts = geo.phone_formats(p.country, p.phone_nsn)
            phone = r.choices(fmts, geo.PHONE_FORMAT_WEIGHTS[p.country][: len(fmts)])[0]
        first, last = p.first, p.last
        x = r.random()
        if x < 0.05:
            first, last = first.lower(), last.lower()
        elif x < 0.08:
            first, last = first.upper(), last.upper()
        return Registration("", e, p, email, phone, first, last, _company_typed(r, p), ts, checkin, ticket)

    def write(self) -> dict[str, int]:
        """The Eventbrite API pages of every event and its attendees (exports/eventbrite.py).

        One attendee per ticket. What Eventbrite records beyond the planned registrations is drawn
        from its own stream (the plan above is untouched): a few offline orders of two tickets
        (same buyer profile, the guest checks in with the buyer), cancellations of free tickets
        and refunds of paid ones among the registrants who did not check in, tracking-link
        (affiliate) codes, the "how did you hear about us" answer.
        """
        return EventbriteExport(self.w).write()


ORGANIZATION_ID = "2874561093"
ORGANIZER_ID = "61234567890"
FORMAT_ID = {"webinar": "2", "workshop": "9", "trade_fair": "3", "store_event": "11"}
CATEGORY_ID = "101"  # Business & Professional
VENUES = {  # city -> (venue name, address, postal code, region, latitude, longitude)
    "Milano": ("Showroom Ergonova Milano", "Via Tortona 31", "20144", "MI", "45.4520", "9.1655"),
    "Roma": ("Showroom Ergonova Roma", "Via Ostiense 95", "00154", "RM", "41.8703", "12.4813"),
    "Torino": ("Spazio Ergonova Torino", "Via Nizza 230", "10126", "TO", "45.0347", "7.6635"),
    "Bologna": ("BolognaFiere", "Viale della Fiera 20", "40127", "BO", "44.5205", "11.3731"),
}
FAIR_VENUE_MILANO = ("Allianz MiCo - Milano Convention Centre", "Viale Eginardo", "20149", "MI", "45.4773", "9.1530")
PRICES = {"workshop": (3500, 4500, 6000), "trade_fair": (1500, 2500)}  # paid ticket, minor units (EUR)
HEARD_FROM = {
    "it": ("Newsletter", "LinkedIn", "Instagram", "Sito web", "Passaparola", "Google"),
    "en": ("Newsletter", "LinkedIn", "Instagram", "Website", "Word of mouth", "Google"),
}
QUESTION = {"it": "Come hai saputo di questo evento?", "en": "How did you hear about this event?"}


def _ticket_classes(e: TicketEvent, index: int, r: random.Random) -> dict[str, tuple[str, str, int]]:
    """ticket type -> (ticket_class_id, name, price in minor units)."""
    base = 1_980_000 + index * 10
    en = e.lang == "en"
    if e.event_type == "trade_fair":
        free = ("Ingresso gratuito con registrazione", 0)
    elif e.event_type == "store_event":
        free = ("Ingresso libero", 0)
    else:
        free = ("Free registration" if en else "Iscrizione gratuita", 0)
    out = {"free": (str(base + 1), free[0], 0)}
    if e.event_type in PRICES:
        name = "Posto workshop" if e.event_type == "workshop" else "Ingresso business"
        out["paid"] = (str(base + 2), name, r.choice(PRICES[e.event_type]))
    return out


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("–", "&ndash;")


class EventbriteExport:
    """Renders the planned events and registrations as Eventbrite events and attendees."""

    def __init__(self, world) -> None:
        self.w = world
        self.r = streams(world.cfg.seed, "eventbrite")[1]

    def write(self) -> dict[str, int]:
        from seeds.generator.exports import eventbrite as api

        w, r, clock = self.w, self.r, self.w.clock
        pull_ts = clock.t1 + 6 * HOUR  # pulled the morning after the window
        pull_date = clock.local_ymd(pull_ts).replace("-", "")
        by_event: dict[str, list[Registration]] = {}
        for g in w.registrations:
            by_event.setdefault(g.event.event_id, []).append(g)
        event_ids: dict[str, str] = {}
        next_event = 743_120_000_000
        next_attendee = 15_200_000_000
        next_order = 9_100_000_000
        events: list[dict] = []
        attendees: dict[str, list[dict]] = {}
        for index, e in enumerate(w.ticket_events):
            next_event += r.randint(1_000_000, 40_000_000)
            eid = str(next_event)
            event_ids[e.event_id] = eid
            regs = by_event.get(e.event_id, [])
            classes = _ticket_classes(e, index, r)
            first_reg = min((g.reg_ts for g in regs), default=e.start_ts - 30 * DAY)
            created = min(first_reg, e.start_ts - 35 * DAY) - r.randint(2 * HOUR, 5 * DAY)
            published = created + r.randint(10 * MINUTE, 3 * HOUR)
            ended = e.end_ts < pull_ts
            changed = e.end_ts + r.randint(HOUR, 20 * HOUR) if ended else published
            status = "live" if not ended else ("completed" if e.end_ts < pull_ts - 7 * DAY else "ended")
            venue = None
            if e.format == "offline":
                name, street, postal, region, lat, lon = (
                    FAIR_VENUE_MILANO if e.event_type == "trade_fair" and e.city == "Milano" else VENUES[e.city]
                )
                vid = str(301_000_000 + sorted(VENUES).index(e.city) * 1000 + (e.event_type == "trade_fair"))
                venue = {
                    "address": {
                        "address_1": street,
                        "address_2": None,
                        "city": e.city,
                        "region": region,
                        "postal_code": postal,
                        "country": e.country,
                        "latitude": lat,
                        "longitude": lon,
                        "localized_address_display": f"{street}, {e.city}, {region} {postal}",
                        "localized_area_display": f"{e.city}, {region}",
                        "localized_multi_line_address_display": [street, f"{e.city}, {region} {postal}"],
                    },
                    "resource_uri": api.venue_resource(vid),
                    "id": vid,
                    "age_restriction": None,
                    "capacity": None,
                    "name": name,
                    "latitude": lat,
                    "longitude": lon,
                }
            summary = (
                f"{e.topic}: live session with the Ergonova team."
                if e.lang == "en"
                else f"{e.topic}: un appuntamento con il team Ergonova."
            )
            local_start, local_end = clock.local(e.start_ts)[:19], clock.local(e.end_ts)[:19]
            events.append(
                {
                    "name": {"text": e.name, "html": _html(e.name)},
                    "description": {"text": summary, "html": f"<p>{_html(summary)}</p>"},
                    "summary": summary,
                    "id": eid,
                    "url": f"https://www.eventbrite.it/e/{e.slug}-biglietti-{eid}",
                    "vanity_url": None,
                    "start": {"timezone": "Europe/Rome", "local": local_start, "utc": clock.utc(e.start_ts)},
                    "end": {"timezone": "Europe/Rome", "local": local_end, "utc": clock.utc(e.end_ts)},
                    "organization_id": ORGANIZATION_ID,
                    "created": clock.utc(created),
                    "changed": clock.utc(changed),
                    "published": clock.utc(published),
                    "capacity": e.capacity,
                    "capacity_is_custom": True,
                    "status": status,
                    "currency": "EUR",
                    "listed": True,
                    "shareable": True,
                    "invite_only": False,
                    "online_event": e.format == "online",
                    "show_remaining": e.event_type == "workshop",
                    "tx_time_limit": 1200,
                    "hide_start_date": False,
                    "hide_end_date": False,
                    "locale": "en_GB" if e.lang == "en" else "it_IT",
                    "is_locked": False,
                    "privacy_setting": "unlocked",
                    "is_series": False,
                    "is_series_parent": False,
                    "series_id": None,
                    "is_reserved_seating": False,
                    "show_pick_a_seat": False,
                    "is_externally_ticketed": False,
                    "is_free": "paid" not in classes,
                    "version": None,
                    "logo_id": str(118_700_000 + index),
                    "organizer_id": ORGANIZER_ID,
                    "venue_id": venue["id"] if venue else None,
                    "category_id": CATEGORY_ID,
                    "subcategory_id": None,
                    "format_id": FORMAT_ID[e.event_type],
                    "resource_uri": api.event_resource(eid),
                    "venue": venue,
                }
            )
            rows: list[dict] = []
            for g in regs:
                tickets = 2 if e.format == "offline" and r.random() < 0.04 else 1
                next_order += r.randint(1, 40)
                checkins = [g.checkin_ts]
                if tickets == 2:  # the guest of the buyer, on the buyer's profile
                    checkins.append(
                        g.checkin_ts + r.randint(0, 4 * MINUTE)
                        if g.checkin_ts is not None and r.random() < 0.85
                        else None
                    )
                affiliate = e.utm if e.utm != "brand_always_on" and r.random() < 0.5 else None
                for checkin in checkins:
                    next_attendee += r.randint(1, 30)
                    rows.append(
                        self._attendee(
                            api, e, eid, g, str(next_attendee), str(next_order), checkin, classes, affiliate, pull_ts
                        )
                    )
            rows.sort(key=lambda a: (a["created"], a["id"]))
            attendees[eid] = rows
        return api.write(w.cfg.out, ORGANIZATION_ID, pull_date, events, attendees)

    def _attendee(
        self,
        api,
        e: TicketEvent,
        eid: str,
        g: Registration,
        aid: str,
        oid: str,
        checkin: int | None,
        classes: dict,
        affiliate: str | None,
        pull_ts: int,
    ) -> dict:
        w, r, clock = self.w, self.r, self.w.clock
        class_id, class_name, price = classes[g.ticket] if g.ticket in classes else classes["free"]
        cancelled = refunded = False
        changed = g.reg_ts
        barcode_status, barcode_changed = "unused", g.reg_ts
        if checkin is not None:
            changed = barcode_changed = checkin
            barcode_status = "used"
        elif r.random() < (0.12 if price else 0.09):
            hi = min(e.start_ts, pull_ts) - MINUTE
            changed = barcode_changed = g.reg_ts + int((hi - g.reg_ts) * r.random()) if hi > g.reg_ts else g.reg_ts
            if price:
                refunded, barcode_status = True, "refunded"
            else:
                cancelled = True
        status = "Checked In" if checkin is not None else ("Not Attending" if cancelled or refunded else "Attending")
        fee = round(price * 0.05) + 74 if price else 0
        payment = int(price * 0.035 + 0.5) if price else 0
        profile: dict = {"first_name": g.first, "last_name": g.last, "addresses": {}}
        if g.phone is not None:
            profile["cell_phone"] = g.phone
        if g.company is not None:
            profile["company"] = g.company
        if g.person.job_title and e.event_type in ("webinar", "trade_fair") and r.random() < 0.7:
            profile["job_title"] = g.person.job_title
        profile["email"] = g.email
        profile["name"] = f"{g.first} {g.last}"
        answers = []
        if r.random() < 0.3:
            lang = "en" if e.lang == "en" else "it"
            answers.append(
                {
                    "answer": r.choice(HEARD_FROM[lang]),
                    "question": QUESTION[lang],
                    "type": "multiple_choice",
                    "question_id": str(55_500 + int(eid) % 97),
                }
            )
        ids = [("email", g.email, normalize_email(g.email))]
        if g.phone:
            ids.append(("phone", g.phone, g.person.phone_e164))
        w.ledger.row(g.person.idx, ids)
        return {
            "team": None,
            "costs": api.costs(price, fee, payment),
            "resource_uri": api.attendee_resource(eid, aid),
            "id": aid,
            "changed": clock.utc(changed),
            "created": clock.utc(g.reg_ts),
            "quantity": 1,
            "variant_id": None,
            "profile": profile,
            "barcodes": [
                {
                    "status": barcode_status,
                    "barcode": f"{aid}{eid[-6:]}001",
                    "created": clock.utc(g.reg_ts),
                    "changed": clock.utc(barcode_changed),
                    "checkin_type": 0,
                    "is_printed": False,
                }
            ],
            "answers": answers,
            "checked_in": checkin is not None,
            "cancelled": cancelled,
            "refunded": refunded,
            "affiliate": affiliate,
            "guestlist_id": None,
            "invited_by": None,
            "status": status,
            "ticket_class_name": class_name,
            "delivery_method": "electronic",
            "event_id": eid,
            "order_id": oid,
            "ticket_class_id": class_id,
        }


def e_utm(g: Registration) -> str:
    return g.event.utm
