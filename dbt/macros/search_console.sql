{#-
    Google Search Console bulk data export (models/staging/search_console).
-#}

{#- The search-appearance flags of table searchdata_url_impression that staging keeps (Google adds
    more over time: a new is_* key is ignored by the loader until it is declared here and in the
    source YAML). -#}
{% macro search_console_appearance_flags() -%}
    {{ return([
        'is_action', 'is_amp_blue_link', 'is_amp_image_result', 'is_amp_story', 'is_amp_top_stories',
        'is_edu_q_and_a', 'is_events_details', 'is_events_listing', 'is_job_details', 'is_job_listing',
        'is_learning_videos', 'is_math_solvers', 'is_merchant_listings', 'is_organic_shopping',
        'is_page_experience', 'is_practice_problems', 'is_product_snippets', 'is_recipe_feature',
        'is_recipe_rich_snippet', 'is_review_snippet', 'is_search_appearance_android_app',
        'is_special_announcement', 'is_subscribed_content', 'is_tpf_faq', 'is_tpf_howto', 'is_tpf_qa',
        'is_translated_result', 'is_video', 'is_weblite'
    ]) }}
{%- endmacro %}

{#- Search types (lower case) the conformed SEO models take from Search Console: var
    search_console_search_types, default ['web'] (the Performance report's default "Search results:
    Web"; image, video, news, discover and google_news are separate reports whose impressions do
    not add up with Web ones). -#}
{% macro search_console_search_types() -%}
    {%- set types = var('search_console_search_types', ['web']) -%}
    {%- if types is string -%}{%- set types = [types] -%}{%- endif -%}
    {{ return(types | map('lower') | list) }}
{%- endmacro %}

{#-
    The rows of the current extract of each day: Search Console revises a day atomically, so a
    day extracted again replaces the earlier extract of that day as a whole (never merged row by
    row). An extract is a file, or the numbered shards of one wildcard extract
    (name-000000000000.json, name-000000000001.json, ...); the latest loaded extract of a
    day wins (then the alphabetically last), and within it the latest load of each file (a file
    landed again under the same name).
-#}
{% macro search_console_current_extract(relation) -%}
with loaded_rows as (

    select
        *,
        regexp_replace(_source_file, '-[0-9]{12}([.][^/]*)$', '\1') as extract_file
    from {{ relation }}

),

file_loads as (

    select data_date, extract_file, _source_file, max(_loaded_at) as file_loaded_at
    from loaded_rows
    group by data_date, extract_file, _source_file

),

extract_loads as (

    select data_date, extract_file, max(file_loaded_at) as extract_loaded_at
    from file_loads
    group by data_date, extract_file

),

latest_extracts as (

    {{ deduplicate('extract_loads', 'data_date', 'extract_loaded_at desc, extract_file desc') }}

)

select loaded_rows.*
from loaded_rows
inner join latest_extracts
    on latest_extracts.data_date = loaded_rows.data_date
    and latest_extracts.extract_file = loaded_rows.extract_file
inner join file_loads
    on file_loads.data_date = loaded_rows.data_date
    and file_loads._source_file = loaded_rows._source_file
    and file_loads.file_loaded_at = loaded_rows._loaded_at
{%- endmacro %}
