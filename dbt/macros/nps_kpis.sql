{#-
    NPS per period and segment: % promoters (9-10) - % detractors (0-6) over all answers of
    the period, on the 0-10 scale, range -100..100. Segments: all, survey channel, the
    respondent's country and language (dim_customer) and acquisition channel (first touch);
    'unknown' when the respondent is not resolved to a customer with that attribute; the
    respondent's persona group and persona (dim_customer_persona) and RFM segment at the end of
    the answer's month (fct_customer_rfm_monthly, var('rfm_no_order_segment') without an order
    by then), 'unresolved' when the respondent is not resolved to a customer.
-#}
{% macro nps_kpis(period) -%}
with responses as (

    select
        {{ period_start('answers.occurred_date_local', period) }} as period_start_date,
        answers.score,
        coalesce(answers.traffic_channel, 'unknown') as survey_channel,
        coalesce(customers.country_code, 'unknown') as country_code,
        coalesce(customers.language, 'unknown') as language,
        coalesce(acquisition.acquisition_channel, 'unknown') as acquisition_channel,
        coalesce(personas.persona_group, 'unresolved') as persona_group,
        coalesce(personas.persona, 'unresolved') as persona,
        case
            when personas.customer_id is null then 'unresolved'
            else coalesce(rfm.rfm_segment, '{{ var("rfm_no_order_segment") }}')
        end as rfm_segment
    from {{ ref('fct_customer_touchpoint') }} as answers
    left join {{ ref('dim_customer') }} as customers on customers.customer_id = answers.customer_id
    left join {{ ref('int_kpi__customer_acquisition') }} as acquisition on acquisition.customer_id = answers.customer_id
    left join {{ ref('dim_customer_persona') }} as personas on personas.customer_id = answers.customer_id
    left join {{ ref('fct_customer_rfm_monthly') }} as rfm
        on rfm.customer_id = answers.customer_id
        and rfm.month_start_date = {{ period_start('answers.occurred_date_local', 'month') }}
    where answers.touchpoint_type = 'nps_answer'

),

segmented as (

    select period_start_date, 'all' as segment_type, 'all' as segment_value, score from responses
    union all
    select period_start_date, 'survey_channel', survey_channel, score from responses
    union all
    select period_start_date, 'country', country_code, score from responses
    union all
    select period_start_date, 'language', language, score from responses
    union all
    select period_start_date, 'acquisition_channel', acquisition_channel, score from responses
    union all
    select period_start_date, 'persona_group', persona_group, score from responses
    union all
    select period_start_date, 'persona', persona, score from responses
    union all
    select period_start_date, 'rfm_segment', rfm_segment, score from responses

)

select
    period_start_date,
    segment_type,
    segment_value,
    count(*) as responses,
    cast(sum(case when score >= 9 then 1 else 0 end) as {{ dbt.type_bigint() }}) as promoters,
    cast(sum(case when score between 7 and 8 then 1 else 0 end) as {{ dbt.type_bigint() }}) as passives,
    cast(sum(case when score <= 6 then 1 else 0 end) as {{ dbt.type_bigint() }}) as detractors,
    100 * {{ safe_divide('sum(case when score >= 9 then 1 else 0 end)', 'count(*)') }} as promoter_pct,
    100 * {{ safe_divide('sum(case when score <= 6 then 1 else 0 end)', 'count(*)') }} as detractor_pct,
    100 * {{ safe_divide('sum(case when score >= 9 then 1 when score <= 6 then -1 else 0 end)', 'count(*)') }} as nps
from segmented
group by period_start_date, segment_type, segment_value
{%- endmacro %}
