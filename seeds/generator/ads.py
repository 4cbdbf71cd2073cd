"""Paid media: campaign-day rows for Google Ads (search), Meta Ads (social) and DV360 (display/video).

Clicks are at least the paid sessions GA4 recorded for the campaign-day (more,
because visitors who refuse analytics cookies or leave before the tag fires
are not measured); cost follows CPC (search) or CPM (social, display).

Each platform's rows are written as the team receives them:

* Google Ads: one UI "Campaign report" download per month (``exports/google_ads.py``);
* Meta Ads: one Ads Manager export per month (``exports/meta_ads.py``);
* DV360: the documented generic CSV ``ads_campaign_daily`` (one file per month), the route
  for platforms without a native export here;
* the team's campaign mapping (``ads_campaign_mapping``): which utm_campaign and ad account
  each Google Ads campaign (by id) and Meta campaign (by name) belongs to, since neither
  export carries them.

The figures of every campaign-day are drawn exactly as before the native exports (same
streams, same order), so ``w.ads_cost`` (finance's media spend) is unchanged; what only the
native exports show (Meta reach, clicks (all), results) comes from the separate stream
``ads-exports``.
"""

from __future__ import annotations

from seeds.generator.catalog import BRAND
from seeds.generator.exports import google_ads, meta_ads
from seeds.generator.rng import streams
from seeds.generator.writers import MonthlyWriter, money

CURRENCY = "EUR"  # the ad accounts' currency (set at account creation)
META_ACCOUNT_NAME = f"{BRAND} Italia"
META_OBJECTIVE = {  # campaign name suffix -> Result indicator (what Results counts)
    "| Conversions": "actions:offsite_conversion.fb_pixel_purchase",
    "| Lead gen": "actions:offsite_conversion.fb_pixel_lead",
}
META_TRAFFIC = "actions:link_click"


