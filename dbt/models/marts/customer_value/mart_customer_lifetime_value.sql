{#-
    Historical CLV per customer with at least one order not cancelled (grain: customer_id),
    the catalogue's formula: average purchase value x purchase frequency (purchases per
    year) x average customer lifespan (years).
    - average purchase value = net revenue / orders;
    - purchase frequency = orders / tenure in years, tenure = first order to the last observed
      day, counted as at least one year so a recent customer's few orders are not annualised;
    - average customer lifespan = 1 / (12 x monthly churn rate), the expected lifetime of a
      customer who churns with that monthly probability, the churn rate pooled over the
      months of mart_customer_retention_monthly with full history (null if there are none).
-#}

with orders as (

    select
        customer_id,
        count(*) as orders,
        sum(net_revenue_eur) as net_revenue_eur,
        min(order_date_local) as first_order_date,
        max(order_date_local) as last_order_date
    from {{ ref('fct_order') }}
    where not is_cancelled
    group by customer_id

),

observation_window as (

    select max(observation_end_date) as observation_end_date
    from {{ ref('int_kpi__calendar_days') }}

),

lifespan as (

    select
        {{ safe_divide('1', '12 * ' ~ safe_divide('sum(churned_customers)', 'sum(customers_active_at_start)')) }} as expected_lifespan_years
    from {{ ref('mart_customer_retention_monthly') }}
    where has_full_history

),

customer_figures as (

    select
        orders.customer_id,
        orders.orders,
        orders.net_revenue_eur,
        orders.first_order_date,
        orders.last_order_date,
        ({{ dbt.datediff('orders.first_order_date', 'observation_window.observation_end_date', 'day') }} + 1) / 365.25 as tenure_years,
        lifespan.expected_lifespan_years
    from orders
    cross join observation_window
    cross join lifespan

)

select
    customer_figures.customer_id,
    acquisition.acquisition_channel,
    acquisition.first_order_month as first_order_cohort,
    customers.country_code,
    customer_figures.first_order_date,
    customer_figures.last_order_date,
    customer_figures.orders,
    customer_figures.net_revenue_eur,
    customer_figures.tenure_years,
    {{ safe_divide('customer_figures.net_revenue_eur', 'customer_figures.orders') }} as average_purchase_value_eur,
    customer_figures.orders / case when customer_figures.tenure_years < 1 then 1 else customer_figures.tenure_years end
        as purchase_frequency_per_year,
    customer_figures.expected_lifespan_years,
    {{ safe_divide('customer_figures.net_revenue_eur', 'customer_figures.orders') }}
        * (customer_figures.orders / case when customer_figures.tenure_years < 1 then 1 else customer_figures.tenure_years end)
        * customer_figures.expected_lifespan_years as historical_clv_eur
from customer_figures
left join {{ ref('int_kpi__customer_acquisition') }} as acquisition on acquisition.customer_id = customer_figures.customer_id
left join {{ ref('dim_customer') }} as customers on customers.customer_id = customer_figures.customer_id
