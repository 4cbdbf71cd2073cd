-- Website KPIs per month and traffic source/medium, recomputed from sessions.
{{ web_session_kpis('month', ['channel_group', 'traffic_source', 'traffic_medium']) }}
