{#-
    Subscription changes of the ESP lists that change a list's size (grain:
    membership_event_id): a subscribe of someone not subscribed (+1), an unsubscribe or a
    cleaning (hard-bounce removal) of someone subscribed (-1). Repeated events (a second
    subscribe of a member) change nothing and are dropped. The subscriber is the email, else
    the phone (SMS lists).
-#}

with membership_events as (

    select
        membership_event_id,
        list_id,
        coalesce(subscriber_email, subscriber_phone_e164) as subscriber_key,
        event_type,
        event_at_utc,
        event_date_local,
        signup_source
    from {{ ref('int_email__list_membership') }}
    where coalesce(subscriber_email, subscriber_phone_e164) is not null

),

sequenced as (

    select
        membership_events.*,
        lag(membership_events.event_type) over (
            partition by membership_events.list_id, membership_events.subscriber_key
            order by membership_events.event_at_utc, membership_events.membership_event_id
        ) as previous_event_type
    from membership_events

),

changes as (

    select
        sequenced.*,
        case
            when
                sequenced.event_type = 'subscribe' and coalesce(sequenced.previous_event_type, 'none') <> 'subscribe'
                then 1
            when
                sequenced.event_type in ('unsubscribe', 'cleaned') and sequenced.previous_event_type = 'subscribe'
                then -1
            else 0
        end as size_change
    from sequenced

)

select
    membership_event_id,
    list_id,
    subscriber_key,
    event_type,
    event_at_utc,
    event_date_local,
    signup_source,
    size_change
from changes
where size_change <> 0
