with source_rows as (

    select * from {{ source('ticketing', 'registrations') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'registration_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        registration_id,
        event_id as marketing_event_id,
        {{ normalize_email('email') }} as email,
        {{ email_is_valid(normalize_email('email')) }} as is_email_valid,
        {{ phone_to_e164('phone') }} as phone_e164,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(company_name), '') as company_name,
        registered_at as registered_at_utc,
        checked_in_at as checked_in_at_utc,
        checked_in_at is not null as has_checked_in,
        lower(ticket_type) as ticket_type,
        _loaded_at
    from deduplicated

)

select * from renamed
