-- SEM / display counting metrics per platform and day (grain: period_start_date, platform), recomputed from
-- campaign-days.
{{ paid_media_kpis('day', ['platform']) }}
