{#-
    Data-driven attribution: first-order Markov chain over the customer paths, removal effect
    per marketing channel (grain: marketing_channel).
    Paths: every conversion path of fct_attribution_path with at least one touch, ending in
    '(conversion)', and per customer the touches after their last order (or all of them when the
    customer never ordered), ending in '(null)'. Consecutive touches of the same channel are
    one state. Transition probability P(i -> j) = transitions i -> j / transitions out of i,
    from '(start)' to the first channel, channel to channel, last channel to the end state.
    Conversion probability = probability of reaching '(conversion)' from '(start)', computed by
    squaring the transition matrix var('attribution_markov_squarings') times (2^n steps; the
    end states absorb; macro markov_squarings). Removing a channel sends every path that reaches
    it to '(null)'; the removal effect = 1 - conversion probability without the channel /
    conversion probability.
-#}

with conversion_touches as (

    select
        {{ dbt.concat(["'order:'", 'order_id']) }} as path_id,
        marketing_channel,
        touched_at_utc,
        touchpoint_id,
        '(conversion)' as end_state
    from {{ ref('fct_attribution_path') }}
    where touchpoint_id is not null

),

last_orders as (

    select
        customer_id,
        max(converted_at_utc) as last_converted_at_utc
    from {{ ref('fct_attribution_path') }}
    group by customer_id

),

non_conversion_touches as (

    select
        {{ dbt.concat(["'customer:'", 'touches.customer_id']) }} as path_id,
        touches.marketing_channel,
        touches.touched_at_utc,
        touches.touchpoint_id,
        '(null)' as end_state
    from {{ ref('fct_attribution_touch') }} as touches
    left join last_orders on last_orders.customer_id = touches.customer_id
    where last_orders.last_converted_at_utc is null
        or touches.touched_at_utc > last_orders.last_converted_at_utc

),

path_touches as (

    select * from conversion_touches
    union all
    select * from non_conversion_touches

),

sequenced as (

    select
        path_touches.*,
        lag(path_touches.marketing_channel)
            over (partition by path_touches.path_id order by path_touches.touched_at_utc, path_touches.touchpoint_id)
            as previous_channel,
        row_number()
            over (partition by path_touches.path_id order by path_touches.touched_at_utc, path_touches.touchpoint_id)
            as touch_order
    from path_touches

),

states as (

    -- consecutive touches of one channel are one state
    select
        path_id,
        end_state,
        marketing_channel,
        row_number() over (partition by path_id order by touch_order) as state_order,
        count(*) over (partition by path_id) as states_in_path
    from sequenced
    where previous_channel is null or previous_channel <> marketing_channel

),

transitions as (

    select
        '(start)' as from_state,
        marketing_channel as to_state
    from states
    where state_order = 1
    union all
    select
        states.marketing_channel,
        next_states.marketing_channel as to_state
    from states
    inner join states as next_states
        on next_states.path_id = states.path_id
        and next_states.state_order = states.state_order + 1
    union all
    select
        marketing_channel,
        end_state
    from states
    where state_order = states_in_path

),

transition_counts as (

    select
        from_state,
        to_state,
        count(*) as transitions
    from transitions
    group by from_state, to_state

),

transition_probabilities as (

    select
        from_state,
        to_state,
        transitions,
        cast(transitions as {{ type_double() }}) / sum(transitions) over (partition by from_state) as probability
    from transition_counts

),

channels as (

    select distinct from_state as marketing_channel
    from transition_counts
    where from_state <> '(start)'

),

scenarios as (

    -- '(none)': nothing removed; else the removed channel
    select '(none)' as removed_channel
    union all
    select marketing_channel from channels

),

absorbing_states as (

    select '(conversion)' as state_name
    union all
    select '(null)'

),

matrix_0 as (

    select
        scenarios.removed_channel,
        probabilities.from_state,
        probabilities.to_state,
        probabilities.probability
    from scenarios
    cross join transition_probabilities as probabilities
    where probabilities.from_state <> scenarios.removed_channel
    union all
    -- a removed channel leads to '(null)'
    select
        removed_channel,
        removed_channel as from_state,
        '(null)' as to_state,
        cast(1 as {{ type_double() }}) as probability
    from scenarios
    where removed_channel <> '(none)'
    union all
    select
        scenarios.removed_channel,
        absorbing_states.state_name as from_state,
        absorbing_states.state_name as to_state,
        cast(1 as {{ type_double() }}) as probability
    from scenarios
    cross join absorbing_states

),

{{ markov_squarings(var('attribution_markov_squarings')) }}
outcomes as (

    select
        removed_channel,
        sum(case when to_state = '(conversion)' then probability else 0 end) as conversion_probability,
        1 - sum(case when to_state in ('(conversion)', '(null)') then probability else 0 end) as unabsorbed_probability
    from matrix_{{ var('attribution_markov_squarings') }}
    where from_state = '(start)'
    group by removed_channel

),

channel_paths as (

    select
        marketing_channel,
        count(distinct path_id) as paths,
        count(distinct case when end_state = '(conversion)' then path_id end) as converting_paths
    from path_touches
    group by marketing_channel

),

removal_effects as (

    select
        channels.marketing_channel,
        base.conversion_probability as base_conversion_probability,
        removed.conversion_probability as removed_conversion_probability,
        case
            when base.conversion_probability > 0
                then greatest(1 - removed.conversion_probability / base.conversion_probability, 0)
            else 0
        end as removal_effect,
        greatest(base.unabsorbed_probability, removed.unabsorbed_probability) as unabsorbed_probability
    from channels
    inner join outcomes as removed on removed.removed_channel = channels.marketing_channel
    cross join outcomes as base
    where base.removed_channel = '(none)'

)

select
    removal_effects.marketing_channel,
    channel_paths.paths,
    channel_paths.converting_paths,
    removal_effects.base_conversion_probability,
    removal_effects.removed_conversion_probability,
    removal_effects.removal_effect,
    {{ safe_divide('removal_effects.removal_effect', 'sum(removal_effects.removal_effect) over ()') }}
        as removal_effect_share,
    removal_effects.unabsorbed_probability
from removal_effects
inner join channel_paths on channel_paths.marketing_channel = removal_effects.marketing_channel
