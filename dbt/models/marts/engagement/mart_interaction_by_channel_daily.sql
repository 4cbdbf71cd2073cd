-- Interaction rate per channel and day (grain: period_start_date, channel).
{{ interaction_kpis('day') }}
