{#- Instagram account snapshots (the account node saved on a fetch date): the follower total Instagram has. -#}

with source_rows as (

    select * from {{ source('meta', 'instagram_accounts') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id, snapshot_date', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        id as account_id,
        username,
        name as account_name,
        snapshot_date,
        followers_count,
        follows_count,
        media_count,
        _loaded_at
    from deduplicated

)

select * from renamed
