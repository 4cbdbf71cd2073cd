-- Website session KPIs per month and session source / medium, recomputed from sessions.
{{ web_session_kpis('month', ['channel_group', 'traffic_source', 'traffic_medium']) }}
