select period_start_date, orders, customers, new_customers, returning_legacy_customers,
       net_revenue_eur::double as net_revenue_eur, average_order_value_eur, refund_rate
from mart_commerce_kpis_monthly
order by period_start_date
