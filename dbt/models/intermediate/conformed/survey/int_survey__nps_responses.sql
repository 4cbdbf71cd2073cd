{#-
    Conformed survey channel: every tool's rows of nps responses in one shape, with the tool in
    source_system. A second tool for the channel is one more staging folder and one more branch here.
    Delighted: NPS surveys only (survey_type nps), latest version of each response; survey wave,
    channel, CRM contact id and order number come from the request's person_properties (the
    project's convention, keys in macro delighted_property_key). Columns added for identity:
    respondent_phone_e164 and order_number (null for the generic CSV, which has neither).
-#}

with generic_csv as (

    select
        nps_response_id,
        survey_id,
        submitted_at_utc,
        submitted_date_local,
        respondent_email,
        is_respondent_email_valid,
        crm_contact_id,
        nps_score,
        nps_category,
        verbatim,
        survey_channel,
        _loaded_at,
        'generic_csv' as source_system,
        cast(null as {{ dbt.type_string() }}) as respondent_phone_e164,
        cast(null as {{ dbt.type_string() }}) as order_number
    from {{ ref('stg_survey__nps_responses') }}

),

delighted as (

    select
        survey_response_id as nps_response_id,
        survey_wave as survey_id,
        submitted_at_utc,
        submitted_date_local,
        respondent_email,
        is_respondent_email_valid,
        crm_contact_id,
        score as nps_score,
        nps_category,
        verbatim,
        survey_channel,
        _loaded_at,
        'delighted' as source_system,
        respondent_phone_e164,
        order_number
    from {{ ref('stg_delighted__survey_responses') }}
    where survey_type = 'nps'

)

select * from generic_csv
union all
select * from delighted
