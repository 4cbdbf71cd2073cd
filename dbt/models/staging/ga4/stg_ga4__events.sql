{#-
    Incremental (delete+insert by event_id): a run flattens and deduplicates again only the raw
    rows with the event timestamp of a row loaded since the last build or dated in the lookback
    window (every copy of a re-delivered event has its timestamp), so the table equals a full
    rebuild; the full_refresh job rebuilds it from all raw rows.
-#}

{{ config(materialized='incremental', unique_key='event_id', incremental_strategy='delete+insert', on_schema_change='sync_all_columns') }}

with source_rows as (

    select * from {{ source('ga4', 'events') }}
    {%- if incremental_with_watermark('_loaded_at') %}
    where {{ shares_key_with_new_rows(
        source('ga4', 'events'), 'event_timestamp',
        'cast(' ~ epoch_us_to_timestamp('new_rows.event_timestamp') ~ ' as date)', 'event_date_local'
    ) }}
    {%- endif %}

),

flattened as (

    select
        {{ epoch_us_to_timestamp('event_timestamp') }} as event_at_utc,
        event_timestamp as event_timestamp_us,
        {{ yyyymmdd_to_date('event_date') }} as ga4_event_date,
        lower(event_name) as event_name,
        user_pseudo_id,
        nullif(trim(user_id), '') as user_id,
        {{ ga4_param('event_params', 'ga_session_id', 'int_value') }} as ga_session_id,
        {{ ga4_param('event_params', 'ga_session_number', 'int_value') }} as ga_session_number,
        {{ ga4_param('event_params', 'page_location', 'string_value') }} as page_location,
        {{ ga4_param('event_params', 'page_title', 'string_value') }} as page_title,
        {{ ga4_param('event_params', 'page_referrer', 'string_value') }} as page_referrer,
        {{ ga4_param('event_params', 'engagement_time_msec', 'int_value') }} as engagement_time_msec,
        {{ ga4_param('event_params', 'session_engaged', 'string_value') }} as session_engaged_flag,
        {{ ga4_param('event_params', 'value', 'double_value') }} as event_value,
        {{ ga4_param('event_params', 'currency', 'string_value') }} as event_currency,
        {{ ga4_param('event_params', 'method', 'string_value') }} as method,
        {{ ga4_param('event_params', 'form_id', 'string_value') }} as form_id,
        device.category as device_category,
        device.operating_system as operating_system,
        device.browser as browser,
        device.language as device_language,
        geo.country as geo_country,
        geo.region as geo_region,
        geo.city as geo_city,
        traffic_source.source as first_touch_source,
        traffic_source.medium as first_touch_medium,
        traffic_source.name as first_touch_campaign,
        collected_traffic_source.manual_source as collected_source,
        collected_traffic_source.manual_medium as collected_medium,
        collected_traffic_source.manual_campaign_name as collected_campaign,
        collected_traffic_source.gclid as gclid,
        ecommerce.transaction_id as transaction_id,
        ecommerce.purchase_revenue as purchase_revenue_eur,
        ecommerce.total_item_quantity as purchase_item_quantity,
        _source_file,
        _loaded_at
    from source_rows

),

deduplicated as (

    {{ deduplicate(
        'flattened',
        'user_pseudo_id, event_timestamp_us, event_name, ga_session_id, page_location',
        '_loaded_at desc, _source_file desc'
    ) }}

),

renamed as (

    select
        {{ dbt.hash(dbt.concat([
            'user_pseudo_id', "'|'", 'cast(event_timestamp_us as ' ~ dbt.type_string() ~ ')',
            "'|'", 'event_name', "'|'", "coalesce(cast(ga_session_id as " ~ dbt.type_string() ~ "), '')",
            "'|'", "coalesce(page_location, '')"
        ])) }} as event_id,
        event_at_utc,
        {{ utc_to_local('event_at_utc') }} as event_at_local,
        cast({{ utc_to_local('event_at_utc') }} as date) as event_date_local,
        ga4_event_date,
        event_name,
        user_pseudo_id,
        user_id,
        ga_session_id,
        user_pseudo_id || '.' || cast(ga_session_id as {{ dbt.type_string() }}) as session_key,
        ga_session_number,
        page_location,
        nullif(regexp_extract(page_location, '^[a-z]+://[^/?#]+(/[^?#]*)', 1), '') as page_path,
        page_title,
        page_referrer,
        lower({{ url_parameter('page_location', 'utm_source') }}) as utm_source,
        lower({{ url_parameter('page_location', 'utm_medium') }}) as utm_medium,
        lower({{ url_parameter('page_location', 'utm_campaign') }}) as utm_campaign,
        coalesce(gclid, {{ url_parameter('page_location', 'gclid') }}) as gclid,
        lower(collected_source) as collected_source,
        lower(collected_medium) as collected_medium,
        lower(collected_campaign) as collected_campaign,
        lower(first_touch_source) as first_touch_source,
        lower(first_touch_medium) as first_touch_medium,
        lower(first_touch_campaign) as first_touch_campaign,
        engagement_time_msec,
        coalesce(session_engaged_flag = '1', false) as is_session_engaged_flag,
        event_value,
        upper(event_currency) as event_currency,
        method,
        form_id,
        lower(device_category) as device_category,
        operating_system,
        browser,
        device_language,
        geo_country,
        geo_region,
        geo_city,
        transaction_id,
        purchase_revenue_eur,
        purchase_item_quantity,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
