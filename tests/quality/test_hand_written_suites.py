"""The hand-written suites (unified layer) name exactly the columns the model's YAML documents: a
column added to a model without its suite would fail every pipeline run at the unified gate."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _documented_columns() -> dict[str, list[str]]:
    columns: dict[str, list[str]] = {}
    for path in (ROOT / "dbt" / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []) or []:
            columns[model["name"]] = [column["name"] for column in model.get("columns", [])]
    return columns


def test_unified_suites_name_the_documented_columns() -> None:
    documented = _documented_columns()
    checked, wrong = 0, []
    for path in sorted((ROOT / "expectations" / "unified").glob("*.json")):
        for expectation in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            if expectation["type"] != "expect_table_columns_to_match_set":
                continue
            checked += 1
            suite, yaml_columns = set(expectation["kwargs"]["column_set"]), set(documented[path.stem])
            if suite != yaml_columns:
                only_suite, only_yaml = sorted(suite - yaml_columns), sorted(yaml_columns - suite)
                wrong.append(f"{path.name}: only in the suite {only_suite}, only in the YAML {only_yaml}")
    assert checked >= 3
    assert wrong == []
