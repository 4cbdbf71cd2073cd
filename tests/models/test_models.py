"""The Python model assets on their own: rules validation, predictive CLV with too little data."""

from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import materialize

from dagster_project.analytics.lead_scoring_rules import RULES_PATH, RulesError, load_rules
from dagster_project.assets.models import customer_clv_predictions, lead_scoring_rules
from dagster_project.quality.model_checks import clv_model_fitted
from dagster_project.resources import WarehouseResource


def _write_rules(tmp_path: Path, change) -> Path:
    document = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "lead_scoring.yml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_the_shipped_rules_load() -> None:
    rules = load_rules()
    assert rules.version and len(rules.actions) >= 7
    assert set(rules.criteria["criterion"]) == {"industry", "company_size", "role", "country"}
    assert rules.criteria.groupby("criterion")["weight"].first().sum() == 100


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["grading"]["criteria"][0].update(weight=40), "weights add up to 110"),
        (lambda d: d["scoring"].update(bands=[5, 20, 40]), "scoring.bands"),
        (lambda d: d["scoring"]["actions"].update(email_click=-3), "scoring.actions.email_click"),
        (lambda d: d["grading"]["criteria"][1].update(field="revenue"), "grading.criteria[1]"),
        (lambda d: d["mql"].update(grades=["Z"]), "mql.grades"),
        (lambda d: d.pop("version"), "version"),
    ],
)
def test_invalid_rules_name_the_key_at_fault(tmp_path: Path, change, message: str) -> None:
    path = _write_rules(tmp_path, change)
    with pytest.raises(RulesError, match=message.replace("[", r"\[").replace("]", r"\]")) as raised:
        load_rules(path)
    assert str(path) in str(raised.value)


def test_rules_load_into_schema_ml(tmp_path: Path) -> None:
    warehouse = WarehouseResource(database=str(tmp_path / "w.duckdb"))
    assert materialize([lead_scoring_rules], resources={"warehouse": warehouse}).success
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        version, half_life = con.execute(
            "select rules_version, half_life_days from ml.lead_scoring_parameters"
        ).fetchone()
        points = dict(con.execute("select touchpoint_type, points from ml.lead_scoring_actions").fetchall())
    assert version == load_rules().version and half_life > 0 and points["pricing_page_view"] > points["page_view"]


def test_predictive_clv_with_too_little_data_stays_empty_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create schema intermediate")
        con.execute(
            """create table marts.fct_order as
               select 'c' || (i % 12) as customer_id, date '2026-01-01' + cast(i * 3 as integer) as order_date_local,
                      50.0 as net_revenue_eur, false as is_cancelled
               from range(30) as t(i)"""
        )
        con.execute(
            "create table intermediate.int_kpi__calendar_days as select date '2026-03-31' as observation_end_date"
        )
    warehouse = WarehouseResource(database=str(path))
    result = materialize([customer_clv_predictions], resources={"warehouse": warehouse}, selection=None)
    assert result.success
    metadata = result.get_asset_materialization_events()[0].materialization.metadata
    assert metadata["fit_status"].value.startswith("not fitted: 12 customers with orders < 50")
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from ml.customer_clv_predictions").fetchone()[0] == 0
        columns = [row[0] for row in con.execute("describe ml.customer_clv_predictions").fetchall()]
    assert "predicted_clv_eur" in columns and "probability_alive" in columns
    check = clv_model_fitted(warehouse=warehouse)
    assert not check.passed and check.metadata["fit_status"].value.startswith("not fitted")
