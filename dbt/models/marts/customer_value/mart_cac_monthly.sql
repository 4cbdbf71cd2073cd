{#-
    Customer acquisition cost per month and acquisition channel (grain: period_start_date,
    acquisition_channel), plus an 'all' row per month (blended CAC).
    CAC = acquisition spend in the period / new customers acquired in the period. Acquisition spend
    = the cost categories of var('cac_cost_categories') (media, production, fees; tools are not an
    acquisition cost) of int_kpi__marketing_spend. New customer = first order not cancelled in the
    period and no relationship before the window (int_acquisition__customers), by first-touch
    channel. Returning legacy customers (relationship before the window, first order of the window
    in the period) are counted apart, by the first-touch channel that brought them back, and never
    enter CAC. Channels without acquisition spend have CAC 0; null when no new customers.
    media_cac_eur = media spend / new customers: what the working media bought, the figure to
    compare paid channels by (production such as social content is not paid-social media).
    has_full_history: false in the first var('churn_inactivity_days') days (kept for the cohort
    marts; the legacy rule, not this flag, is what keeps returning customers out of CAC).
-#}

with spend as (

    select
        spend_month as period_start_date,
        channel as acquisition_channel,
        sum(spend_eur) as marketing_spend_eur,
        sum(media_spend_eur) as media_spend_eur,
        sum(case when cost_category = 'production' then spend_eur else 0 end) as production_spend_eur,
        sum(case when cost_category = 'fees' then spend_eur else 0 end) as fees_spend_eur,
        sum(case when cost_category = 'tools' then spend_eur else 0 end) as tools_spend_eur,
        sum(acquisition_spend_eur) as acquisition_spend_eur
    from {{ ref('int_kpi__marketing_spend') }}
    group by spend_month, channel

),

acquired as (

    select
        first_order_month as period_start_date,
        case when is_legacy_customer then first_touch_channel else acquisition_channel end as acquisition_channel,
        sum(case when is_new_customer then 1 else 0 end) as new_customers,
        sum(case when is_legacy_customer then 1 else 0 end) as returning_legacy_customers
    from {{ ref('int_kpi__customer_acquisition') }}
    where first_order_month is not null
    group by
        first_order_month,
        case when is_legacy_customer then first_touch_channel else acquisition_channel end

),

channel_months as (

    select
        period_start_date,
        acquisition_channel
    from spend
    union
    select
        period_start_date,
        acquisition_channel
    from acquired

),

by_channel as (

    select
        channel_months.period_start_date,
        channel_months.acquisition_channel,
        coalesce(spend.marketing_spend_eur, 0) as marketing_spend_eur,
        coalesce(spend.media_spend_eur, 0) as media_spend_eur,
        coalesce(spend.production_spend_eur, 0) as production_spend_eur,
        coalesce(spend.fees_spend_eur, 0) as fees_spend_eur,
        coalesce(spend.tools_spend_eur, 0) as tools_spend_eur,
        coalesce(spend.acquisition_spend_eur, 0) as acquisition_spend_eur,
        coalesce(acquired.new_customers, 0) as new_customers,
        coalesce(acquired.returning_legacy_customers, 0) as returning_legacy_customers
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
    select
        period_start_date,
        'all' as acquisition_channel,
        sum(marketing_spend_eur) as marketing_spend_eur,
        sum(media_spend_eur) as media_spend_eur,
        sum(production_spend_eur) as production_spend_eur,
        sum(fees_spend_eur) as fees_spend_eur,
        sum(tools_spend_eur) as tools_spend_eur,
        sum(acquisition_spend_eur) as acquisition_spend_eur,
        sum(new_customers) as new_customers,
        sum(returning_legacy_customers) as returning_legacy_customers
    from by_channel
    group by period_start_date

)

select
    with_total.period_start_date,
    with_total.acquisition_channel,
    cast(with_total.marketing_spend_eur as {{ type_money() }}) as marketing_spend_eur,
    cast(with_total.media_spend_eur as {{ type_money() }}) as media_spend_eur,
    cast(with_total.production_spend_eur as {{ type_money() }}) as production_spend_eur,
    cast(with_total.fees_spend_eur as {{ type_money() }}) as fees_spend_eur,
    cast(with_total.tools_spend_eur as {{ type_money() }}) as tools_spend_eur,
    cast(with_total.acquisition_spend_eur as {{ type_money() }}) as acquisition_spend_eur,
    cast(with_total.new_customers as {{ dbt.type_bigint() }}) as new_customers,
    cast(with_total.returning_legacy_customers as {{ dbt.type_bigint() }}) as returning_legacy_customers,
    {{ safe_divide('with_total.acquisition_spend_eur', 'with_total.new_customers') }} as cac_eur,
    {{ safe_divide('with_total.media_spend_eur', 'with_total.new_customers') }} as media_cac_eur,
    coalesce(months.has_full_history, false) as has_full_history
from with_total
left join {{ ref('int_kpi__calendar_months') }} as months on months.month_start_date = with_total.period_start_date
