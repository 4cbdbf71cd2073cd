"""Predictive CLV (BG/NBD + Gamma-Gamma): validated on CDNOW against the published estimates.

CDNOW ships inside the lifetimes wheel: CDNOW_master.txt (all 23,570 customers of the
Q1-1997 cohort, transactions to mid-1998), CDNOW_sample.txt (the 1/10 sample of 2,357
customers, with their master ids) and the published 39-week calibration summaries
(period ending 1997-09-30). The files are read with importlib.resources rather than
lifetimes.datasets, which needs setuptools' deprecated pkg_resources.
"""

from __future__ import annotations

import math
import warnings
from datetime import date
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest

with warnings.catch_warnings():  # lifetimes sets a pandas option that pandas 3 deprecates (a no-op)
    warnings.filterwarnings("ignore", message=".*mode.chained_assignment.*")
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

from dagster_project.analytics.predictive_clv import (
    ClvConfig,
    ClvFitError,
    discounted_clv,
    fit_and_predict,
    summarize_orders,
)

CDNOW = files("lifetimes") / "datasets"
CALIBRATION_END = date(1997, 9, 30)
# Fader, Hardie & Lee (2005), "Counting your customers the easy way"; Fader & Hardie (2013),
# "The Gamma-Gamma model of monetary value".
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_BGNBD_LOG_LIKELIHOOD = -9582.4
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
PREDICTION_COLUMNS = ["expected_purchases", "probability_alive", "expected_average_order_value", "expected_clv"]


@pytest.fixture(scope="module", autouse=True)
def _dbt_manifest() -> None:
    """Overrides the suite-wide autouse fixture: these tests need no dbt manifest."""


def _read(name: str, **kwargs) -> pd.DataFrame:
    with (CDNOW / name).open() as handle:
        return pd.read_csv(handle, **kwargs)


@pytest.fixture(scope="module")
def published_summary() -> pd.DataFrame:
    """The published 2,357-customer calibration summary with monetary value (weeks, 2 decimals)."""
    summary = _read("cdnow_customers_summary_with_transactions.csv", index_col=0)
    summary.columns = ["frequency", "recency", "T", "monetary_value"]
    return summary


@pytest.fixture(scope="module")
def master_orders() -> pd.DataFrame:
    master = _read(
        "CDNOW_master.txt",
        sep=r"\s+",
        header=0,
        names=["customer_id", "date", "cds", "net_value"],
        dtype={"customer_id": str, "date": str},
    )
    master["order_date"] = pd.to_datetime(master["date"], format="%Y%m%d")
    return master[["customer_id", "order_date", "net_value"]]


@pytest.fixture(scope="module")
def sample_ids() -> pd.Series:
    """Published sample id (1..2357) -> CDNOW master customer id."""
    sample = _read(
        "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "date", "cds", "usd"],
        dtype={"master_id": str, "sample_id": int, "date": str},
    )
    return sample.drop_duplicates("sample_id").set_index("sample_id")["master_id"]


@pytest.fixture(scope="module")
def our_sample_summary(master_orders: pd.DataFrame, sample_ids: pd.Series) -> pd.DataFrame:
    """OUR summary of the sample's raw master transactions, in weeks."""
    orders = master_orders[master_orders["customer_id"].isin(set(sample_ids))]
    return summarize_orders(orders, CALIBRATION_END)


def assert_close(estimated: dict[str, float], published: dict[str, float], rel: float = 0.01) -> None:
    for name, value in published.items():
        assert estimated[name] == pytest.approx(value, rel=rel), f"{name}: {estimated[name]} vs published {value}"


# --- published CDNOW estimates ------------------------------------------------------------


def test_published_summary_files_agree(published_summary: pd.DataFrame) -> None:
    """load_cdnow_summary (no monetary value) and the monetary-value file hold the same x, t_x, T."""
    plain = _read("cdnow_customers_summary.csv", index_col=0)
    assert len(plain) == len(published_summary) == 2357
    np.testing.assert_array_equal(
        plain[["frequency", "recency", "T"]].to_numpy(), published_summary[["frequency", "recency", "T"]].to_numpy()
    )


