{#-
    Conformed web channel: the website events of identified browsers (a user_pseudo_id), every
    tool in one shape (int_web__all_events, source_system names the tool). Identity, sessions and
    touchpoints read this model: consent-denied cookieless pings never reach them.
-#}

select *
from {{ ref('int_web__all_events') }}
where user_pseudo_id is not null
