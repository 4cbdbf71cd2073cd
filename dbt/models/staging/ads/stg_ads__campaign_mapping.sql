{#-
    The team's campaign -> utm_campaign (and ad account) mapping. Each landing file is a whole
    list: only the rows of its latest delivery count (a row removed from the file stops
    mapping). Then one row per platform and campaign key (the id, or the name when the row
    has no id): the latest file, then the last row wins.
-#}

with source_rows as (

    select * from {{ source('ads', 'campaign_mapping') }}

),

file_deliveries as (

    select
        _source_file,
        max(_loaded_at) as latest_loaded_at
    from source_rows
    group by _source_file

),

current_rows as (

    select source_rows.*
    from source_rows
    inner join file_deliveries
        on file_deliveries._source_file = source_rows._source_file
        and file_deliveries.latest_loaded_at = source_rows._loaded_at

),

normalized as (

    select
        lower(trim(platform)) as platform,
        nullif(trim(account_id), '') as account_id,
        nullif(trim(campaign_id), '') as ad_campaign_id,
        nullif(trim(campaign_name), '') as campaign_name,
        nullif(lower(trim(campaign_name)), '') as campaign_name_key,
        nullif(lower(trim(utm_campaign)), '') as utm_campaign,
        coalesce(
            nullif(trim(campaign_id), ''),
            'name:' || nullif(lower(trim(campaign_name)), '')
        ) as mapping_key,
        case
            when nullif(trim(campaign_id), '') is not null then 'campaign_id'
            when nullif(trim(campaign_name), '') is not null then 'campaign_name'
        end as matched_by,
        _source_file,
        _source_row,
        _loaded_at
    from current_rows

),

deduplicated as (

    {{ deduplicate('normalized', 'platform, mapping_key', '_loaded_at desc, _source_file desc, _source_row desc') }}

),

final as (

    select
        platform,
        mapping_key,
        matched_by,
        ad_campaign_id,
        campaign_name,
        campaign_name_key,
        account_id,
        utm_campaign,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from final
