"""Benchmark identity resolution: our dbt connected-components vs scipy's in-memory floor.

1. Synthetic graphs (same integer edge list for both): about 1M people with 3-7
   identifiers each linked as a random tree, alone and plus one 10,000-hop chain
   (adversarial for label propagation). The dbt model `int_identity__components`
   (materialization `connected_components`) runs on it through `dbt run`.
2. The whole identity stage (observations -> nodes -> edges -> components -> resolved)
   on a generated data set (10x the bundled one by default), through the Dagster job.

    .venv/bin/python benchmarks/identity_resolution.py [--people 1000000] [--extracts data/bench/extracts_10x]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from dagster_project.settings import DATA_DIR, DBT_PROJECT_DIR


def synthetic_edges(people: int, chain_hops: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, int]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(3, 8, people)
    nodes = int(sizes.sum())
    ids = rng.permutation(nodes).astype(np.int64) + 1
    starts = np.repeat(np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    offsets = np.arange(nodes) - starts
    members = np.nonzero(offsets > 0)[0]
    parents = starts[members] + (rng.random(len(members)) * offsets[members]).astype(np.int64)
    src, dst = ids[members], ids[parents]
    if chain_hops:
        chain = np.arange(nodes + 1, nodes + chain_hops + 2, dtype=np.int64)
        rng.shuffle(chain)
        src = np.concatenate([src, chain[:-1]])
        dst = np.concatenate([dst, chain[1:]])
        nodes += chain_hops + 1
    return src, dst, nodes


def time_scipy(src: np.ndarray, dst: np.ndarray, nodes: int) -> tuple[float, int]:
    started = time.perf_counter()
    graph = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(nodes + 1, nodes + 1)).tocsr()
    count, _ = connected_components(graph, directed=False)
    return time.perf_counter() - started, count - 1  # node 0 is unused


def dbt_command(*args: str, warehouse: Path, target_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CRM_WAREHOUSE_PATH": str(warehouse)}
    dbt = str(Path(sys.executable).with_name("dbt"))
    return subprocess.run(
        [
            dbt,
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target_path),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def time_dbt_components(src: np.ndarray, dst: np.ndarray, workdir: Path) -> tuple[float, int]:
    """(seconds dbt reports for the materialization itself, number of components)."""
    warehouse = workdir / "graph.duckdb"
    warehouse.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema intermediate")
        frame = pd.DataFrame({"src": src.astype(np.int32), "dst": dst.astype(np.int32)})  # noqa: F841 (read by DuckDB below)
        con.execute("create table intermediate.int_identity__edges as select * from frame")
    target = workdir / "dbt_target"
    dbt_command("run", "--select", "int_identity__components", warehouse=warehouse, target_path=target)
    run_results = json.loads((target / "run_results.json").read_text())
    elapsed = run_results["results"][0]["execution_time"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        components = con.execute(
            "select count(distinct component_id) from intermediate.int_identity__components"
        ).fetchone()[0]
    return elapsed, components


def identity_stage_on_extracts(extracts: Path, workdir: Path) -> None:
    from dagster import DagsterInstance

    from dagster_project.definitions import build_definitions
    from dagster_project.operations.cli import seed_landing
    from dagster_project.settings import Settings

    settings = Settings(warehouse_path=workdir / "warehouse.duckdb", landing_dir=workdir / "landing")
    seed_landing(settings.landing_dir, extracts)
    defs = build_definitions(settings)
    started = time.perf_counter()
    with DagsterInstance.ephemeral() as instance:
        result = defs.resolve_job_def("full_pipeline").execute_in_process(instance=instance, raise_on_error=False)
    total = time.perf_counter() - started
    print(f"\nfull pipeline on {extracts.name} through Dagster: {total:.1f} s, success={result.success}")
    # the identity stage alone, per model, as dbt times it (a second run: the id registry is incremental)
    target = workdir / "dbt_target_identity"
    dbt_command(
        "run", "--select", "path:models/intermediate/identity", warehouse=settings.warehouse_path, target_path=target
    )
    timings = {
        r["unique_id"].split(".")[-1]: r["execution_time"]
        for r in json.loads((target / "run_results.json").read_text())["results"]
    }
    for model, seconds in sorted(timings.items()):
        print(f"  {model:40} {seconds:6.2f} s")
    print(f"  {'identity stage, all models':40} {sum(timings.values()):6.2f} s")
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        nodes, edges = con.execute(
            "select (select count(*) from intermediate.int_identity__nodes), (select count(*)"
            " from intermediate.int_identity__edges)"
        ).fetchone()
    print(f"  identity graph: {nodes:,} identifiers, {edges:,} edges")
    truth = extracts / "_ground_truth" / "identifiers.csv.gz"
    if truth.is_file():
        from dagster_project.analytics.identity_accuracy import score

        accuracy = score(settings.warehouse_path, truth)
        print(
            "  accuracy against the ground truth: "
            + ", ".join(
                f"{name} {value:.4f}" if isinstance(value, float) else f"{name} {value:,}"
                for name, value in accuracy.as_dict().items()
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--chain-hops", type=int, default=10_000)
    parser.add_argument(
        "--extracts",
        type=Path,
        default=DATA_DIR / "bench" / "extracts_10x",
        help="generated extracts for the whole-stage timing (skipped when missing)",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench_identity_", dir=DATA_DIR))
    try:
        print(
            "dbt s = execution time of the connected_components materialization as dbt reports it"
            " (run_results.json), without dbt's own start-up\n"
        )
        print(f"{'graph':40} {'nodes':>11} {'edges':>11} {'scipy s':>8} {'dbt s':>7} {'ratio':>6}")
        for label, hops in (
            (f"{args.people:,} people", 0),
            (f"{args.people:,} people + {args.chain_hops:,}-hop chain", args.chain_hops),
        ):
            src, dst, nodes = synthetic_edges(args.people, hops)
            scipy_s, scipy_components = time_scipy(src, dst, nodes)
            dbt_s, dbt_components = time_dbt_components(src, dst, workdir)
            assert dbt_components == scipy_components, (dbt_components, scipy_components)
            print(f"{label:40} {nodes:>11,} {len(src):>11,} {scipy_s:>8.2f} {dbt_s:>7.2f} {dbt_s / scipy_s:>6.1f}")
        if args.extracts.is_dir():
            identity_stage_on_extracts(args.extracts, workdir)
        else:
            print(f"\n(no extracts at {args.extracts}: run benchmarks/raw_load.py first for the whole-stage timing)")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
