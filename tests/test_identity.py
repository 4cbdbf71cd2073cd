"""Identity resolution: accuracy against the ground truth, stable ids, guards, the graph algorithm."""

import sys
from pathlib import Path

import duckdb

from dagster_project.identity_accuracy import score
from tests.conftest import snapshot

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from identity_resolution import synthetic_edges, time_dbt_components, time_scipy  # noqa: E402


def test_accuracy_targets_on_the_bundled_data(bundled_run, bundled_dir: Path) -> None:
    accuracy = score(bundled_run.workspace.warehouse, bundled_dir / "_ground_truth" / "identifiers.csv.gz")
    # recall_linkable: pairs of identifiers the extracts make linkable at all (each co-occurs with
    # another identifier of its person somewhere); plain recall also counts impossible pairs, such
    # as two devices of a visitor who never logged in.
    assert accuracy.precision >= 0.99, accuracy
    assert accuracy.recall_linkable >= 0.98, accuracy
    assert accuracy.over_merged_people <= 0.005 * accuracy.people, accuracy
    assert accuracy.identifiers_missing <= 0.01 * accuracy.identifiers_scored, accuracy


def test_shared_identifiers_link_nobody(bundled_run) -> None:
    reasons = dict(snapshot(
        bundled_run.workspace,
        "select shared_reason, count(*) from marts.bridge_customer_identifier where is_shared group by 1",
    ))
    assert reasons.get("role_mailbox", 0) > 0 and reasons.get("shared_device", 0) > 0, reasons
    merged_shared = snapshot(
        bundled_run.workspace,
        """select count(*) from marts.bridge_customer_identifier as shared
           join marts.bridge_customer_identifier as other
             on other.customer_id = shared.customer_id and other.identifier_value <> shared.identifier_value
           where shared.is_shared""",
    )[0][0]
    assert merged_shared == 0, "a shared identifier must be a customer of its own"


def test_every_identifier_in_exactly_one_customer_and_ids_are_stable(bundled_run) -> None:
    second = snapshot(
        bundled_run.workspace,
        "select identifier_type, identifier_value, customer_id from marts.bridge_customer_identifier",
    )
    assert len(second) == len({(t, v) for t, v, _ in second})
    assert sorted(second) == sorted(bundled_run.first_bridge), "re-running on the same data must give the same ids"


def test_new_data_keeps_existing_customer_ids(monthly_loads) -> None:
    """Load the first month, then the second: customers of month one keep their ids."""
    before, after = monthly_loads.first_bridge, monthly_loads.second_bridge
    assert set(before) <= set(after)
    changed = {key for key, customer in before.items() if after[key] != customer}
    assert len(changed) <= 0.05 * len(before), f"{len(changed)} of {len(before)} identifiers changed customer"
    old_ids, current_ids = set(before.values()), set(after.values())
    for key in changed:
        # the only allowed change is a merge: into a customer that existed before, retiring the old id
        assert after[key] in old_ids, (key, before[key], after[key])
        assert before[key] not in current_ids, (key, before[key], "old id still in use after a merge")
    new_ids = current_ids - old_ids
    new_identifier_ids = {after[key] for key in set(after) - set(before)}
    assert new_ids <= new_identifier_ids, "a new customer id must come with new identifiers"


def test_connected_components_match_scipy_on_an_adversarial_graph(tmp_path: Path) -> None:
    src, dst, nodes = synthetic_edges(people=20_000, chain_hops=3_000, seed=3)
    _, expected = time_scipy(src, dst, nodes)
    _, components = time_dbt_components(src, dst, tmp_path)
    assert components == expected == 20_001
    with duckdb.connect(str(tmp_path / "graph.duckdb"), read_only=True) as con:
        chain_components = con.execute(
            "select count(distinct component_id) from intermediate.int_identity__components where node_id > ?",
            [nodes - 3_001],
        ).fetchone()[0]
        minimum_is_label = con.execute(
            """select bool_and(component_id = smallest) from (
                 select component_id, min(node_id) over (partition by component_id) as smallest
                 from intermediate.int_identity__components)"""
        ).fetchone()[0]
    assert chain_components == 1 and minimum_is_label
