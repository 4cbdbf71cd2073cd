-- Email / DEM / SMS KPIs per day of the send day and channel, recomputed from recipients.
{{ email_recipient_kpis('day', ['channel']) }}
