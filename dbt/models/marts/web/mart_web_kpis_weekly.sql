-- Website KPIs per ISO week (macros/web.sql), recomputed from sessions and events, not from daily figures.
{{ web_kpis('week') }}
