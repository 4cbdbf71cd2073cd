-- The four-level KPI funnel over the whole window of the marts: counting (volumes) ->
-- foundational (interaction, advocacy) -> result (leads, orders, customers) -> business
-- (revenue, ROI, CAC, CLV). Window rates are recomputed from the monthly counts, never averaged.
-- unit: number | pct (fraction 0-1) | eur | ratio
with web as (
    select sum(sessions) as sessions, sum(engaged_sessions) as engaged_sessions,
           sum(converting_sessions) as converting_sessions
    from mart_web_kpis_monthly
), seo as (
    select sum(impressions) as impressions, sum(clicks) as clicks from mart_seo_kpis_monthly
), paid as (
    select sum(impressions) as impressions, sum(clicks) as clicks from mart_paid_media_kpis_monthly
), social as (
    select sum(post_reach) as post_reach, sum(engagement) as engagement from mart_social_kpis_monthly
), email as (
    select sum(sent) as sent, sum(unique_clicks) as unique_clicks from mart_email_kpis_monthly
), advocacy as (
    select advocacy_rate from mart_advocacy_monthly
    where active_customers > 0 order by period_start_date desc limit 1
), leads as (
    select sum(leads_generated) as leads, sum(converted_leads) as converted from mart_leads_monthly
), commerce as (
    select sum(orders) as orders, sum(new_customers) as new_customers,
           sum(net_revenue_eur)::double as net_revenue_eur
    from mart_commerce_kpis_monthly
), attribution as (
    select (sum(attributed_revenue_eur) - sum(marketing_spend_eur)::double)
           / nullif(sum(marketing_spend_eur)::double, 0) as roi
    from mart_attribution_channel_roi where is_default_model
), clv as (
    select historical_clv_eur, cac_eur, clv_to_cac_ratio from mart_clv_by_segment where segment_type = 'all'
), kpis as (
    select 1 as level_order, 'counting' as level, 1 as kpi_order, 'Web sessions' as kpi, 'number' as unit, sessions::double as value, 'mart_web_kpis_monthly' as mart from web
    union all select 1, 'counting', 2, 'SEO impressions', 'number', impressions, 'mart_seo_kpis_monthly' from seo
    union all select 1, 'counting', 3, 'Paid impressions', 'number', impressions, 'mart_paid_media_kpis_monthly' from paid
    union all select 1, 'counting', 4, 'Social post reach', 'number', post_reach, 'mart_social_kpis_monthly' from social
    union all select 1, 'counting', 5, 'Messages sent (email, DEM, SMS)', 'number', sent, 'mart_email_kpis_monthly' from email
    union all select 2, 'foundational', 1, 'Social engagement rate', 'pct', engagement / nullif(post_reach, 0), 'mart_social_kpis_monthly' from social
    union all select 2, 'foundational', 2, 'Web engagement rate', 'pct', engaged_sessions / nullif(sessions, 0), 'mart_web_kpis_monthly' from web
    union all select 2, 'foundational', 3, 'SEO click-through rate', 'pct', clicks / nullif(impressions, 0), 'mart_seo_kpis_monthly' from seo
    union all select 2, 'foundational', 4, 'Email click-through rate', 'pct', unique_clicks / nullif(sent, 0), 'mart_email_kpis_monthly' from email
    union all select 2, 'foundational', 5, 'Advocacy rate (latest month)', 'pct', advocacy_rate, 'mart_advocacy_monthly' from advocacy
    union all select 3, 'result', 1, 'Leads generated', 'number', leads, 'mart_leads_monthly' from leads
    union all select 3, 'result', 2, 'Lead to customer conversion', 'pct', converted / nullif(leads, 0), 'mart_leads_monthly' from leads
    union all select 3, 'result', 3, 'Web conversion rate', 'pct', converting_sessions / nullif(sessions, 0), 'mart_web_kpis_monthly' from web
    union all select 3, 'result', 4, 'Orders', 'number', orders, 'mart_commerce_kpis_monthly' from commerce
    union all select 3, 'result', 5, 'New customers', 'number', new_customers, 'mart_commerce_kpis_monthly' from commerce
    union all select 4, 'business', 1, 'Net revenue', 'eur', net_revenue_eur, 'mart_commerce_kpis_monthly' from commerce
    union all select 4, 'business', 2, 'Marketing ROI (default attribution model)', 'ratio', roi, 'mart_attribution_channel_roi' from attribution
    union all select 4, 'business', 3, 'Blended CAC', 'eur', cac_eur, 'mart_clv_by_segment' from clv
    union all select 4, 'business', 4, 'Historical CLV', 'eur', historical_clv_eur, 'mart_clv_by_segment' from clv
    union all select 4, 'business', 5, 'CLV / CAC', 'ratio', clv_to_cac_ratio, 'mart_clv_by_segment' from clv
)
select level_order, level, kpi_order, kpi, unit, value,
       case unit
           when 'pct' then printf('%.1f%%', value * 100)
           when 'eur' then printf('€%,.0f', value)
           when 'ratio' then printf('%.2f', value)
           else printf('%,.0f', value)
       end as value_label,
       mart
from kpis
order by level_order, kpi_order