def test_fit_reproduces_published_cdnow_estimates(published_summary: pd.DataFrame) -> None:
    fit, predictions = fit_and_predict(published_summary, ClvConfig())
    assert_close(fit.bgnbd_params, PUBLISHED_BGNBD)
    assert fit.bgnbd_log_likelihood == pytest.approx(PUBLISHED_BGNBD_LOG_LIKELIHOOD, rel=0.01)
    assert fit.bgnbd_log_likelihood == pytest.approx(PUBLISHED_BGNBD_LOG_LIKELIHOOD, abs=0.1)
    assert_close(fit.gamma_gamma_params, PUBLISHED_GAMMA_GAMMA)
    assert (fit.customers, fit.repeat_customers, fit.gamma_gamma_customers) == (2357, 946, 946)
    # lifetimes' documentation reports ~0.11 for this sample: weak, as the model assumes.
    assert fit.frequency_spend_correlation == pytest.approx(0.1139, abs=0.001)
    assert len(predictions) == 2357 and predictions.index.equals(published_summary.index)


def test_summarize_orders_reproduces_published_cdnow_summary(
    our_sample_summary: pd.DataFrame, sample_ids: pd.Series, published_summary: pd.DataFrame
) -> None:
    """Raw CDNOW_master.txt transactions of the sample's customers -> the published 39-week summary.

    The sample is the 1/10 of the Q1-1997 cohort listed in CDNOW_sample.txt; same-day
    transactions are one purchase (223 of them in the sample), the published monetary
    value is the mean of the repeat purchase-days' summed spend, rounded to cents.
    """
    ours = our_sample_summary.loc[sample_ids.loc[published_summary.index].to_numpy()]
    assert len(our_sample_summary) == 2357
    np.testing.assert_array_equal(ours["frequency"].to_numpy(), published_summary["frequency"].to_numpy())
    for column in ("recency", "T", "monetary_value"):
        np.testing.assert_allclose(ours[column].to_numpy(), published_summary[column].to_numpy(), atol=0.005 + 1e-9)


def test_our_summary_fits_to_published_estimates(our_sample_summary: pd.DataFrame) -> None:
    fit, _ = fit_and_predict(our_sample_summary, ClvConfig())
    assert_close(fit.bgnbd_params, PUBLISHED_BGNBD)
    assert fit.bgnbd_log_likelihood == pytest.approx(PUBLISHED_BGNBD_LOG_LIKELIHOOD, rel=0.01)
    assert_close(fit.gamma_gamma_params, PUBLISHED_GAMMA_GAMMA)


@pytest.mark.parametrize(("time_unit", "freq_multiplier"), [("W", 7), ("D", 1)])
def test_summarize_orders_matches_lifetimes_on_whole_cohort(
    master_orders: pd.DataFrame, time_unit: str, freq_multiplier: int
) -> None:
    ours = summarize_orders(master_orders, CALIBRATION_END, time_unit=time_unit)
    theirs = summary_data_from_transaction_data(
        master_orders,
        "customer_id",
        "order_date",
        monetary_value_col="net_value",
        observation_period_end=str(CALIBRATION_END),
        freq="D",
        freq_multiplier=freq_multiplier,
    ).sort_index()
    assert len(ours) == 23570
    assert ours.index.equals(theirs.index)
    np.testing.assert_array_equal(ours["frequency"].to_numpy(), theirs["frequency"].to_numpy())
    for column in ("recency", "T", "monetary_value"):
        np.testing.assert_allclose(ours[column].to_numpy(), theirs[column].to_numpy(), rtol=1e-12, atol=1e-9)


# --- summarize_orders by hand -----------------------------------------------------------------


def _hand_orders() -> pd.DataFrame:
    rows = [
        ("A", "2024-01-01 09:00", 10.0),
        ("A", "2024-01-01 18:30", 5.0),  # one purchase worth 15
        ("A", "2024-01-08", 20.0),
        ("A", "2024-01-15", 30.0),
        ("A", "2024-02-01", 99.0),  # after observation_end
        ("B", "2024-01-15", 42.0),  # one order only
        ("C", "2024-01-22", 7.0),
        ("C", "2024-01-22", 3.0),  # first day: one purchase
        ("C", "2024-01-29 23:30", 0.0),  # on observation_end, refunded
        ("D", "2024-02-05", 12.0),  # only after observation_end
    ]
    return pd.DataFrame(rows, columns=["customer_id", "order_date", "net_value"])


