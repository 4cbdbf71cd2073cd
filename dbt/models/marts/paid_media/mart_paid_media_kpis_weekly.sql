-- SEM / display counting metrics per platform and week (grain: period_start_date, platform), recomputed from
-- campaign-days.
{{ paid_media_kpis('week', ['platform']) }}
