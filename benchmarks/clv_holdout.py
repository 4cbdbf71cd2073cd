"""Judge the warehouse's CLV against the generator's holdout period (what really happened next).

The generator simulates the months after the extract window and writes every order placed
then to ``_ground_truth/holdout_orders.csv.gz`` (never loaded). This script reads a built
warehouse and that ground truth and prints, for each forecast of a customer's *future*
value, in the holdout tables' style of Fader, Hardie & Lee (2005):

* Pearson and Spearman correlation with the true future net revenue, mean absolute error,
  the totals (predicted vs actual), and calibration by decile of the forecast (mean
  forecast vs mean actual per decile).

Forecasts compared like with like (future value = CLV - realized value):

* ``naive``: next year = last year, the customer's net revenue in the 12 months up to the
  observation end;
* ``predictive``: mart_customer_clv.predicted_future_value_eur (BG/NBD + Gamma-Gamma over
  the 12-month horizon; = predictive_clv_eur - realized_net_revenue_eur);
* ``historical``: mart_customer_lifetime_value.expected_future_value_eur (= historical_clv_eur
  - realized), over the whole expected remaining lifespan;
* ``historical_12m``: the same model cut to the holdout's 12 months: APV x frequency x the
  expected purchasing time within a year, L (1 - exp(-1/L)) for an active customer.

Customers are matched to the truth's persons through marts.bridge_customer_identifier and
the truth's identifiers (each person to the customer holding most of its identifiers); a
customer's true future value is the holdout net revenue of its persons.

    PYTHONPATH=. .venv/bin/python benchmarks/clv_holdout.py [--warehouse data/warehouse.duckdb]
        [--truth seeds/bundled/_ground_truth] [--deciles 10]
"""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy import stats

from dagster_project.analytics.identity_accuracy import _NORMALIZED_TRUTH

ROOT = Path(__file__).resolve().parents[1]
FORECASTS = ("naive", "predictive", "historical", "historical_12m")


@dataclass(frozen=True)
class Scores:
    forecast: str
    customers: int
    pearson: float
    spearman: float
    mae: float
    predicted_total: float
    actual_total: float
    deciles: pd.DataFrame


