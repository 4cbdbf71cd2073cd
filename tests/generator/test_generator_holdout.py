"""The generator's holdout period: the orders after the window, ground truth only.

Cheap: 300 people over four months. Three runs: holdout 6 months twice (determinism) and
holdout 0 (no holdout file; every other file byte-identical, so the holdout draws shift
no existing stream).
"""

from __future__ import annotations

import csv
import gzip
from datetime import date
from pathlib import Path

import pytest

from seeds.generator.config import GeneratorConfig
from seeds.generator.holdout import HOLDOUT_COLUMNS, add_months, holdout_end
from seeds.generator.pipeline import generate

START, END = date(2025, 11, 1), date(2026, 2, 28)
HOLDOUT = "_ground_truth/holdout_orders.csv.gz"


def _run(out: Path, holdout_months: int) -> Path:
    generate(
        GeneratorConfig(people=300, start=START, end=END, seed=7, out=out, holdout_months=holdout_months),
        log=lambda _: None,
    )
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, Path, Path]:
    base = tmp_path_factory.mktemp("holdout")
    return _run(base / "a", 6), _run(base / "b", 6), _run(base / "none", 0)


def _rows(root: Path) -> list[dict[str, str]]:
    with gzip.open(root / HOLDOUT, "rt", newline="") as f:
        return list(csv.DictReader(f))


def test_the_holdout_is_deterministic_and_shifts_no_other_file(runs) -> None:
    a, b, none = runs
    files_a, files_b, files_none = _files(a), _files(b), _files(none)
    assert files_a == files_b
    assert HOLDOUT in files_a and HOLDOUT not in files_none
    assert {k: v for k, v in files_a.items() if k != HOLDOUT} == files_none


def test_holdout_orders_follow_the_window_and_only_continuing_customers(runs) -> None:
    a = runs[0]
    rows = _rows(a)
    assert rows and tuple(rows[0]) == HOLDOUT_COLUMNS
    days = [date.fromisoformat(r["order_date"]) for r in rows]
    assert min(days) > END and max(days) <= holdout_end(END, 6) == date(2026, 8, 31)
    assert [r["order_number"] for r in rows] == [f"H{i:06d}" for i in range(1, len(rows) + 1)]
    assert all(0 <= int(r["months_after_window"]) < 6 for r in rows)
    for r in rows:
        gross, refunded, net = (float(r[c]) for c in ("gross_revenue_eur", "refunded_eur", "net_revenue_eur"))
        assert gross > 0 and 0 <= net <= gross
        assert net == (0.0 if r["is_cancelled"] == "true" else pytest.approx(gross - refunded))
    with gzip.open(a / "_ground_truth" / "people.csv.gz", "rt", newline="") as f:
        people = {p["person_id"]: p for p in csv.DictReader(f)}
    buyers = {r["person_id"] for r in rows}
    # a customer who dropped out in the window (churned_at) never buys again
    assert not any(people[pid]["churned_at"] for pid in buyers)


def test_add_months_clips_to_the_month_length() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 1), 12) == date(2027, 11, 1)
    assert holdout_end(date(2026, 10, 31), 12) == date(2027, 10, 31)


def test_holdout_months_is_bounded() -> None:
    with pytest.raises(ValueError):
        GeneratorConfig(holdout_months=-1)
