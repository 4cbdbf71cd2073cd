-- Organic search counting metrics per week (grain: period_start_date), recomputed from the Search Console rows.
{{ seo_kpis('week') }}
