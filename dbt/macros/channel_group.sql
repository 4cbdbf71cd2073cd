{#- Marketing channel of a session or order from its source and medium (GA4-like default channel group). -#}
{% macro channel_group(source, medium) -%}
    case
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
