{#-
    Search Console bulk export, table searchdata_site_impression (property totals): the current
    extract of each day, its repeated dimension keys summed (Google accumulates a day
    incrementally; rows are never de-duplicated).
-#}

with current_rows as (

    {{ search_console_current_extract(source('search_console', 'searchdata_site_impression')) }}

),

normalized as (

    select
        data_date as search_date,
        site_url,
        nullif(lower(trim(query)), '') as search_query,
        coalesce(is_anonymized_query, nullif(trim(query), '') is null) as is_anonymized_query,
        upper(country) as country_iso3,
        lower(search_type) as search_type,
        lower(device) as device_category,
        impressions,
        clicks,
        cast(sum_top_position as {{ type_double() }}) as sum_top_position,
        _loaded_at
    from current_rows

),

summed as (

    select
        search_date,
        site_url,
        search_query,
        is_anonymized_query,
        country_iso3,
        search_type,
        device_category,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(sum_top_position) as sum_top_position,
        count(*) as export_rows,
        max(_loaded_at) as _loaded_at
    from normalized
    group by search_date, site_url, search_query, is_anonymized_query, country_iso3, search_type, device_category

)

select * from summed
