{#-
    Marketing channel of a session or order from its source and medium (GA4-like default channel
    group). A source named in var('channel_source_overrides') ({source: channel}, e.g. an affiliate
    network's domain that sends plain referral traffic) takes that channel first, as a GA4 custom
    channel group would.
-#}
{% macro channel_group(source, medium) -%}
    case
        {%- for source_value, channel in var('channel_source_overrides', {}).items() %}
        when lower({{ source }}) = '{{ source_value | lower }}' then '{{ channel }}'
        {%- endfor %}
        when {{ medium }} in ('cpc', 'ppc', 'paidsearch', 'paid_search') then 'paid_search'
        when {{ medium }} in ('paid_social', 'paidsocial', 'social_paid', 'paid-social') then 'paid_social'
        when {{ medium }} in ('display', 'banner', 'cpm', 'video') then 'display'
        when {{ medium }} in ('email', 'newsletter') then 'email'
        when {{ medium }} = 'dem' then 'dem'
        when {{ medium }} = 'sms' then 'sms'
        when {{ medium }} = 'organic' then 'organic_search'
        when {{ medium }} in ('social', 'social-network', 'social_network', 'sm') then 'organic_social'
        when {{ medium }} in ('affiliate', 'partner') then 'affiliate'
        when {{ medium }} = 'referral' then 'referral'
        when {{ medium }} in ('(none)', 'none') or {{ source }} = '(direct)' then 'direct'
        else 'other'
    end
{%- endmacro %}


{#- The channel var('channel_source_overrides') gives a source, else null (for sessions whose GA4 channel group would win). -#}
{% macro source_channel_override(source) -%}
    {%- set overrides = var('channel_source_overrides', {}) -%}
    {%- if overrides -%}
    case
        {%- for source_value, channel in overrides.items() %}
        when lower({{ source }}) = '{{ source_value | lower }}' then '{{ channel }}'
        {%- endfor %}
    end
    {%- else -%}
    cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
