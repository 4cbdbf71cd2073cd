-- Revenue, orders, AOV net of refunds per day of the order day, recomputed from orders.
{{ order_kpis('day') }}
