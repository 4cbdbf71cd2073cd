{#-
    Website KPIs per local day (macros/web.sql: sessions on their start day, event metrics on the
    event's day, as GA4 counts them). Incremental (delete+insert by day): a run recomputes the
    days with sessions or events loaded since the last build and the last
    var('incremental_lookback_days') days; a day's figures depend on that day's sessions and
    events only, so the result equals a full refresh.
-#}
{{ config(materialized='incremental', unique_key='period_start_date',
    incremental_strategy=incremental_replace_strategy(partitioned=true), partition_by=incremental_partition_by('period_start_date'),
    on_schema_change='sync_all_columns') }}
{{ web_kpis('day', incremental=true) }}
