-- Website session KPIs per day and session source / medium (GA4's session last click, else the landing event's source).
{{ web_session_kpis('day', ['channel_group', 'traffic_source', 'traffic_medium']) }}
