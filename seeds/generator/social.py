"""Social pages: daily page insights, posts with lifetime insights, comments, brand mentions.

Comments and mentions are written by persons of the population: Instagram and
LinkedIn authors appear with the same handle the CRM stores for them;
Facebook authors are numeric app-scoped ids that nothing else carries.

Files: Facebook and Instagram page insights, posts and comments are written as Meta's own
exports (``seeds/generator/exports/meta.py``: Graph API JSON, Business Suite content export
CSV); LinkedIn's stay in the documented generic CSV of the channel (``social_page_insights``,
``social_posts``, ``social_comments``), and brand mentions (a listening tool) too
(``social_mentions``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from seeds.generator import catalog
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.crm import sigmoid
from seeds.generator.exports.meta import MetaComment, MetaExport, MetaPost, PageDays
from seeds.generator.people import Person
from seeds.generator.rng import streams
from seeds.generator.sessions import Visit, pick_device
from seeds.generator.texts import MIX, NEG, NEU, POS, TextGen
from seeds.generator.traffic import Touch
from seeds.generator.writers import MonthlyWriter, TableWriter

PLATFORMS = ("facebook", "instagram", "linkedin")
PAGE_IDS = {"facebook": "104857392018475", "instagram": "17841405793187218", "linkedin": "urn:li:organization:18273645"}
FOLLOWERS0 = {"facebook": 9400, "instagram": 6200, "linkedin": 2100}
FOLLOW_BASE = {"facebook": 5.0, "instagram": 9.0, "linkedin": 3.2}
POST_TYPES = {
    "facebook": (("image", 0.4), ("link", 0.3), ("video", 0.2), ("text", 0.1)),
    "instagram": (("image", 0.45), ("carousel", 0.3), ("video", 0.25)),
    "linkedin": (("text", 0.25), ("image", 0.35), ("link", 0.3), ("video", 0.1)),
}
POST_HOURS = {"facebook": (13, 18, 20), "instagram": (12, 19, 21), "linkedin": (8, 9, 12, 17)}
MEDIA_AUTHORS = (
    ("@arredo_news", 18000),
    ("@smartworking_it", 42000),
    ("@officedesignmag", 96000),
    ("@techcasa_blog", 12500),
    ("@hr_innovation_it", 7300),
    ("@wfh_reviews", 25400),
)
WEB_SOURCES = (
    "blog.lavoroagile.it",
    "www.designufficio.it",
    "www.casaeufficio-magazine.it",
    "forum.smartworkers.it",
    "www.homeofficeguide.com",
)


@dataclass(slots=True, eq=False)
class Post:
    platform: str
    post_id: str
    ts: int
    post_type: str
    kind: str
    lang: str
    message: str
    utm: str | None
    landing: str | None
    reach: int = 0
    impressions: int = 0
    reactions: int = 0
    shares: int = 0
    saves: int = 0
    comments: list = field(default_factory=list)


class Social:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "social")
        self.text = TextGen(streams(world.cfg.seed, "social-text")[1])

    # ------------------------------------------------------------------ planning (before web)
    def plan(self) -> None:
        w, r, rng, clock = self.w, self.r, self.rng, self.w.clock
        posts: list[Post] = []
        week_starts = [d for d in range(clock.n_days) if clock.weekday(d) == 0 or d == 0]
        for pf in PLATFORMS:
            for ws in week_starts:
                n = r.randint(3, 5)
                days = sorted(r.sample(range(ws, min(ws + 7, clock.n_days)), min(n, min(ws + 7, clock.n_days) - ws)))
                for day in days:
                    if pf == "linkedin" and clock.weekday(day) >= 5 and r.random() < 0.7:
                        continue
                    ts = clock.at_local(day, r.choice(POST_HOURS[pf]) * HOUR + r.randint(0, 59) * MINUTE)
                    posts.append(self._post(pf, day, ts))
        posts.sort(key=lambda p: (p.ts, p.platform))
        w.posts = posts
        # clicks on tagged posts start sessions of people who follow the brand
        cands = [p for p in w.persons if p.identified]
        if not cands:
            return
        for post in posts:
            if post.utm is None or post.landing is None:
                continue
            lam = {"facebook": 3.0, "instagram": 2.2, "linkedin": 2.6}[post.platform] * w.cfg.scale
            if post.kind == "promo":
                lam *= 1.6
            k = int(rng.poisson(lam))
            for _ in range(k):
                p = self._follower(post.platform, post.ts, cands)
                if p is None:
                    continue
                t = post.ts + int(min(r.lognormvariate(math.log(3 * HOUR), 1.1), 4 * DAY))
                if t >= clock.t1 or t <= p.acq_ts:
                    continue
                ref = {
                    "facebook": "https://l.facebook.com/",
                    "instagram": "https://l.instagram.com/",
                    "linkedin": "https://www.linkedin.com/",
                }[post.platform]
                touch = Touch(
                    "organic_social", "social", post.platform, post.utm, content=post.post_id, referrer=ref, tagged=True
                )
                dev = pick_device(r, p, t, "mobile" if post.platform != "linkedin" else None)
                pricing = p.persona == "b2b" and r.random() < sigmoid(-1.6 + 1.7 * p.z)
                w.visits.add(Visit(t, p, dev, touch, post.landing, "browse", pricing=pricing))

    def _follower(self, platform: str, ts: int, cands: list[Person]) -> Person | None:
        r = self.r
        for _ in range(30):
            p = r.choice(cands)
            if p.acq_ts >= ts:
                continue
            has = {
                "facebook": p.facebook_id is not None or p.instagram is not None,
                "instagram": p.instagram is not None,
                "linkedin": p.linkedin is not None,
            }[platform]
            if (has or r.random() < 0.08) and r.random() < sigmoid(-0.8 + 1.1 * p.z):
                return p
        return None

    def _post(self, pf: str, day: int, ts: int) -> Post:
        r, cal = self.r, self.w.calendar
        promo = list(cal.seasonal_on(day))
        b2b = [c for c in cal.active(day) if c.kind == "b2b"]
        x = r.random()
        if promo and x < (0.5 if pf != "linkedin" else 0.2):
            kind, camp = "promo", promo[-1]
        elif b2b and pf == "linkedin" and x < 0.6:
            kind, camp = "webinar", b2b[0]
        else:
            kind = r.choices(("blog", "product", "community"), (0.4, 0.35, 0.25))[0]
            camp = None
        ptype = r.choices([t for t, _ in POST_TYPES[pf]], [wt for _, wt in POST_TYPES[pf]])[0]
        lang = "en" if (pf == "linkedin" and r.random() < 0.25) else "it"
        ctx: dict[str, str] = {}
        landing = None
        utm = None
        if kind == "promo":
            ctx = {
                "label": camp.label_it if lang == "it" else camp.label_en,
                "pct": str(int(camp.coupon_pct * 100)),
                "coupon": camp.coupon or "",
                "cats": ", ".join(catalog.CATEGORY_IT[c].lower() for c in camp.landing_categories),
            }
            utm = camp.utm if (pf != "instagram" or r.random() < 0.6) else None
            landing = f"/shop/{camp.landing_categories[0]}"
        elif kind == "webinar":
            topic = r.choice(("Smart working sano", "Ergonomia e D.Lgs. 81/08", "Uffici ibridi e acustica"))
            ctx = {"topic": topic}
            utm, landing = camp.utm, "/events"
        elif kind == "blog":
            post = r.choice(catalog.BLOG)
            ctx = {"topic": post.title}
            if pf != "instagram" or ptype == "link":
                utm, landing = "brand_always_on", post.path
        elif kind == "product":
            prod = r.choice([p for p in catalog.PRODUCTS if p.category != "services"])
            ctx = {"product": prod.name_it if lang == "it" else prod.name}
            if pf != "instagram" and r.random() < 0.7:
                utm, landing = "brand_always_on", prod.path
        else:
            ctx = {"name": r.choice(("Giulia", "Marco", "Sara", "Luca", "Elena", "Paolo"))}
        if ptype == "link" and utm is None:
            utm, landing = "brand_always_on", "/"
        msg = self.text.post(lang, pf, kind, ctx)
        if pf == "facebook":
            pid = f"{PAGE_IDS[pf]}_{r.randint(10**14, 10**15 - 1)}"
        elif pf == "instagram":
            pid = str(r.randint(17_900_000_000_000_000, 18_400_000_000_000_000))
        else:
            pid = f"urn:li:activity:{r.randint(7_250_000_000_000_000_000, 7_400_000_000_000_000_000)}"
        return Post(pf, pid, ts, ptype, kind, lang, msg, utm, landing)

    # ------------------------------------------------------------------ writing (after web and CRM)
    def _eligible(self, p: Person, platform: str, ts: int) -> bool:
        if p.acq_ts > ts:
            return False
        if platform == "facebook":
            return p.facebook_id is not None
        h = p.instagram if platform == "instagram" else p.linkedin
        if h is None:
            return False
        return (not p.identified) or bool(p.contact_ids)

    def _author(self, platform: str, ts: int, pool: list[Person]) -> Person | None:
        r = self.r
        for _ in range(40):
            p = r.choice(pool)
            if self._eligible(p, platform, ts) and r.random() < sigmoid(-0.5 + 1.1 * p.z):
                return p
        return None

    def _sentiment(self, p: Person, ts: int) -> str:
        r = self.r
        recent_bad = any(0 <= ts - t <= 45 * DAY for t in p.bad_experience)
        if recent_bad and r.random() < 0.6:
            return NEG
        return r.choices((POS, NEU, "question", NEG, MIX), (0.52, 0.14, 0.2, 0.08, 0.06))[0]

    def write(self) -> dict[str, int]:
        w, r, rng, clock = self.w, self.r, self.rng, self.w.clock
        out = w.cfg.out
        pools = {
            "facebook": [p for p in w.persons if p.facebook_id is not None],
            "instagram": [p for p in w.persons if p.instagram is not None],
            "linkedin": [p for p in w.persons if p.linkedin is not None],
        }
        # followers over time and post insights
        n = clock.n_days
        followers = {pf: np.zeros(n, dtype=np.int64) for pf in PLATFORMS}
        follows = {pf: np.zeros(n, dtype=np.int64) for pf in PLATFORMS}
        unfollows = {pf: np.zeros(n, dtype=np.int64) for pf in PLATFORMS}
        post_days: dict[tuple[str, int], list[Post]] = {}
        for post in w.posts:
            post_days.setdefault((post.platform, clock.day_index(post.ts)), []).append(post)
        scale = w.cfg.scale
        for pf in PLATFORMS:
            f = int(FOLLOWERS0[pf] * scale)
            for d in range(n):
                demand = w.demand.b2b[d] if pf == "linkedin" else w.demand.b2c[d]
                boost = w.calendar.boost[d]
                posting = 1.5 if (pf, d) in post_days else 1.0
                fo = int(rng.poisson(FOLLOW_BASE[pf] * scale * demand * boost**0.7 * posting))
                un = int(rng.poisson(0.33 * fo + 0.9 * scale))
                f = max(0, f + fo - un)
                followers[pf][d], follows[pf][d], unfollows[pf][d] = f, fo, un
        comments_rows = []
        cseq = 0
        for post in w.posts:
            d = clock.day_index(post.ts)
            fl = int(followers[post.platform][d])
            tf = {"video": 1.35, "carousel": 1.2, "image": 1.0, "link": 0.75, "text": 0.85}[post.post_type]
            post.reach = max(1, int(fl * r.uniform(0.07, 0.3) * tf))
            post.impressions = int(post.reach * r.uniform(1.1, 1.6))
            post.reactions = int(post.reach * r.uniform(0.02, 0.07))
            post.shares = int(post.reactions * r.uniform(0.02, 0.15))
            post.saves = int(post.reach * r.uniform(0.004, 0.02)) if post.platform == "instagram" else 0
            lam = {"facebook": 1.2, "instagram": 2.4, "linkedin": 1.1}[post.platform] * scale
            if post.kind == "promo":
                lam *= 1.5
            for _ in range(int(rng.poisson(lam))):
                a = self._author(post.platform, post.ts, pools[post.platform])
                if a is None:
                    continue
                t = post.ts + int(min(r.lognormvariate(math.log(5 * HOUR), 1.2), 20 * DAY))
                if t >= clock.t1:
                    continue
                sent = self._sentiment(a, t)
                ctx = {
                    "product": "la sedia Aria" if a.lang == "it" else "the Aria chair",
                    "campaign": "Black Friday",
                    "city": a.city.name_local if a.lang == "it" else a.city.name_en,
                    "country": "Switzerland",
                }
                text = self.text.comment(a.lang, sent, ctx)
                handle = (
                    a.facebook_id
                    if post.platform == "facebook"
                    else (a.instagram if post.platform == "instagram" else a.linkedin)
                )
                cseq += 1
                if post.platform == "facebook":
                    cid = f"{post.post_id.split('_')[1]}_{r.randint(10**14, 10**15 - 1)}"
                elif post.platform == "instagram":
                    cid = str(r.randint(17_800_000_000_000_000, 18_500_000_000_000_000))
                else:
                    comment_n = r.randint(7_250_000_000_000_000_000, 7_400_000_000_000_000_000)
                    cid = f"urn:li:comment:({post.post_id},{comment_n})"
                likes = int(rng.poisson(1.2)) + (int(rng.poisson(8)) if r.random() < 0.05 else 0)
                post.comments.append(cid)
                comments_rows.append(
                    (
                        t,
                        cseq,
                        (post.platform, cid, post.post_id, handle, clock.utc(t), text, likes),
                        a,
                        post.platform,
                        handle,
                    )
                )
        # posts: LinkedIn in the generic CSV, Facebook and Instagram as Meta's content export
        meta_posts: dict[str, MetaPost] = {}
        pw = TableWriter(out, "social_posts")
        for post in w.posts:
            sess = w.post_sessions.get(post.post_id, 0)
            clicks = 0
            if post.utm is not None:
                clicks = sess + int(rng.poisson(0.6 * sess + 0.8))
            if post.platform == "linkedin":
                pw.write(
                    (
                        post.platform,
                        post.post_id,
                        PAGE_IDS[post.platform],
                        clock.utc(post.ts),
                        post.post_type,
                        post.message,
                        post.utm,
                        post.reach,
                        post.impressions,
                        post.reactions,
                        len(post.comments),
                        post.shares,
                        post.saves,
                        clicks,
                    )
                )
                continue
            url = None
            if post.utm is not None and post.landing is not None and post.platform == "facebook":
                url = Touch(
                    "organic_social", "social", post.platform, post.utm, content=post.post_id, tagged=True
                ).landing_url(post.landing)
            meta_posts[post.post_id] = MetaPost(post, clicks, url)
        pw.close()
        # comments
        cw = TableWriter(out, "social_comments")
        comments_rows.sort(key=lambda x: (x[0], x[1]))
        for t, _, row, a, pf, handle in comments_rows:
            if pf != "linkedin":
                meta_posts[row[2]].comments.append(MetaComment(t, row[1], a, handle, row[5], row[6]))
                continue
            cw.write(row)
            w.ledger.row(a.idx, [("linkedin_handle", handle, handle)])
        cw.close()
        # mentions
        mw = TableWriter(out, "social_mentions")
        mentions = []
        months = len(clock.months)
        n_mentions = int(rng.poisson(22 * scale * months))
        for k in range(n_mentions):
            day = w.demand.day_pick("b2c", 0, n - 1).draw(rng)
            t = clock.at_local(day, r.randint(7 * HOUR, 23 * HOUR))
            pf = r.choices(("instagram", "facebook", "linkedin", "x", "web"), (0.35, 0.15, 0.15, 0.2, 0.15))[0]
            person = None
            if pf in PLATFORMS:
                person = self._author(pf, t, pools[pf])
                if person is None:
                    continue
                handle = (
                    person.facebook_id
                    if pf == "facebook"
                    else (person.instagram if pf == "instagram" else person.linkedin)
                )
                fol = int(max(20, rng.lognormal(5.6, 1.1)))
                sent = self._sentiment(person, t)
                lang = person.lang
            else:
                if pf == "x":
                    if r.random() < 0.5:
                        handle, fol = r.choice(MEDIA_AUTHORS)
                    else:
                        handle, fol = (
                            "@"
                            + r.choice(("marco", "giuli", "ste", "fra", "ale", "vale"))
                            + r.choice(("_wfh", "_design", "88", "_it", "tech"))
                            + str(r.randint(1, 99)),
                            int(rng.lognormal(5.0, 1.2)) + 10,
                        )
                else:
                    handle = r.choice(WEB_SOURCES)
                    fol = int(rng.lognormal(8.5, 0.8))
                sent = r.choices((POS, NEU, NEG, MIX), (0.5, 0.25, 0.15, 0.1))[0]
                lang = "it" if r.random() < 0.8 else "en"
            text = self.text.mention(lang, NEU if sent == "question" else sent, {"product": "Aria", "city": "Milano"})
            mid_n = r.randint(10**15, 10**16 - 1)
            link = {
                "instagram": f"https://www.instagram.com/p/{mid_n:x}/",
                "facebook": f"https://www.facebook.com/{handle}/posts/{mid_n}",
                "linkedin": f"https://www.linkedin.com/feed/update/urn:li:activity:{mid_n}/",
                "x": f"https://x.com/{handle.lstrip('@')}/status/{mid_n}",
                "web": f"https://{handle}/{r.choice(('recensione', 'review', 'prova', 'guida'))}"
                f"-ergonova-{mid_n % 1000}",
            }[pf]
            mentions.append((t, k, (pf, f"M{mid_n}", handle, clock.utc(t), text, link, fol), person, pf, handle))
        mentions.sort(key=lambda x: (x[0], x[1]))
        for _, _, row, person, pf, handle in mentions:
            mw.write(row)
            if person is not None:
                typ = {"facebook": "facebook_id", "instagram": "instagram_handle", "linkedin": "linkedin_handle"}[pf]
                w.ledger.row(person.idx, [(typ, handle, handle)])
        mw.close()
        # page insights: LinkedIn in the generic CSV, Facebook and Instagram as Graph API responses
        _, wr = streams(w.cfg.seed, "social-writer")
        iw = MonthlyWriter(out, "social_page_insights", clock, wr)
        page_reach = {pf: np.zeros(n, dtype=np.int64) for pf in PLATFORMS}
        page_imps = {pf: np.zeros(n, dtype=np.int64) for pf in PLATFORMS}
        for d in range(n):
            wd = clock.weekday(d)
            for pf in PLATFORMS:
                fl = int(followers[pf][d])
                wdf = (1.15 if wd >= 5 else 0.95) if pf != "linkedin" else (0.45 if wd >= 5 else 1.15)
                reach = int(fl * r.uniform(0.035, 0.07) * wdf)
                for post in post_days.get((pf, d), []):
                    reach += int(post.reach * 0.6)
                imps = int(reach * r.uniform(1.35, 1.9))
                page_reach[pf][d], page_imps[pf][d] = reach, imps
                if pf == "linkedin":
                    iw.write(
                        clock.day_month_key(d),
                        (
                            pf,
                            PAGE_IDS[pf],
                            clock.day_iso(d),
                            fl,
                            int(follows[pf][d]),
                            int(unfollows[pf][d]),
                            reach,
                            imps,
                        ),
                        late=False,
                        dup=False,
                    )
        iw.close()
        counts = self._write_meta(followers, follows, unfollows, page_reach, page_imps, list(meta_posts.values()))
        return {
            "social_posts": pw.rows,
            "social_comments": cw.rows,
            "social_mentions": mw.rows,
            "social_page_insights": iw.rows,
            **counts,
        }

    def _write_meta(self, followers, follows, unfollows, reach, impressions, posts: list[MetaPost]) -> dict[str, int]:
        """Facebook and Instagram as Meta's exports; every author written is registered in the ledger."""
        w = self.w
        days = {
            pf: PageDays(followers[pf], follows[pf], unfollows[pf], reach[pf], impressions[pf])
            for pf in ("facebook", "instagram")
        }
        fb = [p for p in posts if p.post.platform == "facebook"]
        ig = [p for p in posts if p.post.platform == "instagram"]
        export = MetaExport(w.cfg.out, w.clock, w.cfg.seed, PAGE_IDS["facebook"], PAGE_IDS["instagram"])
        export.write_page_insights(days["facebook"], days["instagram"])
        export.write_instagram_accounts(days["instagram"], ig, media_before=int(480 * w.cfg.scale) + 40)
        export.write_posts(fb, ig)

        def register(person: Person, typ: str, raw: str, normalized: str) -> None:
            w.ledger.row(person.idx, [(typ, raw, normalized)])

        export.write_comments(fb, ig, register)
        return export.counts
