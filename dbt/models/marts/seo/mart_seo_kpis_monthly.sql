-- Organic search counting metrics per month (grain: period_start_date), recomputed from the Search Console rows.
{{ seo_kpis('month') }}
