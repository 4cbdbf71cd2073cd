"""Predictive customer lifetime value: BG/NBD (purchase frequency) + Gamma-Gamma (spend).

Pure pandas in, pandas out; no Dagster or DuckDB code here. A caller typically reads
``select customer_id, order_date_local, net_revenue_eur from marts.fct_order where not
is_cancelled`` and does::

    summary = summarize_orders(orders, observation_end=date(2026, 3, 31),
                               date_col="order_date_local", value_col="net_revenue_eur")
    fit, per_customer = fit_and_predict(summary, ClvConfig())

Conventions (the same as lifetimes and Fader, Hardie & Lee 2005):

* A *purchase* is a customer-day: several orders on one calendar day count as one
  purchase whose value is the sum of their values.
* ``frequency`` is the number of *repeat* purchases (purchase days after the first one),
  ``recency`` the time from the first to the last purchase day, ``T`` the time from the
  first purchase day to the end of the observation period (``observation_end``,
  inclusive). Times are exact day counts divided by the time unit: ``"W"`` (default) is
  days / 7, i.e. fractional weeks as in the CDNOW calibration sample (not calendar-week
  buckets); ``"D"`` is days.
* ``monetary_value`` is the mean value of the repeat purchases (the first purchase is
  excluded, as the Gamma-Gamma model requires); 0 for customers without repeat purchases.

Model choices:

* BG/NBD parameters ``r, alpha, a, b`` (``alpha`` is in the chosen time unit) and
  Gamma-Gamma parameters ``p, q, v`` (``v`` is Fader & Hardie's gamma) are maximum
  likelihood estimates when ``penalizer_coef`` is 0 (the default, which reproduces the
  published CDNOW estimates). lifetimes' L2 penalizer applies to the parameters on the
  internally rescaled time axis; use a small value (e.g. 0.001) only if a fit on thin data
  does not converge, knowing that it biases the estimates.
* The Gamma-Gamma model is fitted on repeat customers with a *positive* monetary value
  only: the model's likelihood is undefined for zero or negative spend (fully refunded
  orders have a net value of 0). For prediction every customer gets Gamma-Gamma's
  conditional expected order value; customers without repeat purchases get the population
  mean ``v p / (q - 1)`` (the individual weight ``p x / (p x + q - 1)`` is 0 at ``x = 0``),
  and a non-positive observed mean is treated as 0, which shrinks the expectation towards
  0 without making it negative.
* The horizon is ``horizon_months`` calendar months of ``365.25 / 12`` days each.
  Expected CLV is the Gamma-Gamma expected order value times the BG/NBD expected number
  of purchases in each month of the horizon, discounted at the end of month ``i`` by
  ``(1 + monthly_rate) ** i`` with ``monthly_rate = (1 + annual_discount_rate) ** (1/12) - 1``.
  That is lifetimes' ``customer_lifetime_value`` (which takes a *monthly* rate) with an
  exact month length instead of its 4.345 weeks / 30 days. With a discount rate of 0 the
  CLV equals expected purchases times expected order value.

lifetimes 0.11.3 on pandas 3: importing it emits a harmless ``Pandas4Warning`` (it sets
the no-op ``mode.chained_assignment`` option), and lifetimes calls
``warnings.simplefilter("ignore", FutureWarning)`` on import and on every likelihood
evaluation, which would silence FutureWarnings process-wide. Both happen here inside
``warnings.catch_warnings()`` so the caller's warning filters are left as they were.
lifetimes also ``print``s the optimizer result when a fit does not converge; that output
is captured and put in the :class:`ClvFitError` message instead.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*mode.chained_assignment.*")
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import ConvergenceError

TimeUnit = Literal["D", "W"]

DAYS_PER_TIME_UNIT: dict[str, float] = {"D": 1.0, "W": 7.0}
DAYS_PER_MONTH = 365.25 / 12
SUMMARY_COLUMNS = ("frequency", "recency", "T", "monetary_value")


class ClvFitError(RuntimeError):
    """The models cannot be fitted on this data (too little of it, no convergence, bad estimates)."""


class InsufficientDataError(ClvFitError):
    """Too few customers, or repeat customers with a positive spend, to fit the models.

    ``shortfall`` says which count fell short of which threshold, e.g.
    ``"12 customers with orders < 50"``: callers may treat this as "not yet fittable"
    rather than as a failure.
    """

    def __init__(self, message: str, shortfall: str) -> None:
        super().__init__(message)
        self.shortfall = shortfall


@dataclass(frozen=True)
class ClvConfig:
    """How to fit and what to predict.

    Attributes:
        horizon_months: prediction horizon in months of 365.25/12 days.
        annual_discount_rate: yearly rate for discounting future spend (0.10 = 10 %/year).
        penalizer_coef: lifetimes' L2 penalizer for both models; 0 = maximum likelihood.
        time_unit: "W" (days / 7) or "D"; must match the unit the summary was built in.
        min_customers: fewer customers than this raises :class:`ClvFitError`.
        min_repeat_customers: fewer customers with a positive repeat spend than this
            raises :class:`ClvFitError` (they are the Gamma-Gamma sample).
    """

    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    penalizer_coef: float = 0.0
    time_unit: TimeUnit = "W"
    min_customers: int = 50
    min_repeat_customers: int = 20

    def __post_init__(self) -> None:
        if self.time_unit not in DAYS_PER_TIME_UNIT:
            raise ValueError(f"time_unit must be one of {sorted(DAYS_PER_TIME_UNIT)}, got {self.time_unit!r}")
        if self.horizon_months < 1:
            raise ValueError(f"horizon_months must be at least 1, got {self.horizon_months}")
        if not (math.isfinite(self.annual_discount_rate) and self.annual_discount_rate > -1):
            raise ValueError(f"annual_discount_rate must be finite and > -1, got {self.annual_discount_rate}")
        if not (math.isfinite(self.penalizer_coef) and self.penalizer_coef >= 0):
            raise ValueError(f"penalizer_coef must be finite and >= 0, got {self.penalizer_coef}")
        if self.min_customers < 2 or self.min_repeat_customers < 2:
            raise ValueError("min_customers and min_repeat_customers must be at least 2")

    @property
    def monthly_discount_rate(self) -> float:
        """The monthly rate equivalent to the annual one: ``(1 + annual) ** (1/12) - 1``."""
        return (1.0 + self.annual_discount_rate) ** (1.0 / 12.0) - 1.0

    @property
    def periods_per_month(self) -> float:
        """Length of a month in the BG/NBD time unit (4.348 weeks or 30.44 days)."""
        return DAYS_PER_MONTH / DAYS_PER_TIME_UNIT[self.time_unit]

    @property
    def horizon_periods(self) -> float:
        """The prediction horizon in the BG/NBD time unit."""
        return self.horizon_months * self.periods_per_month


@dataclass(frozen=True)
class ClvFit:
    """Fitted parameters and fit diagnostics (for asset metadata).

    ``bgnbd_params`` holds r, alpha, a, b (alpha in ``time_unit``);
    ``gamma_gamma_params`` holds p, q, v (v is Fader & Hardie's gamma). Log-likelihoods
    are unpenalized, summed over customers, with times in ``time_unit`` (the BG/NBD
    value depends on the unit). ``frequency_spend_correlation`` is Pearson's r between
    frequency and monetary value over the Gamma-Gamma sample; the model assumes the two
    are independent, so it should be near 0 (NaN when undefined).
    """

    bgnbd_params: dict[str, float]
    bgnbd_log_likelihood: float
    gamma_gamma_params: dict[str, float]
    gamma_gamma_log_likelihood: float
    customers: int
    repeat_customers: int
    gamma_gamma_customers: int
    frequency_spend_correlation: float
    population_mean_order_value: float
    time_unit: str
    horizon_months: int
    annual_discount_rate: float
    monthly_discount_rate: float

    def as_metadata(self) -> dict[str, float | int | str]:
        """A flat dict of scalars, e.g. for Dagster ``MaterializeResult(metadata=...)``."""
        flat: dict[str, float | int | str] = {}
        for key, value in asdict(self).items():
            if isinstance(value, dict):
                prefix = "bgnbd" if key.startswith("bgnbd") else "gamma_gamma"
                flat.update({f"{prefix}_{name}": float(v) for name, v in value.items()})
            else:
                flat[key] = value
        return flat


def summarize_orders(
    orders: pd.DataFrame,
    observation_end: date,
    *,
    time_unit: TimeUnit = "W",
    customer_col: str = "customer_id",
    date_col: str = "order_date",
    value_col: str = "net_value",
) -> pd.DataFrame:
    """Turn one row per order into one row per customer: frequency, recency, T, monetary_value.

    Orders after ``observation_end`` are ignored; ``observation_end`` itself is included.
    Same-day orders of a customer count as one purchase worth their summed value.
    Timestamps are truncated to their calendar date (time zones are dropped as-is, so pass
    local dates). Returns a frame indexed by customer id (sorted), ``frequency`` as int64
    and the rest as float64, in ``time_unit`` (see the module docstring).

    Raises:
        ValueError: a column is missing or holds nulls / non-finite values, or the time unit
            is unknown.
    """
    if time_unit not in DAYS_PER_TIME_UNIT:
        raise ValueError(f"time_unit must be one of {sorted(DAYS_PER_TIME_UNIT)}, got {time_unit!r}")
    daily = _daily_purchases(orders, observation_end, customer_col, date_col, value_col)
    end = pd.Timestamp(observation_end).normalize()
    grouped = daily.groupby(customer_col, sort=True)
    first = grouped["day"].min()
    last = grouped["day"].max()
    days = grouped["day"].count()
    repeat_value = grouped["value"].sum() - grouped["value"].first()  # rows are sorted by day
    frequency = (days - 1).astype("int64")
    unit_days = DAYS_PER_TIME_UNIT[time_unit]
    summary = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last - first).dt.days.astype("float64") / unit_days,
            "T": (end - first).dt.days.astype("float64") / unit_days,
            "monetary_value": (repeat_value / frequency.where(frequency > 0)).fillna(0.0).astype("float64"),
        }
    )
    summary.index.name = customer_col
    return summary


def _daily_purchases(
    orders: pd.DataFrame, observation_end: date, customer_col: str, date_col: str, value_col: str
) -> pd.DataFrame:
    """Orders up to ``observation_end`` collapsed to one row per customer-day (column ``day``, ``value``)."""
    missing = [c for c in (customer_col, date_col, value_col) if c not in orders.columns]
    if missing:
        raise ValueError(f"orders lack column(s) {missing}; they have {list(orders.columns)}")
    frame = orders[[customer_col, date_col, value_col]]
    for column in (customer_col, date_col, value_col):
        if frame[column].isna().any():
            raise ValueError(f"orders.{column} has {int(frame[column].isna().sum())} null value(s)")
    day = pd.to_datetime(frame[date_col], format="ISO8601")  # strings must be ISO 8601 dates or timestamps
    if getattr(day.dt, "tz", None) is not None:
        day = day.dt.tz_localize(None)
    values = pd.to_numeric(frame[value_col]).astype("float64")
    if not np.isfinite(values.to_numpy()).all():
        raise ValueError(f"orders.{value_col} has non-finite values")
    work = pd.DataFrame(
        {customer_col: frame[customer_col].array, "day": day.dt.normalize().array, "value": values.array}
    )
    work = work[work["day"] <= pd.Timestamp(observation_end).normalize()]
    return work.groupby([customer_col, "day"], as_index=False, sort=True)["value"].sum()


def fit_and_predict(summary: pd.DataFrame, config: ClvConfig | None = None) -> tuple[ClvFit, pd.DataFrame]:
    """Fit BG/NBD and Gamma-Gamma on a customer summary and predict per customer.

    ``summary`` has the columns of :func:`summarize_orders` (built with the same
    ``time_unit`` as ``config.time_unit``). Returns the fit and a frame with the summary's
    index and columns ``frequency, recency, T, monetary_value`` plus:

    * ``expected_purchases``: expected repeat purchases (purchase days) within the horizon;
    * ``probability_alive``: P(still active at the end of the observation period);
    * ``expected_average_order_value``: Gamma-Gamma conditional expected value per purchase;
    * ``expected_clv``: expected spend within the horizon, discounted (module docstring).

    Raises:
        ValueError: the summary is malformed (missing columns, nulls, negative or
            inconsistent times, non-integer frequency).
        ClvFitError: too few customers / repeat customers, the optimizer did not converge,
            or the estimates or predictions are not finite / not usable.
    """
    config = config or ClvConfig()
    data = _validated_summary(summary)
    _check_enough_data(data, config)
    bgf = _fit_bgnbd(data, config)
    spenders = data[(data["frequency"] > 0) & (data["monetary_value"] > 0)]
    ggf = _fit_gamma_gamma(spenders, config)
    predictions = _predict(bgf, ggf, data, config)
    fit = ClvFit(
        bgnbd_params=_params(bgf),
        bgnbd_log_likelihood=_bgnbd_log_likelihood(bgf, data),
        gamma_gamma_params=_params(ggf),
        gamma_gamma_log_likelihood=_gamma_gamma_log_likelihood(ggf, spenders),
        customers=len(data),
        repeat_customers=int((data["frequency"] > 0).sum()),
        gamma_gamma_customers=len(spenders),
        frequency_spend_correlation=_correlation(spenders["frequency"], spenders["monetary_value"]),
        population_mean_order_value=_population_mean(ggf),
        time_unit=config.time_unit,
        horizon_months=config.horizon_months,
        annual_discount_rate=config.annual_discount_rate,
        monthly_discount_rate=config.monthly_discount_rate,
    )
    return fit, predictions


def _validated_summary(summary: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in SUMMARY_COLUMNS if c not in summary.columns]
    if missing:
        raise ValueError(f"summary lacks column(s) {missing}; expected {list(SUMMARY_COLUMNS)}")
    data = summary[list(SUMMARY_COLUMNS)].astype("float64")
    if not np.isfinite(data.to_numpy()).all():
        raise ValueError("summary has null or non-finite values")
    if ((data["frequency"] < 0) | (data["frequency"] != np.floor(data["frequency"]))).any():
        raise ValueError("summary.frequency must hold non-negative integers")
    if (data["recency"] < 0).any() or (data["recency"] > data["T"] + 1e-9).any():
        raise ValueError("summary.recency must satisfy 0 <= recency <= T")
    if (data.loc[data["frequency"] == 0, "recency"] != 0).any():
        raise ValueError("summary.recency must be 0 where frequency is 0")
    return data


def _check_enough_data(data: pd.DataFrame, config: ClvConfig) -> None:
    repeat = int((data["frequency"] > 0).sum())
    spenders = int(((data["frequency"] > 0) & (data["monetary_value"] > 0)).sum())
    if len(data) < config.min_customers:
        raise InsufficientDataError(
            f"too few customers to fit BG/NBD: {len(data)} < min_customers={config.min_customers}",
            shortfall=f"{len(data)} customers with orders < {config.min_customers}",
        )
    if spenders < config.min_repeat_customers:
        raise InsufficientDataError(
            f"too few repeat customers with positive spend to fit Gamma-Gamma: {spenders} "
            f"(of {repeat} repeat customers) < min_repeat_customers={config.min_repeat_customers}",
            shortfall=f"{spenders} repeat customers with a positive spend < {config.min_repeat_customers}",
        )
    if float(data["T"].max()) <= 0:
        raise ClvFitError("every customer's first purchase is on observation_end (T = 0): nothing to fit")


@contextlib.contextmanager
def _lifetimes_call(model: str) -> Iterator[None]:
    """Contain lifetimes' global warning filters and printed output; map its failures to ClvFitError."""
    printed = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(printed):
            yield
    except ConvergenceError as error:
        raise ClvFitError(
            f"{model} fit did not converge (optimizer: {_optimizer_message(printed.getvalue())}); "
            "the data may not identify the model (e.g. nobody lapses), or try a small penalizer_coef"
        ) from error
    except (np.linalg.LinAlgError, FloatingPointError, ValueError) as error:
        raise ClvFitError(f"{model} fit failed: {error}") from error


def _optimizer_message(printed: str) -> str:
    """The ``message:`` line of the scipy result lifetimes printed, else the start of what it printed."""
    for line in printed.splitlines():
        if line.strip().startswith("message:"):
            return line.split("message:", 1)[1].strip()
    return " ".join(printed.split())[:300] or "no detail"


def _fit_bgnbd(data: pd.DataFrame, config: ClvConfig) -> BetaGeoFitter:
    bgf = BetaGeoFitter(penalizer_coef=config.penalizer_coef)
    with _lifetimes_call("BG/NBD"):
        bgf.fit(data["frequency"].to_numpy(), data["recency"].to_numpy(), data["T"].to_numpy())
    _check_params("BG/NBD", bgf)
    return bgf


def _fit_gamma_gamma(spenders: pd.DataFrame, config: ClvConfig) -> GammaGammaFitter:
    ggf = GammaGammaFitter(penalizer_coef=config.penalizer_coef)
    with _lifetimes_call("Gamma-Gamma"):
        ggf.fit(spenders["frequency"].to_numpy(), spenders["monetary_value"].to_numpy())
    _check_params("Gamma-Gamma", ggf)
    q = float(ggf.params_["q"])
    if q <= 1:
        raise ClvFitError(f"Gamma-Gamma q = {q:.4g} <= 1: the population mean order value v p / (q - 1) is undefined")
    return ggf


def _check_params(model: str, fitter: BetaGeoFitter | GammaGammaFitter) -> None:
    params = _params(fitter)
    bad = {name: value for name, value in params.items() if not (math.isfinite(value) and value > 0)}
    if bad:
        raise ClvFitError(f"{model} fit returned non-finite or non-positive parameters: {bad}")


def _params(fitter: BetaGeoFitter | GammaGammaFitter) -> dict[str, float]:
    return {str(name): float(value) for name, value in fitter.params_.items()}


def _population_mean(ggf: GammaGammaFitter) -> float:
    p, q, v = (float(ggf.params_[k]) for k in ("p", "q", "v"))
    return v * p / (q - 1.0)


def _bgnbd_log_likelihood(bgf: BetaGeoFitter, data: pd.DataFrame) -> float:
    """Unpenalized BG/NBD log-likelihood in the summary's own time unit.

    lifetimes optimizes on a time axis rescaled to max(T) = 1 and reports a penalized
    per-customer mean, which is not comparable across data sets; recompute it.
    """
    log_params = np.log([bgf.params_[k] for k in ("r", "alpha", "a", "b")])
    weights = np.ones(len(data))
    with warnings.catch_warnings():
        mean_nll = BetaGeoFitter._negative_log_likelihood(
            log_params, data["frequency"].to_numpy(), data["recency"].to_numpy(), data["T"].to_numpy(), weights, 0.0
        )
    return float(-mean_nll * len(data))


def _gamma_gamma_log_likelihood(ggf: GammaGammaFitter, spenders: pd.DataFrame) -> float:
    log_params = np.log([ggf.params_[k] for k in ("p", "q", "v")])
    weights = np.ones(len(spenders))
    with warnings.catch_warnings():
        mean_nll = GammaGammaFitter._negative_log_likelihood(
            log_params, spenders["frequency"].to_numpy(), spenders["monetary_value"].to_numpy(), weights, 0.0
        )
    return float(-mean_nll * len(spenders))


def _correlation(x: pd.Series, y: pd.Series) -> float:
    if len(x) < 2 or x.nunique() < 2 or y.nunique() < 2:
        return float("nan")
    return float(np.corrcoef(x.to_numpy(), y.to_numpy())[0, 1])


def _predict(bgf: BetaGeoFitter, ggf: GammaGammaFitter, data: pd.DataFrame, config: ClvConfig) -> pd.DataFrame:
    frequency, recency, age = (data[c].to_numpy() for c in ("frequency", "recency", "T"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # hyp2f1 overflow; lifetimes falls back itself
        expected = bgf.conditional_expected_number_of_purchases_up_to_time(
            config.horizon_periods, frequency, recency, age
        )
        alive = bgf.conditional_probability_alive(frequency, recency, age)
        order_value = ggf.conditional_expected_average_profit(
            frequency, np.clip(data["monetary_value"].to_numpy(), 0, None)
        )
        clv = discounted_clv(
            bgf,
            frequency,
            recency,
            age,
            order_value,
            months=config.horizon_months,
            monthly_discount_rate=config.monthly_discount_rate,
            periods_per_month=config.periods_per_month,
        )
    out = data.copy()
    out["frequency"] = out["frequency"].astype("int64")
    out["expected_purchases"] = np.asarray(expected, dtype="float64")
    out["probability_alive"] = np.asarray(alive, dtype="float64")
    out["expected_average_order_value"] = np.asarray(order_value, dtype="float64")
    out["expected_clv"] = clv
    computed = out[["expected_purchases", "probability_alive", "expected_average_order_value", "expected_clv"]]
    if not np.isfinite(computed.to_numpy()).all():
        bad = computed.columns[~np.isfinite(computed.to_numpy()).all(axis=0)].tolist()
        raise ClvFitError(f"predictions are not finite for some customers in {bad}; parameters {_params(bgf)}")
    return out


def discounted_clv(
    bgf: BetaGeoFitter,
    frequency: np.ndarray,
    recency: np.ndarray,
    age: np.ndarray,
    order_value: np.ndarray,
    *,
    months: int,
    monthly_discount_rate: float,
    periods_per_month: float,
) -> np.ndarray:
    """Sum over months i = 1..months of order_value * E[purchases in month i] / (1 + rate) ** i.

    The same cash-flow model as lifetimes' ``_customer_lifetime_value`` (which hard-codes
    4.345 weeks or 30 days per month); ``periods_per_month`` is in the BG/NBD time unit.
    """
    cumulative = [np.zeros(len(frequency))]
    for month in range(1, months + 1):
        t = month * periods_per_month
        cumulative.append(
            np.asarray(bgf.conditional_expected_number_of_purchases_up_to_time(t, frequency, recency, age))
        )
    total = np.zeros(len(frequency))
    for month in range(1, months + 1):
        total += order_value * (cumulative[month] - cumulative[month - 1]) / (1.0 + monthly_discount_rate) ** month
    return total
