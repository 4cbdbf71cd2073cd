{#-
    One row per customer and month in which the customer interacted, ordered or advocated
    (grain: customer_id, period_start_date). Interactions (responses to a stimulus): email /
    DEM / SMS clicks, social comments, engaged website sessions, form submits and sign-ups,
    event check-ins. Advocacy acts: a review rated 4 or 5, an NPS promoter answer (9-10).
-#}

with touchpoints as (

    select
        touchpoints.customer_id,
        {{ period_start('touchpoints.occurred_date_local', 'month') }} as period_start_date,
        touchpoints.touchpoint_type,
        touchpoints.channel,
        case
            when
                touchpoints.touchpoint_type in (
                    'email_click', 'social_comment', 'form_submit', 'sign_up', 'event_check_in'
                )
                then 1
            when touchpoints.touchpoint_type = 'web_visit' and sessions.is_engaged then 1
            else 0
        end as is_interaction,
        case
            when touchpoints.touchpoint_type = 'review' and touchpoints.score >= 4 then 1
            when touchpoints.touchpoint_type = 'nps_answer' and touchpoints.score >= 9 then 1
            else 0
        end as is_advocacy_act,
        case when touchpoints.touchpoint_type = 'order' then 1 else 0 end as is_order
    from {{ ref('fct_customer_touchpoint') }} as touchpoints
    left join {{ ref('fct_web_session') }} as sessions
        on touchpoints.touchpoint_type = 'web_visit'
        and sessions.session_key = touchpoints.source_record_id
    where touchpoints.customer_id is not null

),

relevant as (

    select * from touchpoints
    where is_interaction = 1 or is_advocacy_act = 1 or is_order = 1

)

select
    customer_id,
    period_start_date,
    cast(sum(is_interaction) as {{ dbt.type_bigint() }}) as interactions,
    count(distinct case when is_interaction = 1 then channel end) as interaction_channels_used,
    cast(
        sum(case when is_interaction = 1 and touchpoint_type = 'web_visit' then 1 else 0 end) as {{ dbt.type_bigint() }}
    )
        as engaged_sessions,
    cast(sum(case when touchpoint_type = 'email_click' then 1 else 0 end) as {{ dbt.type_bigint() }}) as message_clicks,
    cast(sum(case when touchpoint_type = 'social_comment' then 1 else 0 end) as {{ dbt.type_bigint() }})
        as social_comments,
    cast(sum(case when touchpoint_type in ('form_submit', 'sign_up') then 1 else 0 end) as {{ dbt.type_bigint() }})
        as form_submits,
    cast(sum(case when touchpoint_type = 'event_check_in' then 1 else 0 end) as {{ dbt.type_bigint() }})
        as event_check_ins,
    cast(sum(is_order) as {{ dbt.type_bigint() }}) as orders,
    cast(sum(is_advocacy_act) as {{ dbt.type_bigint() }}) as advocacy_acts,
    sum(is_advocacy_act) > 0 as is_advocate
from relevant
group by customer_id, period_start_date
