{#-
    HubSpot contacts from the CRM API v3 pages (hubspot.contacts) and, as a fallback, the UI
    export CSV (hubspot.contacts_export): both flattened to one shape, then the latest version
    of each contact kept (at equal modification times the API record wins: it has milliseconds,
    zones and internal values).
-#}

with api_rows as (

    select * from {{ source('hubspot', 'contacts') }}

),

export_rows as (

    select * from {{ source('hubspot', 'contacts_export') }}

),

api_contacts as (

    select
        api_rows.id,
        properties.email,
        nullif(trim(coalesce(properties.phone, properties.mobilephone)), '') as phone,
        properties.firstname,
        properties.lastname,
        properties.jobtitle,
        properties.company,
        coalesce(
            nullif(trim(properties.associatedcompanyid), ''),
            {{ hubspot_association_id('associations.companies.results', 'contact_to_company') }}
        ) as company_id,
        properties.country,
        properties.city,
        {{ hubspot_language_code('properties.hs_language') }} as hs_language,
        nullif(lower(trim(properties.lifecyclestage)), '') as lifecyclestage,
        {{ hubspot_timestamp('properties.hs_lifecyclestage_subscriber_date') }} as subscriber_at,
        {{ hubspot_timestamp('properties.hs_lifecyclestage_lead_date') }} as lead_at,
        {{ hubspot_timestamp('properties.hs_lifecyclestage_marketingqualifiedlead_date') }} as mql_at,
        coalesce(
            {{ hubspot_timestamp('properties.hs_lifecyclestage_salesqualifiedlead_date') }},
            {{ hubspot_timestamp('properties.hs_lifecyclestage_opportunity_date') }}
        ) as sql_at,
        coalesce(
            {{ hubspot_timestamp('properties.hs_lifecyclestage_customer_date') }},
            {{ hubspot_timestamp('properties.hs_lifecyclestage_evangelist_date') }}
        ) as customer_at,
        {{ hubspot_flag('properties.hs_email_optout') }} as is_opted_out,
        {{ hubspot_flag('properties.hs_marketable_status') }} as is_marketable,
        nullif(trim(properties.hs_legal_basis), '') as hs_legal_basis,
        nullif(upper(trim(properties.hs_analytics_source)), '') as hs_analytics_source,
        properties.hs_analytics_source_data_1,
        properties.hs_analytics_source_data_2,
        properties.instagram_handle,
        properties.linkedin_handle,
        properties.shop_customer_number,
        coalesce({{ hubspot_timestamp('properties.createdate') }}, api_rows.createdat) as created_at,
        coalesce({{ hubspot_timestamp('properties.lastmodifieddate') }}, api_rows.updatedat) as updated_at,
        coalesce(archived, false) as archived,
        'api' as export_format,
        1 as format_rank,
        api_rows._loaded_at,
        api_rows._source_file,
        api_rows._source_row
    from api_rows

),

export_contacts as (

    select
        trim(record_id) as id,
        email,
        nullif(trim(coalesce(nullif(trim(phone_number), ''), mobile_phone_number)), '') as phone,
        first_name as firstname,
        last_name as lastname,
        job_title as jobtitle,
        company_name as company,
        nullif(trim(split_part(associated_company_id, ';', 1)), '') as company_id,
        country_region as country,
        city,
        {{ hubspot_language_code('preferred_language') }} as hs_language,
        nullif({{ hubspot_label_to_value('lifecycle_stage') }}, '') as lifecyclestage,
        {{ hubspot_local_to_utc('became_a_subscriber_date') }} as subscriber_at,
        {{ hubspot_local_to_utc('became_a_lead_date') }} as lead_at,
        {{ hubspot_local_to_utc('became_a_marketing_qualified_lead_date') }} as mql_at,
        {{ hubspot_local_to_utc('became_a_sales_qualified_lead_date') }} as sql_at,
        {{ hubspot_local_to_utc('became_a_customer_date') }} as customer_at,
        {{ hubspot_flag('unsubscribed_from_all_email') }} as is_opted_out,
        {{ hubspot_flag('marketing_contact_status') }} as is_marketable,
        nullif(trim(legal_basis), '') as hs_legal_basis,
        nullif({{ hubspot_source_label_to_value('original_source') }}, '') as hs_analytics_source,
        original_source_drill_down_1 as hs_analytics_source_data_1,
        original_source_drill_down_2 as hs_analytics_source_data_2,
        instagram_handle,
        linkedin_handle,
        shop_customer_number,
        {{ hubspot_local_to_utc('create_date') }} as created_at,
        coalesce(
            {{ hubspot_local_to_utc('last_modified_date') }}, {{ hubspot_local_to_utc('create_date') }}
        ) as updated_at,
        false as archived,
        'ui_export' as export_format,
        2 as format_rank,
        _loaded_at,
        _source_file,
        _source_row
    from export_rows
    where nullif(trim(record_id), '') is not null

),

unioned as (

    select * from api_contacts
    union all
    select * from export_contacts

),

latest_version as (

    {{ deduplicate('unioned', 'id',
        'updated_at desc nulls last, format_rank, _loaded_at desc, _source_file desc, _source_row desc') }}

),

flattened as (

    select
        *,
        {{ hubspot_country_code('country') }} as country_code
    from latest_version

),

renamed as (

    select
        id as crm_contact_id,
        {{ normalize_email('email') }} as email,
        {{ email_is_valid(normalize_email('email')) }} as is_email_valid,
        {{ phone_to_e164('phone', 'country_code') }} as phone_e164,
        nullif(trim(firstname), '') as first_name,
        nullif(trim(lastname), '') as last_name,
        nullif(trim(jobtitle), '') as job_title,
        company_id as crm_company_id,
        nullif(trim(company), '') as company_name_typed,
        country_code,
        nullif(trim(country), '') as country_name,
        nullif(trim(city), '') as city,
        case when substr(hs_language, 1, 2) in ('it', 'en') then substr(hs_language, 1, 2) end as language,
        hs_language as hubspot_language,
        {{ normalize_handle('instagram_handle') }} as instagram_handle,
        {{ normalize_handle('linkedin_handle') }} as linkedin_handle,
        nullif(trim(shop_customer_number), '') as customer_number,
        coalesce(is_opted_out, false) = false and hs_legal_basis is not null as has_email_consent,
        coalesce(is_opted_out, false) as is_email_opted_out,
        hs_legal_basis as legal_basis,
        coalesce(is_marketable, false) as is_marketing_contact,
        false as has_sms_consent,
        {{ hubspot_lifecycle_stage('lifecyclestage') }} as lifecycle_stage,
        lifecyclestage as hubspot_lifecycle_stage,
        subscriber_at as became_subscriber_at_utc,
        lead_at as became_lead_at_utc,
        mql_at as became_mql_at_utc,
        sql_at as became_sql_at_utc,
        customer_at as became_customer_at_utc,
        hs_analytics_source as original_source,
        nullif(trim(hs_analytics_source_data_1), '') as original_source_drill_down_1,
        nullif(trim(hs_analytics_source_data_2), '') as original_source_drill_down_2,
        created_at as created_at_utc,
        updated_at as updated_at_utc,
        archived as is_archived,
        export_format,
        _loaded_at
    from flattened

)

select * from renamed
