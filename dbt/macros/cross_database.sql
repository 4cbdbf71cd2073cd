{#-
    Dialect-specific expressions, behind adapter.dispatch so the same models run on
    DuckDB (default implementation here) and Spark (spark__ implementations).
-#}

{#- Epoch microseconds (GA4 event_timestamp) to a UTC timestamp. -#}
{% macro epoch_us_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_us_to_timestamp', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__epoch_us_to_timestamp(expression) -%}
    make_timestamp({{ expression }})
{%- endmacro %}
{% macro spark__epoch_us_to_timestamp(expression) -%}
    timestamp_micros({{ expression }})
{%- endmacro %}

{#- A UTC timestamp (without zone) to wall-clock time in an IANA zone. -#}
{% macro utc_to_local(expression, tz=None) -%}
    {{ return(adapter.dispatch('utc_to_local', 'crm_kpi_warehouse')(expression, tz or var('reporting_timezone'))) }}
{%- endmacro %}
{% macro default__utc_to_local(expression, tz) -%}
    cast(timezone('{{ tz }}', timezone('UTC', {{ expression }})) as timestamp)
{%- endmacro %}
{% macro spark__utc_to_local(expression, tz) -%}
    from_utc_timestamp({{ expression }}, '{{ tz }}')
{%- endmacro %}

{#- A timestamp with time zone to a UTC timestamp without zone. -#}
{% macro to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__to_utc_timestamp(expression) -%}
    cast(timezone('UTC', {{ expression }}) as timestamp)
{%- endmacro %}
{% macro spark__to_utc_timestamp(expression) -%}
    cast({{ expression }} as timestamp)
{%- endmacro %}

{#- A 'YYYYMMDD' string to a date. -#}
{% macro yyyymmdd_to_date(expression) -%}
    {{ return(adapter.dispatch('yyyymmdd_to_date', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__yyyymmdd_to_date(expression) -%}
    cast(strptime({{ expression }}, '%Y%m%d') as date)
{%- endmacro %}
{% macro spark__yyyymmdd_to_date(expression) -%}
    to_date({{ expression }}, 'yyyyMMdd')
{%- endmacro %}

{#- Replace every match of a regular expression. -#}
{% macro regexp_replace_all(expression, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'crm_kpi_warehouse')(expression, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ regex_literal(pattern) }}, {{ regex_literal(replacement) }}, 'g')
{%- endmacro %}
{% macro spark__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ regex_literal(pattern) }}, {{ regex_literal(replacement) }})
{%- endmacro %}

{#- True when the whole string matches a regular expression. -#}
{% macro regexp_full_match(expression, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'crm_kpi_warehouse')(expression, pattern)) }}
{%- endmacro %}
{% macro default__regexp_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ regex_literal(pattern) }})
{%- endmacro %}
{% macro spark__regexp_full_match(expression, pattern) -%}
    ({{ expression }} rlike {{ regex_literal('^(?:' ~ pattern ~ ')$') }})
{%- endmacro %}

{#-
    A regular expression (or any text) as a SQL string literal that the engine reads back as
    exactly that text: DuckDB's literals take backslashes as they are (quotes doubled); Spark's
    parser unescapes backslashes (spark.sql.parser.escapedStringLiterals=false, the default), so
    '\\.' would reach the regex engine as '.': backslashes and quotes are escaped there.
-#}
{% macro regex_literal(text) -%}
    {{ return(adapter.dispatch('regex_literal', 'crm_kpi_warehouse')(text)) }}
{%- endmacro %}
{% macro default__regex_literal(text) -%}
    {{ return("'" ~ text | replace("'", "''") ~ "'") }}
{%- endmacro %}
{% macro spark__regex_literal(text) -%}
    {{ return("'" ~ text | replace("\\", "\\\\") | replace("'", "\\'") ~ "'") }}
{%- endmacro %}

{#- The value of one key of GA4's event_params list, from the given value field. -#}
{% macro ga4_param(params, key, value_field) -%}
    {{ return(adapter.dispatch('ga4_param', 'crm_kpi_warehouse')(params, key, value_field)) }}
{%- endmacro %}
{% macro default__ga4_param(params, key, value_field) -%}
    list_filter({{ params }}, lambda p: p.key = '{{ key }}')[1].value.{{ value_field }}
{%- endmacro %}
{% macro spark__ga4_param(params, key, value_field) -%}
    element_at(filter({{ params }}, p -> p.key = '{{ key }}'), 1).value.{{ value_field }}
{%- endmacro %}

{#- The value of a query-string parameter of a URL (null when absent or empty). -#}
{% macro url_parameter(url, name) -%}
    nullif(regexp_extract({{ url }}, '[?&]{{ name }}=([^&#]*)', 1), '')
{%- endmacro %}

{#- 8-byte floating point (dbt.type_float() is a 4-byte FLOAT on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'crm_kpi_warehouse')()) }}
{%- endmacro %}
{% macro default__type_double() -%}
    double
{%- endmacro %}

{#- The mean of a decimal expression as a double: DuckDB's avg of a decimal is a double already (kept
    as is); Spark's is a decimal of scale + 4 (rounded to 1e-6 for money), so Spark averages the double. -#}
{% macro avg_as_double(expression) -%}
    {{ return(adapter.dispatch('avg_as_double', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__avg_as_double(expression) -%}
    avg({{ expression }})
{%- endmacro %}
{% macro spark__avg_as_double(expression) -%}
    avg(cast({{ expression }} as {{ type_double() }}))
{%- endmacro %}

{#- Exact elapsed time between two timestamps, in seconds (a numeric with microsecond precision,
    so sums are exact and do not depend on the order of addition, as incremental builds need):
    not the number of second boundaries crossed (datediff 'second' says 11 for 10.02 s that
    straddle 11 boundaries, and 10 for 10.46 s that straddle 10). -#}
{% macro elapsed_seconds(start_expression, end_expression) -%}
    {{ return(adapter.dispatch('elapsed_seconds', 'crm_kpi_warehouse')(start_expression, end_expression)) }}
{%- endmacro %}
{% macro default__elapsed_seconds(start_expression, end_expression) -%}
    cast({{ dbt.datediff(start_expression, end_expression, 'microsecond') }} / 1000000.0 as {{ dbt.type_numeric() }})
{%- endmacro %}
{% macro spark__elapsed_seconds(start_expression, end_expression) -%}
    cast((unix_micros({{ end_expression }}) - unix_micros({{ start_expression }})) / 1000000.0 as {{ dbt.type_numeric() }})
{%- endmacro %}

{#-
    Hooks that set a Spark SQL configuration for one model and reset it after (a list for
    config(pre_hook=..., post_hook=...); none on DuckDB). Spark 4.3 fails `create table ... as` of
    int_identity__observations with CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE (a union's output computed
    before type coercion, under DeduplicateRelations) although its query alone runs; inlining the CTEs
    of the command (spark.sql.legacy.inlineCTEInCommands) avoids it. Not session-wide: always inlining
    would copy the Markov squarings' CTEs 2^n times (mart_attribution_markov_channel).
-#}
{% macro spark_conf_hooks(key, value, reset) -%}
    {{ return(adapter.dispatch('spark_conf_hooks', 'crm_kpi_warehouse')(key, value, reset)) }}
{%- endmacro %}
{% macro default__spark_conf_hooks(key, value, reset) -%}
    {{ return([]) }}
{%- endmacro %}
{% macro spark__spark_conf_hooks(key, value, reset) -%}
    {{ return(['set ' ~ key ~ ' = ' ~ (reset if reset else value)]) }}
{%- endmacro %}