def test_summarize_orders_by_hand_in_weeks() -> None:
    summary = summarize_orders(_hand_orders(), date(2024, 1, 29))
    expected = pd.DataFrame(
        {"frequency": [2, 0, 1], "recency": [2.0, 0.0, 1.0], "T": [4.0, 2.0, 1.0], "monetary_value": [25.0, 0.0, 0.0]},
        index=pd.Index(["A", "B", "C"], name="customer_id"),
    )
    pd.testing.assert_frame_equal(summary, expected, check_index_type=False)


def test_summarize_orders_by_hand_in_days_with_other_column_names() -> None:
    orders = _hand_orders().rename(columns={"order_date": "order_date_local", "net_value": "net_revenue_eur"})
    summary = summarize_orders(
        orders, date(2024, 1, 29), time_unit="D", date_col="order_date_local", value_col="net_revenue_eur"
    )
    assert summary.loc["A"].tolist() == [2, 14.0, 28.0, 25.0]
    assert summary.loc["B"].tolist() == [0, 0.0, 14.0, 0.0]
    assert summary.loc["C"].tolist() == [1, 7.0, 7.0, 0.0]


def test_summarize_orders_accepts_date_objects_and_aware_timestamps() -> None:
    orders = _hand_orders()
    as_dates = orders.assign(order_date=pd.to_datetime(orders["order_date"], format="ISO8601").dt.date)
    aware = orders.assign(
        order_date=pd.to_datetime(orders["order_date"], format="ISO8601").dt.tz_localize("Europe/Paris")
    )
    reference = summarize_orders(orders, date(2024, 1, 29))
    pd.testing.assert_frame_equal(summarize_orders(as_dates, date(2024, 1, 29)), reference)
    pd.testing.assert_frame_equal(summarize_orders(aware, date(2024, 1, 29)), reference)


def test_summarize_orders_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="lack column"):
        summarize_orders(_hand_orders().drop(columns="net_value"), date(2024, 1, 29))
    orders = _hand_orders()
    orders.loc[0, "order_date"] = None
    with pytest.raises(ValueError, match="order_date has 1 null"):
        summarize_orders(orders, date(2024, 1, 29))
    with pytest.raises(ValueError, match="time_unit"):
        summarize_orders(_hand_orders(), date(2024, 1, 29), time_unit="M")  # type: ignore[arg-type]


# --- predictions ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cdnow_fit(published_summary: pd.DataFrame):
    return fit_and_predict(published_summary, ClvConfig())


def test_predictions_are_finite_and_consistent(cdnow_fit, published_summary: pd.DataFrame) -> None:
    fit, predictions = cdnow_fit
    assert list(predictions.columns) == ["frequency", "recency", "T", "monetary_value", *PREDICTION_COLUMNS]
    assert np.isfinite(predictions[PREDICTION_COLUMNS].to_numpy()).all()
    assert ((predictions["probability_alive"] > 0) & (predictions["probability_alive"] <= 1)).all()
    assert (predictions["expected_purchases"] >= 0).all() and (predictions["expected_clv"] >= 0).all()
    # lifetimes' closed forms for P(alive) at x = 0 and Gamma-Gamma at x = 0 (the prior mean).
    p, q, v = (fit.gamma_gamma_params[k] for k in ("p", "q", "v"))
    assert fit.population_mean_order_value == pytest.approx(v * p / (q - 1))
    never_repeated = predictions[predictions["frequency"] == 0]
    assert (never_repeated["probability_alive"] == 1.0).all()
    np.testing.assert_allclose(never_repeated["expected_average_order_value"], fit.population_mean_order_value)
    # customer 1 of the sample: x=2, t_x=30.43, T=38.86, zbar=22.35
    first = predictions.loc[1]
    assert first["probability_alive"] == pytest.approx(0.7266, abs=1e-3)
    assert first["expected_average_order_value"] == pytest.approx(24.6586, abs=1e-3)


