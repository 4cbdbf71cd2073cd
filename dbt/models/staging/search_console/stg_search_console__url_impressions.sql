{#-
    Search Console bulk export, table searchdata_url_impression (per-page view): the current
    extract of each day, its repeated keys (every dimension and search-appearance flag equal)
    summed, never de-duplicated. A missing flag is false.
-#}

{%- set flags = search_console_appearance_flags() %}

with current_rows as (

    {{ search_console_current_extract(source('search_console', 'searchdata_url_impression')) }}

),

normalized as (

    select
        data_date as search_date,
        site_url,
        url as page_url,
        nullif(regexp_extract(url, '^[a-z]+://[^/?#]+(/[^?#]*)', 1), '') as page_path,
        nullif(lower(trim(query)), '') as search_query,
        coalesce(is_anonymized_query, nullif(trim(query), '') is null) as is_anonymized_query,
        coalesce(is_anonymized_discover, false) as is_anonymized_discover,
        upper(country) as country_iso3,
        lower(search_type) as search_type,
        lower(device) as device_category,
        {%- for flag in flags %}
            coalesce({{ flag }}, false) as {{ flag }},
        {%- endfor %}
        impressions,
        clicks,
        cast(sum_position as {{ type_double() }}) as sum_position,
        _loaded_at
    from current_rows

),

summed as (

    select
        search_date,
        site_url,
        page_url,
        page_path,
        search_query,
        is_anonymized_query,
        is_anonymized_discover,
        country_iso3,
        search_type,
        device_category,
        {%- for flag in flags %}
            {{ flag }},
        {%- endfor %}
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(sum_position) as sum_position,
        count(*) as export_rows,
        max(_loaded_at) as _loaded_at
    from normalized
    group by
        search_date, site_url, page_url, page_path, search_query, is_anonymized_query, is_anonymized_discover,
        country_iso3, search_type, device_category{% for flag in flags %}, {{ flag }}{% endfor %}  -- noqa: LT05

)

select * from summed
