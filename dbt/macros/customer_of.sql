{#-
    Join a record's candidate identifiers to their customers and pick one customer for the
    record: the first non-shared identifier in the given priority order, else the first
    identifier that has a customer at all.

    identifiers: list of (identifier type expression, identifier value expression), highest
    priority first. Emits `left join` clauses (use inside a from) via customer_joins(), and the
    chosen customer via customer_pick(); aliases are `<alias>_<n>`.
-#}
{% macro customer_joins(identifiers, alias='resolved') -%}
    {%- for identifier_type, identifier_value in identifiers %}
    left join {{ ref('int_identity__resolved') }} as {{ alias }}_{{ loop.index }}
        on {{ alias }}_{{ loop.index }}.identifier_type = {{ identifier_type }}
        and {{ alias }}_{{ loop.index }}.identifier_value = {{ identifier_value }}
    {%- endfor %}
{%- endmacro %}

{% macro customer_pick(identifiers, alias='resolved') -%}
    coalesce(
        {%- for identifier_type, identifier_value in identifiers %}
        case when not {{ alias }}_{{ loop.index }}.is_shared then {{ alias }}_{{ loop.index }}.customer_id end,
        {%- endfor %}
        {%- for identifier_type, identifier_value in identifiers %}
        {{ alias }}_{{ loop.index }}.customer_id{{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