def test_expected_purchases_cover_the_horizon_in_weeks(cdnow_fit, published_summary: pd.DataFrame) -> None:
    fit, predictions = cdnow_fit
    config = ClvConfig()
    assert config.periods_per_month == pytest.approx(365.25 / 12 / 7)
    assert config.horizon_periods == pytest.approx(52.1786, abs=1e-4)
    bgf = BetaGeoFitter()
    bgf.params_ = pd.Series(fit.bgnbd_params)
    expected = bgf.conditional_expected_number_of_purchases_up_to_time(
        52.1786, published_summary["frequency"], published_summary["recency"], published_summary["T"]
    )
    np.testing.assert_allclose(predictions["expected_purchases"], expected, rtol=1e-5)
    _, nine_months = fit_and_predict(published_summary, ClvConfig(horizon_months=9))
    assert (nine_months["expected_purchases"] < predictions["expected_purchases"]).all()


def test_clv_discounting(published_summary: pd.DataFrame) -> None:
    _, undiscounted = fit_and_predict(published_summary, ClvConfig(annual_discount_rate=0.0))
    _, discounted = fit_and_predict(published_summary, ClvConfig(annual_discount_rate=0.10))
    # No discounting: the monthly increments telescope to the horizon's expected purchases.
    np.testing.assert_allclose(
        undiscounted["expected_clv"],
        undiscounted["expected_purchases"] * undiscounted["expected_average_order_value"],
        rtol=1e-9,
    )
    ratio = (discounted["expected_clv"] / undiscounted["expected_clv"]).to_numpy()
    # Between the whole year's discount factor (1/1.1) and the first month's.
    assert ((ratio > 1 / 1.10) & (ratio < 1 / 1.10 ** (1 / 12))).all()
    assert ClvConfig(annual_discount_rate=0.10).monthly_discount_rate == pytest.approx(1.10 ** (1 / 12) - 1)
    assert (1 + ClvConfig(annual_discount_rate=0.10).monthly_discount_rate) ** 12 == pytest.approx(1.10)


def test_discounted_clv_matches_lifetimes_customer_lifetime_value(published_summary: pd.DataFrame) -> None:
    """Our monthly cash-flow sum is lifetimes' customer_lifetime_value given its 4.345 weeks per month."""
    data = published_summary
    bgf = BetaGeoFitter().fit(data["frequency"], data["recency"], data["T"])
    repeat = data[data["frequency"] > 0]
    ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    monthly = ClvConfig(annual_discount_rate=0.10).monthly_discount_rate
    theirs = ggf.customer_lifetime_value(
        bgf,
        data["frequency"],
        data["recency"],
        data["T"],
        data["monetary_value"],
        time=12,
        discount_rate=monthly,
        freq="W",
    )
    order_value = ggf.conditional_expected_average_profit(data["frequency"], data["monetary_value"]).to_numpy()
    ours = discounted_clv(
        bgf,
        data["frequency"].to_numpy(),
        data["recency"].to_numpy(),
        data["T"].to_numpy(),
        order_value,
        months=12,
        monthly_discount_rate=monthly,
        periods_per_month=4.345,
    )
    np.testing.assert_allclose(ours, theirs.to_numpy(), rtol=1e-9)


def test_days_and_weeks_give_the_same_model(master_orders: pd.DataFrame, sample_ids: pd.Series) -> None:
    orders = master_orders[master_orders["customer_id"].isin(set(sample_ids))]
    weeks, in_weeks = fit_and_predict(
        summarize_orders(orders, CALIBRATION_END, time_unit="W"), ClvConfig(time_unit="W")
    )
    days, in_days = fit_and_predict(summarize_orders(orders, CALIBRATION_END, time_unit="D"), ClvConfig(time_unit="D"))
    assert days.bgnbd_params["alpha"] == pytest.approx(7 * weeks.bgnbd_params["alpha"], rel=1e-3)
    for name in ("r", "a", "b"):
        assert days.bgnbd_params[name] == pytest.approx(weeks.bgnbd_params[name], rel=1e-3)
    # The log-likelihood is a density in time: it shifts by sum(x) * ln 7 between units.
    shift = in_weeks["frequency"].sum() * math.log(7)
    assert days.bgnbd_log_likelihood == pytest.approx(weeks.bgnbd_log_likelihood - shift, abs=0.05)
    np.testing.assert_allclose(in_days["expected_clv"], in_weeks["expected_clv"], rtol=1e-3)


