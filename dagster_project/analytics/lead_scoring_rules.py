"""The lead scoring and grading configuration (``dagster_project/config/lead_scoring.yml``).

Validated here and turned into three small tables that the SQL models join to:
``ml.lead_scoring_actions`` (points per touchpoint type), ``ml.lead_grading_criteria``
(one row per matchable value, range or keyword of a criterion) and
``ml.lead_scoring_parameters`` (half-life, bands, grade thresholds, MQL rule).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

RULES_PATH = Path(__file__).resolve().parents[1] / "config" / "lead_scoring.yml"
GRADABLE_FIELDS = {"company_industry", "company_employee_count", "job_title", "country_code"}


class RulesError(ValueError):
    """The rules file is invalid; the message names the file and the offending key."""


@dataclass(frozen=True)
class LeadScoringRules:
    version: str
    actions: pd.DataFrame
    criteria: pd.DataFrame
    parameters: pd.DataFrame


def _fail(path: Path, where: str, problem: str) -> RulesError:
    return RulesError(f"{path}: {where}: {problem}")


def _number(path: Path, where: str, value: Any, minimum: float = 0.0, maximum: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not minimum <= value <= maximum:
        raise _fail(path, where, f"expected a number in [{minimum}, {maximum}], got {value!r}")
    return float(value)


def _criterion_rows(path: Path, index: int, criterion: dict[str, Any]) -> list[dict[str, Any]]:
    where = f"grading.criteria[{index}]"
    name, field, weight = criterion.get("name"), criterion.get("field"), criterion.get("weight")
    if not name or field not in GRADABLE_FIELDS:
        raise _fail(path, where, f"needs a name and a field among {sorted(GRADABLE_FIELDS)}, got {field!r}")
    weight = _number(path, f"{where}.weight", weight, 0, 100)
    rows: list[dict[str, Any]] = []
    base = {"criterion": name, "field": field, "weight": weight}
    for value, points in (criterion.get("values") or {}).items():
        rows.append(
            {
                **base,
                "match_type": "value",
                "match_value": str(value).lower(),
                "range_min": None,
                "range_max": None,
                "fit": _number(path, f"{where}.values.{value}", points, 0, 1),
            }
        )
    for position, band in enumerate(criterion.get("ranges") or []):
        rows.append(
            {
                **base,
                "match_type": "range",
                "match_value": None,
                "range_min": _number(path, f"{where}.ranges[{position}].min", band.get("min", 0)),
                "range_max": None
                if band.get("max") is None
                else _number(path, f"{where}.ranges[{position}].max", band["max"]),
                "fit": _number(path, f"{where}.ranges[{position}].points", band.get("points"), 0, 1),
            }
        )
    for keyword, points in (criterion.get("keywords") or {}).items():
        rows.append(
            {
                **base,
                "match_type": "keyword",
                "match_value": str(keyword).lower(),
                "range_min": None,
                "range_max": None,
                "fit": _number(path, f"{where}.keywords.{keyword}", points, 0, 1),
            }
        )
    if not rows:
        raise _fail(path, where, "has no values, ranges or keywords")
    return rows


def load_rules(path: Path = RULES_PATH) -> LeadScoringRules:
    """Read and validate the rules file; raise RulesError naming the key at fault."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise RulesError(f"{path}: not valid YAML: {error}") from error
    version = str(document.get("version") or "")
    if not version:
        raise _fail(path, "version", "missing")
    scoring, grading, mql = document.get("scoring") or {}, document.get("grading") or {}, document.get("mql") or {}

    half_life = _number(path, "scoring.half_life_days", scoring.get("half_life_days"), 1, 3650)
    actions = scoring.get("actions") or {}
    if not actions:
        raise _fail(path, "scoring.actions", "no actions")
    action_rows = [
        {
            "rules_version": version,
            "touchpoint_type": str(action),
            "points": _number(path, f"scoring.actions.{action}", points, 0, 1000),
        }
        for action, points in actions.items()
    ]
    bands = scoring.get("bands") or []
    if len(bands) != 3 or sorted(bands, reverse=True) != list(bands):
        raise _fail(path, "scoring.bands", f"expected three descending score thresholds, got {bands!r}")

    criteria_rows: list[dict[str, Any]] = []
    for index, criterion in enumerate(grading.get("criteria") or []):
        criteria_rows += [{"rules_version": version, **row} for row in _criterion_rows(path, index, criterion)]
    weights = {row["criterion"]: row["weight"] for row in criteria_rows}
    if abs(sum(weights.values()) - 100) > 1e-9:
        raise _fail(path, "grading.criteria", f"weights add up to {sum(weights.values())}, not 100")
    grades = grading.get("grades") or {}
    thresholds = [_number(path, f"grading.grades.{grade}", grades.get(grade), 0, 100) for grade in ("A", "B", "C")]
    if sorted(thresholds, reverse=True) != thresholds:
        raise _fail(path, "grading.grades", f"A >= B >= C expected, got {grades!r}")
    mql_grades = [str(grade) for grade in mql.get("grades") or []]
    if not set(mql_grades) <= {"A", "B", "C", "D"} or not mql_grades:
        raise _fail(path, "mql.grades", f"expected a list of grades A-D, got {mql_grades!r}")

    parameters = {
        "rules_version": version,
        "half_life_days": half_life,
        "band_1_min_score": _number(path, "scoring.bands[0]", bands[0]),
        "band_2_min_score": _number(path, "scoring.bands[1]", bands[1]),
        "band_3_min_score": _number(path, "scoring.bands[2]", bands[2]),
        "grade_a_min_fit": thresholds[0],
        "grade_b_min_fit": thresholds[1],
        "grade_c_min_fit": thresholds[2],
        "mql_min_score": _number(path, "mql.min_score", mql.get("min_score")),
        "mql_grades": ",".join(mql_grades),
    }
    return LeadScoringRules(
        version=version,
        actions=pd.DataFrame(action_rows),
        criteria=pd.DataFrame(
            criteria_rows,
            columns=[
                "rules_version",
                "criterion",
                "field",
                "weight",
                "match_type",
                "match_value",
                "range_min",
                "range_max",
                "fit",
            ],
        ),
        parameters=pd.DataFrame([parameters]),
    )
