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

{#-
    A record as an identifier of the identity graph (identifier_type 'source_record'):
    '<record_source>:<record_id>', e.g. 'shop_order:5120001'. record_source is a SQL
    expression ('shop_order' quoted for a literal). int_identity__observations gives every
    attributed record this identifier, so a record links to its own evidence only.
-#}
{% macro source_record_key(record_source, record_id) -%}
    {{ dbt.concat([record_source, "':'", 'cast(' ~ record_id ~ ' as ' ~ dbt.type_string() ~ ')']) }}
{%- endmacro %}

{#-
    The identifiers a shop order (int_commerce__orders, aliased `orders`) is attributed by, in order of
    preference: the shop's customer number, the e-mail, the phone, then the order itself as a record of the
    identity graph (which links it to its GA4 purchase device through the transaction id). fct_order,
    dim_customer and int_acquisition__customers attribute orders with this one list, so a customer's orders
    are the same orders everywhere.
-#}
{% macro shop_order_identifiers() -%}
    {% do return([
        ("'customer_number'", 'orders.customer_number'),
        ("'email'", 'orders.email'),
        ("'phone'", 'orders.phone_e164'),
        ("'source_record'", source_record_key("'shop_order'", 'orders.order_id')),
    ]) %}
{%- endmacro %}
