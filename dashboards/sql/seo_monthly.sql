select period_start_date, impressions, clicks, click_through_rate, average_position
from mart_seo_kpis_monthly
order by period_start_date
