with source_rows as (

    select * from {{ source('crm', 'leads') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'lead_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        lead_id,
        contact_id as crm_contact_id,
        created_at as created_at_utc,
        cast({{ utc_to_local('created_at') }} as date) as created_date_local,
        lower(source_channel) as source_channel,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        lower(stage) as stage,
        cast(amount_eur as {{ dbt.type_numeric() }}) as amount_eur,
        closed_at as closed_at_utc,
        _loaded_at
    from deduplicated

)

select * from renamed
