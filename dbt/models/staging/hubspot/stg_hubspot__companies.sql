with source_rows as (

    select * from {{ source('hubspot', 'companies') }}

),

latest_version as (

    {{ deduplicate('source_rows', 'id', 'updatedAt desc, _loaded_at desc, _source_file desc, _source_row desc') }}

),

renamed as (

    select
        latest_version.id as crm_company_id,
        coalesce(nullif(trim(properties.name), ''), nullif(lower(trim(properties.domain)), ''), latest_version.id)
            as company_name,
        nullif(lower(trim(properties.domain)), '') as company_domain,
        {{ hubspot_industry('properties.industry') }} as industry,
        nullif(upper(trim(properties.industry)), '') as hubspot_industry,
        case
            when {{ hubspot_number('properties.numberofemployees') }} >= 1
                then cast({{ hubspot_number('properties.numberofemployees') }} as integer)
        end as employee_count,
        {{ hubspot_country_code('properties.country') }} as country_code,
        nullif(trim(properties.country), '') as country_name,
        nullif(trim(properties.city), '') as city,
        coalesce({{ hubspot_timestamp('properties.createdate') }}, latest_version.createdat) as created_at_utc,
        coalesce({{ hubspot_timestamp('properties.hs_lastmodifieddate') }}, latest_version.updatedat) as updated_at_utc,
        coalesce(latest_version.archived, false) as is_archived,
        latest_version._loaded_at
    from latest_version

)

select * from renamed
