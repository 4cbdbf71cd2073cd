"""``crm-warehouse``: run the pipeline through Dagster, open the UI, build dbt docs."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from dagster_project.settings import BUNDLED_EXTRACTS_DIR, DATA_DIR, DBT_PROJECT_DIR, PROJECT_ROOT, Settings


def _dagster_home() -> Path:
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DATA_DIR / "dagster_home"))).resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def seed_landing(landing_dir: Path, source: Path = BUNDLED_EXTRACTS_DIR) -> list[Path]:
    """Copy the bundled extracts into the landing folder, never overwriting a file."""
    copied = []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.relative_to(source).parts[0].startswith("_"):
            continue  # _ground_truth/ is for scoring, never a source
        target = landing_dir / path.relative_to(source)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied.append(target)
    return copied


def _landing_is_empty(landing_dir: Path) -> bool:
    return not landing_dir.is_dir() or not any(p.is_file() for p in landing_dir.rglob("*"))


def run(job_name: str) -> int:
    settings = Settings.from_env()
    if _landing_is_empty(settings.landing_dir):
        copied = seed_landing(settings.landing_dir)
        print(f"Landing folder {settings.landing_dir} was empty: copied {len(copied)} bundled extract files into it.")
    home = _dagster_home()

    from dagster import DagsterInstance

    from dagster_project.dbt_project import prepare_dbt_project

    prepare_dbt_project()  # the manifest follows the models as they are now
    from dagster_project.definitions import build_definitions

    defs = build_definitions(settings)
    with DagsterInstance.get() as instance:
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        )
    failed = [e.step_key for e in result.all_events if e.is_step_failure]
    failed_checks = [
        e.event_specific_data.asset_check_key.to_user_string()
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.event_specific_data.passed
    ]
    print()
    print(f"Run {result.run_id}: {'SUCCESS' if result.success and not failed_checks else 'FAILED'}")
    for step in failed:
        print(f"  failed step: {step}")
    for check in failed_checks:
        print(f"  failed check: {check}")
    print(f"Warehouse (DuckDB): {settings.warehouse_path}  (working file: written by the pipeline only)")
    print(f"Published for BI:   {settings.published_file}  (read-only copy of schema marts, replaced after each good run)")
    print(f"Landing folder:     {settings.landing_dir}")
    print(f"Dagster UI:         make ui   (then open http://127.0.0.1:3000; runs are kept in {home})")
    print(f"Query:              .venv/bin/python -c \"import duckdb; print(duckdb.connect('{settings.published_file}', read_only=True).sql('select * from marts.mart_commerce_kpis_monthly'))\"")
    return 0 if result.success and not failed_checks else 1


def ui(host: str, port: int) -> int:
    _dagster_home()
    dagster = Path(sys.executable).with_name("dagster")
    os.chdir(PROJECT_ROOT)
    os.execv(str(dagster), [str(dagster), "dev", "-m", "dagster_project.definitions", "-h", host, "-p", str(port)])


def dbt_docs(serve: bool, port: int) -> int:
    import subprocess

    settings = Settings.from_env()
    env = {**os.environ, "CRM_WAREHOUSE_PATH": str(settings.warehouse_path)}
    dbt = str(Path(sys.executable).with_name("dbt"))
    common = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    subprocess.run([dbt, "docs", "generate", *common], check=True, env=env)
    if serve:
        subprocess.run([dbt, "docs", "serve", "--host", "127.0.0.1", "--port", str(port), *common], check=True, env=env)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-warehouse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="materialize the whole asset graph through Dagster")
    run_parser.add_argument("--job", default="full_pipeline")
    ui_parser = commands.add_parser("ui", help="start the Dagster UI (dagster dev)")
    ui_parser.add_argument("--host", default="127.0.0.1")
    ui_parser.add_argument("--port", type=int, default=3000)
    commands.add_parser("seed-landing", help="copy the bundled extracts into the landing folder")
    accuracy_parser = commands.add_parser(
        "identity-accuracy", help="score identity resolution against the generator's ground truth"
    )
    accuracy_parser.add_argument(
        "--truth", type=Path, default=BUNDLED_EXTRACTS_DIR / "_ground_truth" / "identifiers.csv.gz"
    )
    from dagster_project import quarantine_commands

    quarantine_commands.add_parser(commands)
    docs_parser = commands.add_parser("dbt-docs", help="generate (and serve) the dbt docs")
    docs_parser.add_argument("--no-serve", action="store_true")
    docs_parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.job)
    if args.command == "ui":
        return ui(args.host, args.port)
    if args.command == "identity-accuracy":
        from dagster_project.identity_accuracy import score

        result = score(Settings.from_env().warehouse_path, args.truth)
        for name, value in result.as_dict().items():
            print(f"{name:22} {value:.4f}" if isinstance(value, float) else f"{name:22} {value:,}")
        return 0
    if args.command == "quarantine":
        return quarantine_commands.run(args, Settings.from_env().warehouse_path)
    if args.command == "seed-landing":
        settings = Settings.from_env()
        print(f"copied {len(seed_landing(settings.landing_dir))} files into {settings.landing_dir}")
        return 0
    return dbt_docs(serve=not args.no_serve, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
