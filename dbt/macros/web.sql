{#-
    Website KPIs per period (day, ISO week, month), counted the way GA4 counts them in BigQuery:

    * session metrics (sessions, engaged / bounced / converting / blog sessions, durations) from
      fct_web_session, each session once, on its start day (a session crossing midnight counts on
      the day it started; daily sessions add up to the period's distinct sessions);
    * event metrics from int_web__all_events on the event's local day, consent-denied cookieless
      pings included where GA4 counts them (events, page views, engagement time, purchases,
      revenue, refunds): users = distinct user_pseudo_id with an event in the period (GA4's Total
      users), new users = distinct user_pseudo_id with a first_visit event, page views = page_view
      events, purchases / revenue = purchase events and their ecommerce.purchase_revenue (EUR),
      refunds = refund events and ecommerce.refund_value (EUR). A purchase after midnight counts on
      its own day even when its session started the day before.

    Every figure is recomputed from sessions and events, never averaged from shorter periods.
    incremental=true (the daily mart): a run recomputes the periods with sessions or events
    loaded since the last build or dated in the lookback window (macro loaded_or_recent).
-#}
{% macro web_kpis(period, incremental=false) -%}
    {%- set rebuild = incremental and incremental_with_watermark() %}
with
{%- if rebuild %}

changed_periods as (

    -- periods with sessions or events loaded since the last build or dated in the lookback window
    {{ changed_periods(ref('fct_web_session'), 'session_date_local', period) }}
    union
    select distinct {{ period_start('changed.event_date_local', period) }}
    from {{ ref('int_web__all_events') }} as changed
    where {{ loaded_or_recent('changed._loaded_at', 'changed.event_date_local', 'period_start_date') }}

),
{%- endif %}

session_periods as (

    select
        {{ period_start('session_date_local', period) }} as period_start_date,
        count(*) as sessions,
        sum(pageview_count) as session_pageviews,
        sum(case when is_engaged then 1 else 0 end) as engaged_sessions,
        sum(case when is_bounce then 1 else 0 end) as bounced_sessions,
        sum(case when has_conversion then 1 else 0 end) as converting_sessions,
        sum(case when is_blog_landing then 1 else 0 end) as blog_sessions,
        sum(session_duration_s) as total_session_duration_s,
        max(last_loaded_at) as last_loaded_at
    from {{ ref('fct_web_session') }}
    {%- if rebuild %}
    where {{ period_start('session_date_local', period) }} in (select * from changed_periods)
    {%- endif %}
    group by {{ period_start('session_date_local', period) }}

),

event_periods as (

    select
        {{ period_start('event_date_local', period) }} as period_start_date,
        count(*) as events,
        count(distinct user_pseudo_id) as users,
        count(distinct case when event_name = 'first_visit' then user_pseudo_id end) as new_users,
        sum(case when event_name = 'page_view' then 1 else 0 end) as pageviews,
        sum(coalesce(engagement_time_msec, 0)) as engagement_time_msec,
        sum(case when event_name = 'purchase' then 1 else 0 end) as purchases,
        count(distinct case when event_name = 'purchase' then transaction_id end) as transactions,
        sum(case when event_name = 'purchase' then coalesce(purchase_revenue_eur, 0) else 0 end) as purchase_revenue_eur,
        sum(case when event_name = 'refund' then 1 else 0 end) as refunds,
        sum(case when event_name = 'refund' then coalesce(refund_value_eur, 0) else 0 end) as refund_value_eur,
        max(_loaded_at) as last_loaded_at
    from {{ ref('int_web__all_events') }}
    {%- if rebuild %}
    where {{ period_start('event_date_local', period) }} in (select * from changed_periods)
    {%- endif %}
    group by {{ period_start('event_date_local', period) }}

),

periods as (

    select
        coalesce(sessions.period_start_date, events.period_start_date) as period_start_date,
        coalesce(sessions.sessions, 0) as sessions,
        coalesce(events.users, 0) as users,
        coalesce(events.new_users, 0) as new_users,
        cast(coalesce(events.pageviews, 0) as {{ dbt.type_bigint() }}) as pageviews,
        coalesce(events.events, 0) as events,
        cast(coalesce(sessions.engaged_sessions, 0) as {{ dbt.type_bigint() }}) as engaged_sessions,
        cast(coalesce(sessions.bounced_sessions, 0) as {{ dbt.type_bigint() }}) as bounced_sessions,
        cast(coalesce(sessions.converting_sessions, 0) as {{ dbt.type_bigint() }}) as converting_sessions,
        cast(coalesce(sessions.blog_sessions, 0) as {{ dbt.type_bigint() }}) as blog_sessions,
        cast(coalesce(sessions.total_session_duration_s, 0) as {{ type_seconds() }}) as total_session_duration_s,
        cast(coalesce(events.engagement_time_msec, 0) as {{ dbt.type_bigint() }}) as engagement_time_msec,
        cast(coalesce(events.purchases, 0) as {{ dbt.type_bigint() }}) as purchases,
        coalesce(events.transactions, 0) as transactions,
        coalesce(events.purchase_revenue_eur, 0) as purchase_revenue_eur,
        cast(coalesce(events.refunds, 0) as {{ dbt.type_bigint() }}) as refunds,
        coalesce(events.refund_value_eur, 0) as refund_value_eur,
        sessions.session_pageviews,
        case
            when events.last_loaded_at is null then sessions.last_loaded_at
            when sessions.last_loaded_at is null or events.last_loaded_at > sessions.last_loaded_at then events.last_loaded_at
            else sessions.last_loaded_at
        end as last_loaded_at
    from session_periods as sessions
    full outer join event_periods as events on events.period_start_date = sessions.period_start_date

)

select
    period_start_date,
    sessions,
    users,
    new_users,
    pageviews,
    events,
    engaged_sessions,
    bounced_sessions,
    converting_sessions,
    blog_sessions,
    total_session_duration_s,
    engagement_time_msec,
    purchases,
    transactions,
    purchase_revenue_eur,
    refunds,
    refund_value_eur,
    {{ safe_divide('total_session_duration_s', 'sessions') }} as avg_session_duration_s,
    {{ safe_divide('bounced_sessions', 'sessions') }} as bounce_rate,
    {{ safe_divide('engaged_sessions', 'sessions') }} as engagement_rate,
    {{ safe_divide('converting_sessions', 'sessions') }} as conversion_rate,
    {{ safe_divide('session_pageviews', 'sessions') }} as pageviews_per_session
    {%- if incremental %},
    last_loaded_at
    {%- endif %}
from periods
{%- endmacro %}
