"""Holdout period (ground truth only): the customers' purchases in the months after the window.

A lifetime value is a forecast; to judge one we need what really happened next. After the
extract window the shop's purchase process (seeds/generator/shop.py) simply keeps running
for ``--holdout-months`` months (default 12) and every simulated order is written to
``_ground_truth/holdout_orders.csv.gz``, which is never loaded as a source.

Who keeps buying: a person whose regular purchase process is running at the end of the
window, i.e. with a regular purchase in the window and no BG/NBD dropout yet, or a legacy
customer whose first purchase of the window would have fallen after it. B2B deals fulfilled
through the shop (``business`` orders) follow won CRM deals, not this process, and are not
continued. Everyone else has no future order.

How: the same BG/NBD + Gamma-Gamma process as in the window. Inter-purchase gaps are
exponential in seasonal time, so by memorylessness the first holdout purchase is an
exponential gap from the window's end; seasonal demand is computed for the holdout days and
scaled like the window's (mean window day = 1). After each purchase the customer drops out
with probability ``bg_p``. Baskets come from the same catalogue logic (Gamma-Gamma target
value); order value = catalogue prices in EUR + shipping (no coupons or bundle discounts,
which lower the window's orders by a few per cent); 2 % of orders are cancelled (net 0) and
7 % are refunded (half of them fully, the rest 40 %), about the window's rates.

Every draw comes from its own random stream (``holdout``), made after every extract file
is written: the extracts and the other ground-truth files stay byte-identical whatever
``--holdout-months`` is.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from types import SimpleNamespace

from seeds.generator.clock import HOUR, Clock
from seeds.generator.rng import streams
from seeds.generator.seasonality import Demand
from seeds.generator.shop import Shop
from seeds.generator.writers import _GzText, cell

HOLDOUT_DOC: tuple[tuple[str, str], ...] = (
    ("person_id", "Real person (people.csv.gz) who places the order after the window."),
    ("order_number", "Holdout order number (H000001...), in time order; never appears in an extract."),
    ("ordered_at", "Order time, UTC (after the window's last day, within --holdout-months)."),
    ("order_date", "Order day, Europe/Rome."),
    ("months_after_window", "Whole months between the window's end and the order (0 = first holdout month)."),
    ("gross_revenue_eur", "Order total (catalogue prices + shipping), EUR."),
    ("is_cancelled", "true if the order is cancelled (net revenue 0)."),
    ("refunded_eur", "Amount refunded, EUR."),
    ("net_revenue_eur", "gross_revenue_eur - refunded_eur, 0 when cancelled (the warehouse's net revenue)."),
)
HOLDOUT_COLUMNS = tuple(c for c, _ in HOLDOUT_DOC)
CANCEL_P = 0.02
REFUND_P = 0.07


def add_months(d: date, months: int) -> date:
    """``d`` moved ``months`` calendar months on (day clipped to the month's length)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(d.day, last))


def holdout_end(end: date, months: int) -> date:
    """Last holdout day: ``months`` calendar months after the window's last day."""
    return add_months(end + timedelta(days=1), months) - timedelta(days=1)


def continues_buying(p) -> bool:
    """The person's regular purchase process is running at the end of the window."""
    if not p.identified or p.dropped_out:
        return False
    regular = [t for t, kind in p.purchases if kind == "regular"]
    return bool(regular) or p.legacy_customer


def simulate(world) -> list[tuple]:
    """Holdout orders: (person, ts, gross, cancelled, refunded, net), in time order."""
    cfg = world.cfg
    if cfg.holdout_months <= 0:
        return []
    rng, r = streams(cfg.seed, "holdout")
    first = cfg.end + timedelta(days=1)
    hclock = Clock(first, holdout_end(cfg.end, cfg.holdout_months))
    demand = Demand(hclock)
    # the window's scale: an average window day is one unit of seasonal time
    demand.b2c_cum = demand.b2c_cum * demand.b2c.mean() / world.demand.b2c.mean()
    demand.b2b_cum = demand.b2b_cum * demand.b2b.mean() / world.demand.b2b.mean()
    basket_maker = SimpleNamespace(r=r, rng=rng)
    rows = []
    for p in world.persons:
        if not continues_buying(p):
            continue
        persona = "b2b" if p.persona == "b2b" else "b2c"
        mean_days = 7.0 / max(p.bg_lambda, 1e-6)
        d = demand.advance(persona, 0.0, float(rng.exponential(mean_days)))
        while d < hclock.n_days:
            day = int(d)
            hour = demand.hour_pick(p.persona).draw(rng)
            ts = hclock.at_local(day, hour * HOUR + r.randint(0, HOUR - 1))
            lines = Shop._basket(basket_maker, p, "regular")
            subtotal = round(sum(prod.price_eur * qty for prod, qty in lines), 2)
            gross = round(subtotal + Shop._shipping("EUR", p.country, subtotal, "regular"), 2)
            cancelled = r.random() < CANCEL_P
            refunded = 0.0
            if not cancelled and r.random() < REFUND_P:
                refunded = gross if r.random() < 0.5 else round(gross * 0.4, 2)
            net = 0.0 if cancelled else round(max(gross - refunded, 0.0), 2)
            rows.append((p, ts, day, gross, cancelled, refunded, net))
            if r.random() < p.bg_p:  # BG/NBD dropout after a purchase
                break
            d = demand.advance(persona, d, float(rng.exponential(mean_days)))
    rows.sort(key=lambda row: (row[1], row[0].idx))
    return [(hclock, *row) for row in rows]


def write_holdout(world) -> dict[str, int]:
    """Write ``_ground_truth/holdout_orders.csv.gz`` (nothing when ``holdout_months`` is 0)."""
    if world.cfg.holdout_months <= 0:
        return {}
    rows = simulate(world)
    f = _GzText(world.cfg.out / "_ground_truth" / "holdout_orders.csv.gz")
    wr = csv.writer(f.text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    wr.writerow(HOLDOUT_COLUMNS)
    first = world.cfg.end + timedelta(days=1)
    for i, (hclock, p, ts, day, gross, cancelled, refunded, net) in enumerate(rows, start=1):
        local = hclock.dates[day]
        months = (local.year - first.year) * 12 + local.month - first.month - (local.day < first.day)
        wr.writerow(
            [
                cell(x)
                for x in (
                    p.pid,
                    f"H{i:06d}",
                    hclock.utc(ts),
                    local.isoformat(),
                    months,
                    f"{gross:.2f}",
                    cancelled,
                    f"{refunded:.2f}",
                    f"{net:.2f}",
                )
            ]
        )
    f.close()
    return {"_ground_truth/holdout_orders": len(rows)}
