{#-
    Email / DEM / SMS KPIs per send day and channel, recomputed from recipients. Incremental
    (delete+insert by day): a run recomputes the send days of campaigns with activity loaded
    since the last build and the last var('incremental_lookback_days') days; a day's figures
    depend on that day's sends only, so the result equals a full refresh.
-#}
{{ config(materialized='incremental', unique_key='period_start_date',
    incremental_strategy=incremental_replace_strategy(partitioned=true), partition_by=incremental_partition_by('period_start_date'),
    on_schema_change='sync_all_columns') }}
{{ email_recipient_kpis('day', ['channel'], incremental=true) }}
