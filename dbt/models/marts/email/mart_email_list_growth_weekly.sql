-- Mailing-list growth per list and week (grain: period_start_date, list_id).
{{ list_growth_kpis('week') }}
