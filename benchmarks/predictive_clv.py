"""Benchmark and validate the predictive CLV module (BG/NBD + Gamma-Gamma via lifetimes).

1. CDNOW (shipped in the lifetimes wheel): the 2,357-customer 1/10 sample of the Q1-1997
   cohort, summarized from the raw transactions by our `summarize_orders` with the
   calibration period ending 1997-09-30 (39 weeks), against the published estimates;
   then the whole 23,570-customer cohort.
2. A synthetic set of customers (default 50,000) simulated with numpy from a BG/NBD +
   Gamma-Gamma process with known parameters, as raw orders: timings of summarize / fit /
   predict, and true vs estimated parameters.
3. The real `marts.fct_order` in data/warehouse.duckdb when it can be opened read-only.

How good the warehouse's CLV forecasts are against what really happened next (the
generator's holdout period) is benchmarks/clv_holdout.py.

    .venv/bin/python benchmarks/predictive_clv.py [--customers 50000] [--seed 1]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from dagster_project.analytics.predictive_clv import ClvConfig, ClvFit, ClvFitError, fit_and_predict, summarize_orders

WAREHOUSE = Path(__file__).resolve().parents[1] / "data" / "warehouse.duckdb"
CDNOW_END = date(1997, 9, 30)
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_BGNBD_LL = -9582.4
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
TRUE_BGNBD = dict(PUBLISHED_BGNBD)
TRUE_GAMMA_GAMMA = dict(PUBLISHED_GAMMA_GAMMA)


def cdnow_orders(sample_only: bool) -> pd.DataFrame:
    """CDNOW_master.txt as orders (customer_id, order_date, net_value); optionally only the 1/10 sample."""
    datasets = files("lifetimes") / "datasets"
    with (datasets / "CDNOW_master.txt").open() as handle:
        master = pd.read_csv(
            handle,
            sep=r"\s+",
            header=0,
            names=["customer_id", "date", "cds", "net_value"],
            dtype={"customer_id": str, "date": str},
        )
    if sample_only:
        with (datasets / "CDNOW_sample.txt").open() as handle:
            sample = pd.read_csv(
                handle,
                sep=r"\s+",
                header=None,
                names=["master_id", "sample_id", "date", "cds", "usd"],
                dtype={"master_id": str, "sample_id": str, "date": str},
            )
        master = master[master["customer_id"].isin(set(sample["master_id"]))]
    master["order_date"] = pd.to_datetime(master["date"], format="%Y%m%d")
    return master[["customer_id", "order_date", "net_value"]]


def simulate_orders(customers: int, seed: int, end: date = date(2025, 12, 31), max_age_days: int = 728) -> pd.DataFrame:
    """Raw orders from a BG/NBD purchase process with Gamma-Gamma spend (TRUE_* parameters, weeks).

    Each customer: first purchase uniformly within `max_age_days` before `end`;
    lambda ~ Gamma(r, 1/alpha) per week, p ~ Beta(a, b); N ~ Poisson(lambda T) potential
    repeat purchases on (0, T], uniformly placed; the customer drops out after repeat
    purchase K ~ Geometric(p), so the first min(N, K) happen. Spend per purchase
    ~ Gamma(p_gg, scale 1/nu) with nu ~ Gamma(q, scale 1/v).
    """
    rng = np.random.default_rng(seed)
    r, alpha, a, b = (TRUE_BGNBD[k] for k in ("r", "alpha", "a", "b"))
    p_gg, q, v = (TRUE_GAMMA_GAMMA[k] for k in ("p", "q", "v"))
    age_days = rng.integers(1, max_age_days + 1, customers)
    rate = rng.gamma(r, 1.0 / alpha, customers) / 7.0  # per day
    dropout = rng.beta(a, b, customers)
    potential = rng.poisson(rate * age_days)
    made = np.minimum(potential, rng.geometric(dropout))
    owner = np.repeat(np.arange(customers), potential)
    offsets = rng.random(len(owner))
    order = np.lexsort((offsets, owner))
    owner, offsets = owner[order], offsets[order]
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(potential) - potential, potential)
    keep = rank < made[owner]
    owner, offsets = owner[keep], offsets[keep]
    repeat_day = np.maximum(np.ceil(offsets * age_days[owner]), 1)  # 1..T days after the first
    nu = rng.gamma(q, 1.0 / v, customers)
    all_owner = np.concatenate([np.arange(customers), owner])
    all_offset = np.concatenate([np.zeros(customers), repeat_day])
    first_day = np.datetime64(end) - age_days.astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "customer_id": all_owner,
            "order_date": first_day[all_owner] + all_offset.astype("timedelta64[D]"),
            "net_value": rng.gamma(p_gg, 1.0 / nu[all_owner]),
        }
    )


def show_fit(fit: ClvFit, predictions: pd.DataFrame) -> None:
    params = ", ".join(f"{k}={v:.4g}" for k, v in {**fit.bgnbd_params, **fit.gamma_gamma_params}.items())
    print(
        f"  customers={fit.customers:,} repeat={fit.repeat_customers:,} gamma-gamma"
        f" sample={fit.gamma_gamma_customers:,}"
    )
    print(
        f"  {params}; BG/NBD LL={fit.bgnbd_log_likelihood:,.1f}; corr(freq,"
        f" spend)={fit.frequency_spend_correlation:.3f}"
    )
    print(
        f"  mean P(alive)={predictions['probability_alive'].mean():.3f}  "
        f"mean expected purchases ({fit.horizon_months} mo)={predictions['expected_purchases'].mean():.3f}  "
        f"mean expected order value={predictions['expected_average_order_value'].mean():.2f}  "
        f"mean expected {fit.horizon_months}-month CLV={predictions['expected_clv'].mean():.2f}"
    )


def compare(label: str, estimated: dict[str, float], reference: dict[str, float]) -> None:
    for name, ref in reference.items():
        est = estimated[name]
        print(f"  {label} {name:>5}: ours {est:10.4f}  published {ref:10.4f}  rel. diff {est / ref - 1:+.3%}")


def run_cdnow() -> None:
    print("CDNOW 1/10 sample, calibration 1997-01-01..1997-09-30 (weeks):")
    started = time.perf_counter()
    fit, predictions = fit_and_predict(summarize_orders(cdnow_orders(sample_only=True), CDNOW_END), ClvConfig())
    print(f"  summarize + fit + predict: {time.perf_counter() - started:.2f} s")
    compare("BG/NBD", fit.bgnbd_params, PUBLISHED_BGNBD)
    print(f"  BG/NBD    LL: ours {fit.bgnbd_log_likelihood:10.2f}  published {PUBLISHED_BGNBD_LL:10.1f}")
    compare("G-G   ", fit.gamma_gamma_params, PUBLISHED_GAMMA_GAMMA)
    show_fit(fit, predictions)
    print("CDNOW whole Q1-1997 cohort (23,570 customers), same calibration period:")
    started = time.perf_counter()
    fit, predictions = fit_and_predict(summarize_orders(cdnow_orders(sample_only=False), CDNOW_END), ClvConfig())
    print(f"  summarize + fit + predict: {time.perf_counter() - started:.2f} s")
    show_fit(fit, predictions)


def run_synthetic(customers: int, seed: int) -> None:
    print(f"Synthetic BG/NBD + Gamma-Gamma process, {customers:,} customers, first purchases over 104 weeks:")
    started = time.perf_counter()
    orders = simulate_orders(customers, seed)
    print(f"  simulate: {time.perf_counter() - started:.2f} s, {len(orders):,} orders")
    started = time.perf_counter()
    summary = summarize_orders(orders, date(2025, 12, 31))
    print(f"  summarize_orders: {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    fit, predictions = fit_and_predict(summary, ClvConfig())
    print(f"  fit_and_predict: {time.perf_counter() - started:.2f} s")
    print("  true parameters: " + ", ".join(f"{k}={v:.4g}" for k, v in {**TRUE_BGNBD, **TRUE_GAMMA_GAMMA}.items()))
    show_fit(fit, predictions)


def run_warehouse() -> None:
    if not WAREHOUSE.is_file():
        print(f"Warehouse: {WAREHOUSE} absent, skipped.")
        return
    import duckdb

    try:
        with duckdb.connect(str(WAREHOUSE), read_only=True) as con:
            orders = con.execute(
                "select customer_id, order_date_local, net_revenue_eur from marts.fct_order where not is_cancelled"
            ).fetchdf()
    except duckdb.Error as error:
        print(
            f"Warehouse: cannot read marts.fct_order read-only ({type(error).__name__}: {str(error)[:200]}), skipped."
        )
        return
    end = pd.to_datetime(orders["order_date_local"]).max().date()
    print(f"Warehouse marts.fct_order: {len(orders):,} orders up to {end}:")
    started = time.perf_counter()
    summary = summarize_orders(orders, end, date_col="order_date_local", value_col="net_revenue_eur")
    try:
        fit, predictions = fit_and_predict(summary, ClvConfig())
    except ClvFitError as error:
        print(f"  cannot fit: {error}")
        return
    print(
        f"  summarize + fit + predict: {time.perf_counter() - started:.2f} s "
        f"(first order {pd.to_datetime(orders['order_date_local']).min().date()})"
    )
    show_fit(fit, predictions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    run_cdnow()
    run_synthetic(args.customers, args.seed)
    run_warehouse()


if __name__ == "__main__":
    main()
