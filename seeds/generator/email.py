"""Email platform (ESP): lists and their membership, newsletter / DEM / SMS sends, per-recipient activity.

The email and DEM sends and their audiences are written as Mailchimp exports
(``exports/mailchimp.py``: audience export ZIPs and Marketing API report pages); the SMS
sends, the SMS list and their activity stay in the documented generic CSVs
(``esp_campaigns``, ``esp_activity``, ``esp_list_membership``).

Who receives a send is whoever is on the list at send time: subscribe events
(web forms, checkout opt-ins, event registrations, the day-one import) add
members, unsubscribes and hard-bounce cleaning remove them. Opens and clicks
follow the person's latent interest; a click usually starts a web session
tagged with the send's UTMs.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from seeds.generator import catalog
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.crm import create_lead, sigmoid
from seeds.generator.exports.mailchimp import MailchimpExport, Member
from seeds.generator.exports.mailchimp import title_of as mailchimp_title
from seeds.generator.identity import email_variant, normalize_email
from seeds.generator.people import Person
from seeds.generator.rng import streams
from seeds.generator.sessions import Visit, pick_device
from seeds.generator.texts import TextGen
from seeds.generator.traffic import Touch
from seeds.generator.writers import MonthlyWriter, TableWriter

LISTS = ("news_it", "news_en", "b2b", "sms")
_LOGIT = lambda p: math.log(p / (1 - p))  # noqa: E731


@dataclass(slots=True, eq=False)
class Send:
    campaign_id: str
    name: str
    channel: str  # email, dem, sms
    list_key: str
    subject: str
    utm: str
    ts: int
    links: tuple[str, ...]
    lang: str
    recipients: int = 0
    delivered: int = 0


@dataclass(order=True)
class _Change:
    ts: int
    seq: int
    kind: str = field(compare=False)  # subscribe, unsubscribe, cleaned
    list_key: str = field(compare=False)
    person: Person = field(compare=False)
    source: str | None = field(compare=False, default=None)
    send: Send | None = field(compare=False, default=None)  # the send behind an unsubscribe / cleaning


class EmailPlatform:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "email")
        self.text = TextGen(streams(world.cfg.seed, "email-text")[1])
        hexes = "0123456789abcdef"
        self.list_ids = {k: "".join(self.r.choice(hexes) for _ in range(10)) for k in LISTS}
        self.members: dict[str, dict[int, str]] = {k: {} for k in LISTS}
        self.addr: dict[tuple[str, int], str] = {}  # (list, person) -> stored address / phone
        self.membership_rows: list[tuple[int, int, tuple]] = []
        self._seq = 0
        self.cleaned: set[int] = set()
        self.mailchimp_members: dict[str, dict[int, Member]] = {k: {} for k in LISTS if k != "sms"}
        self.mailchimp: MailchimpExport | None = None

    # ------------------------------------------------------------------ subscriptions
    def _sub_time(self, p: Person) -> tuple[int, str] | None:
        r, clock = self.r, self.w.clock
        first_buy = p.purchases[0][0] if p.purchases else None
        if p.route == "legacy":
            return clock.t0 + r.randint(5 * HOUR, 7 * HOUR), "import"
        if p.route == "newsletter":
            return p.id_ts + r.randint(5, 120), "web_form"
        if p.route == "signup" and r.random() < 0.7:
            return p.id_ts + r.randint(30, 600), "web_form"
        if p.route == "purchase" and first_buy is not None and r.random() < 0.75:
            return first_buy + r.randint(5, 300), "checkout"
        if p.route == "lead_form" and r.random() < 0.6:
            return p.id_ts + r.randint(5, 300), "web_form"
        if p.route == "event" and r.random() < 0.7:
            return p.id_ts + r.randint(HOUR, 2 * DAY), "event"
        if p.route in ("sales_outbound", "referral") and r.random() < 0.35:
            return p.id_ts + r.randint(DAY, 20 * DAY), "import"
        if first_buy is not None and r.random() < 0.35:
            return first_buy + r.randint(5, 300), "checkout"
        return None

    def _plan_changes(self) -> list[_Change]:
        r, clock = self.r, self.w.clock
        out: list[_Change] = []
        for p in self.w.persons:
            if not p.identified:
                continue
            if p.consent_email and not p.crm_role_email:  # reached through the shared mailbox instead
                st = self._sub_time(p)
                if st is not None and st[0] < clock.t1:
                    ts, src = st
                    p.subscribed_ts = ts
                    out.append(self._change(ts, "subscribe", "news_it" if p.lang == "it" else "news_en", p, src))
                    if p.persona == "b2b" and p.email_work and r.random() < 0.7:
                        out.append(self._change(ts + r.randint(1, 60), "subscribe", "b2b", p, src))
            if p.consent_sms and p.phone_nsn:
                first_buy = p.purchases[0][0] if p.purchases else None
                if p.route == "legacy":
                    ts, src = clock.t0 + r.randint(5 * HOUR, 7 * HOUR), "import"
                elif first_buy is not None and r.random() < 0.5:
                    ts, src = first_buy + r.randint(5, 300), "checkout"
                else:
                    ts, src = p.id_ts + r.randint(5, 3 * DAY), "web_form"
                if ts < clock.t1:
                    out.append(self._change(ts, "subscribe", "sms", p, src))
        return out

    def _change(
        self, ts: int, kind: str, list_key: str, p: Person, source: str | None = None, send: Send | None = None
    ) -> _Change:
        self._seq += 1
        return _Change(ts, self._seq, kind, list_key, p, source, send)

    def _apply(self, c: _Change) -> None:
        r = self.r
        p, lk = c.person, c.list_key
        mem = self.members[lk]
        key = (lk, p.idx)
        if c.kind == "subscribe":
            if p.idx in mem:
                return
            if key not in self.addr:
                if lk == "sms":
                    self.addr[key] = p.phone_e164 if r.random() < 0.85 else p.phone_e164[1:]
                else:
                    base = p.email_work or p.marketing_email if lk == "b2b" else p.marketing_email
                    self.addr[key] = email_variant(r, base)
            mem[p.idx] = self.addr[key]
        else:
            if p.idx not in mem:
                return
            del mem[p.idx]
        self._membership_row(c.ts, lk, p, c.kind, c.source if c.kind == "subscribe" else None)
        if lk != "sms":
            self._mailchimp_member(c, self.addr[key].strip())

    def _mailchimp_member(self, c: _Change, address: str) -> None:
        """The member's state in the audience export taken at the end of the window."""
        if c.ts >= self.w.clock.t1:
            return
        members = self.mailchimp_members[c.list_key]
        if c.kind == "subscribe":
            members[c.person.idx] = Member(c.person, address, c.ts, c.source)
            return
        m = members[c.person.idx]
        m.status = "unsubscribed" if c.kind == "unsubscribe" else "cleaned"
        m.changed_ts = c.ts
        if c.send is not None:
            m.campaign_id = c.send.campaign_id
            m.campaign_title = mailchimp_title(c.send)
        if c.kind == "unsubscribe" and self.mailchimp is not None:
            m.unsub_reason = self.mailchimp.reason(c.list_key, c.person.idx)

    def _membership_row(self, ts: int, lk: str, p: Person, kind: str, source: str | None) -> None:
        a = self.addr[(lk, p.idx)]
        if lk == "sms":  # the generic CSV
            row = (self.list_ids[lk], None, a, kind, self.w.clock.utc(ts), source)
            self.membership_rows.append((ts, len(self.membership_rows), row))
            self.w.ledger.row(p.idx, [("phone", a, p.phone_e164)])
        else:  # Mailchimp stores the address trimmed, case preserved
            stored = a.strip()
            self.w.ledger.row(p.idx, [("email", stored, normalize_email(stored))])

    # ------------------------------------------------------------------ sends
    def _schedule(self) -> list[Send]:
        w, r, clock, cal = self.w, self.r, self.w.clock, self.w.calendar
        hexes = "0123456789abcdef"
        sends: list[Send] = []

        def cid() -> str:
            return "".join(r.choice(hexes) for _ in range(10))

        blog = list(catalog.BLOG)
        k = 0
        for day in range(clock.n_days):
            d = clock.dates[day]
            if d.weekday() != 3:
                continue
            if (d.month == 8 and 8 <= d.day <= 24) or (d.month == 12 and d.day >= 24) or (d.month == 1 and d.day <= 6):
                continue
            post = blog[k % len(blog)]
            k += 1
            prods = [x for x in catalog.PRODUCTS if x.category == post.category]
            links = (post.path, prods[k % len(prods)].path, f"/shop/{post.category}", "/")
            for lk, lang, minute in (("news_it", "it", 600), ("news_en", "en", 630)):
                topic = post.title if lang == "it" else post.queries_en[0].capitalize()
                subj = self.text.subject(lang, "email", {"topic": topic})
                sends.append(
                    Send(
                        cid(),
                        f"Newsletter {lang.upper()} {d.isoformat()}",
                        "email",
                        lk,
                        subj,
                        "newsletter",
                        clock.at_local(day, minute * 60 + r.randint(0, 120)),
                        links,
                        lang,
                    )
                )
        for c in cal.campaigns:
            if c.kind != "seasonal":
                continue
            for j, day in enumerate(c.dem_days, start=1):
                links = tuple(f"/shop/{x}" for x in c.landing_categories) + (
                    catalog.PRODUCTS_BY_CATEGORY[c.landing_categories[0]][0].path,
                )
                for lk, lang, minute in (("news_it", "it", 570), ("news_en", "en", 600)):
                    ctx = {
                        "label": c.label_it if lang == "it" else c.label_en,
                        "pct": str(int(c.coupon_pct * 100)),
                        "coupon": c.coupon or "",
                    }
                    subj = self.text.subject(lang, "dem", ctx)
                    hour = 7 * 60 if j == 2 and c.utm.startswith("bf_") else minute
                    sends.append(
                        Send(
                            cid(),
                            f"DEM {c.label_en} #{j} {lang.upper()}",
                            "dem",
                            lk,
                            subj,
                            c.utm,
                            clock.at_local(day, hour * 60 + r.randint(0, 120)),
                            links,
                            lang,
                        )
                    )
            for day in c.sms_days:
                ctx = {"label": c.label_it, "pct": str(int(c.coupon_pct * 100)), "coupon": c.coupon or ""}
                sends.append(
                    Send(
                        cid(),
                        f"SMS {c.label_en}",
                        "sms",
                        "sms",
                        self.text.subject("it", "sms", ctx),
                        c.utm,
                        clock.at_local(day, 11 * 3600 + r.randint(0, 300)),
                        (f"/shop/{c.landing_categories[0]}",),
                        "it",
                    )
                )
        for e in w.ticket_events:
            if e.event_type not in ("webinar", "trade_fair"):
                continue
            ts = e.start_ts - 8 * DAY
            day = clock.day_index(ts)
            if ts < clock.t0 + HOUR:
                continue
            ts = clock.at_local(day, 10 * 3600 + r.randint(0, 600))
            subj = self.text.subject(e.lang, "dem", {"kind": "b2b", "topic": e.topic})
            sends.append(
                Send(
                    cid(),
                    f"Invito {e.event_type}: {e.name}"[:90],
                    "dem",
                    "b2b",
                    subj,
                    e.utm,
                    ts,
                    (f"/events/{e.slug}", "/business"),
                    e.lang,
                )
            )
        sends.sort(key=lambda s: (s.ts, s.campaign_id))
        return sends

    # ------------------------------------------------------------------ run
    def run(self) -> dict[str, int]:
        w, clock = self.w, self.w.clock
        out = w.cfg.out
        changes = self._plan_changes()
        heapq.heapify(changes)
        sends = self._schedule()
        w.esp_sends = sends
        _, wr = streams(w.cfg.seed, "email-writer")
        aw = MonthlyWriter(out, "esp_activity", clock, wr, late_p=0.01, dup_p=0.005)
        mc = self.mailchimp = MailchimpExport(out, w.cfg.seed, clock, self.list_ids)
        self._n = 0
        for s in sends:
            while changes and changes[0].ts < s.ts:
                self._apply(heapq.heappop(changes))
            members = list(self.members[s.list_key].items())
            recipients = []
            for i, (pidx, addr) in enumerate(members):
                p = w.persons[pidx]
                t_sent = s.ts + (i * 3) // 60  # ~20 messages per second
                rows = self._recipient(s, p, addr, t_sent, changes)
                if s.channel == "sms":
                    for row_ts, row in rows:
                        aw.write(clock.month_key(row_ts), row, row_ts)
                else:
                    recipients.append((p, addr.strip(), rows))
            if s.channel != "sms":
                mc.campaign(s, s.list_key, recipients)
            s.recipients = len(members)
        while changes:
            self._apply(heapq.heappop(changes))
        aw.close()
        # campaigns: SMS in the generic CSV, email / DEM in Mailchimp's campaign list (with a draft)
        cw = TableWriter(out, "esp_campaigns")
        for s in sends:
            if s.channel == "sms":
                cw.write(
                    (s.campaign_id, s.name, s.channel, self.list_ids[s.list_key], s.subject, s.utm, clock.utc(s.ts))
                )
        cw.close()
        draft_id = "".join(mc.r.choice("0123456789abcdef") for _ in range(10))
        draft = Send(
            draft_id,
            f"Newsletter IT {clock.day_iso(clock.n_days - 1)} (bozza)",
            "email",
            "news_it",
            "Bozza: la newsletter della prossima settimana",
            "newsletter",
            clock.t1 - HOUR,
            (),
            "it",
        )
        mc.finish({k: list(v.values()) for k, v in self.mailchimp_members.items()}, draft=draft)
        # membership table
        mw = TableWriter(out, "esp_list_membership")
        for _, _, row in sorted(self.membership_rows, key=lambda x: (x[0], x[1])):
            mw.write(row)
        mw.close()
        w.stats["esp_late"] = aw.late_rows
        w.stats["esp_dups"] = aw.dup_rows
        return {"esp_activity": aw.rows, "esp_campaigns": cw.rows, "esp_list_membership": mw.rows, **mc.counts}

    def _aid(self) -> str:
        self._n += 1
        return f"ACT{self._n:09d}"

    def _recipient(self, s: Send, p: Person, addr: str, t: int, changes: list[_Change]):
        """Rows for one recipient of one send: sent, delivered/bounce, opens, clicks, unsubscribe."""
        r, clock = self.r, self.w.clock
        t1 = clock.t1
        sms = s.channel == "sms"
        email_col, phone_col = (None, addr) if sms else (addr, None)
        rows = []

        def row(ts: int, kind: str, link: str | None = None, bounce: str | None = None) -> None:
            if ts < t1:
                rows.append((ts, (self._aid(), s.campaign_id, email_col, phone_col, kind, clock.utc(ts), link, bounce)))

        row(t, "sent")
        if not sms and p.email_dead:
            bt = t + r.randint(2, 40)
            row(bt, "bounce", bounce="hard")
            heapq.heappush(changes, self._change(bt + r.randint(HOUR, 6 * HOUR), "cleaned", s.list_key, p, send=s))
            return rows
        if r.random() < (0.019 if not sms else 0.01):
            row(t + r.randint(2, 600), "bounce", bounce="soft")
            return rows
        td = t + r.randint(1, 50)
        row(td, "delivered")
        s.delivered += 1
        eng = -0.8 if (p.churned_ts is not None and p.churned_ts < t) else 0.0
        click_ts: list[int] = []
        last = td
        if not sms:
            base = 0.33 if s.list_key != "b2b" else 0.36
            if r.random() < sigmoid(_LOGIT(base) + 1.5 * p.z + eng):
                to = td + int(min(r.lognormvariate(math.log(2.5 * HOUR), 1.3), 9 * DAY))
                row(to, "open")
                last = to
                opens = [to]
                if r.random() < 0.33:
                    for _ in range(r.randint(1, 3)):
                        to = to + int(r.lognormvariate(math.log(4 * HOUR), 1.2))
                        row(to, "open")
                        opens.append(to)
                pc = sigmoid(_LOGIT(0.045 if s.list_key != "b2b" else 0.065) + 1.4 * p.z + eng)
                if r.random() < pc:
                    tc = opens[0] + r.randint(5, 300)
                    click_ts.append(tc)
                    if r.random() < 0.25:
                        for _ in range(r.randint(1, 2)):
                            tc = tc + r.randint(20, 1800)
                            click_ts.append(tc)
        else:
            if r.random() < sigmoid(_LOGIT(0.045) + 1.0 * p.z + eng):
                click_ts.append(td + int(r.lognormvariate(math.log(15 * MINUTE), 1.0)))
        link = r.choice(s.links)
        for j, tc in enumerate(click_ts):
            if j and r.random() < 0.3:
                link = r.choice(s.links)
            touch = Touch(
                s.channel,
                s.channel,
                {"email": "newsletter", "dem": "esp", "sms": "sms_gateway"}[s.channel],
                s.utm,
                content=s.campaign_id,
                tagged=True,
            )
            url = touch.landing_url(link)
            row(tc, "click", link=url)
            last = max(last, tc)
            if j == 0 and tc < t1 - 10 * MINUTE and r.random() < 0.85:
                self._click_visit(s, p, touch, link, tc + r.randint(2, 20))
        unsub_p = (0.0022 if not sms else 0.005) * (3 if eng else 1)
        if r.random() < unsub_p:
            tu = last + r.randint(10, 900)
            if tu < t1:
                row(tu, "unsubscribe")
                heapq.heappush(changes, self._change(tu, "unsubscribe", s.list_key, p, send=s))
                if not sms and s.list_key != "b2b":
                    p.crm_events.append((tu + r.randint(60, 7200), "consent_email", False))
                    p.unsub_ts = tu
                elif sms:
                    p.crm_events.append((tu + r.randint(60, 7200), "consent_sms", False))
        rows.sort(key=lambda x: x[0])
        return rows

    def _click_visit(self, s: Send, p: Person, touch: Touch, path: str, ts: int) -> None:
        w, r = self.w, self.r
        prefer = "mobile" if (s.channel == "sms" or r.random() < 0.6) else "desktop"
        dev = pick_device(r, p, ts, prefer)
        v = Visit(
            ts,
            p,
            dev,
            touch,
            path,
            "browse",
            login=p.account_at(ts) and r.random() < 0.1,
            pricing=p.persona == "b2b" and r.random() < sigmoid(-1.4 + 1.7 * p.z),
        )
        if p.persona == "b2b" and p.lead is None and s.channel == "dem" and r.random() < 0.12:
            v.intent, v.form_id, v.lead, v.bounce_ok = "lead", "demo_request", True, False
            create_lead(w, p, ts + r.randint(2 * MINUTE, 10 * MINUTE), "email", s.utm)
        if w.visits.add(v) is not None:
            w.click_visits.setdefault(p.idx, []).append(v)
