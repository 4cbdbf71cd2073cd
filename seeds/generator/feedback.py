"""Customer feedback: NPS survey answers and product reviews, in the person's language.

Scores and ratings depend on the person's latent interest and on what happened
to their orders (late delivery, damage, refunds push them down); verbatims and
review texts follow the score / rating.

The answers are written as the tools export them: NPS responses as Delighted API
pages (``seeds.generator.exports.delighted``); Trustpilot product reviews as
private Product Reviews API pages (``seeds.generator.exports.trustpilot``). The
reviews left on the site's own review widget (a tool the warehouse has no native
loader for) stay in the reviews generic CSV (``reviews_product_reviews``).
"""

from __future__ import annotations

import math

from seeds.generator import catalog
from seeds.generator.clock import DAY, HOUR
from seeds.generator.exports import delighted, trustpilot
from seeds.generator.identity import email_variant, normalize_email
from seeds.generator.people import Person
from seeds.generator.rng import streams
from seeds.generator.texts import TextGen
from seeds.generator.writers import TableWriter

RATING_GOOD = (1, 2, 3, 4, 5), (0.07, 0.04, 0.09, 0.24, 0.56)
RATING_BAD = (1, 2, 3, 4, 5), (0.36, 0.21, 0.18, 0.13, 0.12)


