{#-
    Opens, clicks and bounces of the email-activity reports, one row per element of a recipient's
    `activity` list. A table: the list is unnested once, not by every reader.
-#}

{{ config(materialized='table') }}

with recipients as (

    select * from {{ source('mailchimp', 'email_activity') }}

),

activity_elements as (

    {{ mailchimp_activity_elements('recipients') }}

),

keyed as (

    select
        {{ dbt.hash(dbt.concat([
            'campaign_id', "'|'", 'email_id', "'|'", 'lower(activity_element.action)', "'|'",
            'cast(' ~ to_utc_timestamp('activity_element.timestamp') ~ ' as ' ~ dbt.type_string() ~ ')',
            "'|'", "coalesce(activity_element.url, '')"
        ])) }} as activity_id,
        activity_elements.campaign_id,
        activity_elements.list_id,
        activity_elements.email_id,
        activity_elements.email_address,
        lower(activity_element.action) as action,
        lower(nullif(trim(activity_element.type), '')) as bounce_type,
        {{ to_utc_timestamp('activity_element.timestamp') }} as event_at_utc,
        nullif(trim(activity_element.url), '') as link_url,
        nullif(trim(activity_element.ip), '') as ip_address,
        activity_elements._source_file,
        activity_elements._loaded_at
    from activity_elements

),

deduplicated as (

    {{ deduplicate('keyed', 'activity_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        activity_id,
        campaign_id as esp_campaign_id,
        list_id,
        email_id,
        {{ normalize_email('email_address') }} as recipient_email,
        {{ email_is_valid(normalize_email('email_address')) }} as is_recipient_email_valid,
        action as event_type,
        event_at_utc,
        cast({{ utc_to_local('event_at_utc') }} as date) as event_date_local,
        link_url,
        lower({{ url_parameter('link_url', 'utm_campaign') }}) as link_utm_campaign,
        case when action = 'bounce' then bounce_type end as bounce_type,
        ip_address,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
