-- Revenue, orders, AOV net of refunds per week of the order day, recomputed from orders.
{{ order_kpis('week') }}
