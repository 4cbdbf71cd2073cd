{#- Lead score / grade distribution (grain: lead_grade, score_band): contacts, MQLs, mean score and fit per priority
    cell. -#}

select
    lead_grade,
    score_band,
    priority,
    count(*) as contacts,
    cast(sum(case when is_mql then 1 else 0 end) as {{ dbt.type_bigint() }}) as mqls,
    avg(lead_score) as average_lead_score,
    avg(fit_score) as average_fit_score
from {{ ref('mart_lead_scores') }}
group by lead_grade, score_band, priority
