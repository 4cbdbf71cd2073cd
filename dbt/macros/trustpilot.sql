{#-
    Trustpilot product reviews (models/staging/trustpilot).
-#}

{#- Number of elements of a list column (null list = 0). -#}
{% macro trustpilot_list_length(expression) -%}
    {{ return(adapter.dispatch('trustpilot_list_length', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__trustpilot_list_length(expression) -%}
    coalesce(len({{ expression }}), 0)
{%- endmacro %}
{% macro spark__trustpilot_list_length(expression) -%}
    coalesce(size({{ expression }}), 0)
{%- endmacro %}
