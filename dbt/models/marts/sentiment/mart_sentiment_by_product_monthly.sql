-- Review sentiment per month and product (grain: period_start_date, sku).
{{ sentiment_split([('period_start_date', period_start('written_date_local', 'month')),
    ('sku', "coalesce(sku, 'unknown')")], where="channel = 'reviews'") }}
