"""New vs returning legacy customers, spend categories and affiliate traffic on the bundled run,
against the generator's ground truth (`_ground_truth/customers.csv.gz`, never loaded)."""

from pathlib import Path

import duckdb

TRUTH = Path(__file__).resolve().parents[2] / "seeds" / "bundled" / "_ground_truth" / "customers.csv.gz"


def _truth_new_per_month(con) -> dict:
    return dict(
        con.execute(
            f"""select date_trunc('month', cast(first_order_date as date))::date, count(*)
            from read_csv('{TRUTH}', header = true) where is_new_customer group by 1"""
        ).fetchall()
    )


def test_new_customers_per_month_match_the_truth(bundled_run) -> None:
    """True new customers (no relationship before the window) per month within 2 % of the truth, in
    mart_cac_monthly, mart_commerce_kpis_monthly and mart_customer_retention_monthly; returning legacy
    customers counted apart; CAC = acquisition spend / new customers."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        truth = _truth_new_per_month(con)
        cac = {
            month: (new, legacy, spend, cac_eur)
            for month, new, legacy, spend, cac_eur in con.execute(
                """select period_start_date, new_customers, returning_legacy_customers, acquisition_spend_eur::double,
                      cac_eur
               from marts.mart_cac_monthly where acquisition_channel = 'all'"""
            ).fetchall()
        }
        commerce = dict(
            con.execute("select period_start_date, new_customers from marts.mart_commerce_kpis_monthly").fetchall()
        )
        retention = dict(
            con.execute("select period_start_date, new_customers from marts.mart_customer_retention_monthly").fetchall()
        )
        truth_legacy_nov = con.execute(
            f"""select count(*) from read_csv('{TRUTH}', header = true)
                where not is_new_customer and cast(first_order_date as date) < date '2025-12-01'"""
        ).fetchone()[0]
    assert len(truth) == 12 and set(cac) == set(truth)
    for month, expected in truth.items():
        new, legacy, spend, cac_eur = cac[month]
        assert abs(new - expected) <= 0.02 * expected, (month, new, expected)
        assert commerce[month] == new
        assert month not in retention or retention[month] == new
        assert abs(cac_eur - spend / new) < 1e-6
    # November 2025: the legacy base came back (190 of 245 first orders); CAC is not divided by them
    november = cac[min(cac)]
    assert abs(november[1] - truth_legacy_nov) <= 0.02 * truth_legacy_nov
    assert november[3] > 60


def test_dim_customer_flags_the_legacy_base(bundled_run) -> None:
    """Per buyer (truth joined by the first order's number): is_legacy_customer agrees with the truth's
    relationship before the window for >= 98 % of buyers; the email channel acquires almost no one."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        agree, total, false_new = con.execute(
            f"""
            with truth as (select * from read_csv('{TRUTH}', header = true)),
            joined as (
                select truth.has_relationship_before_window as truth_legacy, customers.is_legacy_customer
                from truth
                inner join marts.fct_order as orders on orders.order_number = truth.first_order_number
                inner join marts.dim_customer as customers on customers.customer_id = orders.customer_id
            )
            select count(*) filter (where truth_legacy = is_legacy_customer), count(*),
                   count(*) filter (where truth_legacy and not is_legacy_customer)
            from joined
            """
        ).fetchone()
        channels = dict(
            con.execute(
                """select acquisition_channel, count(*) from marts.dim_customer
               where is_new_customer group by 1"""
            ).fetchall()
        )
        legacy_channel = con.execute(
            "select count(*) from marts.dim_customer where is_legacy_customer and acquisition_channel <> 'legacy'"
        ).fetchone()[0]
        no_first_order = con.execute(
            "select count(*) from marts.dim_customer where is_new_customer and first_order_at is null"
        ).fetchone()[0]
    assert total > 1300
    assert agree >= 0.98 * total, (agree, total)
    assert false_new <= 0.02 * total
    assert legacy_channel == 0 and no_first_order == 0 and "legacy" not in channels
    assert channels.get("email", 0) < 0.05 * sum(channels.values())


def test_spend_categories_and_affiliate_traffic(bundled_run) -> None:
    """Social content production is production (not paid-social media); ESP and ticketing subscriptions are
    tools (not in CAC); every spend line lands in one category; affiliate visits are channel affiliate, so
    affiliate spend meets affiliate customers."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        raw = dict(
            con.execute(
                """with lines as (select distinct spend_date, channel, platform, utm_campaign, cost_type, amount
                              from raw.finance_marketing_spend)
               select case when platform in ('esp', 'ticketing') then 'tools'
                           when cost_type = 'fee' then 'fees' else cost_type end, sum(amount)::double
               from lines group by 1"""
            ).fetchall()
        )
        categories = dict(
            con.execute(
                "select cost_category, sum(spend_eur)::double from intermediate.int_kpi__marketing_spend group by 1"
            ).fetchall()
        )
        content = con.execute(
            """select sum(amount)::double
               from (select distinct spend_date, channel, platform, utm_campaign, cost_type, amount
               from raw.finance_marketing_spend) where platform = 'content_studio'"""
        ).fetchone()[0]
        paid_social = con.execute(
            """select sum(media_spend_eur)::double, sum(production_spend_eur)::double,
                      sum(acquisition_spend_eur)::double
               from marts.mart_cac_monthly where acquisition_channel = 'paid_social'"""
        ).fetchone()
        cac_spend, tools = con.execute(
            """select sum(acquisition_spend_eur)::double, sum(tools_spend_eur)::double
               from marts.mart_cac_monthly where acquisition_channel = 'all'"""
        ).fetchone()
        affiliate_sessions, referral_affiliate = con.execute(
            """select count(*) filter (where channel_group = 'affiliate'),
                      count(*) filter (where channel_group = 'referral' and traffic_source = 'partner.promoclick.it')
               from marts.fct_web_session"""
        ).fetchone()
        affiliate = con.execute(
            """select sum(acquisition_spend_eur)::double, sum(new_customers)
               from marts.mart_cac_monthly where acquisition_channel = 'affiliate'"""
        ).fetchone()
    assert set(categories) == {"media", "production", "fees", "tools"}
    for category, amount in raw.items():
        assert abs(categories[category] - amount) < 0.01, category
    assert abs(paid_social[1] - content) < 0.01 and content > 10_000
    assert paid_social[0] < paid_social[1] and abs(paid_social[2] - paid_social[0] - paid_social[1]) < 0.01
    assert abs(cac_spend + tools - sum(raw.values())) < 0.01 and tools > 0
    assert affiliate_sessions > 0 and referral_affiliate == 0
    assert affiliate[0] > 0 and affiliate[1] > 0
