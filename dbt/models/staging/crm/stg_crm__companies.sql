with source_rows as (

    select * from {{ source('crm', 'companies') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'company_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        company_id as crm_company_id,
        trim(name) as company_name,
        nullif(lower(trim(domain)), '') as company_domain,
        lower(industry) as industry,
        employee_count,
        upper(country) as country_code,
        nullif(trim(city), '') as city,
        created_at as created_at_utc,
        _loaded_at
    from deduplicated

)

select * from renamed
