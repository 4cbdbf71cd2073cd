{#-
    One row per campaign and recipient (email address or phone): what happened to that
    send. Unique opens and clicks are recipients with at least one open / click.
-#}

with per_recipient as (

    select * from {{ ref('int_email__recipient_activity') }}

),

campaigns as (

    select * from {{ ref('int_email__campaigns') }}

),

customers as (

    select
        identifier_type,
        identifier_value,
        customer_id
    from {{ ref('int_identity__resolved') }}

)

select
    per_recipient.esp_campaign_id,
    per_recipient.recipient,
    coalesce(email_customers.customer_id, phone_customers.customer_id) as customer_id,
    campaigns.channel,
    campaigns.campaign_name,
    campaigns.utm_campaign,
    campaigns.sent_at_utc,
    campaigns.sent_date_local,
    per_recipient.is_sent,
    per_recipient.is_delivered,
    -- SMS platforms cannot see opens: unknown, not "not opened"
    case when campaigns.channel = 'sms' then null else per_recipient.has_open_event end as is_opened,
    per_recipient.is_clicked,
    per_recipient.is_bounced,
    per_recipient.is_hard_bounced,
    per_recipient.is_unsubscribed,
    cast(case when campaigns.channel = 'sms' then null else per_recipient.open_count end as {{ dbt.type_bigint() }})
        as open_count,
    cast(per_recipient.click_count as {{ dbt.type_bigint() }}) as click_count,
    per_recipient.first_open_at_utc,
    per_recipient.first_click_at_utc,
    per_recipient.last_loaded_at
from per_recipient
inner join campaigns on campaigns.esp_campaign_id = per_recipient.esp_campaign_id
left join customers as email_customers
    on email_customers.identifier_type = 'email' and email_customers.identifier_value = per_recipient.recipient_email
left join customers as phone_customers
    on phone_customers.identifier_type = 'phone'
    and phone_customers.identifier_value = per_recipient.recipient_phone_e164
