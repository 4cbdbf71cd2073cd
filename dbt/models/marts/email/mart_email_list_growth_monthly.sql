-- Mailing-list growth per list and month (grain: period_start_date, list_id).
{{ list_growth_kpis('month') }}
