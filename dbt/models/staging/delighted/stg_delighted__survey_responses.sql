{#-
    Delighted survey responses (API pages, expand[]=person): the latest version of each response.
    Incremental pulls re-emit a response with a later updated_at (notes, tags, comment edits).
-#}

with source_rows as (

    select
        *,
        coalesce(updated_at, created_at) as version_at
    from {{ source('delighted', 'survey_responses') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', 'version_at desc, _loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        deduplicated.id as survey_response_id,
        lower(trim(survey_type)) as survey_type,
        {{ delighted_property('person_properties', 'survey_wave') }} as survey_wave,
        {{ epoch_us_to_timestamp('created_at * 1000000') }} as submitted_at_utc,
        cast({{ utc_to_local(epoch_us_to_timestamp('created_at * 1000000')) }} as date) as submitted_date_local,
        {{ epoch_us_to_timestamp('updated_at * 1000000') }} as updated_at_utc,
        deduplicated.score,
        case
            when deduplicated.score >= 9 then 'promoter'
            when deduplicated.score >= 7 then 'passive'
            when deduplicated.score >= 0 then 'detractor'
        end as nps_category,
        nullif(trim(deduplicated.comment), '') as verbatim,
        lower({{ delighted_property('person_properties', 'channel') }}) as survey_channel,
        person.id as delighted_person_id,
        nullif(trim(person.name), '') as respondent_name,
        {{ normalize_email('person.email') }} as respondent_email,
        {{ email_is_valid(normalize_email('person.email')) }} as is_respondent_email_valid,
        {{ phone_to_e164('person.phone_number') }} as respondent_phone_e164,
        {{ delighted_property('person_properties', 'crm_contact_id') }} as crm_contact_id,
        {{ delighted_property('person_properties', 'order_number') }} as order_number,
        lower({{ delighted_property('person_properties', 'locale') }}) as respondent_locale,
        deduplicated.permalink,
        {{ yyyymmdd_to_date('pull_date') }} as pulled_on,
        deduplicated._loaded_at
    from deduplicated

)

select * from renamed
