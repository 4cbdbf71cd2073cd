"""SEO: Google Search Console bulk data export (URL and site impressions tables, export log).

Clicks per landing page, day, country and device are the organic Google
sessions GA4 recorded there plus the visitors GA4 does not see (cookie
refusals); impressions follow from a click-through rate that falls with the
average position; about 30% of rows have the query withheld (anonymized).
The files are written as ``bq extract`` lands the export, by
``seeds.generator.exports.search_console``.
"""

from __future__ import annotations

from seeds.generator.catalog import (
    BLOG,
    BRAND_QUERIES_EN,
    BRAND_QUERIES_IT,
    CATEGORY_QUERIES_EN,
    CATEGORY_QUERIES_IT,
    PRODUCT_BY_SKU,
)
from seeds.generator.exports import search_console
from seeds.generator.rng import streams

_BLOG = {b.path: b for b in BLOG}


def _ctr(pos: float) -> float:
    return min(0.6, 0.34 * pos**-1.15)


class SearchConsole:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "seo")

    def _queries(self, path: str, lang: str) -> list[tuple[str, str]]:
        """Candidate (query, kind) for a landing page; kind is brand, generic or info."""
        it = lang == "it"
        brand = [(q, "brand") for q in (BRAND_QUERIES_IT if it else BRAND_QUERIES_EN)]
        if path == "/" or path in ("/pricing", "/business", "/contact", "/events"):
            extra = [("ergonova prezzi aziende", "brand"), ("ergonova per aziende", "brand")] if path != "/" else []
            return brand + extra
        if path.startswith("/products/"):
            prod = PRODUCT_BY_SKU.get(path.rsplit("/", 1)[1].upper())
            cat = prod.category if prod else "chairs"
            gen = [(q, "generic") for q in (CATEGORY_QUERIES_IT if it else CATEGORY_QUERIES_EN)[cat]]
            word = prod.name.split()[0].lower() if prod else "aria"
            return gen + [
                (f"ergonova {word}", "brand"),
                (f"{word} ergonova", "brand"),
                ((prod.name_it if it else prod.name).lower(), "generic"),
            ]
        if path.startswith("/shop/"):
            cat = path[6:]
            return [
                (q, "generic") for q in (CATEGORY_QUERIES_IT if it else CATEGORY_QUERIES_EN).get(cat, ("ergonova",))
            ]
        b = _BLOG.get(path)
        if b is not None:
            return [(q, "info") for q in (b.queries_it if it else b.queries_en)]
        return brand

    def write(self) -> dict[str, int]:
        w, r, rng = self.w, self.r, self.rng
        rows: list[tuple] = []
        for key in sorted(w.organic_sessions):
            pday, path, alpha3, device = key
            n_it, n_en = w.organic_sessions[key]
            sessions = n_it + n_en
            clicks_total = sessions + int(rng.poisson(0.5 * sessions))
            buckets: dict[tuple[str, str], int] = {}
            for _click in range(clicks_total):
                lang = "it" if r.random() < (n_it + 0.01) / (sessions + 0.02) else "en"
                qs = self._queries(path, lang)
                wts = [1.0 / (j + 1) ** 0.8 for j in range(len(qs))]
                q = r.choices(qs, wts)[0]
                buckets[q] = buckets.get(q, 0) + 1
            anon_clicks = 0
            anon_rows = 0
            out: list[tuple[str | None, int, float]] = []
            for (q, kind), c in buckets.items():
                if r.random() < 0.42:
                    anon_clicks += c
                    anon_rows += 1
                    continue
                pos = (
                    r.uniform(1.0, 1.7)
                    if kind == "brand"
                    else (r.uniform(2.0, 11.0) if kind == "generic" else r.uniform(1.5, 9.0))
                )
                out.append((q, c, pos))
            # queries that showed the page without a click
            qs = self._queries(path, "it" if alpha3 == "ita" else "en")
            for _ in range(r.choice((0, 1, 1, 2))):
                q, kind = r.choice(qs)
                if any(o[0] == q for o in out) or (q, kind) in buckets:
                    continue
                pos = (
                    r.uniform(1.0, 2.5)
                    if kind == "brand"
                    else (r.uniform(6.0, 40.0) if kind == "generic" else r.uniform(4.0, 30.0))
                )
                out.append((q, 0, pos))
            if anon_clicks or r.random() < 0.15:
                out.append((None, anon_clicks, r.uniform(3.0, 25.0)))
            for q, c, pos in out:
                ctr = _ctr(pos) * r.uniform(0.7, 1.3)
                imps = max(c, int(round(c / ctr))) if c else int(rng.poisson(7)) + 1
                sum_position = round(imps * (pos - 1.0))  # INT64 in the export
                rows.append((pday, path, q is None, q or "", alpha3, device, (q, imps, c, sum_position)))
        rows.sort(key=lambda x: x[:6])
        url_rows = [
            (pday, path, q, alpha3, device, imps, c, sp) for pday, path, _, _, alpha3, device, (q, imps, c, sp) in rows
        ]
        return search_console.write(w, url_rows)
