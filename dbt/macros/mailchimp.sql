{#-
    Mailchimp helpers (models/staging/mailchimp). Conventions a Mailchimp account does not carry in
    its exports (which campaigns are DEMs, which tags name a signup source, which list an audience
    export belongs to) are dbt vars with defaults here; override them with --vars or in
    dbt_project.yml:

      mailchimp_dem_title_prefixes   campaign titles starting with one of these (case-insensitive)
                                     are channel dem (promotional); every other campaign is email
                                     (newsletter). Default [DEM].
      mailchimp_signup_source_tags   ordered [tag LIKE pattern, signup_source] pairs, matched
                                     case-insensitively against each tag of the member; the first
                                     matching pair wins.
      mailchimp_export_list_ids      {export id: list id} when an audience export's file-name suffix
                                     is not the audience's list id (default: it is).
-#}

{%- macro mailchimp_default_signup_source_tags() -%}
    {{ return([
        ['checkout', 'checkout'],
        ['popup sito', 'web_form'],
        ['web form', 'web_form'],
        ['signup form', 'web_form'],
        ['import crm', 'import'],
        ['import%', 'import'],
        ['crm', 'crm'],
        ['fiera%', 'event'],
        ['evento%', 'event'],
        ['event%', 'event'],
        ['webinar%', 'event'],
    ]) }}
{%- endmacro %}

{#- An ISO 8601 text with offset (2024-09-12T07:30:00+00:00), or '' / null, to a UTC timestamp. -#}
{% macro mailchimp_iso_timestamp(expression) -%}
    {{ return(adapter.dispatch('mailchimp_iso_timestamp', 'crm_kpi_warehouse')(expression)) }}
{%- endmacro %}
{% macro default__mailchimp_iso_timestamp(expression) -%}
    cast(timezone('UTC', try_cast(nullif(trim({{ expression }}), '') as timestamptz)) as timestamp)
{%- endmacro %}
{% macro spark__mailchimp_iso_timestamp(expression) -%}
    to_timestamp(nullif(trim({{ expression }}), ''))
{%- endmacro %}

{#- Channel of a campaign from its title: dem when it starts with a DEM prefix, else email. -#}
{% macro mailchimp_channel(title) -%}
    case
        {%- for prefix in var('mailchimp_dem_title_prefixes', ['DEM']) %}
        when lower(trim({{ title }})) like '{{ prefix | lower | replace("'", "''") }}%' then 'dem'
        {%- endfor %}
        else 'email'
    end
{%- endmacro %}

{#-
    The TAGS cell ("Checkout","Clienti" / Editors / empty) as '|checkout|clienti|': quotes dropped,
    split on commas (as public Mailchimp importers read it), trimmed, lower-cased; null when empty.
-#}
{% macro mailchimp_tag_list(tags) -%}
    case when nullif(trim(replace({{ tags }}, '"', '')), '') is not null then
        '|' || lower({{ regexp_replace_all("trim(replace(" ~ tags ~ ", '\"', ''))", "\\s*,\\s*", "|") }}) || '|'
    end
{%- endmacro %}

{#- signup_source from a tag list of mailchimp_tag_list (var mailchimp_signup_source_tags). -#}
{% macro mailchimp_signup_source(tag_list) -%}
    case
        {%- for pattern, source in var('mailchimp_signup_source_tags', mailchimp_default_signup_source_tags()) %}
        when {{ tag_list }} like '%|{{ pattern | lower | replace("'", "''") }}|%' then '{{ source }}'
        {%- endfor %}
    end
{%- endmacro %}

{#- list_id of an audience export (var mailchimp_export_list_ids; default: the export id itself). -#}
{% macro mailchimp_list_id(export_id) -%}
    {%- set mapping = var('mailchimp_export_list_ids', {}) -%}
    {%- if mapping %}
    case {{ export_id }}
        {%- for export, list_id in mapping.items() %}
        when '{{ export }}' then '{{ list_id }}'
        {%- endfor %}
        else {{ export_id }}
    end
    {%- else -%}
    {{ export_id }}
    {%- endif %}
{%- endmacro %}

{#- A GDPR marketing-permission cell (values unconfirmed: yes/no, y/n, true/false, 1/0) to a boolean. -#}
{% macro mailchimp_permission(expression) -%}
    case
        when lower(trim({{ expression }})) in ('y', 'yes', 'true', '1', 'si', 'sì', 'granted', 'opted in') then true
        when lower(trim({{ expression }})) in ('n', 'no', 'false', '0', 'denied', 'opted out') then false
    end
{%- endmacro %}

{#-
    One row per element of the `activity` list of raw email-activity rows: every column of the row
    plus `activity_element` (struct action, type, timestamp, url, ip). Recipients with an empty list
    give no row.
-#}
{% macro mailchimp_activity_elements(relation) -%}
    {{ return(adapter.dispatch('mailchimp_activity_elements', 'crm_kpi_warehouse')(relation)) }}
{%- endmacro %}
{% macro default__mailchimp_activity_elements(relation) -%}
    select recipients.*, unnest(recipients.activity) as activity_element
    from {{ relation }} as recipients
{%- endmacro %}
{% macro spark__mailchimp_activity_elements(relation) -%}
    select recipients.*, activity_element
    from {{ relation }} as recipients
    lateral view explode(recipients.activity) exploded as activity_element
{%- endmacro %}
