"""Write the Great Expectations suites of the raw and staging layers from the dbt YAML.

The YAML is the contract; the suites follow it, so they cannot drift:

* raw (``expectations/raw/<raw table>.json``, from ``models/staging/*/_*__sources.yml``): the exact
  column set (contract columns + lineage), lineage columns not null, and each column's
  ``config.meta.quality`` rules;
* staging (``expectations/staging/<model>.json``, from ``models/staging/*/_*__models.yml``): the exact
  column set of the model's YAML, its dbt tests (``unique``, ``not_null``, ``accepted_values``,
  ``value_between``, ``unique_combination_of_columns``) and each column's ``config.meta.quality``.

``config.meta.quality`` of a column (every key optional)::

    not_null: true
    unique: true
    values: [a, b]                 # accepted values (nulls pass)
    between: [0, 10]               # inclusive; null = open end
    regex: '^[a-z]+$'
    in_extract_window: true        # timestamp / date / epoch-microsecond column inside the
                                   # extract window (suite parameters extract_start ... extract_end_us)
    mostly: 0.98                   # fraction of rows that must pass the rules above

(a list of such mappings for rules with different ``mostly``; a bound written ``"$name"`` is the
suite parameter ``name``), and ``config.meta.quality`` of a source table::

    unique: [a, b]                 # columns unique together (or a list of such lists)
    mostly: 0.9                    # ... with this fraction of rows passing
    pair_at_least:                 # per row, column_a >= column_b (a row where either is null
      - {column_a: total, column_b: refunded_amount}    # passes), e.g. a refund never above
                                   # the order total; optional mostly per pair

Run after changing a contract: ``python expectations/generate_suites.py``; ``--check`` exits 1 when a
committed suite differs (a test runs it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
STAGING_DIR = ROOT / "dbt" / "models" / "staging"
OUT = ROOT / "expectations"
LINEAGE = ["_source_file", "_source_row", "_loaded_at"]
WINDOW = {
    "timestamp": ("extract_start", "extract_end"),
    "timestamptz": ("extract_start", "extract_end"),
    "date": ("extract_start_date", "extract_end_date"),
    "bigint": ("extract_start_us", "extract_end_us"),
}


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    meta = dict(node.get("meta") or {})
    meta.update((node.get("config") or {}).get("meta") or {})
    return meta


def _bound(value: Any) -> Any:
    """A literal bound, or ``"$name"`` for the suite parameter ``name``."""
    if isinstance(value, str) and value.startswith("$"):
        return {"$PARAMETER": value[1:]}
    return value


def _column_rules(
    column: str, quality: dict[str, Any] | list[dict[str, Any]], data_type: str | None
) -> list[dict[str, Any]]:
    if isinstance(quality, list):  # several rule sets, each with its own `mostly`
        return [rule for part in quality for rule in _column_rules(column, part, data_type)]
    mostly = {"mostly": quality["mostly"]} if "mostly" in quality else {}
    out: list[dict[str, Any]] = []
    if quality.get("not_null"):
        out.append({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": column, **mostly}})
    if quality.get("unique"):
        out.append({"type": "expect_column_values_to_be_unique", "kwargs": {"column": column, **mostly}})
    if "values" in quality:
        out.append(
            {
                "type": "expect_column_values_to_be_in_set",
                "kwargs": {"column": column, "value_set": list(quality["values"]), **mostly},
            }
        )
    if "between" in quality:
        low, high = quality["between"]
        kwargs: dict[str, Any] = {"column": column, **mostly}
        if low is not None:
            kwargs["min_value"] = _bound(low)
        if high is not None:
            kwargs["max_value"] = _bound(high)
        out.append({"type": "expect_column_values_to_be_between", "kwargs": kwargs})
    if "regex" in quality:
        out.append(
            {
                "type": "expect_column_values_to_match_regex",
                "kwargs": {"column": column, "regex": quality["regex"], **mostly},
            }
        )
    if quality.get("in_extract_window"):
        kind = (data_type or "timestamp").strip().lower()
        if kind not in WINDOW:
            raise SystemExit(f"{column}: in_extract_window needs a timestamp, date or epoch-microsecond bigint column")
        low, high = WINDOW[kind]
        out.append(
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {
                    "column": column,
                    "min_value": {"$PARAMETER": low},
                    "max_value": {"$PARAMETER": high},
                    **mostly,
                },
            }
        )
    return out


def _pair_rules(pairs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pair_at_least`` of a table: ``column_a >= column_b`` on every row where both are set."""
    out = []
    for pair in pairs:
        unknown = set(pair) - {"column_a", "column_b", "mostly"}
        if unknown or not {"column_a", "column_b"} <= set(pair):
            raise SystemExit(f"pair_at_least needs column_a and column_b (and an optional mostly), got {pair}")
        mostly = {"mostly": pair["mostly"]} if "mostly" in pair else {}
        out.append(
            {
                "type": "expect_column_pair_values_a_to_be_greater_than_b",
                "kwargs": {
                    "column_A": pair["column_a"],
                    "column_B": pair["column_b"],
                    "or_equal": True,
                    "ignore_row_if": "either_value_is_missing",
                    **mostly,
                },
            }
        )
    return out


