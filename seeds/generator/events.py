"""Ticketing: webinars, workshops, store events and trade fairs; registrations and check-ins."""

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
from seeds.generator.writers import TableWriter


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
        out.append(TicketEvent(f"EV{2001 + i}", name, t, fmt, start, min(end, clock.t1 - 1), city, country, cap, utm,
                               lang, topic, _slug(name)))
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
        elif p.persona == "b2b" and p.email_work and (p.email_personal is None or p.phone_nsn is None
                                                      or r.random() < 0.8):
            email = p.email_work
        else:
            email = p.email_personal or p.email_work
        personal = (email == p.email_personal and p.persona == "b2b") or email == p.role_mailbox
        email = email_variant(r, email)
        phone = None
        if p.phone_nsn and (personal or r.random() < 0.5):
            fmts = geo.phone_formats(p.country, p.phone_nsn)
            phone = r.choices(fmts, geo.PHONE_FORMAT_WEIGHTS[p.country][:len(fmts)])[0]
        first, last = p.first, p.last
        x = r.random()
        if x < 0.05:
            first, last = first.lower(), last.lower()
        elif x < 0.08:
            first, last = first.upper(), last.upper()
        return Registration("", e, p, email, phone, first, last, _company_typed(r, p), ts, checkin, ticket)

    def write(self) -> dict[str, int]:
        w = self.w
        clock = w.clock
        out = w.cfg.out
        tw = TableWriter(out, "ticketing_events")
        for e in w.ticket_events:
            tw.write((e.event_id, e.name, e.event_type, e.format, clock.utc(e.start_ts), clock.utc(e.end_ts),
                      e.city, e.country, e.capacity, e.utm))
        tw.close()
        rw = TableWriter(out, "ticketing_registrations")
        for g in w.registrations:
            rw.write((g.reg_id, g.event.event_id, g.email, g.phone, g.first, g.last, g.company,
                      clock.utc(g.reg_ts), clock.utc(g.checkin_ts) if g.checkin_ts else None, g.ticket))
            ids = [("email", g.email, normalize_email(g.email))]
            if g.phone:
                ids.append(("phone", g.phone, g.person.phone_e164))
            w.ledger.row(g.person.idx, ids)
        rw.close()
        return {"ticketing_events": tw.rows, "ticketing_registrations": rw.rows}


def e_utm(g: Registration) -> str:
    return g.event.utm
