{#-
    Conformed seo channel, property totals: every tool's rows of search performance in one shape,
    with the tool in source_system. What the SEO KPIs (macro seo_kpis) add up.

    Search Console feeds it from its site table (searchdata_site_impression): the property totals,
    which count an impression once however many of the site's pages it showed. Those rows have no
    page (page_url and page_path null, aggregation_level 'property'); the per-page view is
    int_seo__page_performance (URL table). Only the search types of var
    search_console_search_types (default web: the Performance report's default) are taken.
    The generic CSV is URL-level Web search (aggregation_level 'page'), as before.
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
        'web' as search_type,
        'page' as aggregation_level
    from {{ ref('stg_gsc__search_performance') }}

),

search_console as (

    select
        search_date,
        site_url,
        cast(null as {{ dbt.type_string() }}) as page_url,
        cast(null as {{ dbt.type_string() }}) as page_path,
        search_query,
        is_anonymized_query,
        country_iso3,
        device_category,
        impressions,
        clicks,
        sum_top_position,
        _loaded_at,
        'search_console' as source_system,
        search_type,
        'property' as aggregation_level
    from {{ ref('stg_search_console__site_impressions') }}
    where search_type in ('{{ search_console_search_types() | join("', '") }}')

)

select * from generic_csv
union all
select * from search_console
