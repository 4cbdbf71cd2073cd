with source_rows as (

    select * from {{ source('ticketing', 'events') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'event_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        event_id as marketing_event_id,
        name as event_name,
        lower(event_type) as event_type,
        lower(format) as event_format,
        starts_at as starts_at_utc,
        ends_at as ends_at_utc,
        cast({{ utc_to_local('starts_at') }} as date) as event_date_local,
        nullif(trim(city), '') as city,
        upper(country) as country_code,
        capacity,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        _loaded_at
    from deduplicated

)

select * from renamed
