{#-
    Realized value and historical CLV per customer with at least one order not cancelled
    (grain: customer_id).

    realized_net_revenue_eur = net revenue of the orders to date (what the customer has
    already produced). historical_clv_eur = realized + expected future value, so it is never
    below realized. The catalogue's formula gives the future part:
    average purchase value x purchase frequency (purchases per year) x expected remaining
    lifespan (years).
    - average purchase value = net revenue / orders;
    - purchase frequency = orders / tenure in years, tenure = first order to the last observed
      day, counted as at least one year so a recent customer's few orders are not annualised;
    - lifespan: the purchasing lifespan (first to last order) follows a constant-hazard
      (exponential) survival model, fitted by maximum likelihood with right-censoring on the
      customers with enough history: first order at least var('clv_min_history_days') days
      before the observation end (default 180), and at least the inactivity threshold. A customer has churned
      when the last order is at least var('churn_inactivity_days') days before the end; that
      churn at the last order is observable only up to end - inactivity threshold, so a
      customer still active is censored there. hazard = churned customers / days at risk
      (churned: first to last order; censored: first order to end - threshold);
      expected_lifespan_years = 1 / hazard in years, at most var('clv_max_lifespan_years').
      Memoryless: an active customer's expected remaining lifespan is the same
      expected_lifespan_years; a churned (inactive) customer's is 0.
-#}

{%- set inactivity_days = var('churn_inactivity_days') -%}
{%- set min_history_days = var('clv_min_history_days') -%}
{#- days at risk per churned customer, in years, in single precision (type_float) on every engine: DuckDB
    divides a float by an integer in single precision, Spark in double (each quotient is cast back) -#}
{%- set mean_days_at_risk_years -%}
    cast(cast(cast(sum(days_at_risk) as {{ dbt.type_float() }}) / sum(churned) as {{ dbt.type_float() }})
        / 365.25 as {{ dbt.type_float() }})
{%- endset -%}

with orders as (

    select
        customer_id,
        count(*) as orders,
        cast(sum(net_revenue_eur) as {{ type_money() }}) as net_revenue_eur,
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

customer_days as (

    select
        orders.*,
        observation_window.observation_end_date,
        {{ dbt.datediff('orders.first_order_date', 'observation_window.observation_end_date',
            'day') }} as days_since_first_order,
        {{ dbt.datediff('orders.last_order_date', 'observation_window.observation_end_date',
            'day') }} as days_since_last_order,
        {{ dbt.datediff('orders.first_order_date', 'orders.last_order_date',
            'day') }} as purchasing_span_days
    from orders
    cross join observation_window

),

survival_sample as (

    -- customers with enough history; churn observable up to end - inactivity threshold
    select
        case when days_since_last_order >= {{ inactivity_days }} then 1 else 0 end as churned,
        case
            when days_since_last_order >= {{ inactivity_days }} then purchasing_span_days
            else days_since_first_order - {{ inactivity_days }}
        end as days_at_risk
    from customer_days
    where days_since_first_order >= {{ min_history_days }}
        and days_since_first_order >= {{ inactivity_days }}

),

lifespan as (

    select
        count(*) as lifespan_sample_customers,
        cast(sum(churned) as {{ dbt.type_bigint() }}) as lifespan_churned_customers,
        cast(case
            when count(*) = 0 then null
            when sum(churned) = 0
                or {{ mean_days_at_risk_years }} > {{ var('clv_max_lifespan_years') }}
                then {{ var('clv_max_lifespan_years') }}
            else {{ mean_days_at_risk_years }}
        end as {{ type_double() }}) as expected_lifespan_years
    from survival_sample

),

customer_figures as (

    select
        customer_days.*,
        cast(customer_days.days_since_first_order + 1 as {{ type_double() }}) / 365.25 as tenure_years,
        customer_days.days_since_last_order < {{ inactivity_days }} as is_active,
        lifespan.lifespan_sample_customers,
        lifespan.lifespan_churned_customers,
        lifespan.expected_lifespan_years
    from customer_days
    cross join lifespan

),

customer_value as (

    select
        customer_figures.*,
        {{ safe_divide('net_revenue_eur', 'orders') }} as average_purchase_value_eur,
        customer_figures.orders
        / case when customer_figures.tenure_years < 1 then 1 else customer_figures.tenure_years end
            as purchase_frequency_per_year,
        cast(
            case
                when customer_figures.is_active then customer_figures.expected_lifespan_years else 0
            end as {{ type_double() }}
        )
            as expected_remaining_lifespan_years
    from customer_figures

)

select
    customer_value.customer_id,
    acquisition.acquisition_channel,
    acquisition.acquisition_month as first_order_cohort,
    customers.country_code,
    customer_value.first_order_date,
    customer_value.last_order_date,
    customer_value.orders,
    customer_value.net_revenue_eur,
    cast(customer_value.net_revenue_eur as {{ type_money() }}) as realized_net_revenue_eur,
    customer_value.tenure_years,
    customer_value.average_purchase_value_eur,
    customer_value.purchase_frequency_per_year,
    customer_value.is_active,
    customer_value.lifespan_sample_customers,
    customer_value.lifespan_churned_customers,
    customer_value.expected_lifespan_years,
    customer_value.expected_remaining_lifespan_years,
    customer_value.average_purchase_value_eur * customer_value.purchase_frequency_per_year
    * customer_value.expected_remaining_lifespan_years as expected_future_value_eur,
    customer_value.net_revenue_eur
    + customer_value.average_purchase_value_eur * customer_value.purchase_frequency_per_year
    * customer_value.expected_remaining_lifespan_years as historical_clv_eur
from customer_value
left join
    {{ ref('int_kpi__customer_acquisition') }} as acquisition
    on acquisition.customer_id = customer_value.customer_id
left join {{ ref('dim_customer') }} as customers on customers.customer_id = customer_value.customer_id
