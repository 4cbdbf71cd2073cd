{#-
    One row per month of the observation window (grain: month_start_date), with the flags
    that say which monthly KPIs can be trusted: a month is complete when the window covers
    all its days; it has full history when the window starts at least
    var('churn_inactivity_days') before it, so "active at period start" and "new customer"
    are not distorted by orders that predate the data (left censoring).
-#}

with months as (

    select
        month_start_date,
        min(date_day) as first_day_in_window,
        max(date_day) as last_day_in_window,
        min(observation_start_date) as observation_start_date,
        min(observation_end_date) as observation_end_date
    from {{ ref('int_kpi__calendar_days') }}
    group by month_start_date

)

select
    month_start_date,
    cast({{ dbt.dateadd('month', 1, 'month_start_date') }} as date) as next_month_start_date,
    first_day_in_window,
    last_day_in_window,
    first_day_in_window = month_start_date
    and last_day_in_window
    = cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'month_start_date')) }} as date) as is_complete_month,
    cast({{ dbt.dateadd('day', -1 * var('churn_inactivity_days'), 'month_start_date') }} as date)
    >= observation_start_date as has_full_history
from months
