"""Traffic sources of web sessions (what GA4 and the shop's UTM fields record)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import quote

from seeds.generator.campaigns import AdCampaign, CampaignCalendar
from seeds.generator.catalog import SITE

REFERRERS = (
    ("blog.lavoroagile.it", 3),
    ("www.designufficio.it", 2),
    ("forum.smartworkers.it", 2),
    ("www.offerteweb.it", 2),
    ("www.casaeufficio-magazine.it", 2),
    ("www.workplace-review.co.uk", 1),
    ("www.homeofficeguide.com", 1),
    ("news.ycombinator.com", 0.3),
    ("www.reddit.com", 1),
    ("partner.promoclick.it", 1.5),
)
AFFILIATE_DOMAIN = "partner.promoclick.it"
_REF_DOMAINS = tuple(r for r, _ in REFERRERS)
_REF_W = tuple(w for _, w in REFERRERS)


@dataclass(frozen=True, slots=True)
class Touch:
    """Source of one session."""

    channel: str  # organic_search, paid_search, paid_social, display, organic_social, referral, direct, email, dem, sms
    medium: str
    source: str
    campaign: str | None = None
    ad: AdCampaign | None = None
    content: str | None = None
    referrer: str | None = None
    tagged: bool = False  # UTM parameters in the landing URL

    @property
    def ga4_name(self) -> str:
        if self.campaign:
            return self.campaign
        return {"organic": "(organic)", "referral": "(referral)", "(none)": "(direct)"}.get(self.medium, "(not set)")

    def landing_url(self, path: str, gclid: str | None = None) -> str:
        url = SITE + path
        if not self.tagged:
            return url
        q = [f"utm_source={quote(self.source)}", f"utm_medium={quote(self.medium)}"]
        if self.campaign:
            q.append(f"utm_campaign={quote(self.campaign)}")
        if self.content:
            q.append(f"utm_content={quote(self.content)}")
        if gclid:
            q.append(f"gclid={gclid}")
        return url + "?" + "&".join(q)

    # shop order fields: utm_* as stored at checkout
    @property
    def order_utm(self) -> tuple[str, str, str | None]:
        return self.source, self.medium, self.campaign


def make_gclid(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return "Cj0KCQ" + "".join(rng.choice(alphabet) for _ in range(30))


DIRECT = Touch("direct", "(none)", "(direct)")

_NEW = {
    "organic_search": 0.31,
    "paid_search": 0.14,
    "paid_social": 0.09,
    "display": 0.03,
    "organic_social": 0.10,
    "referral": 0.09,
    "direct": 0.14,
}
_RETURNING = {
    "organic_search": 0.29,
    "paid_search": 0.09,
    "paid_social": 0.04,
    "display": 0.01,
    "organic_social": 0.07,
    "referral": 0.06,
    "direct": 0.30,
}
_CHANNELS = tuple(_NEW)
_PAID = ("paid_search", "paid_social", "display")


class TrafficModel:
    """Draws session sources given the day (campaign pressure) and the visitor."""

    def __init__(self, calendar: CampaignCalendar) -> None:
        self.cal = calendar

    def channel(self, rng: random.Random, day: int, persona: str, new: bool) -> str:
        base = _NEW if new else _RETURNING
        boost = float(self.cal.boost[min(max(day, 0), len(self.cal.boost) - 1)])
        weights = []
        for ch in _CHANNELS:
            w = base[ch]
            if ch in _PAID:
                w *= boost
                if ch == "display" and not self.cal.ads_on("dv360", day):
                    w = 0.0
            if persona == "b2b" and ch in ("paid_social", "display"):
                w *= 0.5
            weights.append(w)
        return rng.choices(_CHANNELS, weights)[0]

    def touch(self, rng: random.Random, channel: str, day: int, persona: str, lang: str) -> Touch:
        if channel == "organic_search":
            if rng.random() < 0.9:
                return Touch(channel, "organic", "google", referrer="https://www.google.com/")
            return Touch(channel, "organic", "bing", referrer="https://www.bing.com/")
        if channel == "direct":
            return DIRECT
        if channel == "referral":
            dom = rng.choices(_REF_DOMAINS, _REF_W)[0]
            return Touch(channel, "referral", dom, referrer=f"https://{dom}/")
        if channel == "organic_social":
            if persona == "b2b":
                src = rng.choices(("linkedin", "facebook", "instagram"), (0.6, 0.2, 0.2))[0]
            else:
                src = rng.choices(("instagram", "facebook", "linkedin"), (0.5, 0.42, 0.08))[0]
            ref = {
                "facebook": "https://l.facebook.com/",
                "instagram": "https://l.instagram.com/",
                "linkedin": "https://www.linkedin.com/",
            }[src]
            return Touch(channel, "social", src, referrer=ref)
        platform = {"paid_search": "google_ads", "paid_social": "meta_ads", "display": "dv360"}[channel]
        ad = self.pick_ad(rng, platform, day, persona)
        if ad is None:
            return self.touch(rng, "organic_search", day, persona, lang)
        if channel == "paid_search":
            return Touch(channel, "cpc", "google", ad.utm, ad, referrer="https://www.google.com/", tagged=True)
        if channel == "paid_social":
            src = rng.choice(ad.sources)
            ref = "https://l.facebook.com/" if src == "facebook" else "https://l.instagram.com/"
            return Touch(channel, "paid_social", src, ad.utm, ad, content=ad.campaign_id, referrer=ref, tagged=True)
        src = ad.sources[0]
        ref = "https://www.youtube.com/" if src == "youtube" else "https://googleads.g.doubleclick.net/"
        return Touch(channel, "display", src, ad.utm, ad, content=ad.campaign_id, referrer=ref, tagged=True)

    def pick_ad(self, rng: random.Random, platform: str, day: int, persona: str) -> AdCampaign | None:
        ads = self.cal.ads_on(platform, day)
        if not ads:
            return None
        weights = []
        for a in ads:
            w = a.weight
            if a.audience == "b2b":
                w *= 2.5 if persona == "b2b" else 0.15
            weights.append(w)
        return rng.choices(ads, weights)[0]

    def draw(self, rng: random.Random, day: int, persona: str, lang: str, new: bool) -> Touch:
        return self.touch(rng, self.channel(rng, day, persona, new), day, persona, lang)
