{#-
    Attribution credit (grain: order_id, attribution_model, touchpoint_id): every touch of every
    conversion path (fct_attribution_path) under each model, with its credit and credited revenue
    (credit x the order's net revenue). The credits of one conversion sum to 1 in every model:
    a conversion that a model cannot credit to any touch (no touch in the path; for
    last_non_direct_click, none in its lookback) gets one more row, touchpoint_id null,
    marketing_channel '(unattributed)', utm_campaign '(none)', credit 1, is_attributed false.
    Models (positions by touch time, ties by touchpoint_id):
    - first_touch / last_touch: 1 to the first / last touch of the path.
    - last_non_direct_click: 1 to the last touch within var('attribution_last_non_direct_lookback_days')
      days whose channel is not in var('attribution_direct_channels'); without one, to the last
      touch in that lookback; without one, unattributed.
    - linear: 1 / path length to each touch.
    - position_based: var('attribution_position_first_weight') to the first touch,
      var('attribution_position_last_weight') to the last, the rest split evenly over the touches
      between; a path of two touches splits first : last in that ratio; one touch gets 1.
    - time_decay: each touch weighs 0.5 ^ (days before the conversion /
      var('attribution_time_decay_half_life_days')), normalised over the path.
    - data_driven: the Markov removal effect of the touch's channel (mart_attribution_markov_channel),
      normalised over the distinct channels of the path, split evenly over that channel's touches
      in the path (linear when no channel of the path has a removal effect).
-#}

{%- set models = ['first_touch', 'last_touch', 'last_non_direct_click', 'linear', 'position_based', 'time_decay',
    'data_driven'] %}
{%- set first_weight = var('attribution_position_first_weight') %}
{%- set last_weight = var('attribution_position_last_weight') %}

with paths as (

    select * from {{ ref('fct_attribution_path') }}

),

touches as (

    select
        paths.*,
        case
            when paths.days_before_conversion <= {{ var('attribution_last_non_direct_lookback_days') }} then 1
            else 0
        end as is_in_last_non_direct_lookback,
        case
            when paths.marketing_channel in ('{{ var("attribution_direct_channels") | join("', '") }}') then 1
            else 0
        end as is_direct,
        power(0.5, paths.days_before_conversion / {{ var('attribution_time_decay_half_life_days') }}) as decay_weight,
        coalesce(markov.removal_effect, 0) as removal_effect,
        count(*) over (partition by paths.order_id, paths.marketing_channel) as channel_touches_in_path
    from paths
    left join
        {{ ref('mart_attribution_markov_channel') }} as markov
        on markov.marketing_channel = paths.marketing_channel
    where paths.touchpoint_id is not null

),

ranked as (

    select
        touches.*,
        row_number() over (
            partition by touches.order_id
            order by
                touches.is_in_last_non_direct_lookback desc,
                touches.is_direct asc,
                touches.touched_at_utc desc,
                touches.touchpoint_id desc
        ) as last_non_direct_rank,
        sum(touches.decay_weight) over (partition by touches.order_id) as path_decay_weight,
        sum(touches.removal_effect / touches.channel_touches_in_path)
            over (partition by touches.order_id)
            as path_removal_effect
    from touches

),

credits as (

    select
        ranked.*,
        case when ranked.touch_position = 1 then 1.0 else 0.0 end as first_touch_credit,
        case when ranked.touch_position = ranked.path_length then 1.0 else 0.0 end as last_touch_credit,
        case when ranked.last_non_direct_rank = 1 and ranked.is_in_last_non_direct_lookback = 1 then 1.0 else 0.0 end
            as last_non_direct_click_credit,
        1.0 / ranked.path_length as linear_credit,
        case
            when ranked.path_length = 1 then 1.0
            when
                ranked.path_length = 2 and ranked.touch_position = 1
                then {{ first_weight }} / ({{ first_weight }} + {{ last_weight }})
            when ranked.path_length = 2 then {{ last_weight }} / ({{ first_weight }} + {{ last_weight }})
            when ranked.touch_position = 1 then {{ first_weight }}
            when ranked.touch_position = ranked.path_length then {{ last_weight }}
            else (1.0 - {{ first_weight }} - {{ last_weight }}) / (ranked.path_length - 2)
        end as position_based_credit,
        ranked.decay_weight / ranked.path_decay_weight as time_decay_credit,
        case
            when
                ranked.path_removal_effect > 0
                then ranked.removal_effect / ranked.channel_touches_in_path / ranked.path_removal_effect
            else 1.0 / ranked.path_length
        end as data_driven_credit
    from ranked

),

touch_credits as (

    {%- for model in models %}
        select
            order_id,
            '{{ model }}' as attribution_model,
            touchpoint_id,
            touchpoint_type,
            touched_at_utc,
            marketing_channel,
            utm_campaign,
            touch_position,
            days_before_conversion,
            cast({{ model }}_credit as {{ type_double() }}) as credit
        from credits
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

model_names as (

    {%- for model in models %}
        select '{{ model }}' as attribution_model
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

credited_conversions as (

    select
        order_id,
        attribution_model
    from touch_credits
    group by order_id, attribution_model
    having sum(credit) > 0

),

unattributed as (

    select
        conversions.order_id,
        model_names.attribution_model,
        cast(null as {{ dbt.type_string() }}) as touchpoint_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint_type,
        cast(null as {{ dbt.type_timestamp() }}) as touched_at_utc,
        '(unattributed)' as marketing_channel,
        '(none)' as utm_campaign,
        cast(null as {{ dbt.type_bigint() }}) as touch_position,
        cast(null as {{ type_double() }}) as days_before_conversion,
        cast(1 as {{ type_double() }}) as credit
    from (select distinct order_id from paths) as conversions
    cross join model_names
    left join credited_conversions
        on credited_conversions.order_id = conversions.order_id
        and credited_conversions.attribution_model = model_names.attribution_model
    where credited_conversions.order_id is null

),

all_credits as (

    select * from touch_credits
    union all
    select * from unattributed

),

conversions as (

    select distinct
        order_id,
        customer_id,
        converted_at_utc,
        order_date_local,
        is_first_order,
        net_revenue_eur,
        path_length
    from paths

)

select
    all_credits.order_id,
    all_credits.attribution_model,
    all_credits.attribution_model = '{{ var("attribution_model") }}' as is_default_model,
    all_credits.touchpoint_id,
    conversions.customer_id,
    conversions.converted_at_utc,
    conversions.order_date_local,
    conversions.is_first_order,
    all_credits.touchpoint_type,
    all_credits.touched_at_utc,
    all_credits.marketing_channel,
    all_credits.utm_campaign,
    all_credits.touch_position,
    conversions.path_length,
    all_credits.days_before_conversion,
    all_credits.touchpoint_id is not null as is_attributed,
    all_credits.credit,
    all_credits.credit * conversions.net_revenue_eur as credited_revenue_eur,
    cast(conversions.net_revenue_eur as {{ type_money() }}) as conversion_revenue_eur
from all_credits
inner join conversions on conversions.order_id = all_credits.order_id
