"""Score identity resolution against the generator's ground truth.

Pairwise precision and recall over identifiers: a pair of identifiers is predicted
together when they map to the same customer_id in ``marts.bridge_customer_identifier``,
and truly together when they belong to the same person in the ground truth. Shared
identifiers (role mailboxes, shared devices: ``is_shared`` in the truth) belong to no
single person and are left out of the pairs.

Records are scored too, because a record that carries only shared identifiers (a guest
order whose only email is ``test@example.com``) is attributed to a customer by the marts
(``fct_order``, ``fct_customer_touchpoint``) without any identifier pair showing it. A
record's true person is the person the ground truth gives its non-shared identifiers
(``int_identity__observations``: for an order, also the device of its GA4 purchase); a
record without one is a person of its own that nobody can vouch for. A record is
misattributed when its customer also holds an identifier or a record of someone else.

over_merged_people counts people whose customer also holds another person (by an
identifier or by a record, so a guest order with a blocklisted email counts), split
people those spread over several customers by their identifiers.
"""

from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

# Same normalization as the dbt staging macros, applied to the truth's values.
_NORMALIZED_TRUTH = """
    select
        -- the generator calls the shop account user_id (its GA4 name); the warehouse customer_number
        case identifier_type when 'user_id' then 'customer_number' else identifier_type end as identifier_type,
        case
            when identifier_type in ('instagram_handle', 'linkedin_handle', 'facebook_id', 'x_handle', 'web_handle')
                then nullif(lower(regexp_replace(trim(normalized_value), '^@+', '')), '')
            when identifier_type = 'email' then nullif(lower(trim(normalized_value)), '')
            else nullif(trim(normalized_value), '')
        end as identifier_value,
        person_id,
        is_shared,
        linkable
    from read_csv(?, header = true, auto_detect = true)
"""

# The records the marts attribute to a customer, keyed as in int_identity__observations.
_RECORD_CUSTOMERS = """
    select 'shop_order' as record_source, order_id as record_id, customer_id from marts.fct_order
    union all
    select
        case touchpoint_type when 'nps_answer' then 'nps_response' else touchpoint_type end,
        source_record_id,
        customer_id
    from marts.fct_customer_touchpoint
    where touchpoint_type in ('nps_answer', 'event_registration', 'blog_comment')
"""


@dataclass(frozen=True)
class IdentityAccuracy:
    identifiers_scored: int
    identifiers_missing: int
    people: int
    customers: int
    precision: float
    recall: float
    recall_linkable: float
    over_merged_people: int
    split_people: int
    records_scored: int
    records_misattributed: int
    records_only_shared: int
    records_only_shared_misattributed: int
    records_only_shared_unverifiable: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _pairwise(con: duckdb.DuckDBPyConnection, where: str) -> tuple[float, float]:
    true_positive, predicted, actual = con.execute(
        f"""
        with scored as (select * from scored_identifiers where {where}),
        cells as (select customer_id, person_id, count(*) n from scored group by all),
        customers as (select customer_id, count(*) n from scored group by all),
        people as (select person_id, count(*) n from scored group by all)
        select
            (select coalesce(sum(n * (n - 1) / 2), 0) from cells),
            (select coalesce(sum(n * (n - 1) / 2), 0) from customers),
            (select coalesce(sum(n * (n - 1) / 2), 0) from people)
        """
    ).fetchone()
    precision = float(true_positive) / float(predicted) if predicted else 1.0
    recall = float(true_positive) / float(actual) if actual else 1.0
    return precision, recall


