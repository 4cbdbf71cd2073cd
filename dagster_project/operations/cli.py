"""``crm-warehouse``: run the pipeline through Dagster, open the UI, build dbt docs."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from dagster_project.settings import (
    BUNDLED_EXTRACTS_DIR,
    DATA_DIR,
    DBT_PROJECT_DIR,
    PROJECT_ROOT,
    SECRETS_DIR,
    Settings,
)


def _dagster_home() -> Path:
    """DAGSTER_HOME (default data/dagster_home), with a dagster.yaml queueing runs per warehouse if it had none."""
    from dagster_project.operations.instance_config import ensure_dagster_yaml

    home = Path(os.environ.setdefault("DAGSTER_HOME", str(DATA_DIR / "dagster_home"))).resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)
    ensure_dagster_yaml(home)
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


CLI_TAG = "crm/launched_by"
# the console logger writes the run's log file (stdout/stderr are redirected there): everything
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "DEBUG"}}}}


SECRET_FILES = {"CRM_PSEUDONYM_KEY": "pseudonym.key", "CRM_ERASURE_KEY": "erasure.key"}


def init_secrets(directory: Path = SECRETS_DIR, out=None) -> int:
    """``crm-warehouse init-secrets``: random keys in ``<directory>/pseudonym.key`` and ``erasure.key``
    (mode 0600) unless they exist; prints where and the variables naming them. Never overwrites:
    a new erasure key would stop matching the erasure register, a new pseudonym key changes every
    published pseudonym."""
    from dagster_project.privacy.keyed_hash import write_key_file

    out = out or sys.stdout
    directory = directory.expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    for env, name in SECRET_FILES.items():
        path = directory / name
        created = write_key_file(path)
        print(f"{env}_FILE={path}  ({'created, random, mode 0600' if created else 'exists, kept'})", file=out)
    return 0


def prepare_dbt() -> int:
    """Parse the dbt project if it changed since the manifest was written (``make setup`` runs it)."""
    from dagster_project.dbt_project import dbt_project, prepare_dbt_project

    parsed = prepare_dbt_project()
    print(f"dbt manifest {'parsed' if parsed else 'up to date'}: {dbt_project.manifest_path}")
    return 0


def _fail_abandoned_cli_runs(instance, warehouse: Path) -> list[str]:
    """Mark as failed the CLI runs of this warehouse still 'started' while we hold its lock.

    A live run holds the lock, so such a run was killed; left 'started' it would count as
    in progress in the run queue and hold every queued run back.
    """
    from dagster import DagsterRunStatus, RunsFilter

    from dagster_project.operations.run_lock import WAREHOUSE_TAG

    runs = instance.get_runs(
        RunsFilter(
            statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.NOT_STARTED],
            tags={WAREHOUSE_TAG: str(warehouse), CLI_TAG: "crm-warehouse run"},
        )
    )
    for stale in runs:
        instance.report_run_failed(stale, "crm-warehouse run ended without finishing (process killed)")
    return [stale.run_id for stale in runs]


def execute_job(defs, job_name: str, settings: Settings, out=None, run_config: dict | None = None):
    """Execute a job in this process, holding the warehouse's run lock (waiting for another run).

    One progress line per step on ``out``; Dagster's log and dbt's output go to
    ``<warehouse folder>/logs/run-<run id>.log``. Returns (result, progress, log file).
    """
    from contextlib import redirect_stderr, redirect_stdout

    from dagster import DagsterInstance
    from dagster._core.utils import make_new_run_id

    from dagster_project.operations.run_lock import hold_warehouse
    from dagster_project.operations.run_progress import RunProgress, count_steps, step_labels

    out = out or sys.stdout
    job = defs.resolve_job_def(job_name)
    run_id = make_new_run_id()
    log_file = settings.warehouse_path.parent / "logs" / f"run-{run_id}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    run_config = {**RUN_CONFIG, **(run_config or {})}
    progress = RunProgress(count_steps(job, run_config), step_labels(job, defs.resolve_asset_graph()), out)
    print(
        f"Run {run_id} ({job_name}, {progress.total_steps} steps); Dagster's and dbt's log: {log_file}",
        file=out,
        flush=True,
    )

    def say(message: str) -> None:
        print(message, file=out, flush=True)

    with (
        hold_warehouse(settings.warehouse_path, holder=f"{run_id} (crm-warehouse run)", on_wait=say),
        DagsterInstance.get() as instance,
    ):
        abandoned = _fail_abandoned_cli_runs(instance, settings.warehouse_path)
        if abandoned:
            say(f"marked {len(abandoned)} abandoned run(s) as failed: {', '.join(abandoned)}")
        instance.add_event_listener(run_id, progress)
        with open(log_file, "w", encoding="utf-8") as log, redirect_stdout(log), redirect_stderr(log):
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                run_id=run_id,
                tags={CLI_TAG: "crm-warehouse run", "crm/pid": str(os.getpid())},
                run_config=run_config,
            )
    return result, progress, log_file


def run(job_name: str) -> int:
    """``crm-warehouse run``: the job in this process, one line per step, a summary of what failed."""
    settings = Settings.from_env()
    if _landing_is_empty(settings.landing_dir):
        copied = seed_landing(settings.landing_dir)
        print(f"Landing folder {settings.landing_dir} was empty: copied {len(copied)} bundled extract files into it.")
    home = _dagster_home()

    from dagster_project.dbt_project import prepare_dbt_project

    if prepare_dbt_project():  # parses only when the dbt project changed since the last parse
        print("dbt project changed since the last parse: manifest updated")
    from dagster_project.definitions import build_definitions

    result, progress, log_file = execute_job(build_definitions(settings), job_name, settings)
    ok = result.success and not progress.error_checks
    print()
    print(f"Warehouse (DuckDB): {settings.warehouse_path}  (working file: written by the pipeline only)")
    print(
        f"Published for BI:   {settings.published_file}  (read-only copy of schema marts, replaced after each good run)"
    )
    print(f"Landing folder:     {settings.landing_dir}")
    print(f"Dagster UI:         make ui   (then open http://127.0.0.1:3000; runs are kept in {home})")
    print(
        f"Query:              .venv/bin/python -c \"import duckdb; print(duckdb.connect('{settings.published_file}',"
        " read_only=True).sql('select * from marts.mart_commerce_kpis_monthly'))\""
    )
    print()
    for line in progress.summary_lines(result.run_id, result.success, str(log_file)):  # last: what failed
        print(line)
    return 0 if ok else 1


def ui(host: str, port: int) -> int:
    _dagster_home()
    # parsed here (if the project changed), not in the code server, which Dagster gives 180 s to load
    prepare_dbt()
    dagster = Path(sys.executable).with_name("dagster")
    workspace = write_workspace(Path(os.environ["DAGSTER_HOME"]))
    os.chdir(PROJECT_ROOT)
    os.execv(str(dagster), [str(dagster), "dev", "-w", str(workspace), "-h", host, "-p", str(port)])


CODE_LOCATION = "crm_kpi_warehouse"


def write_workspace(home: Path) -> Path:
    """``<DAGSTER_HOME>/workspace.yaml``: the code location, named ``crm_kpi_warehouse`` in the UI
    (``dagster dev -m`` would name it after the module, ``dagster_project.definitions``)."""
    path = home / "workspace.yaml"
    path.write_text(
        "# written by crm-warehouse ui on every start\n"
        "load_from:\n"
        "  - python_module:\n"
        "      module_name: dagster_project.definitions\n"
        f"      location_name: {CODE_LOCATION}\n"
        f"      working_directory: {PROJECT_ROOT}\n",
        encoding="utf-8",
    )
    return path


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


def retention(dry_run: bool, today: str | None) -> int:
    """``crm-warehouse retention``: delete (or, dry run, list) what is past its retention period, under the run lock."""
    from datetime import date

    import duckdb

    from dagster_project.operations.run_lock import hold_warehouse
    from dagster_project.privacy import retention as retention_rules

    settings = Settings.from_env()
    if not settings.warehouse_path.exists():
        print(f"no warehouse at {settings.warehouse_path}: nothing to delete")
        return 0
    as_of = date.fromisoformat(today) if today else None
    with (
        hold_warehouse(settings.warehouse_path, holder="crm-warehouse retention"),
        duckdb.connect(str(settings.warehouse_path), read_only=dry_run) as con,
    ):
        if dry_run:
            result = retention_rules.plan(con, as_of, settings.landing_dir)
        else:
            result = retention_rules.apply(con, as_of, settings.landing_dir, run_id="crm-warehouse retention")
    print("\n".join(result.lines()))
    if result.applied and result.rows:
        print("the next run (crm-warehouse run) rebuilds the marts from the pruned raw tables")
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
    commands.add_parser("prepare-dbt", help="parse the dbt project if it changed since the last parse")
    secrets_parser = commands.add_parser(
        "init-secrets", help="create the pseudonym and erasure keys (data/secrets/*.key, mode 0600) if absent"
    )
    secrets_parser.add_argument("--dir", type=Path, default=SECRETS_DIR)
    accuracy_parser = commands.add_parser(
        "identity-accuracy", help="score identity resolution against the generator's ground truth"
    )
    accuracy_parser.add_argument(
        "--truth", type=Path, default=BUNDLED_EXTRACTS_DIR / "_ground_truth" / "identifiers.csv.gz"
    )
    from dagster_project.operations import quarantine_commands

    quarantine_commands.add_parser(commands)
    from dagster_project.operations import erasure_commands

    erasure_commands.add_parser(commands)
    retention_parser = commands.add_parser(
        "retention", help="delete rows past their retention period (dagster_project/config/retention.yml)"
    )
    retention_parser.add_argument("--dry-run", action="store_true", help="list what would be deleted; change nothing")
    retention_parser.add_argument("--today", help="judge as of this day (YYYY-MM-DD; default: today)")
    docs_parser = commands.add_parser("dbt-docs", help="generate (and serve) the dbt docs")
    docs_parser.add_argument("--no-serve", action="store_true")
    docs_parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if args.command == "run":
        return run(args.job)
    if args.command == "ui":
        return ui(args.host, args.port)
    if args.command == "prepare-dbt":
        return prepare_dbt()
    if args.command == "init-secrets":
        return init_secrets(args.dir)
    if args.command == "identity-accuracy":
        from dagster_project.analytics.identity_accuracy import score

        result = score(Settings.from_env().warehouse_path, args.truth)
        for name, value in result.as_dict().items():
            print(f"{name:22} {value:.4f}" if isinstance(value, float) else f"{name:22} {value:,}")
        return 0
    if args.command == "quarantine":
        return quarantine_commands.run(args, Settings.from_env().warehouse_path)
    if args.command == "erase":
        return erasure_commands.run(args)
    if args.command == "retention":
        return retention(args.dry_run, args.today)
    if args.command == "seed-landing":
        settings = Settings.from_env()
        print(f"copied {len(seed_landing(settings.landing_dir))} files into {settings.landing_dir}")
        return 0
    return dbt_docs(serve=not args.no_serve, port=args.port)


if __name__ == "__main__":
    sys.exit(main())
