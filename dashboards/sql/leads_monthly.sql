-- Leads per month and source channel (the mart's grain also has utm_campaign).
select period_start_date, source_channel, sum(leads_generated) as leads_generated,
       sum(converted_leads) as converted_leads,
       sum(converted_leads) / nullif(sum(leads_generated), 0) as lead_conversion_rate
from mart_leads_monthly
group by period_start_date, source_channel
order by period_start_date, source_channel
