{#-
    Analytics consent per GA4 browser (grain: user_pseudo_id), from the consent state GA4 exports on
    every event (privacy_info.analytics_storage / ads_storage: 'Yes', 'No', null = consent mode not in
    use; docs/sources/ga4.md, Consent). A browser may be linked to a person (identity graph, customer
    links of its sessions and touchpoints) only while has_analytics_consent:
    * it sent at least one event without analytics denied ('Yes', or null: the site's banner gated the tag), and
    * its latest event was not sent with analytics denied: a browser that revoked consent (advanced consent
      mode keeps sending events, some with its user_pseudo_id / user_id) leaves the graph, older links included.
    Events sent with analytics denied never link, whatever the browser's state (int_identity__observations).
-#}

with events as (

    select
        user_pseudo_id,
        event_at_utc,
        event_id,
        is_analytics_consent_denied,
        consent_analytics_storage,
        consent_ads_storage
    from {{ ref('int_web__events') }}

),

latest_events as (

    select *
    from (
        select
            events.*,
            row_number() over (
                partition by events.user_pseudo_id
                order by
                    events.event_at_utc desc,
                    case when events.is_analytics_consent_denied then 0 else 1 end,
                    events.event_id asc
            ) as recency_rank
        from events
    ) as ranked
    where recency_rank = 1

),

per_device as (

    select
        user_pseudo_id,
        count(*) as event_count,
        sum(case when is_analytics_consent_denied then 1 else 0 end) as denied_event_count,
        sum(case when lower(consent_analytics_storage) = 'yes' then 1 else 0 end) as granted_event_count,
        min(event_at_utc) as first_event_at_utc,
        max(event_at_utc) as last_event_at_utc
    from events
    group by user_pseudo_id

)

select
    per_device.user_pseudo_id,
    per_device.event_count,
    per_device.granted_event_count,
    per_device.denied_event_count,
    per_device.first_event_at_utc,
    per_device.last_event_at_utc,
    latest_events.consent_analytics_storage as latest_analytics_storage,
    latest_events.consent_ads_storage as latest_ads_storage,
    latest_events.is_analytics_consent_denied
    and per_device.denied_event_count < per_device.event_count as is_consent_withdrawn,
    per_device.denied_event_count < per_device.event_count
    and not latest_events.is_analytics_consent_denied as has_analytics_consent,
    coalesce(lower(latest_events.consent_ads_storage) = 'yes', false) as has_ads_consent
from per_device
inner join latest_events on latest_events.user_pseudo_id = per_device.user_pseudo_id
