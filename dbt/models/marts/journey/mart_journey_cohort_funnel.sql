{#-
    Journey funnel per monthly cohort (grain: cohort_month, the month of Visibility): how many
    customers of the cohort reached each phase by the last observed day, how many are in each
    phase now, and the conversion between phases: Visibility -> Contact = contact /
    visibility, Contact -> Experience = experience / contact, Experience -> Trust = trust /
    experience.
-#}

select
    cohort_month,
    {{ journey_funnel_columns() }}
from {{ ref('dim_customer_journey') }}
group by cohort_month
