{#-
    Marketing channel of a touchpoint for first-touch acquisition (the channel groups of
    channel_group() plus 'events' and 'sales_outbound'), and the same taxonomy for the
    finance spend channels, so spend and acquired customers meet on one key.
-#}
{% macro touchpoint_marketing_channel(touchpoint_type, channel, traffic_channel) -%}
    case
        when {{ touchpoint_type }} in ('web_visit', 'ad_click', 'order') then coalesce({{ traffic_channel }}, 'direct')
        when {{ touchpoint_type }} like 'email_%' then {{ channel }}
        when {{ touchpoint_type }} in ('social_comment', 'social_mention') then 'organic_social'
        when {{ touchpoint_type }} in ('event_registration', 'event_check_in') then 'events'
        when {{ touchpoint_type }} = 'lead_created' then
            case {{ traffic_channel }}
                when 'event' then 'events'
                when 'referral' then 'referral'
                when 'social' then 'organic_social'
                when 'email' then 'email'
                when 'sales_outbound' then 'sales_outbound'
            end
    end
{%- endmacro %}

{% macro spend_marketing_channel(spend_channel) -%}
    case {{ spend_channel }}
        when 'sem' then 'paid_search'
        when 'social_ads' then 'paid_social'
        when 'seo' then 'organic_search'
        else {{ spend_channel }}
    end
{%- endmacro %}
