{#-
    One row per website session (user_pseudo_id + ga_session_id), counted the way GA4 counts
    in BigQuery (see the model YAML for every choice):
    * the session's day is the local day (var reporting_timezone) of its first event: a session
      crossing midnight counts once, on its start day;
    * engaged: an event with session_engaged = '1' (GA4); tools that do not report engagement
      fall back to GA4's definition (> 10 s, a conversion event, or 2+ page views);
    * new user: the session has a first_visit event;
    * consent: is_analytics_consent_denied when any of its events was sent with analytics storage
      denied (GA4 privacy_info): the session counts in every KPI but is attached to no customer;
    * source / medium / campaign: the tool's session-scoped last click (GA4
      session_traffic_source_last_click, the fields GA4's Traffic acquisition report shows), else
      the session's landing event: collected UTM values, the landing URL's utm_* parameters, a
      gclid (google / cpc), the referrer (unless GA4 flagged it ignore_referrer or it is the site
      itself, macro is_self_referral), else (direct) / (none).

    Incremental (delete+insert by session): a run rebuilds, from all their events, the
    sessions that have an event loaded after the last build (last_loaded_at) or dated in the
    last var('incremental_lookback_days') days before the latest session day; every other
    session is unchanged, so the result equals a full refresh.
-#}

{{ config(materialized='incremental', unique_key='session_key', incremental_strategy=incremental_replace_strategy(),
    on_schema_change='sync_all_columns') }}

{%- set conversions = ga4_conversion_events() %}
{%- set campaign_placeholders = "('(organic)', '(referral)', '(direct)', '(not set)', '(none)', '(data deleted)')" %}

with events as (

    select * from {{ ref('int_web__events') }}
    -- noqa: disable=LT02
    where session_key is not null
        {%- if incremental_with_watermark() %}
            and session_key in (
                select loaded_events.session_key
                from {{ ref('int_web__events') }} as loaded_events
                where loaded_events.session_key is not null
                    and {{ loaded_or_recent('_loaded_at', 'event_date_local', 'session_date_local') }}
            )
        {%- endif %}
    -- noqa: enable=LT02

),

ordered as (

    select
        *,
        row_number() over (partition by session_key order by event_at_utc, event_name, event_id) as event_order
    from events

),

first_events as (

    select * from ordered
    where event_order = 1

),

first_page_views as (

    select
        session_key,
        page_location,
        page_path
    from (
        select
            session_key,
            page_location,
            page_path,
            row_number() over (partition by session_key order by event_at_utc, event_id) as page_order
        from events
        where event_name = 'page_view'
    ) as page_views
    where page_order = 1

),

last_clicks as (

    -- the tool's session-scoped source: the same on every event of a GA4 session; the first one set
    select
        session_key,
        session_source,
        session_medium,
        session_campaign,
        session_default_channel_group
    from (
        select
            session_key,
            session_source,
            session_medium,
            session_campaign,
            session_default_channel_group,
            row_number() over (partition by session_key order by event_at_utc, event_name, event_id) as source_order
        from events
        where session_source is not null
    ) as sourced_events
    where source_order = 1

),

aggregated as (

    select
        session_key,
        min(event_at_utc) as session_start_at_utc,
        max(event_at_utc) as session_end_at_utc,
        count(*) as event_count,
        sum(case when event_name = 'page_view' then 1 else 0 end) as pageview_count,
        sum(case when event_name in {{ conversions }} then 1 else 0 end) as conversion_event_count,
        sum(case when event_name = 'purchase' then 1 else 0 end) as purchase_event_count,
        sum(case when event_name = 'generate_lead' then 1 else 0 end) as lead_event_count,
        sum(case when event_name = 'sign_up' then 1 else 0 end) as sign_up_event_count,
        sum(case when event_name = 'purchase' then coalesce(purchase_revenue_eur, 0) else 0 end)
            as purchase_revenue_eur,
        count(distinct case when event_name = 'purchase' then transaction_id end) as transaction_count,
        sum(case when page_path = '/pricing' or page_path like '/pricing/%' then 1 else 0 end)
            as pricing_pageview_count,
        sum(coalesce(engagement_time_msec, 0)) as engagement_time_msec,
        max(case when event_name = 'first_visit' then 1 else 0 end) as has_first_visit,
        max(case when is_session_engaged_flag then 1 else 0 end) as has_engaged_flag,
        max(case when is_engagement_reported then 1 else 0 end) as has_engagement_reported,
        max(user_id) as user_id,
        max(case when is_analytics_consent_denied then 1 else 0 end) = 1 as is_analytics_consent_denied,
        max(case when lower(consent_ads_storage) = 'no' then 1 else 0 end) = 1 as is_ads_consent_denied,
        max(source_system) as source_system,
        max(_loaded_at) as last_loaded_at
    from events
    group by session_key

),

landing as (

    select
        first_events.*,
        lower(regexp_extract(first_events.page_referrer, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)) as referrer_host,
        first_events.page_referrer is not null
        and not first_events.is_referrer_ignored
        and not {{ is_self_referral('first_events.page_referrer', 'first_events.page_location') }}
            as has_external_referrer
    from first_events

),

sourced as (

    select
        landing.session_key,
        landing.user_pseudo_id,
        landing.ga_session_id,
        landing.ga_session_number,
        landing.device_category,
        landing.geo_country,
        landing.geo_region,
        landing.geo_city,
        coalesce(first_page_views.page_location, landing.page_location) as landing_page_location,
        coalesce(first_page_views.page_path, landing.page_path) as landing_page_path,
        landing.page_referrer,
        landing.gclid,
        coalesce(
            landing.collected_source,
            landing.utm_source,
            case when landing.gclid is not null then 'google' end,
            case when landing.has_external_referrer then coalesce(
                        -- search engines and social networks by name (google, bing, facebook), other sites by host
                        nullif(
                            regexp_extract(
                                landing.referrer_host,
                                '(?:^|[.])(google|bing|yahoo|duckduckgo|ecosia|baidu|yandex)[.]',
                                1
                            ),
                            ''
                        ),
                        nullif(
                            regexp_extract(
                                landing.referrer_host,
                                '(?:^|[.])(facebook|instagram|linkedin|twitter|youtube|tiktok|pinterest)[.](?:com|co)$',
                                1
                            ),
                            ''
                        ),
                        nullif(regexp_extract(landing.referrer_host, '^(?:www[.]|l[.]|m[.])?([^/:?#]+)$', 1), '')
                    )
            end,
            '(direct)'
        ) as landing_source,
        coalesce(
            landing.collected_medium,
            landing.utm_medium,
            case when landing.gclid is not null then 'cpc' end,
            case
                when not landing.has_external_referrer then '(none)'
                when
                    {{ regexp_full_match('landing.referrer_host',
                        '(.*[.])?(google|bing|yahoo|duckduckgo|ecosia|baidu|yandex)[.].*') }}
                    then 'organic'
                when
                    {{ regexp_full_match('landing.referrer_host',
                        '(.*[.])?(facebook|instagram|linkedin|t|twitter|x|youtube|tiktok|pinterest)[.](com|co)') }}
                    then 'social'
                else 'referral'
            end
        ) as landing_medium,
        coalesce(landing.collected_campaign, landing.utm_campaign) as landing_campaign,
        last_clicks.session_source as last_click_source,
        last_clicks.session_medium as last_click_medium,
        last_clicks.session_campaign as last_click_campaign,
        last_clicks.session_default_channel_group as ga4_channel_group
    from landing
    left join first_page_views on first_page_views.session_key = landing.session_key
    left join last_clicks on last_clicks.session_key = landing.session_key

),

attributed as (

    select
        sourced.*,
        coalesce(sourced.last_click_source, sourced.landing_source) as traffic_source,
        case
            when sourced.last_click_source is not null then coalesce(sourced.last_click_medium, '(none)') else
                sourced.landing_medium
        end
            as traffic_medium,
        case
            when sourced.last_click_source is not null
                then case
                        when
                            sourced.last_click_campaign in {{ campaign_placeholders }}
                            then null
                        else sourced.last_click_campaign
                    end
            else sourced.landing_campaign
        end as traffic_campaign,
        case when sourced.last_click_source is not null then 'session_last_click' else 'landing_event' end
            as traffic_source_basis
    from sourced

),

final as (

    select
        attributed.session_key,
        attributed.user_pseudo_id,
        attributed.ga_session_id,
        attributed.ga_session_number,
        aggregated.user_id,
        aggregated.session_start_at_utc,
        aggregated.session_end_at_utc,
        cast({{ utc_to_local('aggregated.session_start_at_utc') }} as date) as session_date_local,
        cast({{ utc_to_local('aggregated.session_end_at_utc') }} as date) as session_end_date_local,
        {{ elapsed_seconds('aggregated.session_start_at_utc', 'aggregated.session_end_at_utc') }} as session_duration_s,
        aggregated.event_count,
        aggregated.pageview_count,
        aggregated.pricing_pageview_count,
        aggregated.conversion_event_count,
        aggregated.purchase_event_count,
        aggregated.lead_event_count,
        aggregated.sign_up_event_count,
        aggregated.transaction_count,
        aggregated.purchase_revenue_eur,
        aggregated.engagement_time_msec,
        aggregated.conversion_event_count > 0 as has_conversion,
        case
            when aggregated.has_engagement_reported = 1 then aggregated.has_engaged_flag = 1
            else (
                {{ elapsed_seconds('aggregated.session_start_at_utc', 'aggregated.session_end_at_utc') }}
                > {{ var('web_engaged_session_min_seconds') }}
                or aggregated.conversion_event_count > 0
                or aggregated.pageview_count >= 2
            )
        end as is_engaged,
        (aggregated.pageview_count = 1 and aggregated.conversion_event_count = 0) as is_bounce,
        aggregated.has_first_visit = 1 as is_new_user,
        aggregated.is_analytics_consent_denied,
        aggregated.is_ads_consent_denied,
        attributed.landing_page_location,
        attributed.landing_page_path,
        coalesce(attributed.landing_page_path like '/blog%', false) as is_blog_landing,
        attributed.page_referrer,
        attributed.gclid,
        attributed.traffic_source,
        attributed.traffic_medium,
        attributed.traffic_campaign,
        -- a source with its own channel (var channel_source_overrides: an affiliate network's
        -- referral traffic is affiliate), else GA4's own channel group where it names one of ours
        -- (an untagged social link is l.instagram.com / referral in GA4, but Organic Social),
        -- else from source / medium
        coalesce(
            {{ source_channel_override('attributed.traffic_source') }},
            case attributed.ga4_channel_group
                when 'Direct' then 'direct'
                when 'Organic Search' then 'organic_search'
                when 'Paid Search' then 'paid_search'
                when 'Organic Social' then 'organic_social'
                when 'Paid Social' then 'paid_social'
                when 'Display' then 'display'
                when 'Email' then 'email'
                when 'SMS' then 'sms'
                when 'Affiliates' then 'affiliate'
                when 'Referral' then 'referral'
                else {{ channel_group('attributed.traffic_source', 'attributed.traffic_medium') }}
            end
        ) as channel_group,
        attributed.ga4_channel_group,
        attributed.traffic_source_basis,
        attributed.landing_source,
        attributed.landing_medium,
        attributed.landing_campaign,
        attributed.device_category,
        attributed.geo_country,
        attributed.geo_region,
        attributed.geo_city,
        aggregated.source_system,
        aggregated.last_loaded_at
    from attributed
    inner join aggregated on aggregated.session_key = attributed.session_key

)

select * from final
