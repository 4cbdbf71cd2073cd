-- Mailing-list growth per list and day (grain: period_start_date, list_id).
{{ list_growth_kpis('day') }}
