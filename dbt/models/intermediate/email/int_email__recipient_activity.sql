{#-
    What happened to each send, per campaign and recipient (email address, else phone),
    before any identity join (grain: esp_campaign_id, recipient). Unique opens and clicks
    are recipients with at least one open / click.

    Incremental (delete+insert by campaign): a run rebuilds, from all their events, the
    campaigns with an event loaded after the last build (last_loaded_at) or dated in the
    last var('incremental_lookback_days') days before the latest event day; other campaigns
    are unchanged, so the result equals a full refresh.
-#}

{{ config(materialized='incremental', unique_key='esp_campaign_id', incremental_strategy=incremental_replace_strategy(),
    on_schema_change='sync_all_columns') }}

with activity as (

    select
        *,
        coalesce(recipient_email, recipient_phone_e164) as recipient
    from {{ ref('int_email__activity') }}
    {%- if incremental_with_watermark() %}
        where esp_campaign_id in (
                select recent_activity.esp_campaign_id
                from {{ ref('int_email__activity') }} as recent_activity
                where {{ loaded_or_recent('_loaded_at', 'event_date_local', 'last_event_date_local') }}
            )
    {%- endif %}

)

select
    esp_campaign_id,
    recipient,
    max(recipient_email) as recipient_email,
    max(recipient_phone_e164) as recipient_phone_e164,
    max(case when event_type = 'sent' then 1 else 0 end) = 1 as is_sent,
    max(case when event_type = 'delivered' then 1 else 0 end) = 1 as is_delivered,
    max(case when event_type = 'open' then 1 else 0 end) = 1 as has_open_event,
    max(case when event_type = 'click' then 1 else 0 end) = 1 as is_clicked,
    max(case when event_type = 'bounce' then 1 else 0 end) = 1 as is_bounced,
    max(case when event_type = 'bounce' and bounce_type = 'hard' then 1 else 0 end) = 1 as is_hard_bounced,
    max(case when event_type = 'unsubscribe' then 1 else 0 end) = 1 as is_unsubscribed,
    sum(case when event_type = 'open' then 1 else 0 end) as open_count,
    sum(case when event_type = 'click' then 1 else 0 end) as click_count,
    min(case when event_type = 'open' then event_at_utc end) as first_open_at_utc,
    min(case when event_type = 'click' then event_at_utc end) as first_click_at_utc,
    max(event_date_local) as last_event_date_local,
    max(_loaded_at) as last_loaded_at
from activity
where recipient is not null
group by esp_campaign_id, recipient
