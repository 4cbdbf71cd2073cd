-- Website KPIs per month, recomputed from sessions (macros/kpi_formulas.sql).
{{ web_session_kpis('month') }}
