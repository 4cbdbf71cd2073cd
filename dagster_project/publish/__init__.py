"""What leaves the warehouse: the atomic, pseudonymized BI publication and the generated KPI reference."""
