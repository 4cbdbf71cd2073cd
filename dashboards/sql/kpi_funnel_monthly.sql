-- One headline KPI per funnel level and month: web sessions (counting), web engagement rate
-- (foundational), leads generated and new customers (result), net revenue (business).
with months as (
    select period_start_date, sessions, engagement_rate from mart_web_kpis_monthly
), leads as (
    select period_start_date, sum(leads_generated) as leads_generated from mart_leads_monthly group by period_start_date
), commerce as (
    select period_start_date, net_revenue_eur::double as net_revenue_eur, new_customers from mart_commerce_kpis_monthly
)
select m.period_start_date, m.sessions, m.engagement_rate, l.leads_generated, c.new_customers, c.net_revenue_eur
from months as m
left join leads as l using (period_start_date)
left join commerce as c using (period_start_date)
order by m.period_start_date
