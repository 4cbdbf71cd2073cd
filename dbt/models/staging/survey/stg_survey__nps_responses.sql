with source_rows as (

    select * from {{ source('survey', 'nps_responses') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'response_id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        response_id as nps_response_id,
        survey_id,
        submitted_at as submitted_at_utc,
        cast({{ utc_to_local('submitted_at') }} as date) as submitted_date_local,
        {{ normalize_email('respondent_email') }} as respondent_email,
        {{ email_is_valid(normalize_email('respondent_email')) }} as is_respondent_email_valid,
        nullif(trim(contact_id), '') as crm_contact_id,
        score as nps_score,
        case
            when score >= 9 then 'promoter'
            when score >= 7 then 'passive'
            when score >= 0 then 'detractor'
        end as nps_category,
        nullif(trim(verbatim), '') as verbatim,
        lower(channel) as survey_channel,
        _loaded_at
    from deduplicated

)

select * from renamed
