{#-
    Google Analytics 4 (BigQuery export) helpers.
-#}

{#-
    The value of one key of a GA4 parameter list (event_params, items.item_params,
    user_properties), read from whichever of string_value, int_value, float_value, double_value
    is set: a tag's number lands in int_value when it is integral (value: 120) and in
    double_value otherwise (value: 89.9); some tags send numbers as strings.
    as_type: 'string' (the set value as text), 'number' (double) or 'int' (bigint).
    Null when the key is absent or no value field is set (or a string does not parse).
-#}
{% macro ga4_event_param(params, key, as_type='string') -%}
    {{ return(adapter.dispatch('ga4_event_param', 'crm_kpi_warehouse')(params, key, as_type)) }}
{%- endmacro %}

{% macro _ga4_param_value_expression(as_type) -%}
    {%- if as_type == 'string' -%}
        coalesce(p.value.string_value, cast(p.value.int_value as {{ dbt.type_string() }}),
                 cast(p.value.double_value as {{ dbt.type_string() }}), cast(p.value.float_value as {{ dbt.type_string() }}))
    {%- elif as_type == 'number' -%}
        coalesce(p.value.double_value, cast(p.value.int_value as {{ type_double() }}), p.value.float_value,
                 try_cast(p.value.string_value as {{ type_double() }}))
    {%- elif as_type == 'int' -%}
        coalesce(p.value.int_value, cast(p.value.double_value as {{ dbt.type_bigint() }}),
                 cast(p.value.float_value as {{ dbt.type_bigint() }}), try_cast(p.value.string_value as {{ dbt.type_bigint() }}))
    {%- else -%}
        {{ exceptions.raise_compiler_error("ga4_event_param: as_type must be string, number or int, not " ~ as_type) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__ga4_event_param(params, key, as_type) -%}
    list_transform(list_filter({{ params }}, lambda p: p.key = '{{ key }}'), lambda p: {{ _ga4_param_value_expression(as_type) }})[1]
{%- endmacro %}

{% macro spark__ga4_event_param(params, key, as_type) -%}
    element_at(transform(filter({{ params }}, p -> p.key = '{{ key }}'), p -> {{ _ga4_param_value_expression(as_type) }}), 1)
{%- endmacro %}


{#-
    The conversion (key) events of the web channel: configuration, not a closed list of the data
    (var ga4_conversion_events; GA4 calls them key events and each property marks its own).
    As a SQL list literal: ('purchase', 'generate_lead', ...).
-#}
{% macro ga4_conversion_events() -%}
    {%- set names = var('ga4_conversion_events', ['purchase', 'generate_lead', 'sign_up', 'form_submit']) -%}
    {%- if names is string %}{% set names = [names] %}{% endif -%}
    ({% for name in names %}'{{ name | lower | replace("'", "''") }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}


{#-
    The host of a URL, lower-cased, without a leading www. (null when the URL has none).
-#}
{% macro url_host(url) -%}
    nullif(regexp_replace(lower(regexp_extract({{ url }}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1)), '^www[.]', ''), '')
{%- endmacro %}


{#-
    True when a referrer URL is the site itself (a self-referral, never a traffic source): its
    host is the host of the page it led to, or one of var web_own_domains (each domain with its
    subdomains), the way GA4's automatic self-referral detection and its list of own domains work.
-#}
{% macro is_self_referral(referrer, page_location) -%}
    {%- set domains = var('web_own_domains', []) -%}
    {%- if domains is string %}{% set domains = [domains] %}{% endif -%}
    coalesce(
        {{ url_host(referrer) }} = {{ url_host(page_location) }}
        {%- for domain in domains %}
        {%- set domain = domain | lower | replace("'", "''") %}
        {%- if domain.startswith('www.') %}{% set domain = domain[4:] %}{% endif %}
        or {{ url_host(referrer) }} = '{{ domain }}'
        or {{ url_host(referrer) }} like '%.{{ domain }}'
        {%- endfor %},
        false
    )
{%- endmacro %}
