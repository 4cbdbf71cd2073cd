-- NPS per quarter and segment (grain: period_start_date, segment_type, segment_value).
{{ nps_kpis('quarter') }}
