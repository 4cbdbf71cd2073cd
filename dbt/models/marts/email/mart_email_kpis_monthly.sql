-- Email / DEM / SMS KPIs per month of the send day and channel, recomputed from recipients.
{{ email_recipient_kpis('month', ['channel']) }}
