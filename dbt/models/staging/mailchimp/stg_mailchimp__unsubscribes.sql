with source_rows as (

    select * from {{ source('mailchimp', 'unsubscribes') }}

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
        {{ to_utc_timestamp(adapter.quote('timestamp')) }} as unsubscribed_at_utc,
        cast({{ utc_to_local(to_utc_timestamp(adapter.quote('timestamp'))) }} as date) as unsubscribed_date_local,
        nullif(trim(reason), '') as unsubscribe_reason,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
