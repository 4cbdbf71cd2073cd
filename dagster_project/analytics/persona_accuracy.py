"""Score the persona rules against the generator's ground truth.

The generator draws each person as ``b2b`` or ``b2c`` (``_ground_truth/people.csv.gz``); the
warehouse gives each customer a persona from the seed ``persona_rules`` and its
``persona_group`` (``marts.dim_customer_persona``). A customer is matched to the person
behind most of its identifiers (``marts.bridge_customer_identifier`` joined to
``_ground_truth/identifiers.csv.gz``, shared identifiers left out, as in
``identity_accuracy``); agreement = share of matched customers whose persona_group is the
person's persona, overall, for customers with an order and for identified customers, with
the confusion counts and Cohen's kappa (agreement beyond what the two marginals give by chance).

    python -m dagster_project.analytics.persona_accuracy <warehouse.duckdb> [<ground_truth dir>]
"""

import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from dagster_project.analytics.identity_accuracy import _NORMALIZED_TRUTH
from dagster_project.settings import BUNDLED_EXTRACTS_DIR


@dataclass(frozen=True)
class Agreement:
    customers: int
    agreement: float
    kappa: float
    confusion: dict[str, int]  # "<predicted persona_group>|<true persona>" -> customers

    @classmethod
    def of(cls, rows: list[tuple[str, str, int]]) -> "Agreement":
        total = sum(n for _, _, n in rows)
        if not total:
            return cls(0, float("nan"), float("nan"), {})
        agree = sum(n for predicted, truth, n in rows if predicted == truth) / total
        labels = {p for p, _, _ in rows} | {t for _, t, _ in rows}
        chance = (
            sum(sum(n for p, _, n in rows if p == label) * sum(n for _, t, n in rows if t == label) for label in labels)
            / total**2
        )
        kappa = (agree - chance) / (1 - chance) if chance < 1 else float("nan")
        return cls(total, agree, kappa, {f"{p}|{t}": n for p, t, n in sorted(rows)})


@dataclass(frozen=True)
class PersonaAccuracy:
    all_customers: Agreement
    customers_with_order: Agreement
    identified_customers: Agreement
    personas: dict[str, int]  # persona -> customers (every customer of dim_customer_persona)

    def as_dict(self) -> dict:
        return asdict(self)


def score(warehouse: Path, truth_dir: Path = BUNDLED_EXTRACTS_DIR / "_ground_truth") -> PersonaAccuracy:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(
            f"create temp table truth_identifiers as select distinct * from ({_NORMALIZED_TRUTH}) "
            "where identifier_value is not null and not is_shared",
            [str(truth_dir / "identifiers.csv.gz")],
        )
        con.execute(
            "create temp table people as select person_id, persona from read_csv(?, header = true, auto_detect = true)",
            [str(truth_dir / "people.csv.gz")],
        )
        con.execute(
            """
            create temp table matched as
            with votes as (
                select bridge.customer_id, truth.person_id, count(*) as identifiers
                from truth_identifiers as truth
                join marts.bridge_customer_identifier as bridge
                    on bridge.identifier_type = truth.identifier_type
                    and bridge.identifier_value = truth.identifier_value
                group by bridge.customer_id, truth.person_id
            ),
            majority as (
                select customer_id, person_id,
                    row_number() over (partition by customer_id order by identifiers desc, person_id) as vote_rank
                from votes
            )
            select
                personas.customer_id,
                personas.persona_group as predicted,
                people.persona as truth,
                personas.first_order_month is not null as has_order,
                customers.is_identified
            from marts.dim_customer_persona as personas
            join majority on majority.customer_id = personas.customer_id and majority.vote_rank = 1
            join people on people.person_id = majority.person_id
            join marts.dim_customer as customers on customers.customer_id = personas.customer_id
            """
        )

        def agreement(where: str) -> Agreement:
            rows = con.execute(
                f"select predicted, truth, count(*) from matched where {where} group by predicted, truth"
            ).fetchall()
            return Agreement.of(rows)

        personas = dict(
            con.execute(
                "select persona, count(*) from marts.dim_customer_persona group by persona order by persona"
            ).fetchall()
        )
        return PersonaAccuracy(
            all_customers=agreement("true"),
            customers_with_order=agreement("has_order"),
            identified_customers=agreement("is_identified"),
            personas=personas,
        )


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    truth = Path(argv[1]) if len(argv) > 1 else BUNDLED_EXTRACTS_DIR / "_ground_truth"
    print(json.dumps(score(Path(argv[0]), truth).as_dict(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
