{#-
    One row per blog post (grain: post_id) with its comments over the whole history: approved,
    from readers, staff replies, pending, spam, distinct commenters, first and last approved
    reader comment, and the web sessions that landed on the post (landing_page_path = the post's
    path, trailing slash ignored).
-#}

with posts as (

    select * from {{ ref('int_blog__posts') }}

),

comments as (

    select * from {{ ref('int_blog__comments') }}

),

post_comments as (

    select
        post_id,
        count(case when is_approved then 1 end) as comments_approved,
        count(case when is_approved and not is_staff then 1 end) as reader_comments,
        count(case when is_approved and is_staff then 1 end) as staff_replies,
        count(case when is_approved and is_reply then 1 end) as replies,
        count(case when comment_status = 'pending' then 1 end) as comments_pending,
        count(case when comment_status = 'spam' then 1 end) as comments_spam,
        count(distinct case when is_approved and not is_staff then coalesce(email, lower(author_name)) end)
            as commenters,
        min(case when is_approved and not is_staff then commented_at_utc end) as first_comment_at_utc,
        max(case when is_approved and not is_staff then commented_at_utc end) as last_comment_at_utc
    from comments
    group by post_id

),

landing_sessions as (

    select
        coalesce(nullif(trim(trailing '/' from landing_page_path), ''), '/') as page_path,
        count(*) as landing_sessions
    from {{ ref('fct_web_session') }}
    where landing_page_path is not null
    group by coalesce(nullif(trim(trailing '/' from landing_page_path), ''), '/')

),

final as (

    select
        posts.post_id,
        posts.source_system,
        posts.title,
        posts.post_url,
        posts.page_path,
        posts.post_status,
        posts.published_at_utc,
        posts.published_date_local,
        coalesce(post_comments.comments_approved, 0) as comments_approved,
        coalesce(post_comments.reader_comments, 0) as reader_comments,
        coalesce(post_comments.staff_replies, 0) as staff_replies,
        coalesce(post_comments.replies, 0) as replies,
        coalesce(post_comments.comments_pending, 0) as comments_pending,
        coalesce(post_comments.comments_spam, 0) as comments_spam,
        coalesce(post_comments.commenters, 0) as commenters,
        post_comments.first_comment_at_utc,
        post_comments.last_comment_at_utc,
        {{ dbt.datediff('posts.published_at_utc', 'post_comments.first_comment_at_utc',
            'day') }} as days_to_first_comment,
        coalesce(landing_sessions.landing_sessions, 0) as landing_sessions
    from posts
    left join post_comments on post_comments.post_id = posts.post_id
    left join landing_sessions on landing_sessions.page_path = posts.page_path

)

select * from final
