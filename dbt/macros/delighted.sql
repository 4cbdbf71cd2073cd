{#-
    Delighted survey responses (models/staging/delighted).
-#}

{#- The person_properties key (as the survey requests send it) that holds each conformed attribute:
    var delighted_person_properties overrides any of them, e.g.
    --vars '{delighted_person_properties: {survey_wave: wave, crm_contact_id: hubspot_id}}'. -#}
{% macro delighted_property_key(attribute) -%}
    {%- set keys = {
        'survey_wave': 'Survey wave',
        'channel': 'Channel',
        'crm_contact_id': 'Customer ID',
        'order_number': 'Order number',
        'locale': 'Locale',
    } -%}
    {%- do keys.update(var('delighted_person_properties', {})) -%}
    {{ return(keys[attribute]) }}
{%- endmacro %}

{#- The value of one key of a map(varchar, varchar) column (null when absent). -#}
{% macro delighted_property(properties, attribute) -%}
    {{ return(adapter.dispatch('delighted_property', 'crm_kpi_warehouse')(properties, delighted_property_key(attribute))) }}
{%- endmacro %}
{% macro default__delighted_property(properties, key) -%}
    nullif(trim({{ properties }}['{{ key | replace("'", "''") }}']), '')
{%- endmacro %}
{% macro spark__delighted_property(properties, key) -%}
    nullif(trim(element_at({{ properties }}, '{{ key | replace("'", "\\'") }}')), '')
{%- endmacro %}
