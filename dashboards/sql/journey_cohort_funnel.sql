-- Reached counts per first-visibility cohort: customers_<phase> = reached the phase (or a later one).
select cohort_month, strftime(cohort_month, '%Y-%m') as cohort,
       customers_visibility, customers_contact, customers_experience, customers_trust,
       visibility_to_contact_rate, contact_to_experience_rate, experience_to_trust_rate,
       customers_trust / nullif(customers_visibility, 0) as visibility_to_trust_rate
from mart_journey_cohort_funnel
order by cohort_month
