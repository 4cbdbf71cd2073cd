{#-
    Lead score history (grain: customer_id, score_date): a row per contact and local day with
    scored activity, the score right after that day's actions. score(d) = sum over actions up
    to d of points x 0.5 ^ ((d - action day) / half_life_days), computed with a running sum
    (points x 2 ^ (day number / half-life), scaled back by 2 ^ (-day number / half-life)),
    day numbers counted from the contact's first scored day. Between rows the score only
    decays: score(d) = score(last row) x 0.5 ^ ((d - last row's day) / half-life).
-#}

with parameters as (

    select
        half_life_days,
        rules_version
    from {{ source('ml', 'lead_scoring_parameters') }}

),

daily_points as (

    select
        customer_id,
        occurred_date_local as score_date,
        count(*) as actions,
        sum(points) as points
    from {{ ref('fct_lead_scoring_action') }}
    group by customer_id, occurred_date_local

),

numbered as (

    select
        daily_points.*,
        {{ dbt.datediff('min(score_date) over (partition by customer_id)', 'score_date', 'day') }} as day_number  -- noqa: LT05
    from daily_points

)

select
    numbered.customer_id,
    numbered.score_date,
    numbered.actions,
    numbered.points,
    sum(numbered.points * power(2.0, numbered.day_number / parameters.half_life_days)) over (
        partition by numbered.customer_id order by numbered.score_date rows between unbounded preceding and current row
    ) * power(2.0, -numbered.day_number / parameters.half_life_days) as lead_score,
    parameters.rules_version
from numbered
cross join parameters
