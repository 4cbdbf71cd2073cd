-- Revenue, orders, AOV net of refunds per month of the order day, recomputed from orders.
{{ order_kpis('month') }}
