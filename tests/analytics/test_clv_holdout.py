"""The CLV holdout benchmark's scoring on a hand-computed frame (benchmarks/clv_holdout.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from clv_holdout import score


def test_scores_mae_correlations_and_deciles() -> None:
    # four customers, two "deciles": forecasts 0, 10, 20, 30 against actual 0, 0, 40, 40
    frame = pd.DataFrame({"f": [30.0, 0.0, 20.0, 10.0], "actual": [40.0, 0.0, 40.0, 0.0]})
    s = score(frame, "f", deciles=2)
    assert s.customers == 4
    assert s.mae == pytest.approx((10 + 0 + 20 + 10) / 4)
    assert s.predicted_total == 60 and s.actual_total == 80
    assert s.spearman == pytest.approx(0.894427, abs=1e-6)  # ranks 1..4 vs tied 1.5, 1.5, 3.5, 3.5
    assert s.pearson == pytest.approx(0.894427, abs=1e-6)
    assert s.deciles["mean_predicted"].tolist() == [5.0, 25.0]
    assert s.deciles["mean_actual"].tolist() == [0.0, 40.0]
    assert s.deciles["customers"].tolist() == [2, 2]


def test_a_perfect_forecast_has_no_error() -> None:
    frame = pd.DataFrame({"f": [1.0, 2.0, 3.0, 9.0], "actual": [1.0, 2.0, 3.0, 9.0]})
    s = score(frame, "f", deciles=4)
    assert s.mae == 0 and s.pearson == pytest.approx(1) and s.spearman == pytest.approx(1)
