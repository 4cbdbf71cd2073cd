-- Organic search counting metrics per month and device (grain: period_start_date, device_category).
{{ seo_kpis('month', ['device_category']) }}
