select period_start_date, platform, impressions, clicks, cost_eur::double as cost_eur, conversions,
       conversion_value_eur::double as conversion_value_eur, click_through_rate, cost_per_click_eur,
       cost_per_acquisition_eur, return_on_ad_spend
from mart_paid_media_kpis_monthly
order by period_start_date, platform
