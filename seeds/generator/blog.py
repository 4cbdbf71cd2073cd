"""The brand's blog: the catalogue's articles (catalog.BLOG) and the comments readers leave on them.

Written as WordPress REST API v2 pages (exports/wordpress.py). Posts are the articles the website
already links to: every one of them is live for the whole window (GA4 visits them from day one),
so they were published before it, one every few weeks (``publication_ts``, no randomness, so
another module can ask when a post went live). Comments come from identified persons of the
population (the e-mail they gave elsewhere, as typed, registered in the ledger), after they were
identified: mostly thanks and questions on the topic, some complaints (more often after a bad
order experience), in the person's language; the staff answers most questions and complaints;
comments of the last days are still pending moderation; spam bots post too (never a person).
Deterministic: streams "blog" and "blog-text".
"""

from __future__ import annotations

import math

from seeds.generator import catalog
from seeds.generator.clock import DAY, HOUR, MINUTE
from seeds.generator.exports import wordpress as wp
from seeds.generator.identity import email_variant, normalize_email
from seeds.generator.indexes import ReplyCandidates
from seeds.generator.people import Person
from seeds.generator.rng import streams
from seeds.generator.texts import TextGen

BLOG_URL = f"{catalog.SITE}/blog"
API = f"{BLOG_URL}/wp-json/wp/v2"
STAFF = {"user": 2, "name": "Redazione Ergonova", "email": f"redazione@{catalog.BRAND_DOMAIN}", "url": catalog.SITE}
AUTHORS = (2, 3, 4)  # WordPress users writing posts (the editorial team)
CATEGORY_IDS = {"chairs": 3, "desks": 4, "lighting": 5, "accessories": 6, "acoustics": 7, "textiles": 8, "services": 9}
CATEGORY_SLUGS = {
    "chairs": "sedute",
    "desks": "scrivanie",
    "lighting": "illuminazione",
    "accessories": "accessori",
    "acoustics": "acustica",
    "textiles": "tessili",
    "services": "aziende",
}
TAG_IDS = {"ergonomia": 11, "smart-working": 12, "salute": 13, "guide": 14, "ufficio": 15, "produttivita": 16}
COMMENTS_PER_PERSON_YEAR = 0.045  # reader comments per person of the population per year
SPAM_PER_MONTH = 6.0  # at the default population (scaled, at least 1 a month)
PENDING_DAYS = 4  # comments of the window's last days are still waiting for moderation
PERSONA_FIT = {
    "b2b": {"services": 3.0, "acoustics": 2.0, "desks": 1.5, "chairs": 1.2},
    "b2c": {"chairs": 2.0, "desks": 1.5, "lighting": 1.4, "accessories": 1.4, "textiles": 1.2},
}

