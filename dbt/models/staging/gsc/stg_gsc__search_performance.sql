with source_rows as (

    select * from {{ source('gsc', 'search_performance') }}

),

deduplicated as (

    {{ deduplicate(
        'source_rows',
        'data_date, site_url, url, query, is_anonymized_query, country, device',
        '_loaded_at desc, _source_file desc'
    ) }}

),

renamed as (

    select
        data_date as search_date,
        site_url,
        url as page_url,
        nullif(regexp_extract(url, '^[a-z]+://[^/?#]+(/[^?#]*)', 1), '') as page_path,
        nullif(lower(trim(query)), '') as search_query,
        coalesce(is_anonymized_query, query is null) as is_anonymized_query,
        upper(country) as country_iso3,
        lower(device) as device_category,
        impressions,
        clicks,
        cast(sum_top_position as {{ type_double() }}) as sum_top_position,
        _loaded_at
    from deduplicated

)

select * from renamed
