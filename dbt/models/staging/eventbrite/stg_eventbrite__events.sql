{#- Eventbrite events (GET /v3/organizations/{id}/events/?expand=venue): one row per event, the copy with the greatest
    `changed`. -#}

with source_rows as (

    select * from {{ source('eventbrite', 'events') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', 'changed desc, _loaded_at desc, _source_file desc, _source_row') }}

),

renamed as (

    select
        deduplicated.id as marketing_event_id,
        nullif(trim(name.text), '') as event_name,
        {{ eventbrite_event_type('format_id', 'online_event') }} as event_type,
        case when deduplicated.online_event then 'online' else 'offline' end as event_format,
        {{ adapter.quote('start') }}.utc as starts_at_utc,
        {{ adapter.quote('end') }}.utc as ends_at_utc,
        cast({{ utc_to_local(adapter.quote('start') ~ '.utc') }} as date) as event_date_local,
        {{ adapter.quote('start') }}.timezone as event_timezone,
        {{ adapter.quote('start') }}.local as starts_at_event_local,
        nullif(trim(venue.address.city), '') as city,
        upper(nullif(trim(venue.address.country), '')) as country_code,
        deduplicated.capacity,
        lower(deduplicated.status) as event_status,
        upper(currency) as currency,
        deduplicated.is_free,
        deduplicated.format_id,
        deduplicated.category_id,
        deduplicated.organization_id,
        deduplicated.venue_id,
        nullif(trim(venue.name), '') as venue_name,
        deduplicated.url as event_url,
        deduplicated.created as created_at_utc,
        deduplicated.published as published_at_utc,
        deduplicated.changed as changed_at_utc,
        {{ yyyymmdd_to_date('pull_date') }} as pull_date,
        deduplicated._loaded_at
    from deduplicated

)

select * from renamed
