with source_rows as (

    select * from {{ source('esp', 'list_membership') }}

),

deduplicated as (

    {{ deduplicate(
        'source_rows',
        'list_id, subscriber_email, subscriber_phone, event_type, event_at',
        '_loaded_at desc, _source_file desc'
    ) }}

),

renamed as (

    select
        {{ dbt.hash(dbt.concat([
            'list_id', "'|'", "coalesce(subscriber_email, '')", "'|'", "coalesce(subscriber_phone, '')",
            "'|'", 'event_type', "'|'", 'cast(event_at as ' ~ dbt.type_string() ~ ')'
        ])) }} as membership_event_id,
        list_id,
        {{ normalize_email('subscriber_email') }} as subscriber_email,
        {{ email_is_valid(normalize_email('subscriber_email')) }} as is_subscriber_email_valid,
        {{ phone_to_e164('subscriber_phone') }} as subscriber_phone_e164,
        lower(event_type) as event_type,
        event_at as event_at_utc,
        cast({{ utc_to_local('event_at') }} as date) as event_date_local,
        lower(signup_source) as signup_source,
        _loaded_at
    from deduplicated

)

select * from renamed
