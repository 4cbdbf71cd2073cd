with source_rows as (

    select * from {{ source('finance', 'fx_rates') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'rate_date, currency', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        rate_date,
        upper(trim(currency)) as currency,
        cast(eur_per_unit as {{ type_double() }}) as eur_per_unit,
        _loaded_at
    from deduplicated

)

select * from renamed
