{#-
    HubSpot CRM API v3 (models/staging/hubspot): property values are strings, enumerations are
    internal values. The mappings to the project's vocabularies are vars with the defaults below;
    override one with --vars (e.g. a custom lifecycle stage or deal stage id of the account).
-#}

{#- A datetime property ('2024-10-15T15:30:05.870Z', '2024-09-16T09:12:00Z', date-only '2024-10-15' or
    epoch milliseconds as digits) to a UTC timestamp without zone; null when it does not parse. -#}
{% macro hubspot_timestamp(expression) -%}
    {{ return(adapter.dispatch('hubspot_timestamp', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__hubspot_timestamp(expression) -%}
    case
        when regexp_full_match(trim({{ expression }}), '[0-9]{11,13}')
            then make_timestamp(cast(trim({{ expression }}) as bigint) * 1000)
        else try_cast(trim({{ expression }}) as timestamp)
    end
{%- endmacro %}
{% macro spark__hubspot_timestamp(expression) -%}
    case
        when trim({{ expression }}) rlike '^[0-9]{11,13}$' then timestamp_millis(cast(trim({{ expression }}) as bigint))
        else to_timestamp(trim({{ expression }}))
    end
{%- endmacro %}

{#- A number property ('4800', '1250.50') to numeric; null when blank or not a number. -#}
{% macro hubspot_number(expression, type=None) -%}
    {{ return(adapter.dispatch('hubspot_number', 'crm_kpi_warehouse')(expression, type or dbt.type_numeric())) }}
{%- endmacro %}
{% macro default__hubspot_number(expression, type) -%}
    try_cast(nullif(trim({{ expression }}), '') as {{ type }})
{%- endmacro %}
{% macro spark__hubspot_number(expression, type) -%}
    cast(nullif(trim({{ expression }}), '') as {{ type }})
{%- endmacro %}

{#- A boolean property ('true' / 'false' / null) to a boolean (null stays null). -#}
{% macro hubspot_boolean(expression) -%}
    case lower(trim({{ expression }})) when 'true' then true when 'false' then false end
{%- endmacro %}

{#- Each element of a list as one row (in the select list). -#}
{% macro hubspot_unnest(expression) -%}
    {{ return(adapter.dispatch('hubspot_unnest', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__hubspot_unnest(expression) -%}
    unnest({{ expression }})
{%- endmacro %}
{% macro spark__hubspot_unnest(expression) -%}
    explode({{ expression }})
{%- endmacro %}

{#- The id of the first association of a type ('contact_to_company' = the primary company). -#}
{% macro hubspot_association_id(results, association_type) -%}
    {{ return(adapter.dispatch('hubspot_association_id', 'crm_kpi_warehouse')(results, association_type)) }}
{%- endmacro %}
{% macro default__hubspot_association_id(results, association_type) -%}
    list_filter({{ results }}, lambda a: a.type = '{{ association_type }}')[1].id
{%- endmacro %}
{% macro spark__hubspot_association_id(results, association_type) -%}
    element_at(filter({{ results }}, a -> a.type = '{{ association_type }}'), 1).id
{%- endmacro %}

{#- Free-text country ('Italy', 'Italia', 'United Kingdom', 'IT') to ISO 3166-1 alpha-2; null when unknown. -#}
{% macro hubspot_country_code(expression) -%}
    {%- set names = var('hubspot_country_codes', {
        'italy': 'IT', 'italia': 'IT', 'italien': 'IT', 'italie': 'IT',
        'united kingdom': 'GB', 'uk': 'GB', 'great britain': 'GB', 'england': 'GB', 'scotland': 'GB', 'wales': 'GB',
        'regno unito': 'GB', 'gran bretagna': 'GB', 'inghilterra': 'GB',
        'united states': 'US', 'united states of america': 'US', 'usa': 'US', 'stati uniti': 'US',
        'germany': 'DE', 'deutschland': 'DE', 'germania': 'DE',
        'france': 'FR', 'francia': 'FR',
        'spain': 'ES', 'espana': 'ES', 'españa': 'ES', 'spagna': 'ES',
        'switzerland': 'CH', 'schweiz': 'CH', 'suisse': 'CH', 'svizzera': 'CH',
        'austria': 'AT', 'österreich': 'AT', 'osterreich': 'AT',
        'netherlands': 'NL', 'the netherlands': 'NL', 'paesi bassi': 'NL', 'olanda': 'NL',
        'belgium': 'BE', 'belgio': 'BE', 'portugal': 'PT', 'portogallo': 'PT',
        'ireland': 'IE', 'irlanda': 'IE', 'canada': 'CA',
        'san marino': 'SM', 'vatican city': 'VA', 'monaco': 'MC', 'slovenia': 'SI', 'croatia': 'HR', 'croazia': 'HR',
        'greece': 'GR', 'grecia': 'GR', 'poland': 'PL', 'polonia': 'PL', 'sweden': 'SE', 'svezia': 'SE',
        'denmark': 'DK', 'danimarca': 'DK', 'norway': 'NO', 'norvegia': 'NO', 'luxembourg': 'LU', 'lussemburgo': 'LU'
    }) -%}
    case
        when {{ regexp_full_match('trim(' ~ expression ~ ')', '[A-Za-z]{2}') }}
            and lower(trim({{ expression }})) <> 'uk' then upper(trim({{ expression }}))
        {%- for name, code in names.items() %}
        when lower(trim({{ expression }})) = '{{ name }}' then '{{ code }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- lifecyclestage internal value to subscriber, lead, mql, sql, customer or other (custom stages: other). -#}
{% macro hubspot_lifecycle_stage(expression) -%}
    {%- set stages = var('hubspot_lifecycle_stages', {
        'subscriber': 'subscriber', 'lead': 'lead', 'marketingqualifiedlead': 'mql',
        'salesqualifiedlead': 'sql', 'opportunity': 'sql', 'customer': 'customer',
        'evangelist': 'customer', 'other': 'other'
    }) -%}
    case lower(trim({{ expression }}))
        {%- for value, stage in stages.items() %}
        when '{{ value }}' then '{{ stage }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}

{#-
    A deal stage id to new, mql, sql, opportunity, won or lost. The default Sales Pipeline ids are
    mapped by var('hubspot_deal_stages'); any other id (custom stages, numeric or UUID-like) by the
    stage's metadata in the pipelines response when it was delivered: closed with probability 1 =
    won, other closed = lost, open by win probability (< 0.3 new, < 0.5 mql, < 0.7 sql, else
    opportunity); an id known to neither is 'new' (the weakest claim).
-#}
{% macro hubspot_deal_stage(stage_id, is_closed='cast(null as boolean)', probability='cast(null as double)') -%}
    {%- set stages = var('hubspot_deal_stages', {
        'appointmentscheduled': 'new', 'qualifiedtobuy': 'mql', 'presentationscheduled': 'sql',
        'decisionmakerboughtin': 'opportunity', 'contractsent': 'opportunity',
        'closedwon': 'won', 'closedlost': 'lost'
    }) -%}
    case
        {%- for value, stage in stages.items() %}
        when {{ stage_id }} = '{{ value }}' then '{{ stage }}'
        {%- endfor %}
        when {{ is_closed }} and {{ probability }} >= 1 then 'won'
        when {{ is_closed }} then 'lost'
        when {{ probability }} < 0.3 then 'new'
        when {{ probability }} < 0.5 then 'mql'
        when {{ probability }} < 0.7 then 'sql'
        when {{ probability }} is not null then 'opportunity'
        else 'new'
    end
{%- endmacro %}

{#-
    Original source of a deal (hs_analytics_source + drill-down 1) to the lead source channel:
    web_form, email, social, ads, event, referral or sales_outbound. OFFLINE sources are told apart
    by drill-down 1 (IMPORT = a list import, e.g. event attendees; anything else = entered by sales).
-#}
{% macro hubspot_source_channel(source, drill_down_1) -%}
    {%- set channels = var('hubspot_source_channels', {
        'ORGANIC_SEARCH': 'web_form', 'DIRECT_TRAFFIC': 'web_form', 'AI_REFERRALS': 'web_form',
        'REFERRALS': 'referral', 'EMAIL_MARKETING': 'email', 'SOCIAL_MEDIA': 'social',
        'PAID_SOCIAL': 'ads', 'PAID_SEARCH': 'ads', 'OTHER_CAMPAIGNS': 'ads'
    }) -%}
    {%- set offline = var('hubspot_offline_source_channels', {'IMPORT': 'event'}) -%}
    case
        {%- for value, channel in channels.items() %}
        when upper(trim({{ source }})) = '{{ value }}' then '{{ channel }}'
        {%- endfor %}
        {%- for value, channel in offline.items() %}
        when upper(trim({{ source }})) = 'OFFLINE' and upper(trim({{ drill_down_1 }})) = '{{ value }}' then '{{ channel }}'
        {%- endfor %}
        when upper(trim({{ source }})) = 'OFFLINE' then 'sales_outbound'
    end
{%- endmacro %}

{#- Company industry (internal enum value) to the project's industry vocabulary; others: other. -#}
{% macro hubspot_industry(expression) -%}
    {%- set industries = var('hubspot_industries', {
        'RETAIL': 'retail', 'CONSUMER_GOODS': 'retail', 'APPAREL_FASHION': 'retail', 'LUXURY_GOODS_JEWELRY': 'retail',
        'SUPERMARKETS': 'retail', 'WHOLESALE': 'retail',
        'MACHINERY': 'manufacturing', 'MECHANICAL_OR_INDUSTRIAL_ENGINEERING': 'manufacturing',
        'INDUSTRIAL_AUTOMATION': 'manufacturing', 'FURNITURE': 'manufacturing', 'TEXTILES': 'manufacturing',
        'ELECTRICAL_ELECTRONIC_MANUFACTURING': 'manufacturing', 'PACKAGING_AND_CONTAINERS': 'manufacturing',
        'COMPUTER_SOFTWARE': 'software', 'INFORMATION_TECHNOLOGY_AND_SERVICES': 'software', 'INTERNET': 'software',
        'HOSPITALITY': 'hospitality', 'RESTAURANTS': 'hospitality', 'LEISURE_TRAVEL_TOURISM': 'hospitality',
        'FOOD_BEVERAGES': 'hospitality',
        'HOSPITAL_HEALTH_CARE': 'healthcare', 'MEDICAL_PRACTICE': 'healthcare', 'PHARMACEUTICALS': 'healthcare',
        'MEDICAL_DEVICES': 'healthcare',
        'FINANCIAL_SERVICES': 'finance', 'BANKING': 'finance', 'INSURANCE': 'finance', 'ACCOUNTING': 'finance',
        'INVESTMENT_MANAGEMENT': 'finance',
        'EDUCATION_MANAGEMENT': 'education', 'HIGHER_EDUCATION': 'education', 'PRIMARY_SECONDARY_EDUCATION': 'education',
        'E_LEARNING': 'education',
        'GOVERNMENT_ADMINISTRATION': 'public_sector', 'PUBLIC_POLICY': 'public_sector', 'MUNICIPALITY': 'public_sector',
        'MILITARY': 'public_sector'
    }) -%}
    case
        when nullif(trim({{ expression }}), '') is null then null
        {%- for value, industry in industries.items() %}
        when upper(trim({{ expression }})) = '{{ value }}' then '{{ industry }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}

{#- A wall-clock timestamp of an IANA zone (the UI export's datetimes) to UTC. -#}
{% macro hubspot_local_to_utc(expression, tz=None) -%}
    {{ return(adapter.dispatch('hubspot_local_to_utc', 'crm_kpi_warehouse')(expression, tz or var('hubspot_export_timezone', var('reporting_timezone')))) }}
{%- endmacro %}
{% macro default__hubspot_local_to_utc(expression, tz) -%}
    cast(timezone('UTC', timezone('{{ tz }}', {{ expression }})) as timestamp)
{%- endmacro %}
{% macro spark__hubspot_local_to_utc(expression, tz) -%}
    to_utc_timestamp({{ expression }}, '{{ tz }}')
{%- endmacro %}

{#- A label of the UI export or an internal value to the internal value: 'Marketing Qualified Lead' ->
    'marketingqualifiedlead', 'Offline Sources' -> 'OFFLINE' (English labels). -#}
{% macro hubspot_label_to_value(expression) -%}
    lower(replace(replace(trim({{ expression }}), ' ', ''), '-', ''))
{%- endmacro %}
{% macro hubspot_source_label_to_value(expression) -%}
    case
        when upper(trim({{ expression }})) in ('OFFLINE SOURCES', 'OFFLINE_SOURCES') then 'OFFLINE'
        else upper(replace(trim({{ expression }}), ' ', '_'))
    end
{%- endmacro %}

{#- hs_language as a code ('it', 'en-us') or as the UI export's label ('Italian', 'English - United States'). -#}
{% macro hubspot_language_code(expression) -%}
    case
        when lower(trim({{ expression }})) like 'ital%' then 'it'
        when lower(trim({{ expression }})) like 'engl%' then 'en'
        else lower(nullif(trim({{ expression }}), ''))
    end
{%- endmacro %}

{#- A boolean as the API ('true') or the UI export ('Yes', 'Marketing contact') writes it. -#}
{% macro hubspot_flag(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 'yes', 'marketing contact', 'sì', 'si') then true
        when lower(trim({{ expression }})) in ('false', 'no', 'non-marketing contact') then false
    end
{%- endmacro %}
