{#-
    One row per local day of the observation window (grain: date_day): from the first to the
    last local day any touchpoint or spend line was seen. Period marts join to it so a day,
    week or month without activity still has a row (list size, churn).
-#}

with source_bounds as (

    select
        min(occurred_date_local) as first_day,
        max(occurred_date_local) as last_day
    from {{ ref('int_touchpoints__customers') }}
    union all
    select
        min(spend_date) as first_day,
        max(spend_date) as last_day
    from {{ ref('stg_finance__marketing_spend') }}

),

observation_window as (

    select
        min(first_day) as observation_start_date,
        max(last_day) as observation_end_date
    from source_bounds

),

digits as (

    select 0 as digit
    union all
    select 1
    union all
    select 2
    union all
    select 3
    union all
    select 4
    union all
    select 5
    union all
    select 6
    union all
    select 7
    union all
    select 8
    union all
    select 9

),

day_offsets as (

    -- 0 .. 9999 days (27 years) without a dialect-specific series function
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit as day_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands

),

days as (

    select
        cast({{ dbt.dateadd('day', 'day_offsets.day_offset', 'observation_window.observation_start_date') }} as date)
            as date_day,
        observation_window.observation_start_date,
        observation_window.observation_end_date
    from observation_window
    cross join day_offsets
    where day_offsets.day_offset
        <= {{ dbt.datediff('observation_window.observation_start_date', 'observation_window.observation_end_date',
            'day') }}

)

select
    date_day,
    {{ period_start('date_day', 'week') }} as week_start_date,
    {{ period_start('date_day', 'month') }} as month_start_date,
    observation_start_date,
    observation_end_date
from days
