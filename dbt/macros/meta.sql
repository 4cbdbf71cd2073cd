{#-
    Helpers of the Meta organic staging models (models/staging/meta): flattening the Graph API
    responses, Meta's day boundaries and the Business Suite export's formats. Dialect-specific
    parts behind adapter.dispatch (DuckDB default, Spark).
-#}

{#- One output row per element of a list (no row for a null or empty list); use in a select list. -#}
{% macro meta_explode(expression) -%}
    {{ return(adapter.dispatch('meta_explode', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__meta_explode(expression) -%}
    unnest({{ expression }})
{%- endmacro %}
{% macro spark__meta_explode(expression) -%}
    explode({{ expression }})
{%- endmacro %}

{#- The first element of a list (null when empty). -#}
{% macro meta_first_element(expression) -%}
    {{ return(adapter.dispatch('meta_first_element', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__meta_first_element(expression) -%}
    {{ expression }}[1]
{%- endmacro %}
{% macro spark__meta_first_element(expression) -%}
    element_at({{ expression }}, 1)
{%- endmacro %}

{#-
    The Pacific day a daily Graph API value belongs to. Meta closes its reporting days at
    midnight US Pacific and stamps the value with the end of the day (end_time, e.g.
    2025-03-18T07:00:00+0000 = 2025-03-18 00:00 PDT): the value is the day before's.
-#}
{% macro meta_day_ending_at(end_time) -%}
    cast({{ dbt.dateadd('day', -1, 'cast(' ~ utc_to_local(to_utc_timestamp(end_time), 'America/Los_Angeles') ~ ' as date)') }} as date)
{%- endmacro %}

{#- A wall-clock timestamp (no zone) of the IANA zone `tz` to a UTC timestamp (no zone). -#}
{% macro meta_local_to_utc(expression, tz) -%}
    {{ return(adapter.dispatch('meta_local_to_utc', 'crm_kpi_warehouse')(expression, tz)) }}
{%- endmacro %}
{% macro default__meta_local_to_utc(expression, tz) -%}
    cast(timezone('UTC', timezone('{{ tz }}', {{ expression }})) as timestamp)
{%- endmacro %}
{% macro spark__meta_local_to_utc(expression, tz) -%}
    to_utc_timestamp({{ expression }}, '{{ tz }}')
{%- endmacro %}

{#- A date written Mon-DD-YYYY (Aug-01-2025, Business Suite export file names); null otherwise. -#}
{% macro meta_file_name_date(expression) -%}
    {{ return(adapter.dispatch('meta_file_name_date', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__meta_file_name_date(expression) -%}
    cast(try_strptime({{ expression }}, '%b-%d-%Y') as date)
{%- endmacro %}
{% macro spark__meta_file_name_date(expression) -%}
    to_date({{ expression }}, 'MMM-dd-yyyy')
{%- endmacro %}

{#-
    The value of a query parameter of the first URL in a free text (a post's copy), ending at
    &, #, a quote or white space; null when absent.
-#}
{% macro meta_text_url_parameter(text, name) -%}
    {{ return(adapter.dispatch('meta_text_url_parameter', 'crm_kpi_warehouse')(text, name)) }}
{%- endmacro %}
{% macro default__meta_text_url_parameter(text, name) -%}
    nullif(regexp_extract({{ text }}, '[?&]{{ name }}=([^&#"\s]+)', 1), '')
{%- endmacro %}
{% macro spark__meta_text_url_parameter(text, name) -%}
    nullif(regexp_extract({{ text }}, '[?&]{{ name }}=([^&#"\\s]+)', 1), '')
{%- endmacro %}
