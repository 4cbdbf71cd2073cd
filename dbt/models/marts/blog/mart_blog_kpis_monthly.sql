{#-
    Blog KPIs per local month (KPI catalogue: blog visits and comments). Grain: period_start_date.
    Posts count on their local publication day, comments on their local comment day (var
    reporting_timezone). Approved comments are the published ones; reader comments exclude the
    staff's replies; pending and spam are counted apart and never in the KPIs. Blog sessions
    (landing page under /blog) come from mart_web_kpis_monthly. A month is listed when it has a
    publication, a comment or blog sessions.
-#}

with published_posts as (

    select
        post_id,
        published_date_local
    from {{ ref('int_blog__posts') }}
    where is_published and published_date_local is not null

),

comments as (

    select * from {{ ref('int_blog__comments') }}

),

post_months as (

    select
        {{ period_start('published_date_local', 'month') }} as period_start_date,
        count(*) as posts_published
    from published_posts
    group by {{ period_start('published_date_local', 'month') }}

),

comment_months as (

    select
        {{ period_start('commented_date_local', 'month') }} as period_start_date,
        count(case when is_approved then 1 end) as comments_approved,
        count(case when is_approved and not is_staff then 1 end) as reader_comments,
        count(case when is_approved and is_staff then 1 end) as staff_replies,
        count(case when comment_status = 'pending' then 1 end) as comments_pending,
        count(case when comment_status = 'spam' then 1 end) as comments_spam,
        count(distinct case when is_approved and not is_staff then coalesce(email, lower(author_name)) end)
            as commenters,
        count(distinct case when is_approved and not is_staff then post_id end) as posts_commented
    from comments
    group by {{ period_start('commented_date_local', 'month') }}

),

web_months as (

    select
        period_start_date,
        blog_sessions
    from {{ ref('mart_web_kpis_monthly') }}
    where blog_sessions > 0

),

months as (

    select period_start_date from post_months
    union
    select period_start_date from comment_months
    union
    select period_start_date from web_months

),

posts_live as (

    select
        months.period_start_date,
        count(published_posts.post_id) as posts_live
    from months
    left join published_posts
        on published_posts.published_date_local < {{ dbt.dateadd('month', 1, 'months.period_start_date') }}
    group by months.period_start_date

),

final as (

    select
        months.period_start_date,
        coalesce(post_months.posts_published, 0) as posts_published,
        posts_live.posts_live,
        coalesce(comment_months.comments_approved, 0) as comments_approved,
        coalesce(comment_months.reader_comments, 0) as reader_comments,
        coalesce(comment_months.staff_replies, 0) as staff_replies,
        coalesce(comment_months.comments_pending, 0) as comments_pending,
        coalesce(comment_months.comments_spam, 0) as comments_spam,
        coalesce(comment_months.commenters, 0) as commenters,
        coalesce(comment_months.posts_commented, 0) as posts_commented,
        cast(web_months.blog_sessions as {{ dbt.type_bigint() }}) as blog_sessions,
        {{ safe_divide('coalesce(comment_months.reader_comments, 0)', 'posts_live.posts_live') }} as comments_per_post,
        {{ safe_divide('1000 * coalesce(comment_months.reader_comments, 0)', 'web_months.blog_sessions') }}
            as comments_per_1000_blog_sessions
    from months
    inner join posts_live on posts_live.period_start_date = months.period_start_date
    left join post_months on post_months.period_start_date = months.period_start_date
    left join comment_months on comment_months.period_start_date = months.period_start_date
    left join web_months on web_months.period_start_date = months.period_start_date

)

select * from final
