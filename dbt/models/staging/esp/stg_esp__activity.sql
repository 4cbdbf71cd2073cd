{#-
    Incremental (delete+insert by activity_id): a run deduplicates again only the activities
    with a row loaded since the last build or dated in the lookback window, so the table equals a full rebuild; the
    full_refresh job rebuilds it from all raw rows.
-#}

{{ config(materialized='incremental', unique_key='activity_id', incremental_strategy=incremental_replace_strategy(),
    on_schema_change='sync_all_columns') }}

with source_rows as (

    select * from {{ source('esp', 'activity') }}
    {%- if incremental_with_watermark('_loaded_at') %}
        where {{ shares_key_with_new_rows(source('esp', 'activity'), 'activity_id', 'cast(new_rows.event_at as date)',
            'event_date_local') }}
    {%- endif %}

),

deduplicated as (

    {{ deduplicate('source_rows', 'activity_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        activity_id,
        campaign_id as esp_campaign_id,
        {{ normalize_email('recipient_email') }} as recipient_email,
        {{ email_is_valid(normalize_email('recipient_email')) }} as is_recipient_email_valid,
        {{ phone_to_e164('recipient_phone') }} as recipient_phone_e164,
        lower(event_type) as event_type,
        event_at as event_at_utc,
        cast({{ utc_to_local('event_at') }} as date) as event_date_local,
        link_url,
        lower({{ url_parameter('link_url', 'utm_campaign') }}) as link_utm_campaign,
        lower(bounce_type) as bounce_type,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
