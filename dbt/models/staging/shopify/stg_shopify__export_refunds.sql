with orders as (

    select * from {{ ref('stg_shopify__export_orders') }}

),

refunded as (

    -- the export holds only each order's refunded total (Refunded Amount): one row per refunded
    -- order, dated at the cancellation if any, else at the order itself (the refund date is unknown)
    select
        'export-' || order_id as refund_id,
        order_id,
        coalesce(cancelled_at_utc, created_at_utc) as created_at_utc,
        refunded_amount as amount,
        currency,
        refunded_amount_eur as amount_eur,
        _loaded_at
    from orders
    where refunded_amount > 0

),

renamed as (

    select
        refund_id,
        order_id,
        created_at_utc,
        cast({{ utc_to_local('created_at_utc') }} as date) as refund_date_local,
        amount,
        currency,
        amount_eur,
        false as is_refund_date_known,
        _loaded_at
    from refunded

)

select * from renamed
