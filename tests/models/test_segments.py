"""Personas and RFM segments on the bundled run: the rules recover the generator's b2b/b2c truth,
every customer has one persona, and the persona and segment marts add up to the totals."""

from pathlib import Path

import pytest

from dagster_project.analytics.persona_accuracy import Agreement, score
from tests.conftest import snapshot


def test_agreement_and_kappa_by_hand() -> None:
    # 8 b2b found, 2 b2b missed, 1 b2c called b2b, 89 b2c right: agreement 97/100;
    # chance = (0.09 x 0.10) + (0.91 x 0.90) = 0.828 -> kappa = (0.97 - 0.828) / 0.172
    agreement = Agreement.of([("b2b", "b2b", 8), ("b2c", "b2b", 2), ("b2b", "b2c", 1), ("b2c", "b2c", 89)])
    assert agreement.customers == 100
    assert agreement.agreement == pytest.approx(0.97)
    assert agreement.kappa == pytest.approx((0.97 - 0.828) / 0.172)
    assert agreement.confusion == {"b2b|b2b": 8, "b2b|b2c": 1, "b2c|b2b": 2, "b2c|b2c": 89}


def test_persona_rules_recover_the_ground_truth(bundled_run, bundled_dir: Path) -> None:
    accuracy = score(bundled_run.workspace.warehouse, bundled_dir / "_ground_truth")
    # customers with an order: the ones whose CLV and CAC the persona marts report
    # (measured on the bundled data: 1,446 customers, agreement 0.989, kappa 0.969)
    assert accuracy.customers_with_order.customers >= 1300, accuracy
    assert accuracy.customers_with_order.agreement >= 0.97, accuracy
    assert accuracy.customers_with_order.kappa >= 0.92, accuracy
    # identified customers (an email, phone, CRM or shop id): 0.991; the rest are anonymous devices,
    # counted as consumers, so over all customers the agreement is lower (0.924)
    assert accuracy.identified_customers.agreement >= 0.97, accuracy
    assert accuracy.all_customers.agreement >= 0.88, accuracy
    # the rules give every persona of the seed some customers, and nobody falls through them
    assert "unclassified" not in accuracy.personas, accuracy
    assert len(accuracy.personas) == 8, accuracy


def test_every_customer_has_one_persona_and_each_month_one_segment(bundled_run) -> None:
    workspace = bundled_run.workspace
    [(customers, personas, persona_customers)] = snapshot(
        workspace,
        "select (select count(*) from marts.dim_customer), count(distinct customer_id), count(*)"
        " from marts.dim_customer_persona",
    )
    assert customers == personas == persona_customers
    # one row per customer with an order to date and month; the last month holds every buyer
    [(last_month_rows, buyers)] = snapshot(
        workspace,
        "select count(*), (select count(distinct customer_id) from marts.fct_order where not is_cancelled)"
        " from marts.fct_customer_rfm_monthly"
        " where month_start_date = (select max(month_start_date) from marts.fct_customer_rfm_monthly)",
    )
    assert last_month_rows == buyers > 0
    assert snapshot(
        workspace, "select count(*) from marts.fct_customer_rfm_monthly where rfm_segment = 'unclassified'"
    ) == [(0,)]


def test_persona_and_segment_marts_add_up_to_the_totals(bundled_run) -> None:
    workspace = bundled_run.workspace
    [(orders, revenue)] = snapshot(
        workspace, "select count(*), sum(net_revenue_eur) from marts.fct_order where not is_cancelled"
    )
    [(persona_orders, persona_revenue, persona_new)] = snapshot(
        workspace, "select sum(orders), sum(net_revenue_eur), sum(new_customers) from marts.mart_persona_kpis_monthly"
    )
    [(new_customers,)] = snapshot(
        workspace, "select sum(new_customers) from marts.mart_cac_monthly where acquisition_channel = 'all'"
    )
    assert persona_orders == orders
    assert float(persona_revenue) == pytest.approx(float(revenue), abs=0.01)
    assert persona_new == new_customers
    [(segment_revenue,)] = snapshot(workspace, "select sum(net_revenue_eur) from marts.mart_rfm_segment_kpis_monthly")
    assert float(segment_revenue) == pytest.approx(float(revenue), abs=0.01)
    # NPS answers split by persona add up to all answers, month by month
    mismatches = snapshot(
        workspace,
        """
        select period_start_date from marts.mart_nps_monthly
        group by period_start_date
        having sum(case when segment_type = 'persona' then responses else 0 end)
            <> sum(case when segment_type = 'all' then responses else 0 end)
        """,
    )
    assert mismatches == []
