{#-
    Conformed email channel: every tool's rows of list membership in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    mailchimp: the audience export is a snapshot, so each member gives a subscribe at
    coalesce(CONFIRM_TIME, OPTIN_TIME) and, in the unsubscribed / cleaned file, an unsubscribe at
    UNSUB_TIME / a cleaned at CLEAN_TIME (only the last one Mailchimp keeps). The consent columns
    (member_status, opt-in / confirmation times and IPs, GDPR marketing permissions) repeat on each
    event of the member; they are null for the generic CSV, which does not carry them.
-#}

with generic_csv as (

    select
        membership_event_id,
        list_id,
        subscriber_email,
        is_subscriber_email_valid,
        subscriber_phone_e164,
        event_type,
        event_at_utc,
        event_date_local,
        signup_source,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as member_status,
        cast(null as {{ dbt.type_timestamp() }}) as optin_at_utc,
        cast(null as {{ dbt.type_string() }}) as optin_ip,
        cast(null as {{ dbt.type_timestamp() }}) as confirmed_at_utc,
        cast(null as {{ dbt.type_string() }}) as confirm_ip,
        cast(null as {{ dbt.type_boolean() }}) as marketing_permission_email,
        cast(null as {{ dbt.type_boolean() }}) as marketing_permission_direct_mail,
        cast(null as {{ dbt.type_boolean() }}) as marketing_permission_online_ads,
        cast(null as {{ dbt.type_string() }}) as esp_campaign_id,
        cast(null as {{ dbt.type_string() }}) as unsubscribe_reason
    from {{ ref('stg_esp__list_membership') }}

),

mailchimp_members as (

    select * from {{ ref('stg_mailchimp__members') }}

),

mailchimp_changes as (

    select
        mailchimp_members.*,
        'subscribe' as event_type,
        mailchimp_members.subscribed_at_utc as event_at_utc,
        mailchimp_members.signup_source as event_signup_source,
        cast(null as {{ dbt.type_string() }}) as event_campaign_id,
        cast(null as {{ dbt.type_string() }}) as event_reason
    from mailchimp_members
    where mailchimp_members.subscribed_at_utc is not null

    union all
    select
        mailchimp_members.*,
        'unsubscribe' as event_type,
        unsubscribed_at_utc,
        null as event_signup_source,
        unsubscribe_campaign_id,
        unsubscribe_reason
    from mailchimp_members
    where member_status = 'unsubscribed' and unsubscribed_at_utc is not null

    union all
    select
        mailchimp_members.*,
        'cleaned' as event_type,
        cleaned_at_utc,
        null as event_signup_source,
        clean_campaign_id,
        null as event_reason
    from mailchimp_members
    where member_status = 'cleaned' and cleaned_at_utc is not null

),

mailchimp as (

    select
        {{ dbt.hash(dbt.concat([
            'list_id', "'|'", 'subscriber_email', "'||'", 'event_type', "'|'",
            'cast(event_at_utc as ' ~ dbt.type_string() ~ ')'
        ])) }} as membership_event_id,
        list_id,
        subscriber_email,
        is_subscriber_email_valid,
        cast(null as {{ dbt.type_string() }}) as subscriber_phone_e164,
        event_type,
        event_at_utc,
        cast({{ utc_to_local('event_at_utc') }} as date) as event_date_local,
        event_signup_source as signup_source,
        _loaded_at,
        'mailchimp' as source_system,
        member_status,
        optin_at_utc,
        optin_ip,
        confirmed_at_utc,
        confirm_ip,
        marketing_permission_email,
        marketing_permission_direct_mail,
        marketing_permission_online_ads,
        event_campaign_id as esp_campaign_id,
        event_reason as unsubscribe_reason
    from mailchimp_changes
    where subscriber_email is not null

)

select * from generic_csv
union all
select * from mailchimp
