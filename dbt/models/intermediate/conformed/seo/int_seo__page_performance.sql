{#-
    Conformed seo channel, per-page view: every tool's URL-level rows of search performance, with
    the tool in source_system. Use it for breakdowns by page; its totals are not the property
    totals (an impression counts once per page shown), those are int_seo__search_performance.

    Search Console feeds it from its URL table (searchdata_url_impression), summed over the
    search-appearance flags, for the search types of var search_console_search_types (default
    web). The generic CSV is URL-level already (the same rows as in int_seo__search_performance).
-#}

with generic_csv as (

    select
        search_date,
        site_url,
        page_url,
        page_path,
        search_query,
        is_anonymized_query,
        country_iso3,
        device_category,
        impressions,
        clicks,
        sum_top_position,
        _loaded_at,
        'generic_csv' as source_system,
        'web' as search_type
    from {{ ref('stg_gsc__search_performance') }}

),

search_console as (

    select
        search_date,
        site_url,
        page_url,
        page_path,
        search_query,
        is_anonymized_query,
        country_iso3,
        device_category,
        sum(impressions) as impressions,
        sum(clicks) as clicks,
        sum(sum_position) as sum_top_position,
        max(_loaded_at) as _loaded_at,
        'search_console' as source_system,
        search_type
    from {{ ref('stg_search_console__url_impressions') }}
    where search_type in ('{{ search_console_search_types() | join("', '") }}')
    group by
        search_date, site_url, page_url, page_path, search_query, is_anonymized_query, country_iso3,
        device_category, search_type

)

select * from generic_csv
union all
select * from search_console
