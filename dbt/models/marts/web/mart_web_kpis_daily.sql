-- Website KPIs per day, recomputed from sessions (macros/kpi_formulas.sql).
{{ web_session_kpis('day') }}
