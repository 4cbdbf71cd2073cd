select period_start_date, sessions, users, new_users, engaged_sessions, converting_sessions,
       engagement_rate, bounce_rate, conversion_rate, avg_session_duration_s,
       purchase_revenue_eur::double as purchase_revenue_eur
from mart_web_kpis_monthly
order by period_start_date
