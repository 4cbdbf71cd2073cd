-- Email / DEM / SMS KPIs per week of the send day and channel, recomputed from recipients.
{{ email_recipient_kpis('week', ['channel']) }}
