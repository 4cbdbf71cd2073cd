with source_rows as (

    select * from {{ source('shopify', 'api_orders') }}

),

exploded as (

    -- refunds are nested in their order; every pulled copy of the order repeats them
    select
        cast(id as {{ dbt.type_string() }}) as order_id,
        updated_at,
        _loaded_at,
        _source_file,
        _source_row,
        {{ shopify_explode_with_position('refunds', 'refund', 'refund_position') }}
    from source_rows

),

latest_copy as (

    {{ deduplicate(
        'exploded', 'refund.id',
        '(case when updated_at is null then 1 else 0 end), updated_at desc, _loaded_at desc, _source_file desc, _source_row'
    ) }}

),

money as (

    select
        *,
        -- money returned: the successful refund transactions (a cancelled authorisation is a void)
        {{ shopify_list_sum(
            shopify_list_filter('refund.transactions', 'transaction', "lower(transaction.kind) = 'refund' and lower(transaction.status) = 'success'"),
            'transaction', 'transaction.amount'
        ) }} as transaction_amount,
        upper({{ shopify_list_element(
            shopify_list_filter('refund.transactions', 'transaction', "lower(transaction.kind) = 'refund' and lower(transaction.status) = 'success'"),
            1
        ) }}.currency) as transaction_currency
    from latest_copy

),

orders as (

    select
        order_id,
        currency,
        presentment_currency,
        total,
        total_presentment,
        eur_per_unit
    from {{ ref('stg_shopify__api_orders') }}

),

renamed as (

    select
        cast(money.refund.id as {{ dbt.type_string() }}) as refund_id,
        money.order_id,
        {{ to_utc_timestamp('money.refund.created_at') }} as created_at_utc,
        cast({{ utc_to_local(to_utc_timestamp('money.refund.created_at')) }} as date) as refund_date_local,
        -- in the shop currency: transactions paid back in the presentment currency are converted at
        -- the order's own shop / presentment ratio, so a full refund nets the order to zero
        cast(
            case
                when money.transaction_currency is null or money.transaction_currency = orders.currency
                    or orders.total_presentment is null or orders.total_presentment = 0 then money.transaction_amount
                else money.transaction_amount * orders.total / orders.total_presentment
            end as {{ dbt.type_numeric() }}
        ) as amount,
        orders.currency,
        round(cast(
            case
                when money.transaction_currency is null or money.transaction_currency = orders.currency
                    or orders.total_presentment is null or orders.total_presentment = 0 then money.transaction_amount
                else money.transaction_amount * orders.total / orders.total_presentment
            end * orders.eur_per_unit as {{ dbt.type_numeric() }}
        ), 2) as amount_eur,
        cast(money.transaction_amount as {{ dbt.type_numeric() }}) as transaction_amount,
        coalesce(money.transaction_currency, orders.presentment_currency, orders.currency) as transaction_currency,
        money.transaction_amount > 0 as is_money_refund,
        nullif(trim(money.refund.note), '') as note,
        {{ shopify_list_sum('money.refund.refund_line_items', 'refund_line', 'refund_line.quantity') }}
            as refunded_quantity,
        money._loaded_at
    from money
    inner join orders on orders.order_id = money.order_id

)

select * from renamed
