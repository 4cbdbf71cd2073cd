with source_rows as (

    select * from {{ source('survey', 'nps_responses') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by response_id
            order by _loaded_at desc, _source_file desc
        ) as version_rank
    from source_rows

),

latest as (

    select * from ranked where version_rank = 1

),

renamed as (

    select
        cast(response_id as {{ dbt.type_string() }}) as nps_response_id,
        cast(survey_id as {{ dbt.type_string() }}) as survey_id,
        submitted_at as submitted_at_utc,
        lower(trim(respondent_email)) as respondent_email,
        nullif(trim(contact_id), '') as crm_contact_id,
        cast(score as {{ dbt.type_int() }}) as nps_score,
        case
            when score >= 9 then 'promoter'
            when score >= 7 then 'passive'
            else 'detractor'
        end as nps_category,
        nullif(trim(verbatim), '') as verbatim,
        lower(channel) as survey_channel,
        _source_file,
        _loaded_at
    from latest

)

select * from renamed
