{#-
    The documented generic web CSV (source web.events): one row per event in the columns of the
    conformed web events, so a tool other than GA4 feeds the same sessions and KPIs.
-#}

with source_rows as (

    select * from {{ source('web', 'events') }}

),

deduplicated as (

    -- a re-delivered file repeats events: the latest load wins, then the alphabetically last file
    {{ deduplicate('source_rows', 'trim(event_id)', '_loaded_at desc, _source_file desc, _source_row desc') }}

),

converted as (

    select
        *,
        {{ to_utc_timestamp('event_timestamp') }} as event_at_utc,
        nullif(trim(client_id), '') as client_id_trimmed,
        lower(nullif(trim(event_name), '')) as event_name_normalized
    from deduplicated

),

renamed as (

    select
        trim(event_id) as event_id,
        event_at_utc,
        {{ utc_to_local('event_at_utc') }} as event_at_local,
        cast({{ utc_to_local('event_at_utc') }} as date) as event_date_local,
        event_name_normalized as event_name,
        client_id_trimmed as user_pseudo_id,
        nullif(trim(user_id), '') as user_id,
        session_id as ga_session_id,
        case
            when client_id_trimmed is not null and session_id is not null
                then client_id_trimmed || '.' || cast(session_id as {{ dbt.type_string() }})
        end as session_key,
        nullif(trim(page_location), '') as page_location,
        nullif(regexp_extract(page_location, '^[a-z]+://[^/?#]+(/[^?#]*)', 1), '') as page_path,
        nullif(trim(page_title), '') as page_title,
        nullif(trim(page_referrer), '') as page_referrer,
        lower(regexp_extract(page_location, '^[a-z]+://([^/:?#]+)', 1)) as page_hostname,
        lower({{ url_parameter('page_location', 'utm_source') }}) as utm_source,
        lower({{ url_parameter('page_location', 'utm_medium') }}) as utm_medium,
        lower({{ url_parameter('page_location', 'utm_campaign') }}) as utm_campaign,
        coalesce(nullif(trim(gclid), ''), {{ url_parameter('page_location', 'gclid') }}) as gclid,
        lower(nullif(trim(source), '')) as session_source,
        lower(nullif(trim(medium), '')) as session_medium,
        lower(nullif(trim(campaign), '')) as session_campaign,
        engagement_time_msec,
        coalesce(session_engaged, false) as is_session_engaged_flag,
        session_engaged is not null as is_engagement_reported,
        case when event_name_normalized in ('purchase', 'refund') then revenue end as event_value,
        upper(nullif(trim(currency), '')) as event_currency,
        lower(nullif(trim(device_category), '')) as device_category,
        nullif(trim(operating_system), '') as operating_system,
        nullif(trim(browser), '') as browser,
        lower(nullif(trim(language), '')) as device_language,
        nullif(trim(country), '') as geo_country,
        nullif(trim(region), '') as geo_region,
        nullif(trim(city), '') as geo_city,
        nullif(trim(transaction_id), '') as transaction_id,
        case when event_name_normalized = 'purchase' then revenue end as purchase_revenue,
        case when event_name_normalized = 'refund' then abs(revenue) end as refund_value,
        _source_file,
        _loaded_at
    from converted

)

select * from renamed
