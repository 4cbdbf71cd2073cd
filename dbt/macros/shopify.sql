{#-
    Shopify helpers (staging/shopify). Nested lists of the Admin API orders (line items,
    discount allocations, refunds, transactions) are read with list functions behind
    adapter.dispatch (DuckDB default, Spark equivalents), and the order's traffic source is
    derived from its landing and referring site.
-#}

{#- Sum of value_expression over the elements of a list (0 for an empty or null list). -#}
{% macro shopify_list_sum(list_expression, element, value_expression) -%}
    {{ return(adapter.dispatch('shopify_list_sum', 'crm_kpi_warehouse')(list_expression, element, value_expression)) }}
{%- endmacro %}
{% macro default__shopify_list_sum(list_expression, element, value_expression) -%}
    coalesce(list_sum(list_transform({{ list_expression }}, lambda {{ element }}: {{ value_expression }})), 0)
{%- endmacro %}
{% macro spark__shopify_list_sum(list_expression, element, value_expression) -%}
    coalesce(aggregate(transform({{ list_expression }}, {{ element }} -> {{ value_expression }}), cast(0 as double), (acc, x) -> acc + coalesce(x, 0)), 0)
{%- endmacro %}

{#- The elements of a list for which predicate (on element) holds. -#}
{% macro shopify_list_filter(list_expression, element, predicate) -%}
    {{ return(adapter.dispatch('shopify_list_filter', 'crm_kpi_warehouse')(list_expression, element, predicate)) }}
{%- endmacro %}
{% macro default__shopify_list_filter(list_expression, element, predicate) -%}
    list_filter({{ list_expression }}, lambda {{ element }}: {{ predicate }})
{%- endmacro %}
{% macro spark__shopify_list_filter(list_expression, element, predicate) -%}
    filter({{ list_expression }}, {{ element }} -> {{ predicate }})
{%- endmacro %}

{#- The element at a 1-based position (null when out of range). -#}
{% macro shopify_list_element(list_expression, position) -%}
    {{ return(adapter.dispatch('shopify_list_element', 'crm_kpi_warehouse')(list_expression, position)) }}
{%- endmacro %}
{% macro default__shopify_list_element(list_expression, position) -%}
    ({{ list_expression }})[{{ position }}]
{%- endmacro %}
{% macro spark__shopify_list_element(list_expression, position) -%}
    try_element_at({{ list_expression }}, cast({{ position }} as int))
{%- endmacro %}

{#- value_expression of every element, joined with separator (null for an empty list). -#}
{% macro shopify_list_join(list_expression, element, value_expression, separator=', ') -%}
    {{ return(adapter.dispatch('shopify_list_join', 'crm_kpi_warehouse')(list_expression, element, value_expression, separator)) }}
{%- endmacro %}
{% macro default__shopify_list_join(list_expression, element, value_expression, separator) -%}
    nullif(array_to_string(list_transform({{ list_expression }}, lambda {{ element }}: {{ value_expression }}), '{{ separator }}'), '')
{%- endmacro %}
{% macro spark__shopify_list_join(list_expression, element, value_expression, separator) -%}
    nullif(concat_ws('{{ separator }}', transform({{ list_expression }}, {{ element }} -> {{ value_expression }})), '')
{%- endmacro %}

{#-
    Select-list fragment: one output row per element of a list, with its 0-based position
    (no row for an empty or null list).
-#}
{% macro shopify_explode_with_position(list_expression, element_alias, position_alias) -%}
    {{ return(adapter.dispatch('shopify_explode_with_position', 'crm_kpi_warehouse')(list_expression, element_alias, position_alias)) }}
{%- endmacro %}
{% macro default__shopify_explode_with_position(list_expression, element_alias, position_alias) -%}
    unnest({{ list_expression }}) as {{ element_alias }},
    generate_subscripts({{ list_expression }}, 1) - 1 as {{ position_alias }}
{%- endmacro %}
{% macro spark__shopify_explode_with_position(list_expression, element_alias, position_alias) -%}
    posexplode({{ list_expression }}) as ({{ position_alias }}, {{ element_alias }})
{%- endmacro %}

{#- Percent-decoding of a query-string value (DuckDB url_decode; Spark reflect of URLDecoder, which fails on null). -#}
{% macro shopify_url_decode(expression) -%}
    {{ return(adapter.dispatch('shopify_url_decode', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__shopify_url_decode(expression) -%}
    url_decode({{ expression }})
{%- endmacro %}
{% macro spark__shopify_url_decode(expression) -%}
    case when {{ expression }} is not null then reflect('java.net.URLDecoder', 'decode', {{ expression }}, 'UTF-8') end
{%- endmacro %}

{#-
    Discount of one line item from line-level discounts only: its discount_allocations whose
    discount application (discount_applications[discount_application_index], 0-based) does not
    target the whole order (target_selection 'all'). Allocations of an unknown application count
    as order-level.
-#}
{% macro shopify_line_level_discount(line_item, applications) -%}
    {{ shopify_list_sum(
        shopify_list_filter(
            line_item ~ '.discount_allocations', 'allocation',
            "coalesce(" ~ shopify_list_element(applications, 'allocation.discount_application_index + 1') ~ ".target_selection, 'all') <> 'all'"
        ),
        'allocation', 'allocation.amount'
    ) }}
{%- endmacro %}

{#- Host of a URL, lower-cased (the scheme is optional). -#}
{% macro shopify_url_host(url) -%}
    nullif(lower(regexp_extract(trim({{ url }}), '^(?:[A-Za-z][A-Za-z0-9+.-]*://)?([^/?#:]+)', 1)), '')
{%- endmacro %}

{#-
    Traffic source and medium of an order whose landing URL carries no UTM parameters, from
    its referring site (as GA4 classifies a session): search engines -> (engine, organic),
    social networks -> (network, social), any other site -> (host, referral), no referrer ->
    ((direct), (none)).
-#}
{% macro shopify_referrer_source(referring_site) -%}
    {%- set host = shopify_url_host(referring_site) -%}
    case
        when {{ host }} is null then '(direct)'
        when {{ regexp_full_match(host, "(.+\\.)?google(\\.[a-z]{2,3}){1,2}") }} then 'google'
        when {{ regexp_full_match(host, "(.+\\.)?bing\\.com") }} then 'bing'
        when {{ regexp_full_match(host, "(.+\\.)?yahoo\\.[a-z.]+") }} then 'yahoo'
        when {{ regexp_full_match(host, "(.+\\.)?duckduckgo\\.com") }} then 'duckduckgo'
        when {{ regexp_full_match(host, "(.+\\.)?ecosia\\.org") }} then 'ecosia'
        when {{ regexp_full_match(host, "(.+\\.)?facebook\\.com|fb\\.me") }} then 'facebook'
        when {{ regexp_full_match(host, "(.+\\.)?instagram\\.com") }} then 'instagram'
        when {{ regexp_full_match(host, "(.+\\.)?linkedin\\.com|lnkd\\.in") }} then 'linkedin'
        when {{ regexp_full_match(host, "t\\.co|(.+\\.)?twitter\\.com|(.+\\.)?x\\.com") }} then 'twitter'
        when {{ regexp_full_match(host, "(.+\\.)?pinterest\\.[a-z.]+") }} then 'pinterest'
        when {{ regexp_full_match(host, "(.+\\.)?tiktok\\.com") }} then 'tiktok'
        when {{ regexp_full_match(host, "(.+\\.)?youtube\\.com|youtu\\.be") }} then 'youtube'
        else {{ host }}
    end
{%- endmacro %}

{% macro shopify_referrer_medium(referring_site) -%}
    {%- set source = shopify_referrer_source(referring_site) -%}
    case
        when {{ source }} = '(direct)' then '(none)'
        when {{ source }} in ('google', 'bing', 'yahoo', 'duckduckgo', 'ecosia') then 'organic'
        when {{ source }} in ('facebook', 'instagram', 'linkedin', 'twitter', 'pinterest', 'tiktok', 'youtube') then 'social'
        else 'referral'
    end
{%- endmacro %}

{#- Order status of the channel: cancelled (cancelled, or its payment voided), else the payment state. -#}
{% macro shopify_order_status(cancelled_at, financial_status) -%}
    case
        when {{ cancelled_at }} is not null or lower({{ financial_status }}) = 'voided' then 'cancelled'
        else lower({{ financial_status }})
    end
{%- endmacro %}

{#- The order number the other tools quote (var shopify_order_number: name = '#1001' / 'ER100001', number = '1001'). -#}
{% macro shopify_order_number(name, number=None) -%}
    {%- if var('shopify_order_number', 'name') == 'number' -%}
        {%- if number is not none -%}
            coalesce(cast({{ number }} as {{ dbt.type_string() }}), nullif(regexp_extract({{ name }}, '[0-9]+', 0), ''))
        {%- else -%}
            nullif(regexp_extract({{ name }}, '[0-9]+', 0), '')
        {%- endif -%}
    {%- else -%}
        trim({{ name }})
    {%- endif -%}
{%- endmacro %}
