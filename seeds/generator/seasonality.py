"""Demand curves: day-of-year seasonality, weekday and hour-of-day patterns (Italy)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from seeds.generator.clock import Clock
from seeds.generator.indexes import Categorical


def black_friday(year: int) -> date:
    """Fourth Friday of November (the day after US Thanksgiving)."""
    d = date(year, 11, 1)
    first_thu = d + timedelta(days=(3 - d.weekday()) % 7)
    return first_thu + timedelta(days=22)


def easter(year: int) -> date:
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def italian_holidays(year: int) -> set[date]:
    e = easter(year)
    fixed = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]
    return {date(year, m, d) for m, d in fixed} | {e + timedelta(days=1)}


def retail_factor(d: date) -> float:
    """Consumer demand multiplier for one calendar day."""
    bf = black_friday(d.year)
    f = 1.0
    m, day = d.month, d.day
    if m == 1:
        f = 0.55 if day == 1 else (1.7 if day <= 15 else 1.35)  # saldi invernali
    elif m == 2:
        f = 1.05
    elif m in (3, 4, 5):
        f = 1.1
    elif m == 6:
        f = 1.0
    elif m == 7:
        f = 1.12  # saldi estivi
    elif m == 8:
        f = 0.8 if day <= 7 else (0.4 if day <= 24 else 0.8)  # ferie d'agosto
    elif m == 9:
        f = 1.15  # back to school / back to office
    elif m == 10:
        f = 1.0
    elif m == 11:
        delta = (d - bf).days
        if delta == 0:
            f = 4.2
        elif -8 <= delta < 0:
            f = 2.0
        elif 1 <= delta <= 3:
            f = 2.5 if delta < 3 else 2.8  # weekend + Cyber Monday
        else:
            f = 1.0
    elif m == 12:
        delta = (d - bf).days
        if delta <= 3:
            f = 2.8 if delta == 3 else 2.2
        elif day <= 15:
            f = 1.9
        elif day <= 22:
            f = 2.3
        elif day <= 24:
            f = 0.9
        elif day <= 26:
            f = 0.4
        else:
            f = 0.7
    return f


def business_factor(d: date, holidays: set[date]) -> float:
    """B2B demand multiplier: August and Christmas shut-downs, holidays."""
    if d in holidays:
        return 0.25
    m, day = d.month, d.day
    if m == 8 and 8 <= day <= 24:
        return 0.3
    if m == 8:
        return 0.75
    if m == 12 and day >= 23:
        return 0.3
    if m == 1 and day <= 6:
        return 0.5
    if m in (9, 10, 3):
        return 1.15
    return 1.0


WEEKDAY_B2C = (0.9, 0.9, 0.92, 0.95, 1.0, 1.2, 1.25)
WEEKDAY_B2B = (1.25, 1.3, 1.25, 1.2, 1.0, 0.3, 0.22)

# Hour-of-day (Europe/Rome) weights.
HOURS_B2C = np.array(
    [
        0.9,
        0.45,
        0.2,
        0.1,
        0.08,
        0.1,
        0.25,
        0.6,
        1.0,
        1.1,
        1.1,
        1.15,
        1.5,
        1.6,
        1.2,
        1.0,
        1.0,
        1.1,
        1.4,
        1.8,
        2.2,
        2.6,
        2.5,
        1.8,
    ]
)
HOURS_B2B = np.array(
    [
        0.05,
        0.02,
        0.01,
        0.01,
        0.02,
        0.05,
        0.2,
        0.9,
        2.2,
        2.8,
        2.9,
        2.6,
        1.6,
        1.5,
        2.4,
        2.6,
        2.5,
        2.1,
        1.3,
        0.6,
        0.35,
        0.3,
        0.2,
        0.1,
    ]
)
HOURS_B2C_P = HOURS_B2C / HOURS_B2C.sum()
HOURS_B2B_P = HOURS_B2B / HOURS_B2B.sum()
_HOUR_PICK = {"b2c": Categorical(HOURS_B2C_P, normalize=False), "b2b": Categorical(HOURS_B2B_P, normalize=False)}


class Demand:
    """Per-window-day demand weights for consumers (b2c) and businesses (b2b)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        hol: set[date] = set()
        for y in range(clock.start.year, clock.end.year + 1):
            hol |= italian_holidays(y)
        self.b2c = np.array([retail_factor(d) * WEEKDAY_B2C[d.weekday()] for d in clock.dates])
        self.b2b = np.array(
            [
                business_factor(d, hol) * WEEKDAY_B2B[d.weekday()] * (0.5 + 0.5 * retail_factor(d) ** 0.3)
                for d in clock.dates
            ]
        )
        self.b2c_cum = np.cumsum(self.b2c) / self.b2c.mean()
        self.b2b_cum = np.cumsum(self.b2b) / self.b2b.mean()
        self._day_picks: dict[tuple[str, int, int], Categorical] = {}

    def weights(self, persona: str) -> np.ndarray:
        return self.b2b if persona == "b2b" else self.b2c

    def hour_p(self, persona: str) -> np.ndarray:
        return HOURS_B2B_P if persona == "b2b" else HOURS_B2C_P

    def hour_pick(self, persona: str) -> Categorical:
        """Draws ``rng.choice(24, p=hour_p(persona))`` would draw, the CDF computed once."""
        return _HOUR_PICK["b2b" if persona == "b2b" else "b2c"]

    def day_pick(self, persona: str, lo: int, hi: int) -> Categorical:
        """Draws of ``rng.choice(len(seg), p=seg / seg.sum())`` with ``seg = weights(persona)[lo : hi + 1]``
        (an offset from ``lo``), the CDF computed once per (persona, lo, hi)."""
        key = ("b2b" if persona == "b2b" else "b2c", lo, hi)
        pick = self._day_picks.get(key)
        if pick is None:
            pick = self._day_picks[key] = Categorical(self.weights(persona)[lo : hi + 1])
        return pick

    def advance(self, persona: str, day_from: float, effort: float) -> float:
        """Day (fractional index) after spending ``effort`` average-days of demand from ``day_from``.

        Used to run Poisson processes in "seasonal time": an exponential gap measured in
        average days lands earlier in busy periods and later in quiet ones.
        """
        cum = self.b2b_cum if persona == "b2b" else self.b2c_cum
        i = int(day_from)
        if i >= len(cum):
            return float("inf")
        base = (cum[i - 1] if i > 0 else 0.0) + (day_from - i) * (cum[i] - (cum[i - 1] if i > 0 else 0.0))
        target = base + effort
        j = int(np.searchsorted(cum, target))
        if j >= len(cum):
            return float("inf")
        prev = cum[j - 1] if j > 0 else 0.0
        return j + (target - prev) / max(cum[j] - prev, 1e-9)
