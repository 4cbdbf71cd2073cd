{#-
    RFM segments per month end (grain: period_start_date, rfm_segment; the segments that have
    a customer that month), from fct_customer_rfm_monthly.
      customers, customer_share_rate   customers in the segment at the month end, and their share of
                                       all customers with an order to date
      orders, net_revenue_eur          the segment's orders not cancelled within the month
      average_recency_days, average_frequency, average_monetary_eur   the segment's RFM inputs
      historical_clv_eur               mean historical CLV of its customers (mart_customer_lifetime_value)
      acquired_customers, acquisition_spend_eur, cac_eur   its customers acquired in the window (first
                                       order in it), their acquisition_cost_eur (dim_customer_persona)
                                       summed, and that sum / acquired_customers
      clv_to_cac_ratio                 summed historical CLV of those acquired customers / their spend
-#}

with rfm as (

    select
        rfm.*,
        customers.historical_clv_eur,
        customers.acquisition_cost_eur
    from {{ ref('fct_customer_rfm_monthly') }} as rfm
    left join {{ ref('dim_customer_persona') }} as customers on customers.customer_id = rfm.customer_id

),

month_orders as (

    select
        customer_id,
        {{ period_start('order_date_local', 'month') }} as period_start_date,
        count(*) as orders,
        sum(net_revenue_eur) as net_revenue_eur
    from {{ ref('fct_order') }}
    where not is_cancelled and customer_id is not null
    group by customer_id, {{ period_start('order_date_local', 'month') }}

),

month_totals as (

    select
        month_start_date,
        count(*) as customers
    from rfm
    group by month_start_date

),

segment_figures as (

    select
        rfm.month_start_date as period_start_date,
        rfm.rfm_segment,
        count(*) as customers,
        cast(sum(coalesce(month_orders.orders, 0)) as {{ dbt.type_bigint() }}) as orders,
        cast(sum(coalesce(month_orders.net_revenue_eur, 0)) as {{ type_money() }}) as net_revenue_eur,
        avg(rfm.recency_days) as average_recency_days,
        avg(rfm.frequency) as average_frequency,
        {{ avg_as_double('rfm.monetary_eur') }} as average_monetary_eur,
        avg(rfm.historical_clv_eur) as historical_clv_eur,
        count(rfm.acquisition_cost_eur) as acquired_customers,
        sum(rfm.acquisition_cost_eur) as acquisition_spend_eur,
        sum(case when rfm.acquisition_cost_eur is not null then rfm.historical_clv_eur end)
            as acquired_historical_clv_total_eur
    from rfm
    left join month_orders
        on month_orders.customer_id = rfm.customer_id
        and month_orders.period_start_date = rfm.month_start_date
    group by rfm.month_start_date, rfm.rfm_segment

)

select
    segment_figures.period_start_date,
    segment_figures.rfm_segment,
    segment_figures.customers,
    {{ safe_divide('segment_figures.customers', 'month_totals.customers') }} as customer_share_rate,
    segment_figures.orders,
    segment_figures.net_revenue_eur,
    segment_figures.average_recency_days,
    segment_figures.average_frequency,
    segment_figures.average_monetary_eur,
    segment_figures.historical_clv_eur,
    segment_figures.acquired_customers,
    coalesce(segment_figures.acquisition_spend_eur, 0) as acquisition_spend_eur,
    {{ safe_divide('segment_figures.acquisition_spend_eur', 'segment_figures.acquired_customers') }} as cac_eur,
    {{ safe_divide('segment_figures.acquired_historical_clv_total_eur', 'segment_figures.acquisition_spend_eur') }}
        as clv_to_cac_ratio
from segment_figures
inner join month_totals on month_totals.month_start_date = segment_figures.period_start_date
