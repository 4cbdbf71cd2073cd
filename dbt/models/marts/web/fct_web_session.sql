{#- One row per website session with its customer: the grain every website session KPI is computed from. -#}

with sessions as (

    select * from {{ ref('int_web__sessions') }}

),

devices as (

    select identifier_value as user_pseudo_id, customer_id
    from {{ ref('int_identity__resolved') }}
    where identifier_type = 'user_pseudo_id'

)

select
    sessions.session_key,
    devices.customer_id,
    sessions.user_pseudo_id,
    sessions.user_id,
    sessions.session_start_at_utc,
    sessions.session_date_local,
    sessions.session_end_date_local,
    sessions.session_duration_s,
    sessions.pageview_count,
    sessions.event_count,
    sessions.engagement_time_msec,
    sessions.is_engaged,
    sessions.is_bounce,
    sessions.has_conversion,
    sessions.is_new_user,
    sessions.purchase_event_count,
    sessions.lead_event_count,
    sessions.sign_up_event_count,
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
from sessions
left join devices on devices.user_pseudo_id = sessions.user_pseudo_id
