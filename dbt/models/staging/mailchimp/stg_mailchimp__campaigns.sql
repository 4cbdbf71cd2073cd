with source_rows as (

    select * from {{ source('mailchimp', 'campaigns') }}

),

deduplicated as (

    {{ deduplicate('source_rows', 'id', '_loaded_at desc, _source_file desc') }}

),

renamed as (

    select
        deduplicated.id as esp_campaign_id,
        deduplicated.web_id,
        lower(deduplicated.type) as campaign_type,
        lower(status) as status,
        settings.title as campaign_name,
        {{ mailchimp_channel('settings.title') }} as channel,
        recipients.list_id,
        recipients.list_name,
        nullif(trim(recipients.segment_text), '') as segment_text,
        recipients.recipient_count,
        settings.subject_line as subject,
        nullif(trim(settings.preview_text), '') as preview_text,
        settings.from_name,
        settings.reply_to,
        nullif(lower(trim(tracking.google_analytics)), '') as utm_campaign,
        {{ mailchimp_iso_timestamp('send_time') }} as sent_at_utc,
        cast({{ utc_to_local(mailchimp_iso_timestamp('send_time')) }} as date) as sent_date_local,
        {{ to_utc_timestamp('create_time') }} as created_at_utc,
        deduplicated.emails_sent,
        report_summary.opens as report_opens,
        report_summary.unique_opens as report_unique_opens,
        report_summary.open_rate as report_open_rate,
        report_summary.clicks as report_clicks,
        report_summary.subscriber_clicks as report_subscriber_clicks,
        report_summary.click_rate as report_click_rate,
        deduplicated._source_file,
        deduplicated._loaded_at
    from deduplicated

)

select * from renamed
