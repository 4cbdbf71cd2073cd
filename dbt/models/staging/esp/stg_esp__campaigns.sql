with source_rows as (

    select * from {{ source('esp', 'campaigns') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'campaign_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        campaign_id as esp_campaign_id,
        campaign_name,
        lower(channel) as channel,
        list_id,
        subject,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        sent_at as sent_at_utc,
        cast({{ utc_to_local('sent_at') }} as date) as sent_date_local,
        _loaded_at
    from deduplicated

)

select * from renamed
