-- Organic search counting metrics per day (grain: period_start_date), recomputed from the Search Console rows.
{{ seo_kpis('day') }}