class Feedback:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "feedback")
        self.text = TextGen(streams(world.cfg.seed, "feedback-text")[1])

    def _issues(self, p: Person, before: int) -> tuple[str, ...]:
        out: list[str] = []
        for o in p.orders:
            if o.ts > before:
                continue
            if o.late:
                out.append("late")
            if o.damaged:
                out.append("damaged")
            for _, _, reason in o.refunds:
                out.append("refund" if reason not in ("wrong_size", "not_as_described") else reason)
        return tuple(dict.fromkeys(out))

    def _score(self, p: Person, issues: tuple[str, ...], repeat: bool) -> int:
        r = self.r
        s = r.gauss(0, 1) + 0.35 * p.z - (1.25 if issues else 0.0) + (0.25 if repeat else 0.0)
        if s > 0.05:
            return 10 if r.random() < 0.55 else 9
        if s > -1.1:
            return 8 if r.random() < 0.55 else 7
        return r.choices((6, 5, 4, 3, 2, 1, 0), (0.3, 0.24, 0.13, 0.11, 0.08, 0.06, 0.08))[0]

    def write(self) -> dict[str, int]:
        return {**self._nps(), **self._reviews()}

    # ------------------------------------------------------------------ NPS
    def _nps(self) -> dict[str, int]:
        w, r, clock = self.w, self.r, self.w.clock
        answers = []
        # post-purchase survey after a customer's first paid order
        for p in w.persons:
            firsts = [o for o in p.orders if o.cancel_ts is None and o.kind != "pos"]
            if not firsts:
                continue
            o = firsts[0]
            sent = o.ts + r.randint(10 * DAY, 14 * DAY)
            if r.random() >= 0.16 * (1.0 + 0.25 * p.z):
                continue
            ts = sent + int(min(r.lognormvariate(math.log(20 * HOUR), 1.2), 12 * DAY))
            if ts >= clock.t1:
                continue
            ch = r.choices(("email", "web", "sms"), (0.78, 0.15, 0.07 if p.phone_nsn else 0.0))[0]
            email = o.email if o.email != catalog.PLACEHOLDER_EMAIL else (p.marketing_email or o.email)
            if ch == "web" and p.test_email_user and r.random() < 0.5:
                email = catalog.TEST_EMAIL
            cid = p.contact_ids[0] if p.contact_ids and r.random() < 0.5 else None
            answers.append(
                (ts, p, "post_purchase", email_variant(r, email.strip().lower()), cid, ch, sent, o.order_number)
            )
        # relationship waves, one per calendar quarter, sent from the CRM to customers
        for month in clock.months:
            m = int(month[4:])
            if m not in (2, 5, 8, 11):
                continue
            lo, hi = clock.month_bounds(month)
            day = min(hi, lo + 14)
            sent = clock.at_local(day, 10 * HOUR)
            q = (m - 1) // 3 + 1
            for p in w.persons:
                if not p.contact_ids or not any(o.ts < sent and o.cancel_ts is None for o in p.orders):
                    continue
                if r.random() >= 0.05 * (1.0 + 0.25 * p.z):
                    continue
                ts = sent + int(min(r.lognormvariate(math.log(30 * HOUR), 1.1), 20 * DAY))
                if ts >= clock.t1:
                    continue
                email = p.marketing_email
                answers.append(
                    (ts, p, f"relationship_q{q}", email_variant(r, email), p.contact_ids[0], "email", sent, None)
                )
        answers.sort(key=lambda a: (a[0], a[1].idx))
        responses: list[delighted.Response] = []
        for ts, p, survey, email, cid, ch, sent, order_number in answers:
            issues = self._issues(p, ts)
            repeat = sum(1 for o in p.orders if o.ts < ts) > 1
            score = self._score(p, issues, repeat)
            verbatim = None
            if r.random() < (0.75 if score <= 6 else 0.55):
                verbatim = self.text.nps(p.lang, score, issues, {"city": p.city.name_local})
            responses.append(
                delighted.Response(ts, sent, p, survey, ch, email, cid, order_number, score, verbatim, issues)
            )
        return delighted.write(w, responses)

    # ------------------------------------------------------------------ reviews
    def _reviews(self) -> dict[str, int]:
        w, r, clock = self.w, self.r, self.w.clock
        reviews = []
        for o in w.orders:
            if o.cancel_ts is not None or o.kind == "pos":
                continue
            p = o.person
            bad = o.late or o.damaged or bool(o.refunds)
            prob = 0.1 + (0.12 if bad else 0.0) + (0.03 if p.z > 1 else 0.0)
            if r.random() >= prob:
                continue
            ts = o.ts + r.randint(5 * DAY, 30 * DAY)
            if o.refunds:
                ts = max(ts, o.refunds[0][0] + r.randint(HOUR, 3 * DAY))
            if ts >= clock.t1:
                continue
            reviews.append((ts, o, p))
        # a few unverified reviews (bought elsewhere / in store)
        buyers = [p for p in w.persons if p.identified and not p.orders]
        for _ in range(max(1, len(reviews) // 25)):
            if not buyers:
                break
            p = r.choice(buyers)
            ts = clock.at_local(r.randint(0, clock.n_days - 1), r.randint(8 * HOUR, 23 * HOUR))
            if ts <= p.acq_ts or ts >= clock.t1:
                continue
            reviews.append((ts, None, p))
        reviews.sort(key=lambda x: (x[0], x[2].idx))
        site = TableWriter(w.cfg.out, "reviews_product_reviews")
        out: list[trustpilot.Review] = []
        for i, (ts, o, p) in enumerate(reviews):
            platform = "site" if r.random() < 0.65 else "trustpilot"
            if o is not None:
                prod = r.choice(o.lines)[0]
                issues = tuple(
                    x for x, f in (("late", o.late), ("damaged", o.damaged), ("refund", bool(o.refunds))) if f
                )
            else:
                prod = r.choice([x for x in catalog.PRODUCTS if x.category != "services"])
                issues = ()
            vals, wts = RATING_BAD if issues else RATING_GOOD
            rating = r.choices(vals, wts)[0]
            lang = p.lang
            pname = prod.name_it if lang == "it" else prod.name
            title, body = self.text.review(
                lang,
                rating,
                prod.category,
                issues,
                pname,
                {"city": p.city.name_local if lang == "it" else p.city.name_en},
            )
            declared: str | None = lang
            x = r.random()
            if x < 0.03:
                declared = None
            elif x < 0.055:
                declared = "en" if lang == "it" else "it"
            name = r.choices(
                (f"{p.first} {p.last[0]}.", f"{p.first} {p.last}", p.first.lower(), f"{p.first[0]}. {p.last}"),
                (0.6, 0.25, 0.1, 0.05),
            )[0]
            if o is not None:
                base = (
                    o.email
                    if o.email not in (catalog.PLACEHOLDER_EMAIL, catalog.TEST_EMAIL)
                    else (p.marketing_email or o.email)
                )
                # Trustpilot: an order-linked invitation carries the order number as referenceId
                verified = r.random() < (0.92 if platform == "site" else 0.6)
            else:
                base = p.marketing_email
                verified = False
            email = email_variant(r, base.strip().lower())
            order_no = o.order_number if (o is not None and verified) else None
            if platform == "trustpilot":  # product reviews have no title
                out.append(trustpilot.Review(ts, p, prod, rating, body, declared, name, email, order_no, issues))
                continue
            site.write(
                (
                    f"RV{800001 + i}",
                    platform,
                    prod.sku,
                    clock.utc(ts),
                    rating,
                    title,
                    body,
                    declared,
                    name,
                    email,
                    order_no,
                    order_no is not None,
                )
            )
            w.ledger.row(
                p.idx, [("email", email, normalize_email(email))], joins=(("order", order_no),) if order_no else ()
            )
        site.close()
        return {"reviews_product_reviews": site.rows, **trustpilot.write(w, out)}
