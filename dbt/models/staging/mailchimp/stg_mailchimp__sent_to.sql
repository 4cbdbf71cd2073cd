{#- Recipients of each campaign with their delivery status (a table: read by several conformed branches). -#}

{{ config(materialized='table') }}

with source_rows as (

    select * from {{ source('mailchimp', 'sent_to') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'campaign_id, email_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        campaign_id as esp_campaign_id,
        list_id,
        email_id,
        {{ normalize_email('email_address') }} as recipient_email,
        {{ email_is_valid(normalize_email('email_address')) }} as is_recipient_email_valid,
        lower(status) as send_status,
        lower(status) = 'sent' as is_delivered,
        case when lower(status) in ('hard', 'soft') then lower(status) end as bounce_type,
        open_count,
        {{ mailchimp_iso_timestamp('last_open') }} as last_open_at_utc,
        nullif(lower(trim(absplit_group)), '') as absplit_group,
        gmt_offset,
        vip as is_vip,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
