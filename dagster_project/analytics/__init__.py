"""Analytics models beside dbt: predictive CLV, lead-scoring rules and their evaluation, sentiment,
identity and persona accuracy."""
