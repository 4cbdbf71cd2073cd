"""Score identity resolution against the generator's ground truth.

Pairwise precision and recall over identifiers: a pair of identifiers is predicted
together when they map to the same customer_id in ``marts.bridge_customer_identifier``,
and truly together when they belong to the same person in the ground truth. Shared
identifiers (role mailboxes, shared devices: ``is_shared`` in the truth) belong to no
single person and are left out. Also counts over-merged people (sharing a customer
with another person) and split people (spread over several customers).
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
            f"create temp table truth as select distinct * from ({_NORMALIZED_TRUTH}) where identifier_value is not null",
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
                where bridge.identifier_type = truth.identifier_type and bridge.identifier_value = truth.identifier_value)
            """
        ).fetchone()[0]
        precision, recall = _pairwise(con, "true")
        _, recall_linkable = _pairwise(con, "linkable")
        scored, people, customers = con.execute(
            "select count(*), count(distinct person_id), count(distinct customer_id) from scored_identifiers"
        ).fetchone()
        over_merged = con.execute(
            """
            select count(distinct person_id) from scored_identifiers
            where customer_id in (
                select customer_id from scored_identifiers group by customer_id having count(distinct person_id) > 1)
            """
        ).fetchone()[0]
        split = con.execute(
            "select count(*) from (select person_id from scored_identifiers group by person_id having count(distinct customer_id) > 1)"
        ).fetchone()[0]
    return IdentityAccuracy(
        identifiers_scored=scored, identifiers_missing=missing, people=people, customers=customers,
        precision=precision, recall=recall, recall_linkable=recall_linkable,
        over_merged_people=over_merged, split_people=split,
    )
