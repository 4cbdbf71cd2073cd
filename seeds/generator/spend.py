"""Finance: marketing spend lines by day / channel / platform / campaign, and FX rates.

Ads media cost equals the ads_campaign_daily cost per platform, utm_campaign and
day; the rest are ESP and SEO-agency monthly fees, SMS gateway cost per SMS
send day, event production and ticketing fees, social content production and
affiliate commissions.
"""

from __future__ import annotations

from seeds.generator.rng import streams
from seeds.generator.traffic import AFFILIATE_DOMAIN
from seeds.generator.writers import TableWriter, money

CHANNEL = {"google_ads": "sem", "meta_ads": "social_ads", "dv360": "display"}


class Finance:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "spend")

    def write(self) -> dict[str, int]:
        w, r, clock = self.w, self.r, self.w.clock
        scale = w.cfg.scale
        lines: dict[tuple[int, str, str, str, str], float] = {}

        def add(day: int, channel: str, platform: str, utm: str | None, cost_type: str, amount: float) -> None:
            if not 0 <= day < clock.n_days or amount <= 0:
                return
            key = (day, channel, platform, utm or "", cost_type)
            lines[key] = lines.get(key, 0.0) + round(amount, 2)

        for (day, platform, utm), cost in sorted(w.ads_cost.items()):
            add(day, CHANNEL[platform], platform, utm, "media", cost)
        # monthly fees
        for month in clock.months:
            lo, _ = clock.month_bounds(month)
            add(lo, "email", "esp", None, "fee", 59.0 + 0.011 * 3000 * scale)
            add(lo, "seo", "seo_agency", None, "fee", round(950.0 * scale**0.8, 0))
            add(lo, "social_ads", "content_studio", None, "production", round(r.uniform(700, 1100) * scale**0.8, 0))
            add(lo, "events", "ticketing", None, "fee", 39.0)
        # SMS gateway: per send day
        for s in w.esp_sends:
            if s.channel == "sms":
                add(clock.day_index(s.ts), "sms", "sms_gateway", s.utm, "media", s.recipients * 0.045)
        # campaign creative production
        for c in w.calendar.campaigns:
            if c.kind == "seasonal":
                add(
                    c.first_day,
                    "social_ads",
                    "content_studio",
                    c.utm,
                    "production",
                    round(r.uniform(400, 900) * scale**0.8, 0),
                )
                if c.dem_days:
                    add(
                        c.first_day,
                        "email",
                        "creative_agency",
                        c.utm,
                        "production",
                        round(r.uniform(250, 500) * scale**0.8, 0),
                    )
        # events
        for e in w.ticket_events:
            day = clock.day_index(e.start_ts)
            if e.event_type == "trade_fair":
                add(day, "events", "venue", e.utm, "production", round(r.uniform(9000, 16000) * scale**0.8, 0))
            elif e.format == "offline":
                add(day, "events", "venue", e.utm, "production", round(r.uniform(450, 1600) * scale**0.8, 0))
            else:
                add(day, "events", "webinar_platform", e.utm, "production", round(r.uniform(120, 260), 0))
        # affiliate commissions on orders from the partner network
        for o in w.orders:
            if o.touch is not None and o.touch.source == AFFILIATE_DOMAIN and o.cancel_ts is None:
                add(clock.day_index(o.ts), "affiliate", "promoclick", None, "media", o.revenue_eur * 0.08)
        tw = TableWriter(w.cfg.out, "finance_marketing_spend")
        for key in sorted(lines):
            day, channel, platform, utm, cost_type = key
            tw.write((clock.day_iso(day), channel, platform, utm or None, cost_type, money(lines[key]), "EUR"))
        tw.close()
        fw = TableWriter(w.cfg.out, "finance_fx_rates")
        fw.write_all(w.fx.rows())
        fw.close()
        return {"finance_marketing_spend": tw.rows, "finance_fx_rates": fw.rows}
