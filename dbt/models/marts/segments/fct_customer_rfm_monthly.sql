{#-
    RFM per customer and month end (grain: customer_id, month_start_date), for every month of
    the observation window and every customer with an order not cancelled on or before the
    month's last observed day (month_end_date = last day of the month inside the window).
      recency_days    month_end_date - date of the last order on or before it
      frequency       orders in the var('rfm_lookback_days') days ending on month_end_date
      monetary_eur    net revenue of those orders, EUR
    Scores 1-5 from the seed rfm_score_thresholds (lower_bound inclusive, upper_bound
    exclusive, an empty bound open); the segment is the first rule of the seed rfm_segments
    (lowest priority) whose score ranges contain the three scores (an empty bound matches any).
-#}

with orders as (

    select
        customer_id,
        order_date_local,
        net_revenue_eur
    from {{ ref('fct_order') }}
    where not is_cancelled and customer_id is not null

),

month_ends as (

    select
        month_start_date,
        last_day_in_window as month_end_date,
        is_complete_month
    from {{ ref('int_kpi__calendar_months') }}

),

customer_months as (

    select
        month_ends.month_start_date,
        month_ends.month_end_date,
        month_ends.is_complete_month,
        orders.customer_id,
        min(orders.order_date_local) as first_order_date,
        max(orders.order_date_local) as last_order_date,
        sum(
            case
                when orders.order_date_local > {{ dbt.dateadd('day', -1 * var('rfm_lookback_days'), 'month_ends.month_end_date') }}  -- noqa: LT05
                    then 1
                else 0
            end
        ) as frequency,
        sum(
            case
                when orders.order_date_local > {{ dbt.dateadd('day', -1 * var('rfm_lookback_days'), 'month_ends.month_end_date') }}  -- noqa: LT05
                    then orders.net_revenue_eur
                else 0
            end
        ) as monetary_eur
    from month_ends
    inner join orders on orders.order_date_local <= month_ends.month_end_date
    group by month_ends.month_start_date, month_ends.month_end_date, month_ends.is_complete_month, orders.customer_id

),

measured as (

    select
        customer_months.*,
        {{ dbt.datediff('customer_months.last_order_date', 'customer_months.month_end_date', 'day') }} as recency_days  -- noqa: LT05
    from customer_months

),

thresholds as (

    select * from {{ ref('rfm_score_thresholds') }}

),

scored as (

    select
        measured.*,
        cast(recency.score as {{ dbt.type_bigint() }}) as recency_score,
        cast(frequency.score as {{ dbt.type_bigint() }}) as frequency_score,
        cast(monetary.score as {{ dbt.type_bigint() }}) as monetary_score
    from measured
    left join thresholds as recency
        on recency.dimension = 'recency'
        and (recency.lower_bound is null or recency.lower_bound <= measured.recency_days)
        and (recency.upper_bound is null or recency.upper_bound > measured.recency_days)
    left join thresholds as frequency
        on frequency.dimension = 'frequency'
        and (frequency.lower_bound is null or frequency.lower_bound <= measured.frequency)
        and (frequency.upper_bound is null or frequency.upper_bound > measured.frequency)
    left join thresholds as monetary
        on monetary.dimension = 'monetary'
        and (monetary.lower_bound is null or monetary.lower_bound <= measured.monetary_eur)
        and (monetary.upper_bound is null or monetary.upper_bound > measured.monetary_eur)

),

segment_rules as (

    select * from {{ ref('rfm_segments') }}

),

segment_matches as (

    select
        scored.customer_id,
        scored.month_start_date,
        segment_rules.rfm_segment,
        row_number() over (
            partition by scored.customer_id, scored.month_start_date order by segment_rules.priority
        ) as match_rank
    from scored
    inner join segment_rules
        on (segment_rules.recency_score_min is null or segment_rules.recency_score_min <= scored.recency_score)
        and (segment_rules.recency_score_max is null or segment_rules.recency_score_max >= scored.recency_score)
        and (segment_rules.frequency_score_min is null or segment_rules.frequency_score_min <= scored.frequency_score)
        and (segment_rules.frequency_score_max is null or segment_rules.frequency_score_max >= scored.frequency_score)
        and (segment_rules.monetary_score_min is null or segment_rules.monetary_score_min <= scored.monetary_score)
        and (segment_rules.monetary_score_max is null or segment_rules.monetary_score_max >= scored.monetary_score)

)

select
    scored.customer_id,
    scored.month_start_date,
    scored.month_end_date,
    scored.is_complete_month,
    scored.first_order_date,
    scored.last_order_date,
    scored.recency_days,
    cast(scored.frequency as {{ dbt.type_bigint() }}) as frequency,
    cast(scored.monetary_eur as {{ type_money() }}) as monetary_eur,
    scored.recency_score,
    scored.frequency_score,
    scored.monetary_score,
    {{ dbt.concat([
        'cast(scored.recency_score as ' ~ dbt.type_string() ~ ')',
        'cast(scored.frequency_score as ' ~ dbt.type_string() ~ ')',
        'cast(scored.monetary_score as ' ~ dbt.type_string() ~ ')']) }} as rfm_score,
    coalesce(segment_matches.rfm_segment, '{{ var("rfm_segment_fallback") }}') as rfm_segment
from scored
left join segment_matches
    on segment_matches.customer_id = scored.customer_id
    and segment_matches.month_start_date = scored.month_start_date
    and segment_matches.match_rank = 1
