{#-
    Commerce, acquisition and value per month and persona (grain: period_start_date, persona;
    every month of the window x every persona that has a customer).
      ordering_customers, orders, net_revenue_eur   orders not cancelled of the month, by the
                                                    ordering customer's persona
      customers_to_date      customers with an order on or before the month end (fct_customer_rfm_monthly)
      new_customers          true new customers acquired in the month (no relationship before the window:
                             int_kpi__customer_acquisition.is_new_customer, acquisition_month)
      acquisition_spend_eur  sum of those new customers' acquisition_cost_eur (dim_customer_persona):
                             each channel's spend of the month shared among the customers it acquired
      cac_eur                acquisition_spend_eur / new_customers
      new_customer_historical_clv_eur  mean historical CLV of the month's new customers
      clv_to_cac_ratio       their summed historical CLV / acquisition_spend_eur
-#}

with customers as (

    select * from {{ ref('dim_customer_persona') }}

),

personas as (

    select distinct
        persona,
        persona_group
    from customers

),

months as (

    select
        month_start_date as period_start_date,
        has_full_history
    from {{ ref('int_kpi__calendar_months') }}

),

orders as (

    select
        {{ period_start('orders.order_date_local', 'month') }} as period_start_date,
        customers.persona,
        orders.customer_id,
        orders.net_revenue_eur
    from {{ ref('fct_order') }} as orders
    inner join customers on customers.customer_id = orders.customer_id
    where not orders.is_cancelled

),

order_figures as (

    select
        period_start_date,
        persona,
        count(distinct customer_id) as ordering_customers,
        count(*) as orders,
        sum(net_revenue_eur) as net_revenue_eur
    from orders
    group by period_start_date, persona

),

acquired as (

    select
        acquisition_month as period_start_date,
        persona,
        count(*) as new_customers,
        sum(acquisition_cost_eur) as acquisition_spend_eur,
        avg(historical_clv_eur) as new_customer_historical_clv_eur,
        sum(historical_clv_eur) as new_customer_historical_clv_total_eur
    from customers
    where is_new_customer
    group by acquisition_month, persona

),

customer_base as (

    select
        rfm.month_start_date as period_start_date,
        customers.persona,
        count(*) as customers_to_date
    from {{ ref('fct_customer_rfm_monthly') }} as rfm
    inner join customers on customers.customer_id = rfm.customer_id
    group by rfm.month_start_date, customers.persona

)

select
    months.period_start_date,
    personas.persona,
    personas.persona_group,
    coalesce(order_figures.ordering_customers, 0) as ordering_customers,
    coalesce(order_figures.orders, 0) as orders,
    cast(coalesce(order_figures.net_revenue_eur, 0) as {{ type_money() }}) as net_revenue_eur,
    coalesce(customer_base.customers_to_date, 0) as customers_to_date,
    coalesce(acquired.new_customers, 0) as new_customers,
    coalesce(acquired.acquisition_spend_eur, 0) as acquisition_spend_eur,
    {{ safe_divide('acquired.acquisition_spend_eur', 'acquired.new_customers') }} as cac_eur,
    acquired.new_customer_historical_clv_eur,
    {{ safe_divide('acquired.new_customer_historical_clv_total_eur', 'acquired.acquisition_spend_eur') }}
        as clv_to_cac_ratio,
    months.has_full_history
from months
cross join personas
left join order_figures
    on order_figures.period_start_date = months.period_start_date
    and order_figures.persona = personas.persona
left join acquired
    on acquired.period_start_date = months.period_start_date
    and acquired.persona = personas.persona
left join customer_base
    on customer_base.period_start_date = months.period_start_date
    and customer_base.persona = personas.persona
