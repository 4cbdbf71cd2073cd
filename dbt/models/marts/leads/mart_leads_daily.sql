-- Leads generated and converted per day, source channel and campaign (grain: period_start_date, source_channel,
-- utm_campaign).
{{ lead_kpis('day') }}
