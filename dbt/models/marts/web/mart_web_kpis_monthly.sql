-- Website KPIs per month (macros/web.sql), recomputed from sessions and events, not from daily figures.
{{ web_kpis('month') }}
