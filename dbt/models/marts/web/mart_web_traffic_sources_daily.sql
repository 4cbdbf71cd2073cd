-- Website KPIs per day and traffic source/medium (the session's first event's source/medium).
{{ web_session_kpis('day', ['channel_group', 'traffic_source', 'traffic_medium']) }}
