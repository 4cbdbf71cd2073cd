{#-
    Mailing-list growth per period and list. list size at period start = net effective
    changes before the period; growth rate (%) = (new subscribers - unsubscribes) / list size
    at period start x 100 (the catalogue's formula; null when the list was empty). Cleaned
    addresses (hard-bounce removals) reduce the size but are reported apart, not as
    unsubscribes. Every period of the observation window has a row for every list.
-#}
{% macro list_growth_kpis(period) -%}
with changes as (

    select
        list_id,
        {{ period_start('event_date_local', period) }} as period_start_date,
        sum(case when event_type = 'subscribe' then 1 else 0 end) as new_subscribers,
        sum(case when event_type = 'unsubscribe' then 1 else 0 end) as unsubscribes,
        sum(case when event_type = 'cleaned' then 1 else 0 end) as cleaned,
        sum(size_change) as net_change
    from {{ ref('int_kpi__list_membership_changes') }}
    group by list_id, {{ period_start('event_date_local', period) }}

),

periods as (

    select distinct {{ period_start('date_day', period) }} as period_start_date
    from {{ ref('int_kpi__calendar_days') }}

),

lists as (

    select distinct list_id from changes

),

list_periods as (

    select
        lists.list_id,
        periods.period_start_date,
        cast(coalesce(changes.new_subscribers, 0) as {{ dbt.type_bigint() }}) as new_subscribers,
        cast(coalesce(changes.unsubscribes, 0) as {{ dbt.type_bigint() }}) as unsubscribes,
        cast(coalesce(changes.cleaned, 0) as {{ dbt.type_bigint() }}) as cleaned,
        coalesce(changes.net_change, 0) as net_change
    from lists
    cross join periods
    left join changes
        on changes.list_id = lists.list_id
        and changes.period_start_date = periods.period_start_date

),

sized as (

    select
        list_periods.*,
        coalesce(sum(net_change) over (
            partition by list_id order by period_start_date rows between unbounded preceding and 1 preceding
        ), 0) as list_size_start
    from list_periods

)

select
    period_start_date,
    list_id,
    cast(list_size_start as {{ dbt.type_bigint() }}) as list_size_start,
    new_subscribers,
    unsubscribes,
    cleaned,
    cast(list_size_start + net_change as {{ dbt.type_bigint() }}) as list_size_end,
    100 * {{ safe_divide('new_subscribers - unsubscribes', 'list_size_start') }} as list_growth_rate_pct
from sized
{%- endmacro %}

{#-
    Interaction per channel and period: interactions / exposures, with the catalogue's
    pairs. Email, DEM, SMS: unique clicks / sent (send day). Social: post engagement / post
    reach (publication day). Web: engaged sessions / sessions. Events: check-ins /
    registrations (event day; registrations stand for invitations, which the ticketing
    export does not carry).
-#}
{% macro interaction_kpis(period) -%}
with channel_periods as (

    select
        {{ period_start('sent_date_local', period) }} as period_start_date,
        channel,
        'sent' as exposure_type,
        'unique_clicks' as interaction_type,
        sum(case when is_sent then 1 else 0 end) as exposures,
        sum(case when is_clicked then 1 else 0 end) as interactions
    from {{ ref('fct_email_recipient') }}
    group by {{ period_start('sent_date_local', period) }}, channel

    union all

    select
        {{ period_start('published_date_local', period) }},
        'social', 'post_reach', 'engagement',
        sum(reach),
        sum(reactions + comments + shares + saves + link_clicks)
    from {{ ref('int_social__posts') }}
    group by {{ period_start('published_date_local', period) }}

    union all

    select
        {{ period_start('session_date_local', period) }},
        'web', 'sessions', 'engaged_sessions',
        count(*),
        sum(case when is_engaged then 1 else 0 end)
    from {{ ref('fct_web_session') }}
    group by {{ period_start('session_date_local', period) }}

    union all

    select
        {{ period_start('events.event_date_local', period) }},
        'events', 'registrations', 'check_ins',
        count(*),
        sum(case when registrations.has_checked_in then 1 else 0 end)
    from {{ ref('int_events__registrations') }} as registrations
    inner join {{ ref('int_events__events') }} as events
        on events.marketing_event_id = registrations.marketing_event_id
    where not coalesce(registrations.is_cancelled, false)
    group by {{ period_start('events.event_date_local', period) }}

)

select
    period_start_date,
    channel,
    exposure_type,
    interaction_type,
    cast(exposures as {{ dbt.type_bigint() }}) as exposures,
    cast(interactions as {{ dbt.type_bigint() }}) as interactions,
    {{ safe_divide('interactions', 'exposures') }} as interaction_rate
from channel_periods
{%- endmacro %}
