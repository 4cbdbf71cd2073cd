{#-
    Churn and retention per complete month (grain: period_start_date). A customer is active
    on a day when they placed an order (not cancelled) in the var('churn_inactivity_days')
    days before it (default 180). Churn rate = customers active at period start who are no
    longer active at period end / customers active at period start; retention rate = 1 -
    churn rate. No bundled source records an explicit cancellation of a customer relationship,
    so churn is inactivity only. has_full_history is false for months that start less than
    the inactivity window after the first observed day: their "active at start" misses
    customers whose orders predate the data.
-#}

{%- set inactivity_days = var('churn_inactivity_days') %}

with months as (

    select * from {{ ref('int_kpi__calendar_months') }}
    where is_complete_month

),

order_days as (

    select distinct
        customer_id,
        order_date_local
    from {{ ref('fct_order') }}
    where not is_cancelled

),

customer_months as (

    select
        months.month_start_date,
        order_days.customer_id,
        max(case when order_days.order_date_local < months.month_start_date then 1 else 0 end) as is_active_at_start,
        max(case
            when
                order_days.order_date_local
                >= {{ dbt.dateadd('day', -1 * inactivity_days, 'months.next_month_start_date') }}
                then 1
            else 0
        end) as is_active_at_end,
        max(case when order_days.order_date_local >= months.month_start_date then 1 else 0 end) as has_ordered
    from months
    inner join order_days
        on order_days.order_date_local >= {{ dbt.dateadd('day', -1 * inactivity_days, 'months.month_start_date') }}
        and order_days.order_date_local < months.next_month_start_date
    group by months.month_start_date, order_days.customer_id

),

new_customers as (

    -- true new customers by acquisition month; returning legacy customers (relationship before
    -- the window) by the month of their first order in the window, apart
    select
        first_order_month,
        sum(case when is_new_customer then 1 else 0 end) as new_customers,
        sum(case when is_legacy_customer then 1 else 0 end) as returning_legacy_customers
    from {{ ref('int_kpi__customer_acquisition') }}
    where first_order_month is not null
    group by first_order_month

),

monthly as (

    select
        month_start_date,
        sum(is_active_at_start) as customers_active_at_start,
        sum(case when is_active_at_start = 1 and is_active_at_end = 0 then 1 else 0 end) as churned_customers,
        sum(case when is_active_at_start = 1 and is_active_at_end = 1 then 1 else 0 end) as retained_customers,
        sum(is_active_at_end) as customers_active_at_end,
        sum(has_ordered) as ordering_customers
    from customer_months
    group by month_start_date

)

select
    months.month_start_date as period_start_date,
    cast(coalesce(monthly.customers_active_at_start, 0) as {{ dbt.type_bigint() }}) as customers_active_at_start,
    cast(coalesce(monthly.churned_customers, 0) as {{ dbt.type_bigint() }}) as churned_customers,
    cast(coalesce(monthly.retained_customers, 0) as {{ dbt.type_bigint() }}) as retained_customers,
    cast(coalesce(new_customers.new_customers, 0) as {{ dbt.type_bigint() }}) as new_customers,
    cast(coalesce(new_customers.returning_legacy_customers, 0) as {{ dbt.type_bigint() }})
        as returning_legacy_customers,
    cast(coalesce(monthly.customers_active_at_end, 0) as {{ dbt.type_bigint() }}) as customers_active_at_end,
    cast(coalesce(monthly.ordering_customers, 0) as {{ dbt.type_bigint() }}) as ordering_customers,
    {{ safe_divide('monthly.churned_customers', 'monthly.customers_active_at_start') }} as churn_rate,
    1 - {{ safe_divide('monthly.churned_customers', 'monthly.customers_active_at_start') }} as retention_rate,
    months.has_full_history
from months
left join monthly on monthly.month_start_date = months.month_start_date
left join new_customers on new_customers.first_order_month = months.month_start_date
