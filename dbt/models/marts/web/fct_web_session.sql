{#-
    One row per website session with its customer: the grain every website session KPI is computed from.
    A session with an event sent with analytics storage denied (GA4 consent mode) counts like any other
    but has no customer; a browser without analytics consent is not in the identity graph at all.
-#}

with sessions as (

    select * from {{ ref('int_web__sessions') }}

),

devices as (

    select
        identifier_value as user_pseudo_id,
        customer_id
    from {{ ref('int_identity__resolved') }}
    where identifier_type = 'user_pseudo_id'

),

device_consent as (

    select
        user_pseudo_id,
        has_analytics_consent
    from {{ ref('int_web__device_consent') }}

),

consented as (

    select
        sessions.*,
        coalesce(device_consent.has_analytics_consent, false)
        and not coalesce(sessions.is_analytics_consent_denied, false) as has_analytics_consent
    from sessions
    left join device_consent on device_consent.user_pseudo_id = sessions.user_pseudo_id

)

select
    sessions.session_key,
    case when sessions.has_analytics_consent then devices.customer_id end as customer_id,
    sessions.user_pseudo_id,
    sessions.user_id,
    sessions.session_start_at_utc,
    sessions.session_date_local,
    sessions.session_end_date_local,
    cast(sessions.session_duration_s as {{ type_seconds() }}) as session_duration_s,
    cast(sessions.pageview_count as {{ dbt.type_bigint() }}) as pageview_count,
    sessions.event_count,
    cast(sessions.engagement_time_msec as {{ dbt.type_bigint() }}) as engagement_time_msec,
    sessions.is_engaged,
    sessions.is_bounce,
    sessions.has_conversion,
    sessions.is_new_user,
    sessions.has_analytics_consent,
    coalesce(sessions.is_ads_consent_denied, false) as is_ads_consent_denied,
    cast(sessions.purchase_event_count as {{ dbt.type_bigint() }}) as purchase_event_count,
    cast(sessions.lead_event_count as {{ dbt.type_bigint() }}) as lead_event_count,
    cast(sessions.sign_up_event_count as {{ dbt.type_bigint() }}) as sign_up_event_count,
    sessions.transaction_count,
    sessions.purchase_revenue_eur,
    sessions.is_blog_landing,
    sessions.landing_page_path,
    sessions.traffic_source,
    sessions.traffic_medium,
    sessions.traffic_campaign,
    sessions.channel_group,
    sessions.ga4_channel_group,
    sessions.traffic_source_basis,
    sessions.device_category,
    coalesce(sessions.geo_country, '(not set)') as geo_country,
    coalesce(sessions.geo_region, '(not set)') as geo_region,
    coalesce(sessions.geo_city, '(not set)') as geo_city,
    sessions.source_system,
    sessions.last_loaded_at
from consented as sessions
left join devices on devices.user_pseudo_id = sessions.user_pseudo_id
