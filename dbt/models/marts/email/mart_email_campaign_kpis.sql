-- Email / DEM / SMS KPIs per campaign (send), from fct_email_recipient.
with per_campaign as (

    {{ email_recipient_kpis('day', ['esp_campaign_id', 'campaign_name', 'channel', 'utm_campaign']) }}

)

select
    esp_campaign_id,
    campaign_name,
    channel,
    utm_campaign,
    period_start_date as sent_date_local,
    sent,
    delivered,
    unique_opens,
    unique_clicks,
    bounces,
    hard_bounces,
    unsubscribes,
    total_opens,
    total_clicks,
    delivery_rate,
    open_rate,
    open_rate_delivered,
    click_through_rate,
    click_to_open_rate,
    bounce_rate,
    unsubscribe_rate
from per_campaign
