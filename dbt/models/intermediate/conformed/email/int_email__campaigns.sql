{#-
    Conformed email channel: every tool's rows of campaigns in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    mailchimp: sent campaigns only (drafts and scheduled campaigns have no send); utm_campaign is the
    campaign's Google Analytics tracking name, else the utm_campaign most clicked links carry.
-#}

with generic_csv as (

    select
        esp_campaign_id,
        campaign_name,
        channel,
        list_id,
        subject,
        utm_campaign,
        sent_at_utc,
        sent_date_local,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_esp__campaigns') }}

),

mailchimp_link_utms as (

    select
        esp_campaign_id,
        link_utm_campaign
    from (
        select
            esp_campaign_id,
            link_utm_campaign,
            row_number() over (partition by esp_campaign_id order by count(*) desc, link_utm_campaign) as utm_rank
        from {{ ref('stg_mailchimp__email_activity') }}
        where event_type = 'click' and link_utm_campaign is not null
        group by esp_campaign_id, link_utm_campaign
    ) as ranked
    where utm_rank = 1

),

mailchimp as (

    select
        campaigns.esp_campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.list_id,
        campaigns.subject,
        coalesce(campaigns.utm_campaign, mailchimp_link_utms.link_utm_campaign) as utm_campaign,
        campaigns.sent_at_utc,
        campaigns.sent_date_local,
        campaigns._loaded_at,
        'mailchimp' as source_system
    from {{ ref('stg_mailchimp__campaigns') }} as campaigns
    left join mailchimp_link_utms on mailchimp_link_utms.esp_campaign_id = campaigns.esp_campaign_id
    where campaigns.status in ('sent', 'sending') and campaigns.sent_at_utc is not null

)

select * from generic_csv
union all
select * from mailchimp