def customer_frame(warehouse: Path, truth_dir: Path) -> pd.DataFrame:
    """One row per warehouse customer with an order: the forecasts of future value and the truth."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(
            f"create temp table truth as select distinct * from ({_NORMALIZED_TRUTH}) "
            "where identifier_value is not null and not is_shared",
            [str(truth_dir / "identifiers.csv.gz")],
        )
        return con.execute(
            """
            with votes as (
                select truth.person_id, bridge.customer_id, count(*) as identifiers
                from truth
                join marts.bridge_customer_identifier as bridge
                    on bridge.identifier_type = truth.identifier_type
                        and bridge.identifier_value = truth.identifier_value
                group by all
            ),
            person_customer as (
                select person_id, arg_max(customer_id, identifiers) as customer_id from votes group by person_id
            ),
            holdout as (
                select person_id, sum(net_revenue_eur) as net_revenue_eur,
                    count(*) filter (where not is_cancelled) as orders
                from read_csv(?, header = true, auto_detect = true) group by person_id
            ),
            truth_future as (
                select person_customer.customer_id, sum(holdout.net_revenue_eur) as actual_future_eur,
                       sum(holdout.orders) as actual_future_orders
                from holdout join person_customer using (person_id) group by all
            ),
            end_day as (select max(observation_end_date) as d from intermediate.int_kpi__calendar_days),
            last_year as (
                select customer_id, sum(net_revenue_eur) as last_year_eur
                from marts.fct_order cross join end_day
                where not is_cancelled and order_date_local > d - interval 365 day and order_date_local <= d
                group by customer_id
            )
            select
                clv.customer_id,
                clv.realized_net_revenue_eur,
                clv.historical_clv_eur,
                clv.predictive_clv_eur,
                coalesce(last_year.last_year_eur, 0) as naive,
                clv.predicted_future_value_eur as predictive,
                clv.expected_future_value_eur as historical,
                case when ltv.expected_remaining_lifespan_years > 0 then
                    ltv.average_purchase_value_eur * ltv.purchase_frequency_per_year
                    * ltv.expected_remaining_lifespan_years * (1 - exp(-1 / ltv.expected_remaining_lifespan_years))
                else 0 end as historical_12m,
                coalesce(truth_future.actual_future_eur, 0) as actual,
                coalesce(truth_future.actual_future_orders, 0) as actual_orders
            from marts.mart_customer_clv as clv
            join marts.mart_customer_lifetime_value as ltv using (customer_id)
            left join last_year using (customer_id)
            left join truth_future using (customer_id)
            """,
            [str(truth_dir / "holdout_orders.csv.gz")],
        ).fetchdf()


def score(frame: pd.DataFrame, forecast: str, deciles: int = 10) -> Scores:
    data = frame[[forecast, "actual"]].dropna().astype("float64")
    predicted, actual = data[forecast].to_numpy(), data["actual"].to_numpy()
    ranks = pd.Series(predicted).rank(method="first").to_numpy()
    decile = np.ceil(ranks * deciles / len(ranks)).astype(int)
    table = (
        pd.DataFrame({"decile": decile, "predicted": predicted, "actual": actual})
        .groupby("decile")
        .agg(customers=("actual", "size"), mean_predicted=("predicted", "mean"), mean_actual=("actual", "mean"))
    )
    return Scores(
        forecast=forecast,
        customers=len(data),
        pearson=float(stats.pearsonr(predicted, actual)[0]) if len(data) > 2 else math.nan,
        spearman=float(stats.spearmanr(predicted, actual)[0]) if len(data) > 2 else math.nan,
        mae=float(np.mean(np.abs(predicted - actual))),
        predicted_total=float(predicted.sum()),
        actual_total=float(actual.sum()),
        deciles=table,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse", type=Path, default=Path(os.environ.get("CRM_WAREHOUSE_PATH", ROOT / "data" / "warehouse.duckdb"))
    )
    parser.add_argument("--truth", type=Path, default=ROOT / "seeds" / "bundled" / "_ground_truth")
    parser.add_argument("--deciles", type=int, default=10)
    args = parser.parse_args()
    frame = customer_frame(args.warehouse, args.truth)
    matched = int((frame["actual"] > 0).sum())
    print(
        f"{len(frame):,} customers with an order; {matched:,} of them buy in the holdout "
        f"({frame['actual_orders'].sum():,.0f} orders, {frame['actual'].sum():,.0f} EUR net); "
        f"realized to date {frame['realized_net_revenue_eur'].sum():,.0f} EUR"
    )
    below = int(
        (
            (frame["historical_clv_eur"] < frame["realized_net_revenue_eur"] - 0.005)
            | (frame["predictive_clv_eur"] < frame["realized_net_revenue_eur"] - 0.005)
        ).sum()
    )
    print(f"customers with a lifetime value below realized: {below}")
    print()
    print(
        f"{'future value forecast':<16} {'customers':>9} {'pearson':>8} {'spearman':>8} {'MAE EUR':>9} "
        f"{'predicted EUR':>14} {'actual EUR':>12}"
    )
    results = [score(frame, forecast, args.deciles) for forecast in FORECASTS]
    for s in results:
        print(
            f"{s.forecast:<16} {s.customers:>9,} {s.pearson:>8.3f} {s.spearman:>8.3f} {s.mae:>9.2f} "
            f"{s.predicted_total:>14,.0f} {s.actual_total:>12,.0f}"
        )
    print()
    print("calibration by decile of the forecast (mean forecast / mean actual future net revenue, EUR):")
    header = "decile " + " ".join(f"{s.forecast:>25}" for s in results)
    print(header)
    for d in range(1, args.deciles + 1):
        cells = []
        for s in results:
            row = s.deciles.loc[d] if d in s.deciles.index else None
            cells.append(
                f"{row['mean_predicted']:>11.1f} / {row['mean_actual']:>11.1f}" if row is not None else " " * 25
            )
        print(f"{d:>6} " + " ".join(cells))
    naive, predictive = results[0], results[1]
    verdict = "beats" if predictive.mae < naive.mae and predictive.spearman > naive.spearman else "does NOT beat"
    print()
    print(
        f"predictive CLV {verdict} the naive 'next year = last year' baseline "
        f"(MAE {predictive.mae:.2f} vs {naive.mae:.2f}, Spearman {predictive.spearman:.3f} vs {naive.spearman:.3f}, "
        f"Pearson {predictive.pearson:.3f} vs {naive.pearson:.3f})"
    )


if __name__ == "__main__":
    main()
