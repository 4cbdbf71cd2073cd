-- Website KPIs per week, recomputed from sessions (macros/kpi_formulas.sql).
{{ web_session_kpis('week') }}