class Ads:
    def __init__(self, world) -> None:
        self.w = world
        self.rng, self.r = streams(world.cfg.seed, "ads")

    def write(self) -> dict[str, int]:
        w, r, rng, clock = self.w, self.r, self.rng, self.w.clock
        _, wr = streams(w.cfg.seed, "ads-writer")
        _, xr = streams(w.cfg.seed, "ads-exports")
        aw = MonthlyWriter(w.cfg.out, "ads_campaign_daily", clock, wr, dup_p=0.005)
        cost_lines: dict[tuple[int, str, str], float] = {}
        rows = []
        google: dict[str, list[google_ads.CampaignDay]] = {m: [] for m in clock.months}
        meta: dict[str, list[meta_ads.CampaignDay]] = {m: [] for m in clock.months}
        meta_people: dict[str, dict[str, int]] = {m: {} for m in clock.months}  # month -> campaign -> reach sum
        for ad in w.calendar.ads:
            for day in range(ad.first_day, ad.last_day + 1):
                sessions, orders, revenue, leads = w.ad_sessions.get((ad.campaign_id, day), (0, 0, 0.0, 0))
                clicks = sessions + int(rng.poisson(0.55 * sessions + 0.7 * w.cfg.scale))
                if ad.network == "search":
                    ctr = ad.ctr * r.uniform(0.8, 1.2)
                    impressions = (
                        max(clicks, int(round(clicks / ctr))) if clicks else int(rng.poisson(12 * w.cfg.scale))
                    )
                    cost = clicks * ad.cpc * r.uniform(0.85, 1.15)
                else:
                    ctr = ad.ctr * r.uniform(0.8, 1.25)
                    impressions = (
                        max(clicks, int(round(clicks / ctr))) if clicks else int(rng.poisson(400 * w.cfg.scale))
                    )
                    cost = impressions / 1000.0 * ad.cpm * r.uniform(0.9, 1.1)
                    if clicks and cost / clicks > 1.5:  # keep CPC in a realistic band
                        cost = clicks * r.uniform(1.1, 1.5)
                    if clicks and cost / clicks < 0.3:
                        cost = clicks * r.uniform(0.3, 0.5)
                cost = round(cost, 2)
                f = {"google_ads": r.uniform(0.8, 1.25), "meta_ads": r.uniform(1.0, 1.6), "dv360": r.uniform(0.3, 0.8)}[
                    ad.platform
                ]
                conv = (orders + 0.5 * leads) * f
                if orders == 0 and leads == 0 and clicks > 3 and r.random() < 0.08:
                    conv = round(r.uniform(0.1, 1.0), 2)  # modelled / view-through conversions
                value = revenue * f if orders else (conv * r.uniform(60, 160) if conv else 0.0)
                key = (day, ad.platform, ad.utm)
                cost_lines[key] = cost_lines.get(key, 0.0) + cost
                month = clock.day_month_key(day)
                if ad.platform == "google_ads":
                    _, last = clock.month_bounds(month)
                    google[month].append(
                        google_ads.CampaignDay(
                            clock.day_iso(day),
                            ad.campaign_id,
                            ad.name,
                            ad.network,
                            "Enabled" if ad.last_day >= last else "Paused",
                            impressions,
                            clicks,
                            cost,
                            round(conv, 2),
                            round(value, 2),
                        )
                    )
                elif ad.platform == "meta_ads":
                    meta[month].append(
                        self._meta_day(
                            xr, ad, day, month, impressions, clicks, cost, conv, value, leads * f, meta_people
                        )
                    )
                else:
                    rows.append(
                        (
                            day,
                            ad.platform,
                            ad.campaign_id,
                            (
                                ad.platform,
                                ad.account_id,
                                ad.campaign_id,
                                ad.name,
                                ad.utm,
                                ad.network,
                                clock.day_iso(day),
                                impressions,
                                clicks,
                                money(cost),
                                CURRENCY,
                                f"{round(conv, 2):.2f}",
                                money(value),
                            ),
                        )
                    )
        rows.sort(key=lambda x: (x[0], x[1], x[2]))
        for day, _, _, row in rows:
            aw.write(clock.day_month_key(day), row, late=False)
        aw.close()
        w.ads_cost = cost_lines
        w.stats["ads_dups"] = aw.dup_rows
        counts = {"ads_campaign_daily": aw.rows}
        counts.update(self._write_google(google))
        counts.update(self._write_meta(xr, meta, meta_people))
        counts["ads_campaign_mapping"] = self._write_mapping()
        return counts

    # ----- Meta Ads ------------------------------------------------------------------------
    def _meta_day(
        self,
        xr,
        ad,
        day: int,
        month: str,
        impressions: int,
        clicks: int,
        cost: float,
        conv: float,
        value: float,
        leads: float,
        meta_people: dict,
    ) -> meta_ads.CampaignDay:
        """A Meta campaign-day: purchases are whole numbers; reach and clicks (all) only Meta shows."""
        clock = self.w.clock
        frequency = xr.uniform(1.12, 1.40)
        reach = max(1, int(round(impressions / frequency))) if impressions else 0
        clicks_all = clicks + int(round(clicks * xr.uniform(0.4, 0.75))) if clicks else 0
        purchases = int(round(conv - 0.5 * leads)) if conv > 0.5 * leads else 0
        indicator = next((i for suffix, i in META_OBJECTIVE.items() if ad.name.endswith(suffix)), META_TRAFFIC)
        if indicator == META_TRAFFIC:
            results = clicks
        elif indicator.endswith("fb_pixel_lead"):
            results = int(round(leads))
        else:
            results = purchases
        _, last = clock.month_bounds(month)
        people = meta_people[month]
        people[ad.campaign_id] = people.get(ad.campaign_id, 0) + reach
        return meta_ads.CampaignDay(
            clock.day_iso(day),
            ad.campaign_id,
            ad.name,
            "active" if ad.last_day >= last else "completed",
            indicator,
            results,
            impressions,
            reach,
            clicks,
            clicks_all,
            cost,
            purchases,
            round(value, 2) if purchases else 0.0,
        )

    def _write_meta(self, xr, meta: dict, meta_people: dict) -> dict[str, int]:
        clock, out = self.w.clock, self.w.cfg.out
        written = 0
        for month in clock.months:
            lo, hi = clock.month_bounds(month)
            first, last = clock.day_iso(lo), clock.day_iso(hi)
            days = meta[month]
            by_campaign = meta_people[month]
            biggest = max((d.reach for d in days), default=0)
            # deduplicated over the month and the campaigns: people see several days and campaigns
            summary_reach = max(biggest, int(round(sum(by_campaign.values()) * xr.uniform(0.45, 0.7))))
            path = out / meta_ads.TABLE / meta_ads.file_name(META_ACCOUNT_NAME, first, last)
            written += meta_ads.write_export(path, first, last, CURRENCY, days, summary_reach)
        return {meta_ads.TABLE: written}

    # ----- Google Ads ----------------------------------------------------------------------
    def _write_google(self, google: dict) -> dict[str, int]:
        clock, out = self.w.clock, self.w.cfg.out
        written = 0
        for index, month in enumerate(clock.months):
            lo, hi = clock.month_bounds(month)
            path = out / google_ads.TABLE / google_ads.file_name(index)
            written += google_ads.write_report(path, clock.day_iso(lo), clock.day_iso(hi), CURRENCY, google[month])
        return {google_ads.TABLE: written}

    # ----- the team's mapping --------------------------------------------------------------
    def _write_mapping(self) -> int:
        ads = self.w.calendar.ads
        google = {(a.account_id, a.campaign_id, a.name, a.utm) for a in ads if a.platform == "google_ads"}
        meta = {(a.account_id, a.name, a.utm) for a in ads if a.platform == "meta_ads"}
        out = self.w.cfg.out
        return google_ads.write_mapping(out, sorted(google)) + meta_ads.write_mapping(out, sorted(meta))
