"""Dagster code location of the digital CRM KPI warehouse."""
