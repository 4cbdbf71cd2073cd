-- SEM / display counting metrics per platform and month (grain: period_start_date, platform), recomputed from
-- campaign-days.
{{ paid_media_kpis('month', ['platform']) }}
