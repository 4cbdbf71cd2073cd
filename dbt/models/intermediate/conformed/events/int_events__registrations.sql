{#-
    Conformed events channel: every tool's rows of registrations in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.

    Cancellations. The generic CSV has no cancellation: each of its rows is a standing registration
    (a tool that cancels drops the row from its export), and a withdrawn check-in is an empty
    checked_in_at. Eventbrite keeps cancelled and refunded tickets in its attendee list: they stay
    here as registrations (the registration happened; dropping them would leave stale touchpoints in
    the incremental spine) with is_cancelled true, and count as checked in only when Eventbrite
    says so (checked_in). Eventbrite rows are tickets: an order of two tickets is two registrations.
-#}

with generic_csv as (

    select
        registration_id,
        marketing_event_id,
        email,
        is_email_valid,
        phone_e164,
        first_name,
        last_name,
        company_name,
        registered_at_utc,
        checked_in_at_utc,
        has_checked_in,
        ticket_type,
        false as is_cancelled,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_string() }}) as affiliate_code,
        cast(null as {{ dbt.type_numeric() }}) as gross_amount,
        cast(null as {{ dbt.type_string() }}) as currency,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_ticketing__registrations') }}

),

eventbrite as (

    select
        registration_id,
        marketing_event_id,
        email,
        is_email_valid,
        phone_e164,
        first_name,
        last_name,
        company_name,
        registered_at_utc,
        checked_in_at_utc,
        has_checked_in,
        ticket_type,
        is_cancelled or is_refunded as is_cancelled,
        order_id,
        affiliate_code,
        gross_amount,
        currency,
        _loaded_at,
        'eventbrite' as source_system
    from {{ ref('stg_eventbrite__attendees') }}

)

select * from generic_csv
union all
select * from eventbrite
