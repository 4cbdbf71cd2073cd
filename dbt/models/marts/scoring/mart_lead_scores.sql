{#-
    Lead score, grade and priority per contact as of the last observed day (grain:
    customer_id; contacts = customers with a CRM contact and marketing consent
    (dim_customer.has_marketing_consent), shared identifiers excluded).
    Score (interest) = decayed points of the contact's actions (mart_lead_score_history,
    decayed on to the as-of day); grade (fit, A-D) = sum over the grading criteria of
    weight x best match (0-1) on the golden record, thresholds from the rules file;
    priority = grade + score band (A1 ... D4); MQL = score >= mql_min_score and a
    qualifying grade. Rules: dagster_project/config/lead_scoring.yml (rules_version).
-#}

with parameters as (

    select * from {{ source('ml', 'lead_scoring_parameters') }}

),

as_of as (

    select max(observation_end_date) as scored_as_of_date from {{ ref('int_kpi__calendar_days') }}

),

contacts as (

    select * from {{ ref('dim_customer') }}
    where primary_crm_contact_id is not null
        and not is_shared_identifier
        -- GDPR: only people with email marketing consent are scored and handed to sales / activation
        and has_marketing_consent

),

latest_scores as (

    select
        customer_id,
        score_date,
        lead_score,
        row_number() over (partition by customer_id order by score_date desc) as recency_rank
    from {{ ref('mart_lead_score_history') }}

),

contributions as (

    select
        actions.customer_id,
        actions.touchpoint_type,
        count(*) as action_count,
        sum(actions.points * power(
            2.0, -1 * {{ dbt.datediff('actions.occurred_date_local', 'as_of.scored_as_of_date',
                'day') }} / parameters.half_life_days
        )) as decayed_points
    from {{ ref('fct_lead_scoring_action') }} as actions
    cross join as_of
    cross join parameters
    where actions.occurred_date_local <= as_of.scored_as_of_date
    group by actions.customer_id, actions.touchpoint_type

),

score_reasons as (

    select
        customer_id,
        {{ ordered_listagg(
            "touchpoint_type || ' x' || cast(action_count as " ~ dbt.type_string() ~ ") || ' (' || cast(round(decayed_points, 1) as " ~ dbt.type_string() ~ ") || ')'",
            "'; '", ['decayed_points desc', 'touchpoint_type'], 3) }} as top_score_reasons
    from contributions
    where decayed_points >= 0.05
    group by customer_id

),

criteria_matches as (

    select
        contacts.customer_id,
        criteria.criterion,
        max(criteria.weight * criteria.fit) as fit_points
    from contacts
    inner join {{ source('ml', 'lead_grading_criteria') }} as criteria
        on (
            criteria.match_type in ('value', 'keyword')
            and lower(case criteria.field
                when 'company_industry' then contacts.company_industry
                when 'job_title' then contacts.job_title
                when 'country_code' then contacts.country_code
                when 'company_employee_count' then cast(contacts.company_employee_count as {{ dbt.type_string() }})
            end) like case
                when criteria.match_type = 'keyword' then '%' || criteria.match_value || '%'
                else criteria.match_value
            end
        )
        or (
            criteria.match_type = 'range'
            and criteria.field = 'company_employee_count'
            and criteria.range_min <= contacts.company_employee_count
            and (criteria.range_max is null or criteria.range_max >= contacts.company_employee_count)
        )
    group by contacts.customer_id, criteria.criterion

),

fit as (

    select
        customer_id,
        sum(fit_points) as fit_score,
        {{ ordered_listagg("criterion || ' ' || cast(round(fit_points, 0) as " ~ dbt.type_string() ~ ")", "'; '",
            ['fit_points desc', 'criterion']) }}
            as grade_reasons
    from criteria_matches
    group by customer_id

),

scored as (

    select
        contacts.customer_id,
        contacts.primary_crm_contact_id as crm_contact_id,
        contacts.email,
        contacts.first_name,
        contacts.last_name,
        contacts.company_name,
        contacts.job_title,
        contacts.crm_lifecycle_stage,
        coalesce(latest_scores.lead_score * power(
            2.0, -1 * {{ dbt.datediff('latest_scores.score_date', 'as_of.scored_as_of_date',
                'day') }} / parameters.half_life_days
        ), 0) as lead_score,
        latest_scores.score_date as last_scored_activity_date,
        coalesce(fit.fit_score, 0) as fit_score,
        score_reasons.top_score_reasons,
        fit.grade_reasons,
        as_of.scored_as_of_date,
        parameters.*
    from contacts
    cross join as_of
    cross join parameters
    left join latest_scores
        on latest_scores.customer_id = contacts.customer_id
        and latest_scores.recency_rank = 1
    left join fit on fit.customer_id = contacts.customer_id
    left join score_reasons on score_reasons.customer_id = contacts.customer_id

),

graded as (

    select
        scored.*,
        case
            when scored.fit_score >= scored.grade_a_min_fit then 'A'
            when scored.fit_score >= scored.grade_b_min_fit then 'B'
            when scored.fit_score >= scored.grade_c_min_fit then 'C'
            else 'D'
        end as lead_grade,
        cast(case
            when scored.lead_score >= scored.band_1_min_score then 1
            when scored.lead_score >= scored.band_2_min_score then 2
            when scored.lead_score >= scored.band_3_min_score then 3
            else 4
        end as {{ dbt.type_bigint() }}) as score_band
    from scored

)

select
    customer_id,
    crm_contact_id,
    email,
    first_name,
    last_name,
    company_name,
    job_title,
    crm_lifecycle_stage,
    lead_score,
    score_band,
    fit_score,
    lead_grade,
    lead_grade || cast(score_band as {{ dbt.type_string() }}) as priority,
    lead_score >= mql_min_score and ',' || mql_grades || ',' like '%,' || lead_grade || ',%' as is_mql,
    top_score_reasons,
    grade_reasons,
    last_scored_activity_date,
    scored_as_of_date,
    rules_version
from graded