# ------------------------------------------------------------------ phrase lists (reader comments)
THANKS = {
    "it": (
        "Grazie per l'articolo, molto utile!",
        "Consigli preziosi, li ho messi in pratica subito.",
        "Finalmente una guida chiara su questo tema.",
        "Articolo interessante, lo giro ai colleghi.",
        "Ho sistemato la postazione seguendo questi passi e la schiena ringrazia!",
        "Molto chiaro, complimenti.",
        "Utilissimo, soprattutto la parte pratica.",
        "Lo aspettavo da tempo, grazie!",
        "Ottimo articolo, salvato tra i preferiti.",
        "Ho preso {product} dopo aver letto questo articolo: promossa!",
    ),
    "en": (
        "Thanks for the article, really useful!",
        "Great tips, I applied them right away.",
        "Finally a clear guide on this topic.",
        "Interesting read, sharing it with my colleagues.",
        "I fixed my desk setup following these steps and my back is grateful!",
        "Very clear, well done.",
        "Super useful, especially the practical part.",
        "Great article, bookmarked.",
        "I bought {product} after reading this: no regrets!",
    ),
}
QUESTIONS = {
    "it": {
        "chairs": (
            "Che altezza della seduta consigliate per chi è alto 1,90?",
            "Vale anche per {product}?",
            "Ogni quanto va regolato lo schienale?",
            "Meglio braccioli fissi o regolabili?",
        ),
        "desks": (
            "Ogni quanto bisogna alternare seduti e in piedi?",
            "La {product} regge due monitor?",
            "Che profondità minima consigliate per la scrivania?",
        ),
        "lighting": ("Meglio luce calda o fredda per lavorare la sera?", "Quanti lux servono per leggere documenti?"),
        "accessories": (
            "Il braccio monitor va bene anche per due schermi da 27 pollici?",
            "Il poggiapiedi serve anche a chi è alto?",
        ),
        "acoustics": ("I pannelli funzionano anche in una stanza piccola?", "Quanti pannelli servono per 30 mq?"),
        "textiles": ("Il cuscino si può lavare in lavatrice?",),
        "services": (
            "Fate la valutazione anche per aziende fuori Milano?",
            "Quanto dura la formazione per 20 persone?",
            "Il sopralluogo è gratuito?",
        ),
    },
    "en": {
        "chairs": (
            "What seat height do you recommend for someone 1.90 m tall?",
            "Does this apply to {product} too?",
            "Fixed or adjustable armrests?",
        ),
        "desks": ("How often should I switch between sitting and standing?", "Can the {product} hold two monitors?"),
        "lighting": ("Warm or cool light for working in the evening?", "How many lux do I need for reading?"),
        "accessories": ("Does the monitor arm work with two 27 inch screens?",),
        "acoustics": ("Do the panels work in a small room?", "How many panels for a 30 m2 office?"),
        "textiles": ("Is the cushion machine washable?",),
        "services": ("Do you offer assessments outside Italy?", "Is the site visit free?"),
    },
}
COMPLAINTS = {
    "it": (
        "Articolo un po' generico, mi aspettavo dati più precisi.",
        "Ho seguito i consigli ma il mal di schiena è rimasto...",
        "Bello l'articolo, peccato che {product} sia sempre esaurita.",
        "Troppa pubblicità ai vostri prodotti.",
        "Ho ordinato {product} tre settimane fa e non è ancora arrivata, altro che ergonomia.",
        "Il servizio clienti non risponde alle email, scrivo qui sperando in una risposta.",
    ),
    "en": (
        "A bit generic, I expected more precise data.",
        "I followed the tips but my back still hurts...",
        "Nice article, too bad {product} is always out of stock.",
        "Too much advertising for your own products.",
        "I ordered {product} three weeks ago and it still hasn't arrived.",
        "Customer service never answers emails, posting here hoping for a reply.",
    ),
}
NEUTRAL = {
    "it": (
        "Interessante, ci penserò.",
        "Qualcuno ha esperienza diretta?",
        "Dipende molto da come è fatto l'ufficio.",
        "Io lavoro da casa e uso il tavolo della cucina... vedremo.",
        "Non sapevo della regola dei 20 minuti.",
    ),
    "en": (
        "Interesting, I'll think about it.",
        "Anyone with first-hand experience?",
        "It depends a lot on the office.",
        "I work from the kitchen table... we'll see.",
        "Didn't know about the 20-minute rule.",
    ),
}
STAFF_REPLIES = {
    "question": {
        "it": (
            "Ciao {first}, ottima domanda! In breve: dipende dalla postazione,"
            " ti abbiamo scritto via email con i dettagli.",
            "Ciao {first}, sì: trovi tutte le misure nella scheda prodotto. Per dubbi scrivici pure!",
            "Grazie {first}! Ne parleremo in un prossimo articolo, intanto il nostro team ti ricontatta.",
        ),
        "en": (
            "Hi {first}, great question! It depends on the setup: we emailed you the details.",
            "Hi {first}, yes: all measurements are on the product page. Feel free to write to us!",
        ),
    },
    "negative": {
        "it": (
            "Ciao {first},"
            " ci dispiace molto! Scrivici a assistenza@ergonova.it con il numero d'ordine e ti aiutiamo subito.",
            "Grazie del feedback {first}, lo giriamo alla redazione.",
        ),
        "en": (
            "Hi {first}, we are very sorry! Write to assistenza@ergonova.it with your order number"
            " and we'll help right away.",
            "Thanks for the feedback {first}, we'll pass it on to the team.",
        ),
    },
    "positive": {
        "it": ("Grazie {first}, ci fa piacere che ti sia stato utile!", "Grazie mille {first}!"),
        "en": ("Thanks {first}, glad it helped!", "Thank you {first}!"),
    },
}
SPAM = (
    ("Best Replica Deals", "Great post! Cheap designer office chairs here: {url}"),
    ("SEO Expert", "Nice article. I can bring your site to page 1 of Google, visit {url}"),
    ("Crypto King", "I earn 500$ a day from home, see how: {url}"),
    ("casino-bonus", "Free spins every day!!! {url}"),
    ("Marketing Agency", "Hello admin, we offer guest posts on high authority sites {url}"),
)
SPAM_DOMAINS = (
    "cheap-chairs.example",
    "seo-rank.example",
    "crypto-fast.example",
    "casino-spins.example",
    "guestpost.example",
)
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML,"
    " like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
    " Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML,"
    " like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
)
PARAGRAPHS = (
    "Passiamo molte ore alla scrivania: piccoli accorgimenti fanno una grande differenza per schiena,"
    " occhi e concentrazione.",
    "In questa guida raccogliamo i consigli del nostro team di ergonomi,"
    " con esempi pratici per la casa e per l'ufficio.",
    "Se hai dubbi sulla tua postazione, prenota una consulenza gratuita con il nostro team: ti aiutiamo a scegliere.",
)