def test_fit_metadata_is_flat_and_scalar(cdnow_fit) -> None:
    fit, _ = cdnow_fit
    metadata = fit.as_metadata()
    assert metadata["bgnbd_r"] == fit.bgnbd_params["r"] and metadata["gamma_gamma_v"] == fit.gamma_gamma_params["v"]
    assert metadata["time_unit"] == "W" and metadata["horizon_months"] == 12
    assert all(isinstance(value, (int, float, str)) for value in metadata.values())


def test_fit_leaves_warning_filters_alone(published_summary: pd.DataFrame) -> None:
    """lifetimes calls warnings.simplefilter('ignore', FutureWarning) in every likelihood evaluation."""
    before = list(warnings.filters)
    fit_and_predict(published_summary, ClvConfig())
    assert warnings.filters == before


# --- robustness -------------------------------------------------------------------------------


def test_non_positive_monetary_values_are_left_out_of_gamma_gamma(published_summary: pd.DataFrame) -> None:
    data = published_summary.copy()
    repeaters = data.index[data["frequency"] > 0]
    data.loc[repeaters[:40], "monetary_value"] = 0.0
    data.loc[repeaters[40:50], "monetary_value"] = -5.0
    fit, predictions = fit_and_predict(data, ClvConfig())
    assert (fit.repeat_customers, fit.gamma_gamma_customers) == (946, 896)
    kept = data[(data["frequency"] > 0) & (data["monetary_value"] > 0)]
    reference = GammaGammaFitter().fit(kept["frequency"], kept["monetary_value"]).params_
    assert_close(fit.gamma_gamma_params, reference.to_dict(), rel=1e-4)
    # A customer whose repeat purchases were worth nothing is shrunk towards 0, never below.
    zero_spend = predictions.loc[repeaters[:50], "expected_average_order_value"]
    assert ((zero_spend > 0) & (zero_spend < fit.population_mean_order_value)).all()


def test_too_few_customers(published_summary: pd.DataFrame) -> None:
    with pytest.raises(ClvFitError, match=r"too few customers.*30 < min_customers=50"):
        fit_and_predict(published_summary.head(30), ClvConfig())


def test_too_few_repeat_customers(published_summary: pd.DataFrame) -> None:
    data = pd.concat(
        [
            published_summary[published_summary["frequency"] == 0].head(500),
            published_summary[published_summary["frequency"] > 0].head(10),
        ]
    )
    with pytest.raises(ClvFitError, match=r"too few repeat customers.*10 \(of 10 repeat customers\) < min_repeat"):
        fit_and_predict(data, ClvConfig())


def test_bgnbd_that_cannot_converge_raises() -> None:
    """Everyone buys every week up to today: nobody ever lapses, the dropout rate runs off to 0."""
    customers = 200
    data = pd.DataFrame(
        {"frequency": 20, "recency": 20.0, "T": 20.0, "monetary_value": 10.0 + np.arange(customers) % 7},
        index=range(customers),
    )
    with pytest.raises(ClvFitError, match=r"BG/NBD fit did not converge \(optimizer: .*precision loss"):
        fit_and_predict(data, ClvConfig())


def test_gamma_gamma_without_finite_population_mean_raises(published_summary: pd.DataFrame) -> None:
    """Spend per purchase Pareto(alpha=0.8): infinite mean, so the fitted q <= 1."""
    data = published_summary.copy()
    repeaters = data["frequency"] > 0
    data.loc[repeaters, "monetary_value"] = np.random.default_rng(0).pareto(0.8, int(repeaters.sum())) * 10 + 1
    with pytest.raises(ClvFitError, match=r"Gamma-Gamma q = 0\.\d+ <= 1"):
        fit_and_predict(data, ClvConfig())


def test_malformed_summary_is_a_value_error(published_summary: pd.DataFrame) -> None:
    data = published_summary.copy()
    data.loc[1, "recency"] = data.loc[1, "T"] + 1
    with pytest.raises(ValueError, match="recency <= T"):
        fit_and_predict(data)
    with pytest.raises(ValueError, match="lacks column"):
        fit_and_predict(published_summary.drop(columns="monetary_value"))
    with pytest.raises(ValueError, match="time_unit"):
        ClvConfig(time_unit="M")  # type: ignore[arg-type]
