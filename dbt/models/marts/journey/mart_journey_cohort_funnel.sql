{#-
    Journey funnel per monthly cohort (grain: cohort_month, the month of Visibility): how many
    customers of the cohort reached each phase by the last observed day, how many are in each
    phase now, and the conversion between phases: Visibility -> Contact = contact /
    visibility, Contact -> Experience = experience / contact, Experience -> Trust = trust /
    experience.
-#}

select
    cohort_month,
    count(*) as customers_visibility,
    sum(case when contact_at_utc is not null then 1 else 0 end) as customers_contact,
    sum(case when experience_at_utc is not null then 1 else 0 end) as customers_experience,
    sum(case when trust_at_utc is not null then 1 else 0 end) as customers_trust,
    sum(case when current_phase = 'visibility' then 1 else 0 end) as customers_in_visibility,
    sum(case when current_phase = 'contact' then 1 else 0 end) as customers_in_contact,
    sum(case when current_phase = 'experience' then 1 else 0 end) as customers_in_experience,
    sum(case when current_phase = 'trust' then 1 else 0 end) as customers_in_trust,
    {{ safe_divide('sum(case when contact_at_utc is not null then 1 else 0 end)', 'count(*)') }} as visibility_to_contact_rate,
    {{ safe_divide('sum(case when experience_at_utc is not null then 1 else 0 end)', 'sum(case when contact_at_utc is not null then 1 else 0 end)') }} as contact_to_experience_rate,
    {{ safe_divide('sum(case when trust_at_utc is not null then 1 else 0 end)', 'sum(case when experience_at_utc is not null then 1 else 0 end)') }} as experience_to_trust_rate
from {{ ref('dim_customer_journey') }}
group by cohort_month
