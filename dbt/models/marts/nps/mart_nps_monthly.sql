-- NPS per month and segment (grain: period_start_date, segment_type, segment_value).
{{ nps_kpis('month') }}
