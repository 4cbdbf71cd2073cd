select period_start_date, channel, campaigns, sent, delivered, unique_opens, unique_clicks, unsubscribes,
       delivery_rate, open_rate, click_through_rate, click_to_open_rate, unsubscribe_rate
from mart_email_kpis_monthly
order by period_start_date, channel
