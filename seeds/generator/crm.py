"""CRM: leads and their stage history, contacts (with versions and duplicates), companies.

Lead progression new -> mql -> sql -> opportunity -> won/lost is driven by the
person's latent interest, the same latent that drives web, email, event and
social behaviour, so behaviour-based lead scores separate converters.

The CRM is HubSpot: record ids are HubSpot Record IDs (numeric strings) and ``Crm.write``
writes the CRM API v3 responses (``seeds.generator.exports.hubspot``).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from seeds.generator import catalog, geo
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.exports import hubspot
from seeds.generator.identity import email_variant
from seeds.generator.people import Person
from seeds.generator.rng import py_stream, streams
from seeds.generator.sessions import Visit, channel_to_lead_source, pick_device


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass(slots=True, eq=False)
class Lead:
    person: Person
    created_ts: int
    source: str
    utm: str | None
    history: list[tuple[str, int]] = field(default_factory=list)
    amount: float = 0.0
    closed_ts: int | None = None
    won: bool = False
    lead_id: str = ""
    contact_id: str = ""
    touch: object | None = None  # the web session's source, for leads from a lead form

    @property
    def stage(self) -> str:
        return self.history[-1][0]


# stage, base log-odds, days to reach (min, max)
STAGES_B2B = (("mql", 0.9, (1, 7)), ("sql", 0.35, (2, 12)), ("opportunity", 0.0, (3, 20)), ("won", -0.9, (5, 35)))
STAGES_B2C = (("mql", 0.6, (0.2, 5)), ("sql", 0.2, (1, 8)), ("won", -0.9, (1, 20)))


def create_lead(world, person: Person, ts: int, source: str, utm: str | None) -> Lead | None:
    """Create the person's (single) lead and draw its whole future from the person's own stream."""
    clock = world.clock
    if person.lead is not None or not person.identified or ts >= clock.t1 - HOUR:
        return None
    r = py_stream(world.cfg.seed, f"lead/{person.idx}")
    lead = Lead(person, ts, source, utm)
    lead.history.append(("new", ts))
    b2b = person.persona == "b2b"
    t = ts
    for stage, a, (lo, hi) in STAGES_B2B if b2b else STAGES_B2C:
        dt = int(r.uniform(lo, hi) * DAY)
        if t + dt >= clock.t1:
            break
        if r.random() < sigmoid(a + 3.0 * person.z):
            t += dt
            lead.history.append((stage, t))
        else:
            lost_t = t + dt + int(r.uniform(0, 20) * DAY)
            if r.random() < 0.7 and lost_t < clock.t1:
                lead.history.append(("lost", lost_t))
                lead.closed_ts = lost_t
            break
    if lead.stage == "won":
        lead.won = True
        lead.closed_ts = lead.history[-1][1]
    if b2b:
        emp = person.company.employee_count if person.company else 10
        lead.amount = round(min(90000.0, 350.0 * emp**0.55 * r.lognormvariate(0, 0.5)) / 50) * 50 + 250
    else:
        lead.amount = round(r.uniform(150, 1300) / 10) * 10
    person.lead = lead
    world.leads.append(lead)
    for stage, st in lead.history:
        if stage in ("new", "mql", "sql"):
            person.crm_events.append((st, "lifecycle", "lead" if stage == "new" else stage))
        elif stage == "lost":
            person.crm_events.append((st, "lifecycle", "other"))
    return lead


def lead_form_visit(world, person: Person, ts: int, r: random.Random, touch=None) -> Visit:
    """The web session in which a lead form is submitted."""
    clock = world.clock
    day = clock.day_index(ts)
    if touch is None:
        touch = world.traffic.draw(r, day, person.persona, person.lang, new=False)
    if touch.channel == "organic_search":
        landing = r.choice(catalog.BLOG).path if r.random() < 0.6 else "/"
    elif touch.channel in ("paid_search", "paid_social", "display"):
        landing = "/business" if person.persona == "b2b" else "/pricing"
    else:
        landing = r.choice(("/", "/business", "/pricing"))
    dev = pick_device(r, person, ts, "desktop" if person.persona == "b2b" else None)
    form = ("demo_request" if r.random() < 0.6 else "quote_request") if person.persona == "b2b" else "contact"
    v = Visit(
        ts,
        person,
        dev,
        touch,
        landing,
        "lead",
        form_id=form,
        lead=True,
        bounce_ok=False,
        pricing=person.persona == "b2b" or r.random() < 0.4,
    )
    return v


def plan_leads(world) -> None:
    """Leads from web forms, sales outbound and referrals (event and email leads come from their modules)."""
    rng, r = streams(world.cfg.seed, "crm-plan")
    clock = world.clock
    for p in world.persons:
        if not p.identified or p.lead is not None:
            continue
        if p.route == "lead_form":
            touch = p.acq_touch if p.id_ts == p.acq_ts else None
            v = lead_form_visit(world, p, p.id_ts, r, touch)
            world.visits.add(v)
            lead = create_lead(world, p, p.id_ts, channel_to_lead_source(v.touch.channel), v.touch.campaign)
            if lead is not None:
                lead.touch = v.touch
        elif p.route in ("sales_outbound", "referral"):
            utm = None
            if p.route == "sales_outbound" and r.random() < 0.3:
                c = [x for x in world.calendar.active(clock.day_index(p.id_ts)) if x.kind == "b2b"]
                utm = c[0].utm if c else None
            create_lead(world, p, p.id_ts, p.route, utm)
    # later inbound leads of already-known persons
    for p in world.persons:
        if not p.identified or p.lead is not None or p.route == "event":
            continue
        prob = sigmoid(-0.5 + 0.9 * p.z) if p.persona == "b2b" else 0.04 * sigmoid(p.z) * 2
        if r.random() >= prob:
            continue
        ts = p.id_ts + int(HOUR + rng.exponential(50 * DAY))
        if ts >= clock.t1 - DAY:
            continue
        v = lead_form_visit(world, p, ts, r)
        world.visits.add(v)
        lead = create_lead(world, p, ts, channel_to_lead_source(v.touch.channel), v.touch.campaign)
        if lead is not None:
            lead.touch = v.touch


# ---------------------------------------------------------------------------------------------
# contacts
# ---------------------------------------------------------------------------------------------
LIFECYCLE_RANK = {"subscriber": 0, "other": 0, "lead": 1, "mql": 2, "sql": 3, "customer": 4}


@dataclass(slots=True, eq=False)
class Contact:
    person: Person
    created_ts: int
    duplicate: bool
    email: str
    phone: str | None
    first: str
    last: str
    versions: list[tuple[int, dict]] = field(default_factory=list)
    contact_id: str = ""


def _phone_typed(r: random.Random, p: Person) -> str:
    fmts = geo.phone_formats(p.country, p.phone_nsn)
    return r.choices(fmts, geo.PHONE_FORMAT_WEIGHTS[p.country][: len(fmts)])[0]


def _forced_variant(r: random.Random, email: str) -> str:
    for _ in range(20):
        v = email_variant(r, email, p=1.0)
        if v != email:
            return v
    return email.upper()


class Crm:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "crm")
        self.contacts: list[Contact] = []

    def _created(self, p: Person) -> int | None:
        r, clock = self.r, self.w.clock
        ts: int | None = None
        if p.route == "legacy":
            ts = clock.t0 + r.randint(5 * HOUR, 7 * HOUR)
        elif p.route in ("newsletter", "signup"):
            ts = p.id_ts + r.randint(5 * MINUTE, 2 * HOUR)
        elif p.route == "purchase":
            first = p.orders[0].ts if p.orders else p.id_ts
            ts = first + r.randint(5 * MINUTE, 2 * HOUR) if r.random() < 0.9 else None
        elif p.route == "lead_form":
            ts = p.id_ts + r.randint(MINUTE, 10 * MINUTE)
        elif p.route == "event":
            imports = [t for t, k, _ in p.crm_events if k == "crm_import"]
            ts = min(imports) if imports else p.id_ts + r.randint(2 * HOUR, 2 * DAY)
        elif p.route in ("sales_outbound", "referral"):
            ts = p.id_ts
        if p.lead is not None:
            lt = p.lead.created_ts + r.randint(30, 600)
            ts = lt if ts is None else min(ts, lt)
        if ts is not None and ts >= clock.t1:  # identified at the very end: synced just in time
            ts = clock.t1 - 1 - r.randint(0, 600)
        return ts

    def plan(self) -> None:
        """Contacts, their versions and duplicates; assigns contact / lead / customer ids."""
        w, r, clock = self.w, self.r, self.w.clock
        for p in w.persons:
            if not p.identified:
                continue
            created = self._created(p)
            if created is None:
                continue
            if p.persona == "b2b":
                email = p.role_mailbox if p.crm_role_email else (p.email_work or p.email_personal)
            else:
                email = p.email_personal or p.email_work
            c = Contact(
                p,
                created,
                False,
                email_variant(r, email),
                _phone_typed(r, p) if p.phone_nsn and (p.consent_sms or r.random() < 0.75) else None,
                p.first,
                p.last,
            )
            self.contacts.append(c)
            self._versions(c)
            if r.random() < 0.035:  # entered twice
                dts = created + r.randint(5 * DAY, 150 * DAY)
                if dts < clock.t1:
                    if p.email_personal and p.email_work:
                        other = p.email_personal if email != p.email_personal else p.email_work
                        demail = email_variant(r, other)
                    else:
                        demail = _forced_variant(r, email.strip().lower())
                    first, last = (p.first.lower(), p.last.lower()) if r.random() < 0.3 else (p.first, p.last)
                    d = Contact(
                        p,
                        dts,
                        True,
                        demail,
                        _phone_typed(r, p) if p.phone_nsn and r.random() < 0.5 else None,
                        first,
                        last,
                    )
                    self.contacts.append(d)
                    self._versions(d)
        self.contacts.sort(key=lambda c: (c.created_ts, c.person.idx, c.duplicate))
        nid = 3_041_000
        for c in self.contacts:
            nid += r.randint(1, 9)
            c.contact_id = str(nid)
            c.person.contact_ids.append(c.contact_id)
            if c.person.crm_created_ts is None:
                c.person.crm_created_ts = c.created_ts
        for lead in sorted(w.leads, key=lambda x: (x.created_ts, x.person.idx)):
            lead.contact_id = lead.person.contact_ids[0] if lead.person.contact_ids else ""
        # HubSpot Record IDs: increasing in creation order, with the gaps other objects leave
        ids = py_stream(w.cfg.seed, "crm-record-ids")
        nid = 20_511_430_000
        for lead in sorted(w.leads, key=lambda x: (x.created_ts, x.person.idx)):
            nid += ids.randint(1, 40)
            lead.lead_id = str(nid)
        w.leads.sort(key=lambda x: int(x.lead_id))
        # companies appear in the CRM with their first contact (one pass over the contacts)
        first_contact: dict[int, int] = {}
        for c in self.contacts:
            co = c.person.company
            if co is not None and (id(co) not in first_contact or c.created_ts < first_contact[id(co)]):
                first_contact[id(co)] = c.created_ts
        for co in w.pop.companies:
            times = first_contact.get(id(co))
            co.created_ts = times if times is not None else clock.t0 + r.randint(5 * HOUR, 7 * HOUR)
        nid = 18_220_311_000
        for co in sorted(w.pop.companies, key=lambda x: (x.created_ts, x.idx)):
            nid += ids.randint(1, 25)
            co.company_id = str(nid)

    def _versions(self, c: Contact) -> None:
        """Versions of a contact: the creation row, then one row per change of state."""
        r, clock, p = self.r, self.w.clock, c.person
        t1 = clock.t1
        state = {
            "job": p.job_title,
            "company": p.company.company_id if p.company else None,
            "lang": p.lang if r.random() > 0.02 else None,
            "ig": None,
            "li": None,
            "cn": None,
            "consent_email": bool(p.consent_email),
            "consent_sms": bool(p.consent_sms),
            "stage": "other",
        }
        subscribed = p.subscribed_ts is not None and p.subscribed_ts <= c.created_ts
        state["stage"] = "subscriber" if subscribed else "other"
        changes: list[tuple[int, str, object]] = []
        for t, k, v in p.crm_events:
            if k == "crm_import":
                continue
            changes.append((t, k, v))
        if p.subscribed_ts is not None and p.subscribed_ts > c.created_ts:
            changes.append((p.subscribed_ts + r.randint(60, 3600), "lifecycle", "subscriber"))
        if p.account_ts is not None:
            changes.append(
                (
                    max(p.account_ts, c.created_ts) + r.randint(60, 7200) if p.account_ts > c.created_ts else 0,
                    "account",
                    True,
                )
            )
        if not c.duplicate:
            for key, handle in (("ig", p.instagram), ("li", p.linkedin)):
                if handle:
                    if r.random() < 0.6:
                        changes.append((0, key, handle))
                    else:
                        changes.append((c.created_ts + r.randint(DAY, 90 * DAY), key, handle))
        changes.sort(key=lambda x: (x[0], x[1]))
        # apply everything up to creation time, then one version per later change
        pending = [ch for ch in changes if ch[0] <= c.created_ts]
        later = [ch for ch in changes if ch[0] > c.created_ts]
        for _, k, v in pending:
            self._apply(state, k, v, p)
        if c.duplicate:
            state["ig"] = state["li"] = None
            if state["stage"] == "customer":
                state["stage"] = "other"
        c.versions.append((c.created_ts, dict(state)))
        if c.duplicate:
            if r.random() < 0.4:
                t = c.created_ts + r.randint(HOUR, 30 * DAY)
                if t < t1:
                    state["job"] = state["job"] or ("Office Manager" if p.persona == "b2b" else None)
                    state["lang"] = p.lang
                    c.versions.append((t, dict(state)))
            return
        for t, k, v in later:
            if t >= t1:
                break
            before = dict(state)
            self._apply(state, k, v, p)
            if state != before:
                if c.versions and c.versions[-1][0] == t:
                    t += 1
                c.versions.append((t, dict(state)))

    @staticmethod
    def _apply(state: dict, k: str, v: object, p: Person) -> None:
        if k == "lifecycle":
            cur = state["stage"]
            if v == "other":
                if cur != "customer":
                    state["stage"] = "other"
            elif LIFECYCLE_RANK[str(v)] > LIFECYCLE_RANK.get(cur, 0) or cur == "other":
                state["stage"] = v
        elif k == "consent_email":
            state["consent_email"] = bool(v)
        elif k == "consent_sms":
            state["consent_sms"] = bool(v)
        elif k == "account":
            state["cn"] = p.customer_number
        elif k in ("ig", "li"):
            state[k] = v

    def write(self) -> dict[str, int]:
        """The CRM's export files: HubSpot CRM API v3 responses (seeds.generator.exports.hubspot)."""
        return hubspot.write(self.w, self)


