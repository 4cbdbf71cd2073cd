{{ config(materialized='connected_components', max_rounds=64) }}

-- the identity graph; the materialization (macros/connected_components.sql) labels its components
select
    src,
    dst
from {{ ref('int_identity__edges') }}
