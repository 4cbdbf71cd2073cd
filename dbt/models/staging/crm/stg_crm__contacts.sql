with source_rows as (

    select * from {{ source('crm', 'contacts') }}

),

latest_version as (

    {{ deduplicate('source_rows', 'contact_id', 'updated_at desc, _loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        contact_id as crm_contact_id,
        {{ normalize_email('email') }} as email,
        {{ email_is_valid(normalize_email('email')) }} as is_email_valid,
        {{ phone_to_e164('phone', 'country') }} as phone_e164,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(job_title), '') as job_title,
        nullif(trim(company_id), '') as crm_company_id,
        upper(country) as country_code,
        nullif(trim(city), '') as city,
        lower(language) as language,
        {{ normalize_handle('instagram_handle') }} as instagram_handle,
        {{ normalize_handle('linkedin_handle') }} as linkedin_handle,
        nullif(trim(customer_number), '') as customer_number,
        coalesce(consent_email, false) as has_email_consent,
        coalesce(consent_sms, false) as has_sms_consent,
        lower(lifecycle_stage) as lifecycle_stage,
        created_at as created_at_utc,
        updated_at as updated_at_utc,
        _loaded_at
    from latest_version

)

select * from renamed
