{#-
    Advocacy per month (grain: period_start_date). Active customers = customers with an
    interaction, an order or an advocacy act in the month (mart_customer_activity_monthly);
    advocates = those with at least one advocacy act (review rated 4-5, NPS promoter);
    advocacy rate = advocates / active customers. Social shares and referral leads are
    advocacy the sources do not tie to a person: they are reported as brand-level volumes.
-#}

with customer_months as (

    select
        period_start_date,
        count(*) as active_customers,
        sum(case when is_advocate then 1 else 0 end) as advocates,
        sum(advocacy_acts) as advocacy_acts
    from {{ ref('mart_customer_activity_monthly') }}
    group by period_start_date

),

shares as (

    select {{ period_start('published_date_local', 'month') }} as period_start_date, sum(shares) as social_shares
    from {{ ref('int_social__posts') }}
    group by {{ period_start('published_date_local', 'month') }}

),

referrals as (

    select {{ period_start('created_date_local', 'month') }} as period_start_date, count(*) as referral_leads
    from {{ ref('int_crm__leads') }}
    where source_channel = 'referral'
    group by {{ period_start('created_date_local', 'month') }}

),

months as (

    select distinct month_start_date as period_start_date from {{ ref('int_kpi__calendar_days') }}

)

select
    months.period_start_date,
    coalesce(customer_months.active_customers, 0) as active_customers,
    cast(coalesce(customer_months.advocates, 0) as {{ dbt.type_bigint() }}) as advocates,
    cast(coalesce(customer_months.advocacy_acts, 0) as {{ dbt.type_bigint() }}) as advocacy_acts,
    {{ safe_divide('customer_months.advocates', 'customer_months.active_customers') }} as advocacy_rate,
    cast(coalesce(shares.social_shares, 0) as {{ dbt.type_bigint() }}) as social_shares,
    coalesce(referrals.referral_leads, 0) as referral_leads
from months
left join customer_months on customer_months.period_start_date = months.period_start_date
left join shares on shares.period_start_date = months.period_start_date
left join referrals on referrals.period_start_date = months.period_start_date
