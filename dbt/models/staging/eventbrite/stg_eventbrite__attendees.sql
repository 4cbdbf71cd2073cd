{#-
    Eventbrite attendees (GET /v3/events/{id}/attendees/, no status filter): one row per ticket,
    the copy with the greatest `changed`. Cancelled and refunded tickets are kept, flagged.
-#}

with source_rows as (

    select * from {{ source('eventbrite', 'attendees') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', 'changed desc, _loaded_at desc, _source_file desc, _source_row') }}

),

renamed as (

    select
        deduplicated.id as registration_id,
        deduplicated.event_id as marketing_event_id,
        deduplicated.order_id,
        {{ normalize_email('profile.email') }} as email,
        {{ email_is_valid(normalize_email('profile.email')) }} as is_email_valid,
        {{ phone_to_e164('profile.cell_phone') }} as phone_e164,
        nullif(trim(profile.first_name), '') as first_name,
        nullif(trim(profile.last_name), '') as last_name,
        nullif(trim(profile.company), '') as company_name,
        nullif(trim(profile.job_title), '') as job_title,
        deduplicated.created as registered_at_utc,
        case
            when
                deduplicated.checked_in
                then coalesce({{ eventbrite_used_barcode_changed('barcodes') }}, deduplicated.changed)
        end as checked_in_at_utc,
        coalesce(deduplicated.checked_in, false) as has_checked_in,
        deduplicated.cancelled as is_cancelled,
        deduplicated.refunded as is_refunded,
        deduplicated.status as attendee_status,
        case
            when costs.gross.value is null then null
            when costs.gross.value = 0 then 'free'
            else 'paid'
        end as ticket_type,
        deduplicated.ticket_class_id,
        nullif(trim(ticket_class_name), '') as ticket_class_name,
        cast(costs.gross.major_value as {{ dbt.type_numeric() }}) as gross_amount,
        cast(costs.eventbrite_fee.major_value as {{ dbt.type_numeric() }}) as eventbrite_fee_amount,
        cast(costs.payment_fee.major_value as {{ dbt.type_numeric() }}) as payment_fee_amount,
        cast(costs.tax.major_value as {{ dbt.type_numeric() }}) as tax_amount,
        upper(costs.gross.currency) as currency,
        nullif(lower(trim(deduplicated.affiliate)), '') as affiliate_code,
        deduplicated.guestlist_id is not null as is_guest,
        deduplicated.delivery_method,
        deduplicated.changed as changed_at_utc,
        {{ yyyymmdd_to_date('pull_date') }} as pull_date,
        deduplicated._loaded_at
    from deduplicated

)

select * from renamed
