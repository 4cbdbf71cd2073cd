-- Interaction rate per channel and month (grain: period_start_date, channel).
{{ interaction_kpis('month') }}
