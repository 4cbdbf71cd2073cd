"""Benchmark: the whole pipeline (every gate included) at several scales, then a one-day incremental run.

For each number of people: generates the extracts (``python -m seeds.generator``, reused when
already there under ``data/bench/scale_<people>``), holds back the last day of GA4 and email
events, builds everything with the ``full_refresh`` job, then lands the held-back day and runs
``full_pipeline`` (what the daily schedule runs). Each scale runs in a child process of its own,
so its peak memory is its own. Prints, per scale: wall time per layer (raw load with its gate,
each dbt layer, the Great Expectations gates of the dbt layers, ml, publish, Dagster's own
overhead), raw rows and rows/s, the gates' share of the build, peak RSS of the orchestrating
process and of the largest child (dbt), and the incremental run against the full build.
Not a test: figures, not assertions.

    .venv/bin/python benchmarks/scale.py [--people 50000 200000 1000000]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from incremental_run import split_last_day  # noqa: E402  (a sibling script, not a package)

# Step keys of the asset graph, by layer (checks of the dbt layers are steps of their own; the raw
# gate runs inside each raw__ step, so "raw load" includes it).
LAYERS = (
    ("raw load + raw gate", lambda key: key.startswith("raw__")),
    ("gates of dbt layers", lambda key: "_great_expectations_" in key or key.endswith("_predicts_conversion")),
    ("dbt staging", lambda key: key == "dbt_staging"),
    ("dbt unified customer", lambda key: key == "dbt_unified_customer"),
    ("dbt model marts", lambda key: key == "dbt_model_marts"),
    ("dbt kpi marts", lambda key: key == "dbt_kpi_marts"),
    ("dbt (other layers)", lambda key: key.startswith("dbt_")),
    ("ml", lambda key: key.startswith("ml__") or key == "lead_scoring_rules"),
    ("publish", lambda key: key.startswith("published__")),
)


def layer_of(step_key: str) -> str:
    return next((name for name, matches in LAYERS if matches(step_key)), "other")


def generate(people: int, out: Path) -> float:
    marker = out / "extract.json"
    if marker.is_file() and json.loads(marker.read_text()).get("people") == people:
        return 0.0
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "seeds.generator", "generate", "--people", str(people), "--out", str(out)]
    subprocess.run(cmd, check=True)
    return time.perf_counter() - started


def timed_job(settings, job: str, instance) -> dict:
    from dagster_project.definitions import build_definitions

    started = time.perf_counter()
    result = (
        build_definitions(settings).resolve_job_def(job).execute_in_process(instance=instance, raise_on_error=False)
    )
    wall = time.perf_counter() - started
    layers: dict[str, float] = defaultdict(float)
    for event in result.all_events:
        if event.event_type_value == "STEP_SUCCESS":
            layers[layer_of(event.step_key)] += event.event_specific_data.duration_ms / 1000
    layers["dagster overhead"] = wall - sum(layers.values())
    return {
        "wall_s": wall,
        "success": result.success,
        "layers": dict(layers),
        "slowest_dbt_nodes": slowest_dbt_nodes(result.run_id),
    }


def slowest_dbt_nodes(run_id: str, top: int = 12) -> list[tuple[str, float]]:
    """The profile of a run's dbt invocations: the nodes (models, tests) that took longest, from
    each invocation's run_results.json (dagster-dbt's target folders are named after the run)."""
    from dagster_project.dbt_project import dbt_project

    timings: dict[str, float] = defaultdict(float)
    roots = {Path(dbt_project.project_dir) / dbt_project.target_path, Path.cwd() / "target"}
    for root in roots:
        for results in root.glob(f"*-{run_id[:7]}-*/run_results.json"):
            for node in json.loads(results.read_text()).get("results", []):
                timings[node["unique_id"]] += float(node.get("execution_time") or 0.0)
    return sorted(timings.items(), key=lambda item: -item[1])[:top]


def raw_rows(warehouse: Path) -> int:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select table_name from information_schema.tables where table_schema = 'raw'").fetchall()
        return sum(con.execute(f'select count(*) from raw."{name}"').fetchone()[0] for (name,) in tables)


def one_scale(people: int, extracts: Path) -> dict:
    """Run in a child process: the full build and the incremental run at one scale."""
    from dagster import DagsterInstance

    from dagster_project.dbt_project import prepare_dbt_project
    from dagster_project.settings import Settings

    workdir = Path(tempfile.mkdtemp(prefix=f"bench_scale_{people}_", dir=extracts.parent))
    try:
        landing, held = workdir / "landing", workdir / "held_back"
        shutil.copytree(extracts, landing, ignore=shutil.ignore_patterns("_ground_truth"))
        day, held_rows = split_last_day(landing, held)
        settings = Settings(warehouse_path=workdir / "warehouse.duckdb", landing_dir=landing)
        prepare_dbt_project()
        instance = DagsterInstance.ephemeral()
        full = timed_job(settings, "full_refresh", instance)
        rows = raw_rows(settings.warehouse_path)
        for folder in held.iterdir():
            for path in folder.iterdir():
                shutil.move(str(path), landing / folder.name / path.name)
        incremental = timed_job(settings, "full_pipeline", instance)
        return {
            "people": people,
            "raw_rows": rows,
            "held_back_day": day,
            "held_back_rows": held_rows,
            "full": full,
            "incremental": incremental,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_child_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def report(figures: dict, generation_s: float) -> None:
    full, inc = figures["full"], figures["incremental"]
    layers = full["layers"]
    raw_s = layers.get("raw load + raw gate", 0.0)
    build_s = full["wall_s"] - raw_s
    gates_s = layers.get("gates of dbt layers", 0.0)
    print(f"\n== {figures['people']:,} people ==")
    print(f"generation: {generation_s:.0f} s (0 = reused)" if generation_s else "generation: reused")
    print(f"full build: {full['wall_s']:.1f} s, success={full['success']}")
    for name in [n for n, _ in LAYERS] + ["other", "dagster overhead"]:
        if name in layers:
            print(f"    {name:<24} {layers[name]:8.1f} s")
    print(f"raw rows: {figures['raw_rows']:,}, {figures['raw_rows'] / max(raw_s, 1e-9):,.0f} rows/s (load + raw gate)")
    print(f"build after the raw load: {build_s:.1f} s = {build_s / max(raw_s, 1e-9):.2f} x the raw load")
    print(f"gates of dbt layers: {gates_s:.1f} s = {100 * gates_s / full['wall_s']:.1f} % of the build")
    print(
        f"one-day incremental ({figures['held_back_rows']:,} events of {figures['held_back_day']}):"
        f" {inc['wall_s']:.1f} s, success={inc['success']},"
        f" {100 * inc['wall_s'] / full['wall_s']:.0f} % of the full build"
    )
    for name in [n for n, _ in LAYERS] + ["other", "dagster overhead"]:
        if name in inc["layers"]:
            print(f"    {name:<24} {inc['layers'][name]:8.1f} s  ({layers.get(name, 0.0):.1f} s in the full build)")
    for label, run in (("full build", full), ("incremental run", inc)):
        print(f"slowest dbt nodes, {label}:")
        for unique_id, seconds in run.get("slowest_dbt_nodes", []):
            print(f"    {seconds:8.1f} s  {unique_id}")
    print(
        f"peak RSS: {figures['peak_rss_mib']:,.0f} MiB (Dagster process),"
        f" {figures['peak_child_rss_mib']:,.0f} MiB (largest child: dbt)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, nargs="+", default=[50_000, 200_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process of one scale
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    from dagster_project.settings import DATA_DIR

    if args.one is not None:
        figures = one_scale(args.one, DATA_DIR / "bench" / f"scale_{args.one}")
        args.json.write_text(json.dumps(figures))
        return
    rows = []
    for people in args.people:
        extracts = DATA_DIR / "bench" / f"scale_{people}"
        generation_s = generate(people, extracts)
        out = extracts.parent / f"scale_{people}.json"
        subprocess.run([sys.executable, __file__, "--one", str(people), "--json", str(out)], check=True)
        figures = json.loads(out.read_text())
        report(figures, generation_s)
        rows.append(figures)
    print(f"\n{'people':>10} {'raw rows':>12} {'full s':>8} {'s/1k ppl':>9} {'inc s':>7} {'inc %':>6} {'peak MiB':>9}")
    for f in rows:
        peak = max(f["peak_rss_mib"], f["peak_child_rss_mib"])
        print(
            f"{f['people']:>10,} {f['raw_rows']:>12,} {f['full']['wall_s']:>8.0f}"
            f" {1000 * f['full']['wall_s'] / f['people']:>9.2f} {f['incremental']['wall_s']:>7.0f}"
            f" {100 * f['incremental']['wall_s'] / f['full']['wall_s']:>6.0f} {peak:>9,.0f}"
        )


if __name__ == "__main__":
    main()
