select period_start_date, acquisition_channel, acquisition_spend_eur::double as acquisition_spend_eur,
       media_spend_eur::double as media_spend_eur, new_customers, cac_eur, media_cac_eur, has_full_history
from mart_cac_monthly
order by period_start_date, acquisition_channel
