"""Daily reference exchange rates (EUR per unit) as a gentle random walk."""

from __future__ import annotations

import math

import numpy as np

from seeds.generator.clock import Clock
from seeds.generator.geo import FX_START


class FxTable:
    def __init__(self, clock: Clock, rng: np.random.Generator) -> None:
        self.clock = clock
        self.currencies = tuple(c for c, _ in FX_START)
        self.rates: dict[str, list[float]] = {}
        for cur, start in FX_START:
            if cur == "EUR":
                self.rates[cur] = [1.0] * clock.n_days
                continue
            x, out = math.log(start), []
            steps = rng.normal(0.0, 0.0032, size=clock.n_days)
            for i in range(clock.n_days):
                x += float(steps[i]) - 0.02 * (x - math.log(start))  # mild mean reversion
                out.append(round(math.exp(x), 6))
            self.rates[cur] = out

    def eur_per_unit(self, currency: str, day: int) -> float:
        return self.rates[currency][min(max(day, 0), self.clock.n_days - 1)]

    def rows(self):
        for d in range(self.clock.n_days):
            iso = self.clock.day_iso(d)
            for cur in self.currencies:
                yield (iso, cur, f"{self.rates[cur][d]:.6f}")
