{#-
    Website KPIs per day, recomputed from sessions (macros/kpi_formulas.sql). Incremental
    (delete+insert by day): a run recomputes the days of sessions loaded since the last build
    and the last var('incremental_lookback_days') days; a day's figures depend on that day's
    sessions only, so the result equals a full refresh.
-#}
{{ config(materialized='incremental', unique_key='period_start_date', incremental_strategy='delete+insert', on_schema_change='sync_all_columns') }}
{{ web_session_kpis('day', incremental=true) }}
