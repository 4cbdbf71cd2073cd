{#-
    Customer acquisition cost per month and acquisition channel (grain: period_start_date,
    acquisition_channel), plus an 'all' row per month (blended CAC). CAC = marketing spend in
    the period / new customers acquired in the period (first order not cancelled in the
    period), by first-touch channel (int_kpi__customer_acquisition); finance spend channels
    map to the same channels (sem -> paid_search, social_ads -> paid_social, seo ->
    organic_search). Channels without spend have CAC 0; null when no new customers.
    has_full_history: false in the first var('churn_inactivity_days') days, where "new"
    customers include returning ones whose earlier orders predate the data.
-#}

with spend as (

    select
        {{ period_start('spend_date', 'month') }} as period_start_date,
        {{ spend_marketing_channel('channel') }} as acquisition_channel,
        sum(amount_eur) as marketing_spend_eur
    from {{ ref('stg_finance__marketing_spend') }}
    group by {{ period_start('spend_date', 'month') }}, {{ spend_marketing_channel('channel') }}

),

acquired as (

    select
        first_order_month as period_start_date,
        acquisition_channel,
        count(*) as new_customers
    from {{ ref('int_kpi__customer_acquisition') }}
    where first_order_month is not null
    group by first_order_month, acquisition_channel

),

channel_months as (

    select period_start_date, acquisition_channel from spend
    union
    select period_start_date, acquisition_channel from acquired

),

by_channel as (

    select
        channel_months.period_start_date,
        channel_months.acquisition_channel,
        coalesce(spend.marketing_spend_eur, 0) as marketing_spend_eur,
        coalesce(acquired.new_customers, 0) as new_customers
    from channel_months
    left join spend
        on spend.period_start_date = channel_months.period_start_date
        and spend.acquisition_channel = channel_months.acquisition_channel
    left join acquired
        on acquired.period_start_date = channel_months.period_start_date
        and acquired.acquisition_channel = channel_months.acquisition_channel

),

with_total as (

    select * from by_channel
    union all
    select period_start_date, 'all', sum(marketing_spend_eur), sum(new_customers)
    from by_channel
    group by period_start_date

)

select
    with_total.period_start_date,
    with_total.acquisition_channel,
    with_total.marketing_spend_eur,
    with_total.new_customers,
    {{ safe_divide('with_total.marketing_spend_eur', 'with_total.new_customers') }} as cac_eur,
    coalesce(months.has_full_history, false) as has_full_history
from with_total
left join {{ ref('int_kpi__calendar_months') }} as months on months.month_start_date = with_total.period_start_date