def score(warehouse: Path, truth_file: Path) -> IdentityAccuracy:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(
            f"create temp table truth as select distinct * from ({_NORMALIZED_TRUTH})"
            " where identifier_value is not null",
            [str(truth_file)],
        )
        con.execute(
            """
            create temp table scored_identifiers as
            select truth.identifier_type, truth.identifier_value, truth.person_id, truth.linkable, bridge.customer_id
            from truth
            join marts.bridge_customer_identifier as bridge
                on bridge.identifier_type = truth.identifier_type
                and bridge.identifier_value = truth.identifier_value
            where not truth.is_shared
            """
        )
        missing = con.execute(
            """
            select count(*) from truth
            where not is_shared and not exists (
                select 1 from marts.bridge_customer_identifier as bridge
                where bridge.identifier_type = truth.identifier_type
                    and bridge.identifier_value = truth.identifier_value)
            """
        ).fetchone()[0]
        precision, recall = _pairwise(con, "true")
        _, recall_linkable = _pairwise(con, "linkable")
        scored, people, customers = con.execute(
            "select count(*), count(distinct person_id), count(distinct customer_id) from scored_identifiers"
        ).fetchone()
        con.execute(
            f"""
            create temp table record_truth as
            with attributed as ({_RECORD_CUSTOMERS}),
            record_identifiers as (
                select observations.record_source, observations.record_id, observations.identifier_type,
                       truth_identifiers.person_id, coalesce(truth_identifiers.is_shared, false) as is_shared,
                       truth_identifiers.identifier_value is not null as is_known
                from intermediate.int_identity__observations as observations
                join attributed
                    on attributed.record_source = observations.record_source
                    and attributed.record_id = observations.record_id
                left join (select distinct identifier_type, identifier_value, person_id, is_shared from truth)
                    as truth_identifiers
                    on truth_identifiers.identifier_type = observations.identifier_type
                    and truth_identifiers.identifier_value = observations.identifier_value
            ),
            per_record as (
                select
                    record_source, record_id,
                    count(distinct case when not is_shared then person_id end) as people,
                    min(case when not is_shared then person_id end) as person_id,
                    -- the record's own identifiers (a shop order's device comes from its GA4 purchase) are all shared
                    bool_and(is_shared or identifier_type = 'user_pseudo_id') and bool_or(is_shared) as is_only_shared
                from record_identifiers
                where is_known
                group by record_source, record_id
            )
            select
                attributed.record_source, attributed.record_id, attributed.customer_id,
                case when per_record.people = 1 then per_record.person_id end as person_id,
                -- who the record is: its person, else a person of its own nobody can vouch for
                case when per_record.people = 1 then per_record.person_id
                     else 'record:' || attributed.record_source || ':' || attributed.record_id end as person_key,
                coalesce(per_record.is_only_shared, false) as is_only_shared
            from attributed
            left join per_record
                on per_record.record_source = attributed.record_source
                and per_record.record_id = attributed.record_id
            """
        )
        con.execute(
            """
            create temp table customer_members as
            select distinct customer_id, person_id as person_key from scored_identifiers
            union
            select distinct customer_id, person_key from record_truth where customer_id is not null
            """
        )
        over_merged = con.execute(
            """
            select count(distinct person_key) from customer_members
            where person_key not like 'record:%' and customer_id in (
                select customer_id from customer_members group by customer_id having count(distinct person_key) > 1)
            """
        ).fetchone()[0]
        records_scored, records_misattributed, only_shared, only_shared_misattributed, only_shared_unverifiable = (
            con.execute(
                """
            with judged as (
                select
                    record_truth.*,
                    record_truth.customer_id is null or exists (
                        select 1 from customer_members
                        where customer_members.customer_id = record_truth.customer_id
                          and customer_members.person_key <> record_truth.person_key
                    ) as is_misattributed
                from record_truth
            )
            select
                count(*),
                count(*) filter (where is_misattributed),
                count(*) filter (where is_only_shared),
                count(*) filter (where is_only_shared and is_misattributed),
                count(*) filter (where is_only_shared and person_id is null)
            from judged
            """
            ).fetchone()
        )
        split = con.execute(
            "select count(*) from (select person_id from scored_identifiers group by person_id"
            " having count(distinct customer_id) > 1)"
        ).fetchone()[0]
    return IdentityAccuracy(
        identifiers_scored=scored,
        identifiers_missing=missing,
        people=people,
        customers=customers,
        precision=precision,
        recall=recall,
        recall_linkable=recall_linkable,
        over_merged_people=over_merged,
        split_people=split,
        records_scored=records_scored,
        records_misattributed=records_misattributed,
        records_only_shared=only_shared,
        records_only_shared_misattributed=only_shared_misattributed,
        records_only_shared_unverifiable=only_shared_unverifiable,
    )
