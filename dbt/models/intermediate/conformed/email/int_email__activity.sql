{#-
    Conformed email channel: every tool's rows of activity in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    mailchimp (one row per recipient event, as the generic CSV):
      sent        every sent-to row (sent, hard, soft), at the campaign's send time (Mailchimp gives
                  no per-recipient send time);
      delivered   sent-to rows with status sent, at the send time;
      open, click, bounce
                  the email-activity report; a sent-to bounce (hard / soft) without a bounce in the
                  report is a bounce at the send time;
      unsubscribe the unsubscribed report; a member whose UNSUB_CAMPAIGN_ID names a sent campaign and
                  who is not in that campaign's report is an unsubscribe at UNSUB_TIME.
    Only campaigns of int_email__campaigns' mailchimp branch (sent, with a send time) give events.
    activity_id = md5(campaign | email_id | event type | event time | url).
-#}

with generic_csv as (

    select
        activity_id,
        esp_campaign_id,
        recipient_email,
        is_recipient_email_valid,
        recipient_phone_e164,
        event_type,
        event_at_utc,
        event_date_local,
        link_url,
        link_utm_campaign,
        bounce_type,
        _source_file,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_esp__activity') }}

),

mailchimp_campaigns as (

    select
        esp_campaign_id,
        sent_at_utc,
        sent_date_local
    from {{ ref('stg_mailchimp__campaigns') }}
    where status in ('sent', 'sending') and sent_at_utc is not null

),

mailchimp_sent_to as (

    select
        sent_to.*,
        campaigns.sent_at_utc,
        campaigns.sent_date_local
    from {{ ref('stg_mailchimp__sent_to') }} as sent_to
    inner join mailchimp_campaigns as campaigns on campaigns.esp_campaign_id = sent_to.esp_campaign_id

),

mailchimp_report_events as (

    select activity.*
    from {{ ref('stg_mailchimp__email_activity') }} as activity
    inner join mailchimp_campaigns as campaigns on campaigns.esp_campaign_id = activity.esp_campaign_id
    where activity.event_type in ('open', 'click', 'bounce')

),

mailchimp_report_unsubscribes as (

    select unsubscribes.*
    from {{ ref('stg_mailchimp__unsubscribes') }} as unsubscribes
    inner join mailchimp_campaigns as campaigns on campaigns.esp_campaign_id = unsubscribes.esp_campaign_id

),

mailchimp_member_unsubscribes as (

    select
        members.unsubscribe_campaign_id as esp_campaign_id,
        members.email_id,
        members.subscriber_email as recipient_email,
        members.is_subscriber_email_valid as is_recipient_email_valid,
        members.unsubscribed_at_utc,
        members._source_file,
        members._loaded_at
    from {{ ref('stg_mailchimp__members') }} as members
    inner join mailchimp_campaigns as campaigns on campaigns.esp_campaign_id = members.unsubscribe_campaign_id
    where members.member_status = 'unsubscribed'
        and members.unsubscribed_at_utc is not null
        and not exists (
            select 1
            from mailchimp_report_unsubscribes as reported
            where reported.esp_campaign_id = members.unsubscribe_campaign_id
                and reported.recipient_email = members.subscriber_email
        )

),

mailchimp_events as (

    select
        esp_campaign_id,
        email_id,
        recipient_email,
        is_recipient_email_valid,
        'sent' as event_type,
        sent_at_utc as event_at_utc,
        cast(null as {{ dbt.type_string() }}) as link_url,
        cast(null as {{ dbt.type_string() }}) as bounce_type,
        _source_file,
        _loaded_at
    from mailchimp_sent_to

    union all
    select
        esp_campaign_id,
        email_id,
        recipient_email,
        is_recipient_email_valid,
        'delivered' as event_type,
        sent_at_utc,
        null as link_url,
        null as bounce_type,
        _source_file,
        _loaded_at
    from mailchimp_sent_to
    where is_delivered

    union all
    select
        esp_campaign_id,
        email_id,
        recipient_email,
        is_recipient_email_valid,
        event_type,
        event_at_utc,
        link_url,
        bounce_type,
        _source_file,
        _loaded_at
    from mailchimp_report_events

    union all
    select
        sent_to.esp_campaign_id,
        sent_to.email_id,
        sent_to.recipient_email,
        sent_to.is_recipient_email_valid,
        'bounce' as event_type,
        sent_to.sent_at_utc,
        null as link_url,
        sent_to.bounce_type,
        sent_to._source_file,
        sent_to._loaded_at
    from mailchimp_sent_to as sent_to
    where sent_to.bounce_type is not null
        and not exists (
            select 1
            from mailchimp_report_events as reported
            where reported.esp_campaign_id = sent_to.esp_campaign_id
                and reported.email_id = sent_to.email_id
                and reported.event_type = 'bounce'
        )

    union all
    select
        esp_campaign_id,
        email_id,
        recipient_email,
        is_recipient_email_valid,
        'unsubscribe' as event_type,
        unsubscribed_at_utc,
        null as link_url,
        null as bounce_type,
        _source_file,
        _loaded_at
    from mailchimp_report_unsubscribes

    union all
    select
        esp_campaign_id,
        email_id,
        recipient_email,
        is_recipient_email_valid,
        'unsubscribe' as event_type,
        unsubscribed_at_utc,
        null as link_url,
        null as bounce_type,
        _source_file,
        _loaded_at
    from mailchimp_member_unsubscribes

),

mailchimp as (

    select
        {{ dbt.hash(dbt.concat([
            'esp_campaign_id', "'|'", 'email_id', "'|'", 'event_type', "'|'",
            'cast(event_at_utc as ' ~ dbt.type_string() ~ ')', "'|'", "coalesce(link_url, '')"
        ])) }} as activity_id,
        esp_campaign_id,
        recipient_email,
        is_recipient_email_valid,
        cast(null as {{ dbt.type_string() }}) as recipient_phone_e164,
        event_type,
        event_at_utc,
        cast({{ utc_to_local('event_at_utc') }} as date) as event_date_local,
        link_url,
        lower({{ url_parameter('link_url', 'utm_campaign') }}) as link_utm_campaign,
        bounce_type,
        _source_file,
        _loaded_at,
        'mailchimp' as source_system
    from mailchimp_events

)

select * from generic_csv
union all
select * from mailchimp
