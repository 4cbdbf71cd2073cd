{#-
    One row per GA4 session (user_pseudo_id + ga_session_id). The session's day is
    the local day (var reporting_timezone) of its first event, so a session that
    crosses midnight counts once, on its start day. Source/medium come from the
    session's first event: collected UTM values, else the landing URL's UTM
    parameters, else a gclid (google / cpc), else the referrer, else direct.

    Incremental (delete+insert by session): a run rebuilds, from all their events, the
    sessions that have an event loaded after the last build (last_loaded_at) or dated in
    the last var('incremental_lookback_days') days before the latest session day; every
    other session is unchanged, so the result equals a full refresh.
-#}

{{ config(materialized='incremental', unique_key='session_key', incremental_strategy='delete+insert', on_schema_change='sync_all_columns') }}

with events as (

    select * from {{ ref('stg_ga4__events') }}
    where ga_session_id is not null
    {%- if incremental_with_watermark() %}
      and session_key in (
          select session_key
          from {{ ref('stg_ga4__events') }}
          where ga_session_id is not null
            and {{ loaded_or_recent('_loaded_at', 'event_date_local', 'session_date_local') }}
      )
    {%- endif %}

),

ordered as (

    select
        *,
        row_number() over (partition by session_key order by event_at_utc, event_name) as event_order
    from events

),

first_events as (

    select * from ordered where event_order = 1

),

first_page_views as (

    select session_key, page_location, page_path
    from (
        select
            session_key, page_location, page_path,
            row_number() over (partition by session_key order by event_at_utc) as page_order
        from events
        where event_name = 'page_view'
    ) as page_views
    where page_order = 1

),

aggregated as (

    select
        session_key,
        min(event_at_utc) as session_start_at_utc,
        max(event_at_utc) as session_end_at_utc,
        count(*) as event_count,
        sum(case when event_name = 'page_view' then 1 else 0 end) as pageview_count,
        sum(case when event_name in ('purchase', 'generate_lead', 'sign_up') then 1 else 0 end) as conversion_event_count,
        sum(case when event_name = 'purchase' then 1 else 0 end) as purchase_event_count,
        sum(case when event_name = 'generate_lead' then 1 else 0 end) as lead_event_count,
        sum(case when event_name = 'sign_up' then 1 else 0 end) as sign_up_event_count,
        sum(case when event_name = 'purchase' then coalesce(purchase_revenue_eur, 0) else 0 end) as purchase_revenue_eur,
        count(distinct case when event_name = 'purchase' then transaction_id end) as transaction_count,
        sum(case when page_path = '/pricing' or page_path like '/pricing/%' then 1 else 0 end) as pricing_pageview_count,
        max(user_id) as user_id,
        max(_loaded_at) as last_loaded_at
    from events
    group by session_key

),

sourced as (

    select
        first_events.session_key,
        first_events.user_pseudo_id,
        first_events.ga_session_id,
        first_events.ga_session_number,
        first_events.device_category,
        first_events.geo_country,
        first_events.geo_region,
        first_events.geo_city,
        coalesce(first_page_views.page_location, first_events.page_location) as landing_page_location,
        coalesce(first_page_views.page_path, first_events.page_path) as landing_page_path,
        first_events.page_referrer,
        first_events.gclid,
        coalesce(
            first_events.collected_source,
            first_events.utm_source,
            case when first_events.gclid is not null then 'google' end,
            nullif(regexp_extract(first_events.page_referrer, '^[a-z]+://(?:www\.|l\.|m\.)?([^/:?#]+)', 1), ''),
            '(direct)'
        ) as traffic_source,
        coalesce(
            first_events.collected_medium,
            first_events.utm_medium,
            case when first_events.gclid is not null then 'cpc' end,
            case
                when first_events.page_referrer is null then '(none)'
                when {{ regexp_full_match("regexp_extract(first_events.page_referrer, '^[a-z]+://([^/:?#]+)', 1)", "(.*[.])?(google|bing|yahoo|duckduckgo|ecosia|baidu|yandex)[.].*") }} then 'organic'
                when {{ regexp_full_match("regexp_extract(first_events.page_referrer, '^[a-z]+://([^/:?#]+)', 1)", "(.*[.])?(facebook|instagram|linkedin|t|twitter|x|youtube|tiktok|pinterest)[.](com|co)") }} then 'social'
                else 'referral'
            end
        ) as traffic_medium,
        coalesce(first_events.collected_campaign, first_events.utm_campaign) as traffic_campaign
    from first_events
    left join first_page_views on first_page_views.session_key = first_events.session_key

),

final as (

    select
        sourced.session_key,
        sourced.user_pseudo_id,
        sourced.ga_session_id,
        sourced.ga_session_number,
        aggregated.user_id,
        aggregated.session_start_at_utc,
        aggregated.session_end_at_utc,
        cast({{ utc_to_local('aggregated.session_start_at_utc') }} as date) as session_date_local,
        {{ dbt.datediff('aggregated.session_start_at_utc', 'aggregated.session_end_at_utc', 'second') }} as session_duration_s,
        aggregated.event_count,
        aggregated.pageview_count,
        aggregated.pricing_pageview_count,
        aggregated.conversion_event_count,
        aggregated.purchase_event_count,
        aggregated.lead_event_count,
        aggregated.sign_up_event_count,
        aggregated.transaction_count,
        aggregated.purchase_revenue_eur,
        aggregated.conversion_event_count > 0 as has_conversion,
        (
            {{ dbt.datediff('aggregated.session_start_at_utc', 'aggregated.session_end_at_utc', 'second') }} > 10
            or aggregated.conversion_event_count > 0
            or aggregated.pageview_count >= 2
        ) as is_engaged,
        (aggregated.pageview_count = 1 and aggregated.conversion_event_count = 0) as is_bounce,
        sourced.landing_page_location,
        sourced.landing_page_path,
        coalesce(sourced.landing_page_path like '/blog%', false) as is_blog_landing,
        sourced.page_referrer,
        sourced.gclid,
        sourced.traffic_source,
        sourced.traffic_medium,
        sourced.traffic_campaign,
        {{ channel_group('sourced.traffic_source', 'sourced.traffic_medium') }} as channel_group,
        sourced.device_category,
        sourced.geo_country,
        sourced.geo_region,
        sourced.geo_city,
        aggregated.last_loaded_at
    from sourced
    join aggregated on aggregated.session_key = sourced.session_key

)

select * from final
