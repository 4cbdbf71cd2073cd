-- Revenue, orders, AOV net of refunds per month and channel of the order (its stored UTM source/medium).
{{ order_kpis('month', ['channel_group']) }}
