{#-
    Paid media (ads channel) helpers.

    ads_utm_from_campaign_name: the naming convention for the utm_campaign of an ad platform
    campaign whose export carries no UTM (Google Ads, Meta Ads) and that the team's campaign
    mapping (raw ads_campaign_mapping) does not list: one `|`-separated part of the campaign
    name is the utm_campaign value itself, written as a lower-case snake_case token with at
    least one underscore, e.g. "IT | Search | spring_2026" or "spring_2026 | Conversions" ->
    spring_2026. Parts such as "IT", "Search", "Brand" or "Promo Primavera 2026" never match.
    Null when no part matches, or when var ads_utm_from_campaign_name is false.
-#}
{% macro ads_utm_from_campaign_name(campaign_name) -%}
    {%- if var('ads_utm_from_campaign_name', true) -%}
    nullif(regexp_extract({{ campaign_name }}, '(^|[|]) *([a-z0-9]+(_[a-z0-9]+)+) *([|]|$)', 2), '')
    {%- else -%}
    cast(null as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}
