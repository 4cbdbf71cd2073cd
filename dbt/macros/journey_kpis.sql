{#-
    The journey funnel's columns over a set of customers' journeys (rows of dim_customer_journey, or any
    relation with contact_at_utc, experience_at_utc, trust_at_utc and current_phase): how many reached each
    phase, how many are in each phase now, and the conversion between phases (Visibility -> Contact =
    contact / visibility, Contact -> Experience = experience / contact, Experience -> Trust = trust /
    experience). Used with a group by: mart_journey_cohort_funnel (per cohort month) and
    mart_journey_funnel_by_segment (per persona / RFM segment).
-#}
{% macro journey_funnel_columns() %}
    count(*) as customers_visibility,
    cast(sum(case when contact_at_utc is not null then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_contact,
    cast(sum(case when experience_at_utc is not null then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_experience,
    cast(sum(case when trust_at_utc is not null then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_trust,
    cast(sum(case when current_phase = 'visibility' then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_in_visibility,
    cast(sum(case when current_phase = 'contact' then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_in_contact,
    cast(sum(case when current_phase = 'experience' then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_in_experience,
    cast(sum(case when current_phase = 'trust' then 1 else 0 end) as {{ dbt.type_bigint() }}) as customers_in_trust,
    {{ safe_divide('sum(case when contact_at_utc is not null then 1 else 0 end)', 'count(*)') }} as visibility_to_contact_rate,
    {{ safe_divide('sum(case when experience_at_utc is not null then 1 else 0 end)', 'sum(case when contact_at_utc is not null then 1 else 0 end)') }} as contact_to_experience_rate,
    {{ safe_divide('sum(case when trust_at_utc is not null then 1 else 0 end)', 'sum(case when experience_at_utc is not null then 1 else 0 end)') }} as experience_to_trust_rate
{%- endmacro %}
