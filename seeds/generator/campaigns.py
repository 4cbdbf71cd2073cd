"""The marketing calendar: one ``utm_campaign`` per campaign, shared by every channel.

Seasonal campaigns are generated for every year the window touches (``bf_2025``,
``xmas_2025``, ``saldi_inverno_2026``, ``spring_2026``, ``summer_2026``,
``back_to_school_2026``, ``webinar_series_2026``) and clipped to the window;
``brand_always_on`` and ``newsletter`` run throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from seeds.generator.clock import Clock
from seeds.generator.seasonality import black_friday


@dataclass
class Campaign:
    utm: str
    kind: str  # seasonal, b2b, always_on, newsletter
    label_it: str
    label_en: str
    first_day: int
    last_day: int
    coupon: str | None = None
    coupon_pct: float = 0.0
    dem_days: tuple[int, ...] = ()
    sms_days: tuple[int, ...] = ()
    intensity: float = 1.0  # traffic/ads boost while active
    landing_categories: tuple[str, ...] = ()
    audience: str = "b2c"  # b2c, b2b or all

    def active(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass
class AdCampaign:
    platform: str  # google_ads, meta_ads, dv360
    account_id: str
    campaign_id: str
    name: str
    utm: str
    network: str  # search, display, social, video
    first_day: int
    last_day: int
    weight: float
    ctr: float
    cpc: float  # search: cost per click
    cpm: float  # social/display/video: cost per mille
    audience: str = "b2c"
    sources: tuple[str, ...] = field(default=("google",))

    def active(self, day: int) -> bool:
        return self.first_day <= day <= self.last_day


ACCOUNTS = {"google_ads": "482-193-5521", "meta_ads": "act_1029384756", "dv360": "5821734"}


@dataclass(frozen=True)
class _Template:
    key: str
    label_it: str
    label_en: str
    span: object  # year -> (first date, last date)
    coupon: str | None
    coupon_pct: float
    dems: object  # year -> dates
    sms: object
    intensity: float
    categories: tuple[str, ...]
    ads: tuple[str, ...]  # google_search, meta, dv360_display, dv360_video, google_b2b, meta_b2b
    audience: str = "b2c"


def _d(y: int, m: int, d: int) -> date:
    return date(y, m, d)


TEMPLATES: tuple[_Template, ...] = (
    _Template(
        "bf",
        "Black Friday",
        "Black Friday",
        lambda y: (black_friday(y) - timedelta(days=11), black_friday(y) + timedelta(days=3)),
        "BLACK{yy}",
        0.20,
        lambda y: (black_friday(y) - timedelta(days=8), black_friday(y), black_friday(y) + timedelta(days=3)),
        lambda y: (black_friday(y),),
        1.9,
        ("chairs", "desks", "accessories"),
        ("google_search", "meta", "dv360_display"),
    ),
    _Template(
        "xmas",
        "Natale",
        "Christmas",
        lambda y: (_d(y, 12, 4), _d(y, 12, 24)),
        "XMAS{yy}",
        0.15,
        lambda y: (_d(y, 12, 4), _d(y, 12, 11), _d(y, 12, 17)),
        lambda y: (_d(y, 12, 19),),
        1.5,
        ("accessories", "lighting", "textiles"),
        ("google_search", "meta", "dv360_video"),
    ),
    _Template(
        "saldi_inverno",
        "Saldi invernali",
        "Winter sale",
        lambda y: (_d(y, 1, 3), _d(y, 2, 15)),
        "SALDI{yy}",
        0.20,
        lambda y: (_d(y, 1, 3), _d(y, 1, 17), _d(y, 2, 5)),
        lambda y: (_d(y, 1, 3),),
        1.4,
        ("chairs", "desks", "lighting"),
        ("google_search", "meta", "dv360_display"),
    ),
    _Template(
        "spring",
        "Primavera",
        "Spring",
        lambda y: (_d(y, 3, 16), _d(y, 4, 30)),
        "SPRING{yy}",
        0.10,
        lambda y: (_d(y, 3, 18), _d(y, 4, 8)),
        lambda y: (),
        1.15,
        ("desks", "acoustics", "lighting"),
        ("google_search", "meta"),
    ),
    _Template(
        "summer",
        "Estate",
        "Summer",
        lambda y: (_d(y, 6, 8), _d(y, 7, 31)),
        "SUMMER{yy}",
        0.15,
        lambda y: (_d(y, 6, 10), _d(y, 7, 2), _d(y, 7, 16)),
        lambda y: (_d(y, 7, 4),),
        1.25,
        ("chairs", "accessories", "textiles"),
        ("google_search", "meta", "dv360_display"),
    ),
    _Template(
        "back_to_school",
        "Back to school",
        "Back to school",
        lambda y: (_d(y, 8, 24), _d(y, 9, 30)),
        "BACK{yy}",
        0.10,
        lambda y: (_d(y, 8, 26), _d(y, 9, 9)),
        lambda y: (),
        1.2,
        ("desks", "chairs", "lighting"),
        ("google_search", "meta"),
    ),
    _Template(
        "webinar_series",
        "Webinar per aziende",
        "Business webinars",
        lambda y: (_d(y, 1, 12), _d(y, 12, 12)),
        None,
        0.0,
        lambda y: (),
        lambda y: (),
        1.0,
        ("services", "acoustics", "desks"),
        ("google_b2b", "meta_b2b"),
        audience="b2b",
    ),
)


class CampaignCalendar:
    """All campaigns of the window and their paid-media line items."""

    def __init__(self, clock: Clock, rng: np.random.Generator) -> None:
        self.clock = clock
        self.campaigns: list[Campaign] = []
        self.ads: list[AdCampaign] = []
        last = clock.n_days - 1

        def day(d: date) -> int:
            return (d - clock.start).days

        self.campaigns.append(
            Campaign(
                "brand_always_on",
                "always_on",
                "Ergonova",
                "Ergonova",
                0,
                last,
                intensity=1.0,
                landing_categories=("chairs", "desks"),
                audience="all",
            )
        )
        self.campaigns.append(
            Campaign(
                "newsletter", "newsletter", "Newsletter", "Newsletter", 0, last, landing_categories=(), audience="all"
            )
        )
        seasonal: list[tuple[date, Campaign, _Template]] = []
        for y in range(clock.start.year - 1, clock.end.year + 1):
            for t in TEMPLATES:
                a, b = t.span(y)
                lo, hi = max(day(a), 0), min(day(b), last)
                if lo > hi:
                    continue
                yy = f"{y % 100:02d}"
                c = Campaign(
                    utm=f"{t.key}_{y}",
                    kind="b2b" if t.audience == "b2b" else "seasonal",
                    label_it=f"{t.label_it} {y}",
                    label_en=f"{t.label_en} {y}",
                    first_day=lo,
                    last_day=hi,
                    coupon=t.coupon.format(yy=yy) if t.coupon else None,
                    coupon_pct=t.coupon_pct,
                    dem_days=tuple(day(x) for x in t.dems(y) if lo <= day(x) <= hi),
                    sms_days=tuple(day(x) for x in t.sms(y) if lo <= day(x) <= hi),
                    intensity=t.intensity,
                    landing_categories=t.categories,
                    audience=t.audience,
                )
                seasonal.append((a, c, t))
        seasonal.sort(key=lambda x: (x[0], x[1].utm))
        for _, c, _ in seasonal:
            self.campaigns.append(c)
        self.by_utm = {c.utm: c for c in self.campaigns}

        # Paid media line items.
        def ad(
            platform: str,
            name: str,
            utm: str,
            network: str,
            lo: int,
            hi: int,
            weight: float,
            ctr: tuple[float, float],
            cpc: tuple[float, float],
            cpm: tuple[float, float],
            audience: str = "b2c",
            sources: tuple[str, ...] = ("google",),
        ) -> None:
            if platform == "google_ads":
                cid = str(int(rng.integers(10_000_000_000, 23_000_000_000)))
            elif platform == "meta_ads":
                cid = "120" + str(int(rng.integers(200_000_000_000_000, 299_999_999_999_999)))
            else:
                cid = str(int(rng.integers(30_000_000, 59_999_999)))
            self.ads.append(
                AdCampaign(
                    platform,
                    ACCOUNTS[platform],
                    cid,
                    name,
                    utm,
                    network,
                    lo,
                    hi,
                    weight,
                    float(rng.uniform(*ctr)),
                    float(rng.uniform(*cpc)),
                    float(rng.uniform(*cpm)),
                    audience,
                    sources,
                )
            )

        ad(
            "google_ads",
            "IT | Search | Brand",
            "brand_always_on",
            "search",
            0,
            last,
            1.0,
            (0.14, 0.22),
            (0.30, 0.55),
            (0, 0),
        )
        ad(
            "google_ads",
            "IT | Search | Generic - Sedute e scrivanie",
            "brand_always_on",
            "search",
            0,
            last,
            1.3,
            (0.035, 0.06),
            (0.85, 1.35),
            (0, 0),
        )
        ad(
            "meta_ads",
            "Always-on | Prospecting | IT",
            "brand_always_on",
            "social",
            0,
            last,
            1.0,
            (0.008, 0.013),
            (0, 0),
            (5.0, 7.5),
            sources=("facebook", "instagram"),
        )
        for _, c, t in seasonal:
            for kind in t.ads:
                if kind == "google_search":
                    ad(
                        "google_ads",
                        f"IT | Search | Promo {c.label_it}",
                        c.utm,
                        "search",
                        c.first_day,
                        c.last_day,
                        1.6 * c.intensity,
                        (0.04, 0.075),
                        (0.6, 1.2),
                        (0, 0),
                    )
                elif kind == "google_b2b":
                    ad(
                        "google_ads",
                        f"IT | Search | B2B {c.label_it}",
                        c.utm,
                        "search",
                        c.first_day,
                        c.last_day,
                        0.8,
                        (0.03, 0.05),
                        (1.0, 1.5),
                        (0, 0),
                        audience="b2b",
                    )
                elif kind == "meta":
                    ad(
                        "meta_ads",
                        f"{c.label_it} | Conversions",
                        c.utm,
                        "social",
                        c.first_day,
                        c.last_day,
                        1.8 * c.intensity,
                        (0.009, 0.015),
                        (0, 0),
                        (5.5, 8.5),
                        sources=("facebook", "instagram"),
                    )
                elif kind == "meta_b2b":
                    ad(
                        "meta_ads",
                        f"{c.label_it} | Lead gen",
                        c.utm,
                        "social",
                        c.first_day,
                        c.last_day,
                        0.7,
                        (0.006, 0.01),
                        (0, 0),
                        (6.0, 9.0),
                        audience="b2b",
                        sources=("facebook",),
                    )
                elif kind == "dv360_display":
                    ad(
                        "dv360",
                        f"{c.label_en} | Display | Prospecting",
                        c.utm,
                        "display",
                        c.first_day,
                        c.last_day,
                        1.0 * c.intensity,
                        (0.0018, 0.0032),
                        (0, 0),
                        (1.8, 3.0),
                        sources=("dv360",),
                    )
                elif kind == "dv360_video":
                    ad(
                        "dv360",
                        f"{c.label_en} | YouTube | Awareness",
                        c.utm,
                        "video",
                        c.first_day,
                        c.last_day,
                        0.8 * c.intensity,
                        (0.0035, 0.005),
                        (0, 0),
                        (3.5, 5.0),
                        sources=("youtube",),
                    )

        n = clock.n_days
        self._active: list[list[Campaign]] = [[c for c in self.campaigns if c.active(d)] for d in range(n)]
        self._ads: dict[tuple[str, int], list[AdCampaign]] = {}
        for d in range(n):
            for p in ("google_ads", "meta_ads", "dv360"):
                self._ads[(p, d)] = [a for a in self.ads if a.platform == p and a.active(d)]
        self.boost = np.array(
            [max([c.intensity for c in self._active[d] if c.kind == "seasonal"] or [1.0]) for d in range(n)]
        )

    def active(self, day: int) -> list[Campaign]:
        return self._active[min(max(day, 0), self.clock.n_days - 1)]

    def seasonal_on(self, day: int) -> list[Campaign]:
        return [c for c in self.active(day) if c.kind == "seasonal"]

    def ads_on(self, platform: str, day: int) -> list[AdCampaign]:
        return self._ads[(platform, min(max(day, 0), self.clock.n_days - 1))]

    def promo_utm(self, day: int) -> str | None:
        s = self.seasonal_on(day)
        return s[-1].utm if s else None
