{#-
    Audience members from the audience exports: the latest export of each (list, address) wins.
    The member's status is the status file it came in (subscribed / unsubscribed / cleaned).
-#}

with source_rows as (

    select
        *,
        {{ mailchimp_list_id('export_id') }} as mapped_list_id,
        {{ normalize_email('email_address') }} as normalized_email
    from {{ source('mailchimp', 'members') }}

),

deduplicated as (

    {{ deduplicate(
        'source_rows',
        'mapped_list_id, normalized_email',
        '_loaded_at desc, coalesce(unsub_time, clean_time, last_changed, confirm_time, optin_time) desc, _source_file desc'
    ) }}

),

renamed as (

    select
        mapped_list_id as list_id,
        export_id,
        normalized_email as subscriber_email,
        {{ email_is_valid('normalized_email') }} as is_subscriber_email_valid,
        {{ dbt.hash('normalized_email') }} as email_id,
        lower(member_status) as member_status,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        {{ phone_to_e164('phone_number', 'cc') }} as phone_e164,
        nullif(trim(customer_number), '') as customer_number,
        nullif(trim(interests), '') as interests,
        nullif(lower(trim(email_type)), '') as email_type,
        member_rating,
        optin_time as optin_at_utc,
        nullif(trim(optin_ip), '') as optin_ip,
        confirm_time as confirmed_at_utc,
        nullif(trim(confirm_ip), '') as confirm_ip,
        coalesce(confirm_time, optin_time) as subscribed_at_utc,
        last_changed as last_changed_at_utc,
        unsub_time as unsubscribed_at_utc,
        nullif(trim(unsub_campaign_id), '') as unsubscribe_campaign_id,
        nullif(trim(unsub_campaign_title), '') as unsubscribe_campaign_title,
        nullif(trim(unsub_reason), '') as unsubscribe_reason_choice,
        nullif(trim(unsub_reason_other), '') as unsubscribe_reason_other,
        coalesce(nullif(trim(unsub_reason_other), ''), nullif(trim(unsub_reason), '')) as unsubscribe_reason,
        clean_time as cleaned_at_utc,
        nullif(trim(clean_campaign_id), '') as clean_campaign_id,
        nullif(trim(clean_campaign_title), '') as clean_campaign_title,
        leid,
        euid,
        nullif(trim(notes), '') as notes,
        {{ mailchimp_tag_list('tags') }} as tag_list,
        {{ mailchimp_signup_source(mailchimp_tag_list('tags')) }} as signup_source,
        {{ mailchimp_permission('marketing_permission_email') }} as marketing_permission_email,
        {{ mailchimp_permission('marketing_permission_direct_mail') }} as marketing_permission_direct_mail,
        {{ mailchimp_permission('marketing_permission_online_ads') }} as marketing_permission_online_ads,
        latitude,
        longitude,
        gmtoff as gmt_offset_hours,
        dstoff as dst_offset_hours,
        nullif(trim(timezone), '') as time_zone,
        nullif(upper(trim(cc)), '') as country_code,
        nullif(trim(region), '') as region,
        _source_file,
        _loaded_at
    from deduplicated

)

select * from renamed
