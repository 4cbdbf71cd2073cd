"""Synthetic raw extracts for the digital CRM KPI warehouse (see seeds/README.md)."""