def _suite(layer: str, schema: str, table: str, notes: str, expectations: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": f"{schema}.{table}",
        "meta": {"layer": layer, "schema": schema, "table": table, "notes": notes},
        "expectations": expectations,
    }


def raw_suites() -> dict[str, dict[str, Any]]:
    suites: dict[str, dict[str, Any]] = {}
    for path in sorted(STAGING_DIR.glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources", []):
            if source.get("schema") != "raw":
                continue
            for table in source.get("tables", []):
                name = table.get("identifier", table["name"])
                columns = [c["name"] for c in table["columns"]]
                expectations: list[dict[str, Any]] = [
                    {
                        "type": "expect_table_columns_to_match_set",
                        "kwargs": {"column_set": columns + LINEAGE, "exact_match": True},
                    },
                ]
                expectations += [
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": c}} for c in LINEAGE
                ]
                for column in table["columns"]:
                    expectations += _column_rules(
                        column["name"], _meta(column).get("quality") or {}, column.get("data_type")
                    )
                table_quality = _meta(table).get("quality") or {}
                unique = table_quality.get("unique") or []
                for combination in unique if unique and isinstance(unique[0], list) else [unique] if unique else []:
                    mostly = {"mostly": table_quality["mostly"]} if "mostly" in table_quality else {}
                    expectations.append(
                        {
                            "type": "expect_compound_columns_to_be_unique",
                            "kwargs": {"column_list": list(combination), **mostly},
                        }
                    )
                expectations += _pair_rules(table_quality.get("pair_at_least") or [])
                suites[name] = _suite(
                    "raw",
                    "raw",
                    name,
                    f"Generated by expectations/generate_suites.py from {path.relative_to(ROOT).as_posix()}. "
                    "Validated on the rows of the latest load; parameters extract_start/extract_end (timestamps), "
                    "extract_start_date/extract_end_date and extract_start_us/extract_end_us come"
                    " from the extract window.",
                    expectations,
                )
    return suites


def _dbt_test_rules(column: str, test: Any) -> list[dict[str, Any]]:
    if test == "unique":
        return [{"type": "expect_column_values_to_be_unique", "kwargs": {"column": column}}]
    if test == "not_null":
        return [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": column}}]
    if isinstance(test, dict):
        name, body = next(iter(test.items()))
        arguments = (body or {}).get("arguments", body or {})
        if name == "accepted_values":
            return [
                {
                    "type": "expect_column_values_to_be_in_set",
                    "kwargs": {"column": column, "value_set": list(arguments["values"])},
                }
            ]
        if name == "value_between":
            kwargs = {"column": column}
            kwargs.update({k: arguments[k] for k in ("min_value", "max_value") if arguments.get(k) is not None})
            return [{"type": "expect_column_values_to_be_between", "kwargs": kwargs}]
    return []


def staging_suites() -> dict[str, dict[str, Any]]:
    suites: dict[str, dict[str, Any]] = {}
    for path in sorted(STAGING_DIR.glob("*/_*__models.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            name = model["name"]
            columns = [c["name"] for c in model.get("columns", [])]
            expectations: list[dict[str, Any]] = [
                {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": columns, "exact_match": True}},
            ]
            for column in model.get("columns", []):
                for test in column.get("data_tests") or []:
                    expectations += _dbt_test_rules(column["name"], test)
                expectations += _column_rules(
                    column["name"], _meta(column).get("quality") or {}, column.get("data_type")
                )
            model_quality = _meta(model).get("quality") or {}
            for combination in model_quality.get("unique") or []:
                expectations.append(
                    {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": list(combination)}}
                )
            for test in model.get("data_tests") or []:
                if isinstance(test, dict) and "unique_combination_of_columns" in test:
                    body = test["unique_combination_of_columns"]
                    combination = body.get("arguments", body)["combination_of_columns"]
                    expectations.append(
                        {"type": "expect_compound_columns_to_be_unique", "kwargs": {"column_list": list(combination)}}
                    )
            suites[name] = _suite(
                "staging",
                "staging",
                name,
                f"Generated by expectations/generate_suites.py from {path.relative_to(ROOT).as_posix()}: the model's "
                "columns, its dbt tests and its columns' meta.quality. Validated on the rows of the latest load.",
                expectations,
            )
    return suites


def write(layer: str, suites: dict[str, dict[str, Any]], check: bool) -> list[str]:
    folder = OUT / layer
    folder.mkdir(exist_ok=True)
    problems = []
    for name, suite in suites.items():
        path = folder / f"{name}.json"
        text = json.dumps(suite, indent=2) + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                problems.append(f"stale: {layer}/{path.name}")
        else:
            path.write_text(text, encoding="utf-8")
    for path in sorted(folder.glob("*.json")):
        if path.stem not in suites:
            if check:
                problems.append(f"no contract: {layer}/{path.name}")
            else:
                path.unlink()
    return problems


def main(argv: list[str]) -> int:
    check = "--check" in argv
    problems = write("raw", raw_suites(), check) + write("staging", staging_suites(), check)
    if check:
        if problems:
            print("\n".join(problems) + "\nrun: python expectations/generate_suites.py")
            return 1
        return 0
    print("wrote the raw and staging suites")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
