{#-
    Conformed crm channel: every tool's rows of contacts in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    HubSpot: archived contacts are left out; SMS consent is not in HubSpot's contact records (false).
-#}

with generic_csv as (

    select
        crm_contact_id,
        email,
        is_email_valid,
        phone_e164,
        first_name,
        last_name,
        job_title,
        crm_company_id,
        country_code,
        city,
        language,
        instagram_handle,
        linkedin_handle,
        customer_number,
        has_email_consent,
        has_sms_consent,
        lifecycle_stage,
        created_at_utc,
        updated_at_utc,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as boolean) as is_email_opted_out,
        cast(null as {{ dbt.type_timestamp() }}) as became_subscriber_at_utc,
        cast(null as {{ dbt.type_timestamp() }}) as became_lead_at_utc,
        cast(null as {{ dbt.type_timestamp() }}) as became_mql_at_utc,
        cast(null as {{ dbt.type_timestamp() }}) as became_sql_at_utc,
        cast(null as {{ dbt.type_timestamp() }}) as became_customer_at_utc
    from {{ ref('stg_crm__contacts') }}

),

hubspot as (

    select
        crm_contact_id,
        email,
        is_email_valid,
        phone_e164,
        first_name,
        last_name,
        job_title,
        crm_company_id,
        country_code,
        city,
        language,
        instagram_handle,
        linkedin_handle,
        customer_number,
        has_email_consent,
        has_sms_consent,
        lifecycle_stage,
        created_at_utc,
        updated_at_utc,
        _loaded_at,
        'hubspot' as source_system,
        is_email_opted_out,
        became_subscriber_at_utc,
        became_lead_at_utc,
        became_mql_at_utc,
        became_sql_at_utc,
        became_customer_at_utc
    from {{ ref('stg_hubspot__contacts') }}
    where not is_archived

)

select * from generic_csv
union all
select * from hubspot
