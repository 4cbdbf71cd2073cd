{#-
    Flood report: identifiers seen on more source records than var identity_max_identifier_records
    (an email pasted on every contact of an import, a default phone). int_identity__nodes flags them
    (too_many_records, unless an earlier reason applies) so they link nobody; a warning test on this
    model reports each value for a human to fix the source or raise the var.
-#}

select
    identifier_type,
    identifier_value,
    record_count,
    record_source_count,
    shared_reason,
    first_seen_at_utc,
    last_seen_at_utc
from {{ ref('int_identity__nodes') }}
where identifier_type <> 'source_record'
    and record_count > {{ var('identity_max_identifier_records') }}