def plan_lead_evaluation_visits(world) -> None:
    """While a lead is open the person evaluates the offer on the website (pricing, products,
    business pages); how often depends on the same latent interest that drives conversion."""
    rng, r = streams(world.cfg.seed, "crm-lead-visits")
    clock = world.clock
    for lead in sorted(world.leads, key=lambda x: (x.created_ts, x.person.idx)):
        p = lead.person
        end = min(lead.closed_ts or clock.t1, clock.t1 - HOUR)
        weeks = max(0.0, (end - lead.created_ts) / (7 * DAY))
        n = min(12, int(rng.poisson(0.3 * math.exp(1.3 * p.z) * min(weeks, 10))))
        for _ in range(n):
            t = lead.created_ts + r.randint(HOUR, max(HOUR + 1, end - lead.created_ts))
            if t >= end:
                continue
            day = clock.day_index(t)
            touch = world.traffic.draw(r, day, p.persona, p.lang, new=False)
            dev = pick_device(r, p, t, "desktop" if p.persona == "b2b" else None)
            if p.persona == "b2b":
                landing = r.choice(("/pricing", "/business", "/", r.choice(catalog.BLOG).path))
            else:
                landing = r.choice([x for x in catalog.PRODUCTS if x.category != "services"]).path
            pricing = r.random() < (sigmoid(-0.3 + 1.5 * p.z) if p.persona == "b2b" else sigmoid(-2.0 + 1.0 * p.z))
            v = Visit(
                t,
                p,
                dev,
                touch,
                landing,
                "browse",
                bounce_ok=r.random() < 0.5,
                pricing=pricing,
                login=p.account_at(t) and r.random() < 0.15,
            )
            world.visits.add(v)
