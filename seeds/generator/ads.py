"""Paid media: campaign-day rows for Google Ads (search), Meta Ads (social) and DV360 (display/video).

Clicks are at least the paid sessions GA4 recorded for the campaign-day (more,
because visitors who refuse analytics cookies or leave before the tag fires
are not measured); cost follows CPC (search) or CPM (social, display).
"""

from __future__ import annotations

from seeds.generator.rng import streams
from seeds.generator.writers import MonthlyWriter, money


class Ads:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "ads")

    def write(self) -> dict[str, int]:
        w, r, rng, clock = self.w, self.r, self.rng, self.w.clock
        _, wr = streams(w.cfg.seed, "ads-writer")
        aw = MonthlyWriter(w.cfg.out, "ads_campaign_daily", clock, wr, dup_p=0.005)
        cost_lines: dict[tuple[int, str, str], float] = {}
        rows = []
        for ad in w.calendar.ads:
            for day in range(ad.first_day, ad.last_day + 1):
                sessions, orders, revenue, leads = w.ad_sessions.get((ad.campaign_id, day), (0, 0, 0.0, 0))
                clicks = sessions + int(rng.poisson(0.55 * sessions + 0.7 * w.cfg.scale))
                if ad.network == "search":
                    ctr = ad.ctr * r.uniform(0.8, 1.2)
                    impressions = max(clicks, int(round(clicks / ctr))) if clicks else int(rng.poisson(12 * w.cfg.scale))
                    cost = clicks * ad.cpc * r.uniform(0.85, 1.15)
                else:
                    ctr = ad.ctr * r.uniform(0.8, 1.25)
                    impressions = max(clicks, int(round(clicks / ctr))) if clicks else int(rng.poisson(400 * w.cfg.scale))
                    cost = impressions / 1000.0 * ad.cpm * r.uniform(0.9, 1.1)
                    if clicks and cost / clicks > 1.5:  # keep CPC in a realistic band
                        cost = clicks * r.uniform(1.1, 1.5)
                    if clicks and cost / clicks < 0.3:
                        cost = clicks * r.uniform(0.3, 0.5)
                cost = round(cost, 2)
                f = {"google_ads": r.uniform(0.8, 1.25), "meta_ads": r.uniform(1.0, 1.6), "dv360": r.uniform(0.3, 0.8)}[ad.platform]
                conv = (orders + 0.5 * leads) * f
                if orders == 0 and leads == 0 and clicks > 3 and r.random() < 0.08:
                    conv = round(r.uniform(0.1, 1.0), 2)  # modelled / view-through conversions
                value = revenue * f if orders else (conv * r.uniform(60, 160) if conv else 0.0)
                rows.append((day, ad.platform, ad.campaign_id, (
                    ad.platform, ad.account_id, ad.campaign_id, ad.name, ad.utm, ad.network, clock.day_iso(day),
                    impressions, clicks, money(cost), "EUR", f"{round(conv, 2):.2f}", money(value))))
                key = (day, ad.platform, ad.utm)
                cost_lines[key] = cost_lines.get(key, 0.0) + cost
        rows.sort(key=lambda x: (x[0], x[1], x[2]))
        for day, _, _, row in rows:
            aw.write(clock.day_month_key(day), row, late=False)
        aw.close()
        w.ads_cost = cost_lines
        w.stats["ads_dups"] = aw.dup_rows
        return {"ads_campaign_daily": aw.rows}
