"""The asset graph as an operator sees it: groups, lineage, blocking checks, one suite per model."""

import json
import subprocess
import sys

from dagster import AssetKey

from dagster_project.ingest.raw_contract import raw_tables
from dagster_project.settings import DBT_PROJECT_DIR, EXPECTATIONS_DIR, Settings


def load_definitions(tmp_path):
    from dagster_project.definitions import build_definitions

    return build_definitions(Settings(warehouse_path=tmp_path / "w.duckdb", landing_dir=tmp_path / "landing"))


def test_layers_lineage_and_blocking_checks(tmp_path, _dbt_manifest) -> None:
    graph = load_definitions(tmp_path).resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {"raw", "staging", "intermediate", "marts", "models"} <= groups

    staging_models = sorted(p.stem for p in (DBT_PROJECT_DIR / "models" / "staging").glob("*/stg_*.sql"))
    assert len(staging_models) >= len(raw_tables())  # a raw table of nested API pages can give several
    staged_raw = set()
    for model in staging_models:
        parents = graph.get(AssetKey(["staging", model])).parent_keys
        assert any(parent.path[0] in ("raw", "staging") for parent in parents), f"{model} has no raw parent"
        staged_raw |= {parent.path[1] for parent in parents if parent.path[0] == "raw"}
    assert staged_raw == {t.name for t in raw_tables()}, "every raw table has a staging model"

    check_keys = {key.to_user_string() for key in graph.asset_check_keys}
    for table in raw_tables():
        assert f"raw/{table.name}:great_expectations_raw" in check_keys
    for model in staging_models:
        assert f"staging/{model}:great_expectations_staging" in check_keys
    for mart in ("dim_customer", "bridge_customer_identifier", "fct_customer_touchpoint"):
        assert f"marts/{mart}:great_expectations_unified" in check_keys
    mart_models = sorted(p.stem for p in (DBT_PROJECT_DIR / "models" / "marts").glob("*/mart_*.sql"))
    for mart in mart_models:
        assert f"marts/{mart}:great_expectations_marts" in check_keys
    for table in ("customer_clv_predictions", "text_sentiment", "lead_scoring_actions"):
        assert f"ml/{table}:great_expectations_ml" in check_keys
    # the model marts hang below the Python assets
    assert AssetKey(["ml", "text_sentiment"]) in graph.get(AssetKey(["marts", "fct_text_sentiment"])).parent_keys
    assert (
        AssetKey(["ml", "customer_clv_predictions"]) in graph.get(AssetKey(["marts", "mart_customer_clv"])).parent_keys
    )
    gates = [key for key in graph.asset_check_keys if key.name.startswith("great_expectations_")]
    assert gates and all(graph.get_check_spec(key).blocking for key in gates)


def test_suites_name_only_existing_layers_and_parse(tmp_path) -> None:
    for suite_file in EXPECTATIONS_DIR.rglob("*.json"):
        suite = json.loads(suite_file.read_text())
        assert suite["name"] == f"{suite_file.parent.name}.{suite_file.stem}"
        assert suite["expectations"], suite_file
        columns = next(
            (
                e["kwargs"].get("column_list") or e["kwargs"].get("column_set")
                for e in suite["expectations"]
                if e["type"].startswith("expect_table_columns_to_match")
            ),
            None,
        )
        assert columns, f"{suite_file} does not pin the table's columns"
    raw_suites = {p.stem for p in (EXPECTATIONS_DIR / "raw").glob("*.json")}
    assert raw_suites == {t.name for t in raw_tables()}


def test_raw_and_staging_suites_are_generated_from_the_current_yaml() -> None:
    completed = subprocess.run(
        [sys.executable, str(EXPECTATIONS_DIR / "generate_suites.py"), "--check"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_readme_source_map_follows_the_dbt_lineage(_dbt_manifest) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dagster_project.ingest.source_map", "--check"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_marts_suites_are_generated_from_the_current_yaml() -> None:
    completed = subprocess.run(
        [sys.executable, str(EXPECTATIONS_DIR / "generate_marts_suites.py"), "--check"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_the_generator_schema_and_the_raw_contracts_agree() -> None:
    """Generic CSVs: the generator's columns are the YAML's; every folder it writes is a declared raw table."""
    completed = subprocess.run(
        [sys.executable, "-m", "seeds.generator.docs", "--check"], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
