{#-
    Search Console bulk export, table ExportLog: one row per export of a table and day (the
    same row in several extracts of the log is kept once).
-#}

with source_rows as (

    select * from {{ source('search_console', 'export_log') }}

),

deduplicated as (

    {{ deduplicate(
        'source_rows',
        'namespace, data_date, epoch_version',
        'publish_time desc, _loaded_at desc, _source_file desc'
    ) }}

),

renamed as (

    select
        lower(agenda) as export_agenda,
        lower(namespace) as export_table,
        data_date as search_date,
        epoch_version,
        {{ to_utc_timestamp('publish_time') }} as published_at_utc,
        epoch_version = max(epoch_version) over (partition by namespace, data_date) as is_latest_version,
        _loaded_at
    from deduplicated

)

select * from renamed
