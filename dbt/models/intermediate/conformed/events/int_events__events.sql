{#-
    Conformed events channel: every tool's rows of events in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    Eventbrite has no campaign on the event (utm_campaign null there; its attendees carry the
    tracking-link code, int_events__registrations.affiliate_code).
-#}

with generic_csv as (

    select
        marketing_event_id,
        event_name,
        event_type,
        event_format,
        starts_at_utc,
        ends_at_utc,
        event_date_local,
        city,
        country_code,
        capacity,
        utm_campaign,
        cast(null as {{ dbt.type_string() }}) as event_status,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_ticketing__events') }}

),

eventbrite as (

    select
        marketing_event_id,
        event_name,
        event_type,
        event_format,
        starts_at_utc,
        ends_at_utc,
        event_date_local,
        city,
        country_code,
        capacity,
        cast(null as {{ dbt.type_string() }}) as utm_campaign,
        event_status,
        _loaded_at,
        'eventbrite' as source_system
    from {{ ref('stg_eventbrite__events') }}

)

select * from generic_csv
union all
select * from eventbrite
