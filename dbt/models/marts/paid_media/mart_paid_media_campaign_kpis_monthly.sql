-- SEM / display counting metrics per month, platform and ad campaign (grain: period_start_date, platform,
-- ad_campaign_id).
{{ paid_media_kpis('month', ['platform', 'ad_campaign_id', 'campaign_name', 'utm_campaign']) }}
