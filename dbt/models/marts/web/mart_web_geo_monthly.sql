-- Website KPIs per month and geography (country, region, city as GA4 reports them).
{{ web_session_kpis('month', ['geo_country', 'geo_region', 'geo_city']) }}
