{#-
    Conformed crm channel: every tool's rows of companies in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
-#}

with generic_csv as (

    select
        crm_company_id,
        company_name,
        company_domain,
        industry,
        employee_count,
        country_code,
        city,
        created_at_utc,
        _loaded_at,
        'generic_csv' as source_system
    from {{ ref('stg_crm__companies') }}

),

hubspot as (

    select
        crm_company_id,
        company_name,
        company_domain,
        industry,
        employee_count,
        country_code,
        city,
        created_at_utc,
        _loaded_at,
        'hubspot' as source_system
    from {{ ref('stg_hubspot__companies') }}
    where not is_archived

)

select * from generic_csv
union all
select * from hubspot
