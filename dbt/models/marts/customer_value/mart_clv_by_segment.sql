{#-
    Historical CLV per segment with CLV / CAC (grain: segment_type, segment_value). Segments:
    all customers, acquisition channel (first touch), first-order cohort (month, 'YYYY-MM-DD'
    of its first day) and country. Segment CLV = mean historical CLV of its customers
    (mart_customer_lifetime_value: realized net revenue + expected future value), so it is
    never below the segment's mean realized value. CAC comes from mart_cac_monthly over the months with
    full history: spend / new customers of the channel ('all' for all customers), the cohort
    month's blended CAC for a cohort, none for a country. clv_to_cac_ratio = CLV / CAC.
-#}

with customers as (

    select * from {{ ref('mart_customer_lifetime_value') }}

),

segmented as (

    select
        'all' as segment_type,
        'all' as segment_value,
        customer_id,
        orders,
        net_revenue_eur,
        purchase_frequency_per_year,
        expected_lifespan_years,
        expected_future_value_eur,
        historical_clv_eur
    from customers
    union all
    select
        'acquisition_channel' as segment_type,
        coalesce(acquisition_channel, 'unknown') as segment_value,
        customer_id,
        orders,
        net_revenue_eur,
        purchase_frequency_per_year,
        expected_lifespan_years,
        expected_future_value_eur,
        historical_clv_eur
    from customers
    union all
    select
        'first_order_cohort' as segment_type,
        coalesce(cast(first_order_cohort as {{ dbt.type_string() }}), 'legacy'),
        customer_id,
        orders,
        net_revenue_eur,
        purchase_frequency_per_year,
        expected_lifespan_years,
        expected_future_value_eur,
        historical_clv_eur
    from customers
    union all
    select
        'country' as segment_type,
        coalesce(country_code, 'unknown') as segment_value,
        customer_id,
        orders,
        net_revenue_eur,
        purchase_frequency_per_year,
        expected_lifespan_years,
        expected_future_value_eur,
        historical_clv_eur
    from customers

),

segment_figures as (

    select
        segment_type,
        segment_value,
        count(*) as customers,
        cast(sum(orders) as {{ dbt.type_bigint() }}) as orders,
        cast(sum(net_revenue_eur) as {{ type_money() }}) as net_revenue_eur,
        {{ safe_divide('sum(net_revenue_eur)', 'sum(orders)') }} as average_purchase_value_eur,
        avg(purchase_frequency_per_year) as purchase_frequency_per_year,
        cast(max(expected_lifespan_years) as {{ type_double() }}) as expected_lifespan_years,
        {{ avg_as_double('net_revenue_eur') }} as average_realized_net_revenue_eur,
        avg(expected_future_value_eur) as average_expected_future_value_eur,
        avg(historical_clv_eur) as historical_clv_eur
    from segmented
    group by segment_type, segment_value

),

channel_cac as (

    select
        case when acquisition_channel = 'all' then 'all' else 'acquisition_channel' end as segment_type,
        acquisition_channel as segment_value,
        {{ safe_divide('sum(acquisition_spend_eur)', 'sum(new_customers)') }} as cac_eur
    from {{ ref('mart_cac_monthly') }}
    where has_full_history
    group by acquisition_channel

),

cohort_cac as (

    select
        'first_order_cohort' as segment_type,
        cast(period_start_date as {{ dbt.type_string() }}) as segment_value,
        cac_eur
    from {{ ref('mart_cac_monthly') }}
    where has_full_history and acquisition_channel = 'all'

),

segment_cac as (

    select * from channel_cac
    union all
    select * from cohort_cac

)

select
    segment_figures.segment_type,
    segment_figures.segment_value,
    segment_figures.customers,
    segment_figures.orders,
    segment_figures.net_revenue_eur,
    segment_figures.average_purchase_value_eur,
    segment_figures.purchase_frequency_per_year,
    segment_figures.expected_lifespan_years,
    segment_figures.average_realized_net_revenue_eur,
    segment_figures.average_expected_future_value_eur,
    segment_figures.historical_clv_eur,
    segment_cac.cac_eur,
    {{ safe_divide('segment_figures.historical_clv_eur', 'segment_cac.cac_eur') }} as clv_to_cac_ratio
from segment_figures
left join segment_cac
    on segment_cac.segment_type = segment_figures.segment_type
    and segment_cac.segment_value = segment_figures.segment_value
