"""The population: persons, their companies, identifiers, devices and life plan.

A person is a real human; ``--people`` counts them all, including visitors who
never identify themselves. The plan drawn here (route to identification,
acquisition time and channel, latent interest, purchase-process parameters,
devices, social accounts, traps such as shared devices and role mailboxes) is
what every channel module renders into its own extract.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from seeds.generator import geo, names
from seeds.generator.clock import DAY, HOUR, Clock
from seeds.generator.config import GeneratorConfig
from seeds.generator.indexes import Available, Categorical
from seeds.generator.seasonality import Demand
from seeds.generator.traffic import Touch, TrafficModel


@dataclass(slots=True, eq=False)
class Device:
    pseudo_id: str
    category: str  # desktop, mobile, tablet
    os: str
    browser: str
    language: str
    active_from: int
    legacy: bool = False
    session_count: int = 0
    first_touch: tuple[str, str, str] | None = None  # GA4 user-scoped (name, medium, source)
    shared: bool = False
    json_device: str = ""


@dataclass(slots=True, eq=False)
class Company:
    idx: int
    company_id: str
    name: str
    domain: str
    industry: str
    employee_count: int
    country: str
    city: geo.City
    role_mailbox: str | None = None
    members: list[int] = field(default_factory=list)
    created_ts: int | None = None


@dataclass(slots=True, eq=False)
class Person:
    idx: int
    pid: str
    first: str
    last: str
    country: str
    lang: str
    city: geo.City
    persona: str
    z: float
    identified: bool
    route: str
    acq_ts: int
    acq_date: date
    acq_channel: str
    acq_touch: Touch | None = None
    id_ts: int | None = None
    company: Company | None = None
    email_personal: str | None = None
    email_work: str | None = None
    email_dead: bool = False
    phone_nsn: str | None = None
    devices: list[Device] = field(default_factory=list)
    account_plan_ts: int | None = None
    account_ts: int | None = None
    account_via: str = ""  # legacy, visit (sign-up session), checkout
    purchases: list = field(default_factory=list)  # planned (ts, kind)
    customer_number: str | None = None
    instagram: str | None = None
    linkedin: str | None = None
    facebook_id: str | None = None
    role_mailbox: str | None = None
    crm_role_email: bool = False  # the CRM stores the shared mailbox as this contact's email
    test_email_user: bool = False
    consent_email: bool = False
    consent_sms: bool = False
    legacy_customer: bool = False
    bg_lambda: float = 0.0  # purchases per week while alive (BG/NBD)
    bg_p: float = 0.0  # dropout probability after each purchase (BG/NBD)
    gg_nu: float = 0.0  # Gamma-Gamma spend rate
    visit_rate: float = 0.0  # background sessions per month
    job_title: str | None = None
    # filled by the channel modules
    contact_ids: list[str] = field(default_factory=list)
    crm_created_ts: int | None = None
    crm_events: list[tuple[int, str, object]] = field(default_factory=list)
    lead: object | None = None
    orders: list = field(default_factory=list)
    churned_ts: int | None = None
    dropped_out: bool = False  # the BG/NBD dropout happened in the window (even when churned_ts is past its end)
    bad_experience: list[int] = field(default_factory=list)
    unsub_ts: int | None = None
    subscribed_ts: int | None = None

    @property
    def phone_e164(self) -> str | None:
        if self.phone_nsn is None:
            return None
        return "+" + geo.COUNTRY_BY_CODE[self.country].calling_code + self.phone_nsn

    @property
    def marketing_email(self) -> str | None:
        if self.persona == "b2b" and self.email_work:
            return self.email_work
        return self.email_personal or self.email_work

    @property
    def has_account(self) -> bool:
        return self.account_ts is not None

    def account_at(self, ts: int) -> bool:
        return self.account_ts is not None and self.account_ts <= ts

    @property
    def display_city(self) -> str:
        return self.city.name_local


ROUTES_B2C = (
    ("newsletter", 0.29),
    ("signup", 0.13),
    ("purchase", 0.40),
    ("lead_form", 0.05),
    ("event", 0.05),
    ("social_contest", 0.0),
)
ROUTES_B2B = (
    ("lead_form", 0.37),
    ("event", 0.22),
    ("sales_outbound", 0.15),
    ("referral", 0.06),
    ("newsletter", 0.09),
    ("signup", 0.05),
    ("purchase", 0.06),
)
WEB_ROUTES = ("newsletter", "signup", "purchase", "lead_form")
ACCOUNT_P = {
    "legacy": 0.94,
    "signup": 1.0,
    "newsletter": 0.94,
    "purchase": 0.7,
    "lead_form": 0.9,
    "event": 0.86,
    "sales_outbound": 0.82,
    "referral": 0.82,
}
LEGACY_SHARE = 0.30


def ascii_slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    return "".join(ch for ch in s.lower() if ch.isalnum())


def _pick(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([a for a, _ in pairs], [w for _, w in pairs])[0]


class Population:
    """Builds persons and companies; holds them for the other modules."""

    def __init__(
        self,
        cfg: GeneratorConfig,
        clock: Clock,
        demand: Demand,
        traffic: TrafficModel,
        rng: np.random.Generator,
        r: random.Random,
    ) -> None:
        self.cfg, self.clock, self.demand, self.traffic = cfg, clock, demand, traffic
        self.rng, self.r = rng, r
        self.persons: list[Person] = []
        self.companies: list[Company] = []
        self._emails: set[str] = set()
        self._phones: set[str] = set()
        self._handles: set[str] = set()
        self._pseudo: set[str] = set()
        self._build()

    # ------------------------------------------------------------------ helpers
    def _unique(self, pool: set[str], candidate: str, suffixes) -> str:
        if candidate not in pool:
            pool.add(candidate)
            return candidate
        for sfx in suffixes:
            # emails take the suffix before the @ (mario.rossi7@...); handles (@mario.rossi) after the name
            c = candidate.replace("@", f"{sfx}@", 1) if "@" in candidate[1:] else f"{candidate}{sfx}"
            if c not in pool:
                pool.add(c)
                return c
        raise RuntimeError("could not make a unique value")

    def _suffixes(self):
        r = self.r
        for _ in range(200):
            yield str(r.randint(1, 99))
        for _ in range(2000):
            yield str(r.randint(100, 99999))

    def _personal_email(self, first: str, last: str, country: str) -> str:
        r = self.r
        f, l_ = ascii_slug(first), ascii_slug(last)
        pat = r.random()
        if pat < 0.34:
            local = f"{f}.{l_}"
        elif pat < 0.46:
            local = f"{f}{l_}"
        elif pat < 0.56:
            local = f"{f[0]}{l_}"
        elif pat < 0.71:
            local = f"{f}.{l_}{r.randint(60, 99) if r.random() < 0.8 else r.randint(0, 6):02d}"
        elif pat < 0.79:
            local = f"{l_}.{f}"
        elif pat < 0.86:
            local = f"{f}_{l_}"
        elif pat < 0.93:
            local = f"{f}{r.randint(1, 999)}"
        else:
            local = f"{f}.{l_[0]}{r.randint(1, 99)}"
        provider = _pick(r, names.EMAIL_PROVIDERS[country])
        return self._unique(self._emails, f"{local}@{provider}", self._suffixes())

    def _work_email(self, first: str, last: str, domain: str) -> str:
        r = self.r
        f, l_ = ascii_slug(first), ascii_slug(last)
        pat = r.random()
        local = f"{f}.{l_}" if pat < 0.6 else (f"{f[0]}.{l_}" if pat < 0.85 else f)
        return self._unique(self._emails, f"{local}@{domain}", self._suffixes())

    def _handle(self, first: str, last: str, kind: str) -> str:
        r = self.r
        f, l_ = ascii_slug(first), ascii_slug(last)
        if kind == "linkedin":
            base = f"@{f}-{l_}-{r.randrange(16**5, 16**6):x}"
        else:
            pat = r.random()
            if pat < 0.3:
                base = f"@{f}.{l_}"
            elif pat < 0.5:
                base = f"@{f}_{l_}{r.randint(80, 99)}"
            elif pat < 0.65:
                base = f"@{f}{l_}_"
            elif pat < 0.8:
                base = f"@{f[:1]}{l_}.{r.choice(('design', 'home', 'life', 'studio', 'work', 'daily'))}"
            else:
                base = f"@the.{f}.{l_[:3]}"
        return self._unique(self._handles, base, ("_" + s for s in self._suffixes()))

    def _phone(self, country: str) -> str:
        for _ in range(100):
            digits = "".join(str(self.r.randint(0, 9)) for _ in range(12))
            nsn = geo.phone_nsn(country, digits)
            if nsn not in self._phones:
                self._phones.add(nsn)
                return nsn
        raise RuntimeError("phone space exhausted")

    def new_device(self, category: str, country: str, lang: str, active_from: int, legacy: bool = False) -> Device:
        r = self.r
        if category == "mobile":
            os_, br = r.choices(
                (("iOS", "Safari"), ("Android", "Chrome"), ("Android", "Samsung Internet"), ("iOS", "Chrome")),
                (0.44, 0.42, 0.09, 0.05),
            )[0]
        elif category == "tablet":
            os_, br = r.choices((("iOS", "Safari"), ("Android", "Chrome")), (0.7, 0.3))[0]
        else:
            os_, br = r.choices(
                (
                    ("Windows", "Chrome"),
                    ("Windows", "Edge"),
                    ("Macintosh", "Safari"),
                    ("Macintosh", "Chrome"),
                    ("Windows", "Firefox"),
                    ("Linux", "Firefox"),
                ),
                (0.48, 0.16, 0.14, 0.14, 0.06, 0.02),
            )[0]
        c = geo.COUNTRY_BY_CODE[country]
        language = c.browser_language
        if lang == "it" and country != "IT" and r.random() < 0.5:
            language = "it-it"
        elif lang == "en" and country == "IT":
            language = "en-us"
        first_visit = active_from if not legacy else active_from - r.randint(30, 900) * DAY
        while True:
            pid = f"{r.randint(100_000_000, 2_147_483_647)}.{first_visit}"
            if pid not in self._pseudo:
                self._pseudo.add(pid)
                break
        return Device(pid, category, os_, br, language, active_from, legacy)

    def _time_on(self, day: int, persona: str) -> int:
        hour = self.demand.hour_pick(persona).draw(self.rng)
        return self.clock.at_local(day, hour * HOUR + self.r.randint(0, HOUR - 1))

    def draw_day(self, persona: str, lo: int = 0, hi: int | None = None) -> int:
        hi = self.clock.n_days - 1 if hi is None else hi
        return lo + self.demand.day_pick(persona, lo, hi).draw(self.rng)

    # ------------------------------------------------------------------ build
    def _build(self) -> None:
        cfg, clock, rng, r = self.cfg, self.clock, self.rng, self.r
        n = cfg.people
        c_w = np.array([c.weight for c in geo.COUNTRIES])
        countries = rng.choice(len(geo.COUNTRIES), size=n, p=c_w / c_w.sum())
        zs = rng.normal(0.0, 1.0, size=n)
        u = rng.random((n, 8))

        # companies ---------------------------------------------------------------------
        n_comp = max(5, int(round(n / 25)))
        comp_country = rng.choice(
            len(geo.COUNTRIES), size=n_comp, p=np.array([0.82, 0.06, 0.03, 0.03, 0.02, 0.02, 0.02])
        )
        comp_names: set[str] = set()
        for i in range(n_comp):
            cc = geo.COUNTRIES[int(comp_country[i])]
            for _ in range(50):
                if cc.code == "IT":
                    core = r.choice(names.COMPANY_CORE_IT)
                    style = r.random()
                    if style < 0.45:
                        base = f"{r.choice(names.COMPANY_PREFIX_IT)} {core}"
                    elif style < 0.75:
                        base = f"{r.choice(names.ITALIAN_LAST)} {core}"
                    else:
                        base = f"{r.choice(names.ITALIAN_LAST)} & {r.choice(names.ITALIAN_LAST)}"
                        core = ""
                    suffix = r.choice(names.COMPANY_SUFFIX_IT)
                else:
                    core = r.choice(names.COMPANY_CORE_EN)
                    base = f"{r.choice(names.COMPANY_WORD_EN)} {core}"
                    suffix = r.choice(names.COMPANY_SUFFIX[cc.code])
                if base not in comp_names:
                    comp_names.add(base)
                    break
            domain = ascii_slug(base.replace("&", "e")) + names.COMPANY_TLD[cc.code]
            ind = names.INDUSTRY_HINT.get(core) if core else None
            if ind is None or r.random() < 0.25:
                ind = _pick(r, names.INDUSTRIES)
            emp = int(max(2, min(25000, round(float(rng.lognormal(3.4, 1.25))))))
            city = r.choices(cc.cities, [x.weight for x in cc.cities])[0]
            self.companies.append(Company(i, f"CO{100001 + i}", f"{base} {suffix}", domain, ind, emp, cc.code, city))
        comp_by_country: dict[str, list[Company]] = {}
        for co in self.companies:
            comp_by_country.setdefault(co.country, []).append(co)
        zipf = {k: np.array([1.0 / (j + 1) ** 0.7 for j in range(len(v))]) for k, v in comp_by_country.items()}
        # the company draws, their CDFs computed once (per person it cost O(companies): quadratic)
        pick_company = {k: Categorical(v) for k, v in zipf.items()}
        pick_any = Categorical(np.ones(len(self.companies)))

        # persons -----------------------------------------------------------------------
        t0 = clock.t0
        for i in range(n):
            cc = geo.COUNTRIES[int(countries[i])]
            city = r.choices(cc.cities, [x.weight for x in cc.cities])[0]
            if cc.code == "IT":
                lang = "it" if u[i, 0] > 0.04 else "en"
            elif city.name_en == "Lugano":
                lang = "it"
            else:
                lang = "it" if u[i, 0] < cc.italian_speakers else "en"
            italian_name = cc.code == "IT" or (lang == "it" and u[i, 1] < 0.7)
            female = u[i, 2] < 0.5
            if italian_name:
                first = r.choice(names.ITALIAN_FIRST_F if female else names.ITALIAN_FIRST_M)
                last = r.choice(names.ITALIAN_LAST)
            else:
                first = r.choice(names.ENGLISH_FIRST_F if female else names.ENGLISH_FIRST_M)
                last = r.choice(names.ENGLISH_LAST)
            persona = "b2b" if u[i, 3] < (0.30 if cc.code == "IT" else 0.22) else "b2c"
            identified = u[i, 4] < (0.86 if persona == "b2b" else 0.555)
            z = float(zs[i])
            # acquisition & route
            if identified and u[i, 5] < LEGACY_SHARE:
                route = "legacy"
                acq_date = clock.start - timedelta(days=int(rng.integers(30, 1100)))
                acq_ts = t0 + r.randint(5 * HOUR, 7 * HOUR)  # CRM/ESP migration on day one
                acq_channel = "legacy_import"
            else:
                route = _pick(r, ROUTES_B2B if persona == "b2b" else ROUTES_B2C) if identified else "anonymous"
                day = self.draw_day(persona if route != "anonymous" else "b2c")
                acq_ts = self._time_on(day, persona)
                acq_date = clock.local_date(acq_ts)
                if route == "event":
                    acq_channel = "event"
                elif route == "sales_outbound":
                    acq_channel = route
                elif route == "referral":
                    acq_channel = "partner_referral"
                else:
                    acq_channel = self.traffic.channel(r, day, persona, new=True)
            p = Person(
                i,
                f"P{i + 1:06d}",
                first,
                last,
                cc.code,
                lang,
                city,
                persona,
                z,
                identified,
                route,
                acq_ts,
                acq_date,
                acq_channel,
            )
            if acq_channel in (
                "organic_search",
                "paid_search",
                "paid_social",
                "display",
                "organic_social",
                "referral",
                "direct",
            ) and route not in ("legacy", "sales_outbound", "referral"):
                p.acq_touch = self.traffic.touch(r, acq_channel, clock.day_index(acq_ts), persona, lang)
            # identification time
            if route == "legacy" or route in ("sales_outbound", "referral", "event"):
                p.id_ts = acq_ts
            elif route in WEB_ROUTES:
                if u[i, 6] < 0.5:
                    p.id_ts = acq_ts
                else:
                    p.id_ts = acq_ts + int(HOUR + rng.exponential(10 * DAY))
                if p.id_ts >= clock.t1 - 2 * HOUR:
                    p.identified, p.route, p.id_ts = False, "anonymous", None
            # company
            if persona == "b2b":
                pool = comp_by_country.get(cc.code) if u[i, 7] < 0.9 else None
                if not pool:
                    pool = comp_by_country.get("IT") or self.companies
                    pick = pick_company["IT"] if pool is comp_by_country.get("IT") else pick_any
                else:
                    pick = pick_company[cc.code]
                co = pool[pick.draw(rng)]
                p.company = co
                co.members.append(i)
                p.job_title = r.choice(names.JOB_TITLES_IT if lang == "it" else names.JOB_TITLES_EN)
            self.persons.append(p)

        # drop empty companies and renumber ids in creation order
        self.companies = [c for c in self.companies if c.members]
        for j, co in enumerate(self.companies):
            co.idx = j
            co.company_id = f"CO{100001 + j}"

        self._identifiers()
        self._plans()
        self._traps()

    def _identifiers(self) -> None:
        r = self.r
        for p in self.persons:
            if p.identified:
                if p.persona == "b2b":
                    p.email_work = self._work_email(p.first, p.last, p.company.domain)
                    if r.random() < 0.35:
                        p.email_personal = self._personal_email(p.first, p.last, p.country)
                else:
                    p.email_personal = self._personal_email(p.first, p.last, p.country)
                p.email_dead = r.random() < 0.02
                if r.random() < (0.75 if p.persona == "b2b" else 0.58):
                    p.phone_nsn = self._phone(p.country)
            # social accounts (anonymous visitors have them too)
            if r.random() < (0.26 if p.persona == "b2c" else 0.08):
                p.instagram = self._handle(p.first, p.last, "instagram")
            if r.random() < (0.62 if p.persona == "b2b" else 0.04):
                p.linkedin = self._handle(p.first, p.last, "linkedin")
            if r.random() < 0.07:
                p.facebook_id = "10" + "".join(str(r.randint(0, 9)) for _ in range(15))

    def _plans(self) -> None:
        r, rng, clock = self.r, self.rng, self.clock
        t0, t1 = clock.t0, clock.t1
        n = len(self.persons)
        lam = rng.gamma(0.25, 1 / 4.5, size=n)  # BG/NBD: r=0.25, alpha=4.5 (weeks)
        drop = rng.beta(0.8, 2.4, size=n)
        nu = rng.gamma(3.74, 1 / 61.4, size=n)  # Gamma-Gamma: q=3.74, gamma=61.4 (EUR)
        for p in self.persons:
            p.bg_lambda, p.bg_p, p.gg_nu = float(lam[p.idx]), float(drop[p.idx]), float(nu[p.idx])
            # account plan
            if p.identified:
                ap = ACCOUNT_P.get(p.route, 0.0)
                if p.route == "legacy":
                    if r.random() < ap:
                        p.account_plan_ts, p.account_via = t0 - 1, "legacy"
                elif p.route in ("signup", "newsletter", "purchase"):
                    if r.random() < ap:
                        p.account_plan_ts = p.id_ts
                        p.account_via = "checkout" if p.route == "purchase" else "visit"
                elif r.random() < ap:
                    ts = p.id_ts + int(HOUR + rng.exponential(20 * DAY))
                    if ts < t1 - DAY:
                        p.account_plan_ts, p.account_via = ts, "visit"
                p.account_ts = p.account_plan_ts
                p.legacy_customer = p.route == "legacy" and r.random() < 0.55
                p.consent_email = r.random() < (0.82 if p.route in ("legacy", "newsletter") else 0.6)
                p.consent_sms = p.phone_nsn is not None and r.random() < (0.4 if p.country == "IT" else 0.12)
            # devices
            k = 1 if not p.identified or p.account_plan_ts is None else r.choices((1, 2, 3), (0.55, 0.35, 0.1))[0]
            if p.persona == "b2b":
                cats = ["desktop" if r.random() < 0.62 else "mobile"]
            else:
                cats = [r.choices(("mobile", "desktop", "tablet"), (0.6, 0.33, 0.07))[0]]
            for _ in range(k - 1):
                rest = [c for c in ("mobile", "desktop", "tablet") if c not in cats]
                cats.append(r.choices(rest, [0.5 if c != "tablet" else 0.25 for c in rest])[0])
            legacy = p.route == "legacy"
            for j, cat in enumerate(cats):
                if j == 0:
                    act = p.acq_ts
                else:
                    act = p.acq_ts + int(rng.uniform(0, 120) * DAY)
                    if legacy and r.random() < 0.7:
                        act = p.acq_ts
                act = min(act, t1 - DAY)
                p.devices.append(self.new_device(cat, p.country, p.lang, act, legacy and act <= t0 + DAY))
            # web activity level
            if p.identified:
                p.visit_rate = 0.24 * float(np.exp(0.95 * p.z)) * (0.85 if p.persona == "b2b" else 1.0)
                if p.account_plan_ts is None and p.route != "purchase":
                    p.visit_rate *= 0.5

    def _traps(self) -> None:
        """Shared household devices, role mailboxes, test addresses."""
        r = self.r
        # shared devices: ~2% of identified persons (pairs of b2c account holders in the same country)
        holders = [p for p in self.persons if p.identified and p.persona == "b2c" and p.account_plan_ts is not None]
        n_pairs = max(1, int(round(0.01 * sum(1 for p in self.persons if p.identified))))
        by_country: dict[str, list[Person]] = {}
        for p in holders:
            by_country.setdefault(p.country, []).append(p)
        used: set[int] = set()
        free = {country: Available(members) for country, members in by_country.items()}
        pairs = 0
        order = list(range(len(holders)))
        r.shuffle(order)
        for k in order:
            if pairs >= n_pairs:
                break
            a = holders[k]
            if a.idx in used:
                continue
            cands = free[a.country].others(a)  # the country's holders but a, not yet paired, in order
            if not cands:
                continue
            b = r.choice(cands)
            used.update((a.idx, b.idx))
            free[a.country].take(a)
            free[a.country].take(b)
            dev = next((d for d in a.devices if d.category in ("tablet", "desktop")), None)
            if dev is None:
                dev = self.new_device("tablet", a.country, a.lang, max(a.acq_ts, b.acq_ts), False)
                a.devices.append(dev)
            dev.shared = True
            dev.active_from = max(dev.active_from, b.acq_ts)
            b.devices.append(dev)
            b.city = a.city
            if r.random() < 0.5:
                b.last = a.last  # same household
            pairs += 1
        self.shared_pairs = pairs
        # role mailboxes used by 2+ persons of the same company
        for co in self.companies:
            members = [self.persons[i] for i in co.members if self.persons[i].identified]
            if len(members) >= 2 and r.random() < 0.3:
                local = r.choice(names.ROLE_MAILBOXES_IT if co.country == "IT" else names.ROLE_MAILBOXES_EN)
                co.role_mailbox = f"{local}@{co.domain}"
                for p in r.sample(members, min(len(members), r.choice((2, 2, 3, 4)))):
                    p.role_mailbox = co.role_mailbox
                    p.crm_role_email = r.random() < 0.6
        # people who type a fake address somewhere
        for p in self.persons:
            if p.identified and r.random() < 0.012:
                p.test_email_user = True

    # ------------------------------------------------------------------ queries
    def identified(self) -> list[Person]:
        return [p for p in self.persons if p.identified]