def publication_ts(clock, index: int) -> int:
    """When post ``index`` of catalog.BLOG went live: before the window, every 23 days, the last
    one 12 days before the window starts; at 09:00-09:54 Europe/Rome. No randomness."""
    back = (len(catalog.BLOG) - 1 - index) * 23 + 12
    return clock.local_midnight(-back) + 9 * HOUR + (index * 7 % 55) * MINUTE


def post_id(index: int) -> int:
    """WordPress ids are shared by posts, pages, images and revisions: increasing, with gaps."""
    return 140 + index * 17 + index * 7 % 5


class Blog:
    """``Blog(world).write() -> {"wordpress_posts": n, "wordpress_comments": m}``."""

    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "blog")
        self.text = TextGen(streams(world.cfg.seed, "blog-text")[1])
        self._keys = 0

    def _next_key(self) -> int:
        self._keys += 1
        return self._keys

    # ------------------------------------------------------------------ posts
    def _posts(self) -> list[dict]:
        r, clock = self.r, self.w.clock
        posts = []
        for i, b in enumerate(catalog.BLOG):
            pid = post_id(i)
            published = publication_ts(clock, i)
            modified = published + r.randint(2 * MINUTE, 40 * MINUTE)
            if r.random() < 0.3:  # refreshed during the window
                modified = clock.t0 + r.randint(DAY, max(2 * DAY, clock.t1 - clock.t0 - DAY))
            date, date_gmt = wp.wp_dates(published)
            mod, mod_gmt = wp.wp_dates(modified)
            link = f"{BLOG_URL}/{b.slug}/"
            tags = sorted(r.sample(sorted(TAG_IDS), 2))
            product = catalog.PRODUCTS_BY_CATEGORY[b.category][i % len(catalog.PRODUCTS_BY_CATEGORY[b.category])]
            product_link = (
                f"{catalog.SITE}{product.path}?utm_source=blog&#038;utm_medium=referral"
                f"&#038;utm_campaign={b.slug.replace('-', '_')}"
            )
            intro = PARAGRAPHS[i % 2]
            content = (
                f"\n<p>{wp.texturize(intro)}</p>\n\n\n\n<p>{wp.texturize(PARAGRAPHS[2])} Scopri "
                f'<a href="{product_link}">{product.name_it}</a>.</p>\n'
            )
            words = f"{intro} {PARAGRAPHS[2]} Scopri {product.name_it}.".split()
            excerpt = wp.texturize(" ".join(words[:55])) + " [&hellip;]"
            category = CATEGORY_IDS[b.category]
            posts.append(
                {
                    "id": pid,
                    "date": date,
                    "date_gmt": date_gmt,
                    "guid": {"rendered": f"{BLOG_URL}/?p={pid}"},
                    "modified": mod,
                    "modified_gmt": mod_gmt,
                    "slug": b.slug,
                    "status": "publish",
                    "type": "post",
                    "link": link,
                    "title": {"rendered": wp.texturize(b.title)},
                    "content": {"rendered": content, "protected": False},
                    "excerpt": {"rendered": f"<p>{excerpt}</p>\n", "protected": False},
                    "author": AUTHORS[i % len(AUTHORS)],
                    "featured_media": pid + 1,
                    "comment_status": "open",
                    "ping_status": "open",
                    "sticky": False,
                    "template": "",
                    "format": "standard",
                    "meta": {"footnotes": ""},
                    "categories": [category],
                    "tags": [TAG_IDS[t] for t in tags],
                    "class_list": [
                        f"post-{pid}",
                        "post",
                        "type-post",
                        "status-publish",
                        "format-standard",
                        "has-post-thumbnail",
                        "hentry",
                        f"category-{CATEGORY_SLUGS[b.category]}",
                    ]
                    + [f"tag-{t}" for t in tags],
                    "_links": {
                        "self": [{"href": f"{API}/posts/{pid}"}],
                        "collection": [{"href": f"{API}/posts"}],
                        "about": [{"href": f"{API}/types/post"}],
                        "author": [{"embeddable": True, "href": f"{API}/users/{AUTHORS[i % len(AUTHORS)]}"}],
                        "replies": [{"embeddable": True, "href": f"{API}/comments?post={pid}"}],
                        "wp:featuredmedia": [{"embeddable": True, "href": f"{API}/media/{pid + 1}"}],
                        "wp:attachment": [{"href": f"{API}/media?parent={pid}"}],
                        "wp:term": [
                            {"taxonomy": "category", "embeddable": True, "href": f"{API}/categories?post={pid}"},
                            {"taxonomy": "post_tag", "embeddable": True, "href": f"{API}/tags?post={pid}"},
                        ],
                        "curies": [{"name": "wp", "href": "https://api.w.org/{rel}", "templated": True}],
                    },
                }
            )
        return posts

    # ------------------------------------------------------------------ comments
    def _reader_text(self, lang: str, kind: str, category: str) -> str:
        r = self.r
        product = r.choice(catalog.PRODUCTS_BY_CATEGORY[category])
        name = product.name_it if lang == "it" else product.name
        if kind == "question":
            pool = QUESTIONS[lang].get(category) or QUESTIONS[lang]["chairs"]
            text = r.choice(pool)
        elif kind == "negative":
            text = (
                r.choice(COMPLAINTS[lang])
                if r.random() < 0.75
                else self.text.comment(lang, "negative", {"product": name})
            )
        elif kind == "neutral":
            text = r.choice(NEUTRAL[lang])
        else:
            text = (
                r.choice(THANKS[lang]) if r.random() < 0.8 else self.text.comment(lang, "positive", {"product": name})
            )
        text = text.replace("{product}", name)
        if r.random() < 0.15 and kind != "question":  # a second thought on another line
            text += "\n" + r.choice(QUESTIONS[lang].get(category) or QUESTIONS[lang]["chairs"]).replace(
                "{product}", name
            )
        return self.text.typo(text, 0.06)

    def _known_emails(self, p: Person) -> list[str]:
        """The person's addresses some other extract already carries (so a comment adds no identity)."""
        ledger = self.w.ledger
        return [
            e
            for e in (
                p.email_work if p.persona == "b2b" else p.email_personal,
                p.email_personal if p.persona == "b2b" else p.email_work,
            )
            if e and ledger.has("email", normalize_email(e), p.idx)
        ]

    def _email(self, p: Person) -> str:
        emails = self._known_emails(p)
        return emails[0] if len(emails) == 1 or self.r.random() < 0.7 else emails[1]

    def _commenters(self) -> list[Person]:
        return [
            p
            for p in self.w.persons
            if p.identified and p.id_ts is not None and p.id_ts < self.w.clock.t1 - DAY and self._known_emails(p)
        ]

    def _comments(self, posts: list[dict]) -> list[dict]:
        w, r, rng, clock = self.w, self.r, self.rng, self.w.clock
        out: list[dict] = []
        people = self._commenters()
        years = (clock.t1 - clock.t0) / (365 * DAY)
        k = int(rng.poisson(COMMENTS_PER_PERSON_YEAR * len(w.persons) * years)) if people else 0
        weights = [math.exp(1.2 * p.z) for p in people]
        live = list(zip(catalog.BLOG, posts, strict=False))  # _posts keeps the catalogue order
        for p in r.choices(people, weights, k=k) if k else []:
            lo = max(clock.t0, p.id_ts + HOUR)
            hi = clock.t1 - HOUR
            if hi <= lo:
                continue
            ts = lo + int((hi - lo) * r.random())
            fit = PERSONA_FIT[p.persona]
            b, post = r.choices(
                live, [fit.get(x.category, 1.0) * (1 + i / len(live)) for i, (x, _) in enumerate(live)]
            )[0]
            bad = any(0 <= ts - t <= 60 * DAY for t in p.bad_experience)
            kind = r.choices(
                ("positive", "question", "neutral", "negative"),
                (0.25, 0.25, 0.1, 0.4) if bad else (0.55, 0.25, 0.1, 0.1),
            )[0]
            lang = p.lang if p.lang in ("it", "en") else "en"
            raw_email = email_variant(r, self._email(p)).strip()
            x = r.random()
            name = f"{p.first} {p.last}" if x < 0.7 else (p.first if x < 0.9 else f"{p.first} {p.last}".lower())
            url = f"https://www.{p.company.domain}" if p.company and r.random() < 0.15 else ""
            out.append(
                self._comment(
                    post, ts, 0, 0, name, raw_email, url, self._reader_text(lang, kind, b.category), p, kind, lang
                )
            )
        out.sort(key=lambda c: c["_ts"])
        # readers answering readers (same post, later, a top-level approved comment of somebody else,
        # in time order), then the staff's answers; the index spares a scan of every comment per reply
        candidates = ReplyCandidates(
            out,
            group=lambda o: o["post"],
            ts=lambda o: o["_ts"],
            owner=lambda o: id(o["_person"]),
            is_open=lambda o: o["parent"] == 0 and o["status"] == "approved",
        )
        for c in list(out):
            if r.random() < 0.06 and c["status"] == "approved":
                others = candidates.later(c["post"], c["_ts"], id(c["_person"]))
                if others:
                    reply = r.choice(others)
                    reply["parent"] = c["_key"]
                    candidates.close(reply)
        replies = []
        for c in out:
            p = c["_person"]
            chance = {"question": 0.7, "negative": 0.8, "positive": 0.15, "neutral": 0.1}[c["_kind"]]
            if r.random() >= chance or c["status"] != "approved":
                continue
            ts = c["_ts"] + r.randint(2 * HOUR, 30 * HOUR)
            if ts >= clock.t1 - HOUR:
                continue
            text = r.choice(STAFF_REPLIES["positive" if c["_kind"] == "neutral" else c["_kind"]][c["_lang"]])
            post = next(x for x in posts if x["id"] == c["post"])
            replies.append(
                self._comment(
                    post,
                    ts,
                    c["_key"],
                    STAFF["user"],
                    STAFF["name"],
                    STAFF["email"],
                    STAFF["url"],
                    text.replace("{first}", p.first),
                    None,
                    "staff",
                    c["_lang"],
                )
            )
        out += replies
        months = max(1.0, (clock.t1 - clock.t0) / (30.44 * DAY))
        spam_n = int(rng.poisson(SPAM_PER_MONTH * max(w.cfg.scale, 0.2) * months))
        for _ in range(spam_n):
            ts = clock.t0 + int((clock.t1 - clock.t0 - HOUR) * r.random())
            name, text = r.choice(SPAM)
            domain = r.choice(SPAM_DOMAINS)
            post = r.choice(posts)
            out.append(
                self._comment(
                    post,
                    ts,
                    0,
                    0,
                    name,
                    f"{name.split()[0].lower()}{r.randint(1, 999)}@{domain}",
                    f"https://{domain}/",
                    text.replace("{url}", f"https://{domain}/offer"),
                    None,
                    "spam",
                    "en",
                )
            )
        # ids in time order (gaps: trashed and deleted comments), then parents by id
        out.sort(key=lambda c: (c["_ts"], c["_key"]))
        next_id = 2000
        ids = {}
        for c in out:
            next_id += r.randint(1, 3)
            ids[c["_key"]] = next_id
        for c in out:
            c["id"] = ids[c["_key"]]
            c["parent"] = ids[c["parent"]] if c["parent"] else 0
            c["link"] = f"{c['link']}#comment-{c['id']}"
            c["_links"]["self"] = [{"href": f"{API}/comments/{c['id']}"}]
            if c["parent"]:
                c["_links"]["in-reply-to"] = [{"embeddable": True, "href": f"{API}/comments/{c['parent']}"}]
            if c["_person"] is not None:
                w.ledger.row(c["_person"].idx, [("email", c["author_email"], normalize_email(c["author_email"]))])
        return [{k: v for k, v in c.items() if not k.startswith("_") or k == "_links"} for c in out]

    def _comment(
        self,
        post: dict,
        ts: int,
        parent,
        author: int,
        name: str,
        email: str,
        url: str,
        raw: str,
        person: Person | None,
        kind: str,
        lang: str,
    ) -> dict:
        r, clock = self.r, self.w.clock
        if kind == "spam":
            status = "spam"
        elif author:
            status = "approved"  # the staff's own replies are published at once
        elif clock.t1 - ts <= PENDING_DAYS * DAY:
            status = "hold" if r.random() < 0.6 else "approved"
        else:
            status = "hold" if r.random() < 0.03 else "approved"  # never moderated
        date, date_gmt = wp.wp_dates(ts)
        ip = f"203.0.113.{r.randint(1, 254)}" if kind != "spam" else f"198.51.100.{r.randint(1, 254)}"
        return {
            "id": 0,
            "post": post["id"],
            "parent": parent,
            "author": author,
            "author_name": name,
            "author_email": email,
            "author_url": url,
            "author_ip": ip,
            "author_user_agent": r.choice(USER_AGENTS),
            "date": date,
            "date_gmt": date_gmt,
            "content": {"rendered": wp.render_comment(raw), "raw": raw},
            "link": post["link"],
            "status": status,
            "type": "comment",
            "author_avatar_urls": wp.avatar_urls(email),
            "meta": [],
            "_links": {
                "self": [],
                "collection": [{"href": f"{API}/comments"}],
                "up": [{"embeddable": True, "post_type": "post", "href": f"{API}/posts/{post['id']}"}],
            },
            "_ts": ts,
            "_key": self._next_key(),
            "_person": person,
            "_kind": kind,
            "_lang": lang,
        }

    # ------------------------------------------------------------------ export
    def write(self) -> dict[str, int]:
        posts = self._posts()
        comments = self._comments(posts)
        return wp.write(self.w.cfg.out, posts, comments)
