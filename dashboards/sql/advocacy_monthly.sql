select period_start_date, active_customers, advocates, advocacy_acts, advocacy_rate, social_shares, referral_leads
from mart_advocacy_monthly
order by period_start_date
