"""``crm-warehouse erase``: erase people (GDPR art. 17) from every layer, or list what would go.

    crm-warehouse erase ann@example.com "+39 333 123 4567" --dry-run
    crm-warehouse erase ann@example.com
    crm-warehouse erase --from-file request.txt      # one identifier per line (keeps them out of shell history)
    crm-warehouse erase --log                         # the erasure log (hashes, times, row counts)

An identifier is ``type:value`` (``email:``, ``phone:``, ``customer_number:``, ``user_pseudo_id:``,
``crm_contact_id:``, ``order_number:``, ``instagram_handle:``...) or a bare value (an email, a phone
number, a ``cus_...`` customer id, or any other id, looked up under every type). The run is the
Dagster job ``erase_person`` (see ``dagster_project/assets/erasure.py``), executed in this process
while holding the warehouse's run lock.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dagster_project.settings import Settings


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "erase", help="erase people from every layer (GDPR art. 17); --dry-run lists what would go"
    )
    parser.add_argument("identifiers", nargs="*", help="email, phone, customer id, or type:value")
    parser.add_argument("--from-file", type=Path, help="a file with one identifier per line")
    parser.add_argument("--dry-run", action="store_true", help="print what would be removed, per table; change nothing")
    parser.add_argument("--log", action="store_true", help="print the erasure log and exit")


def _identifiers(args: argparse.Namespace) -> list[str]:
    values = list(args.identifiers)
    if args.from_file:
        values += [line.strip() for line in args.from_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return values


def _print_log(settings: Settings) -> int:
    import duckdb

    from dagster_project.operations.run_lock import hold_warehouse
    from dagster_project.privacy.erasure import log_entries

    with hold_warehouse(settings.warehouse_path, holder="crm-warehouse erase --log", on_wait=print):
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        try:
            entries = log_entries(con)
        finally:
            con.close()
    for entry in entries:
        print(json.dumps(entry, default=str))
    if not entries:
        print("nobody has been erased")
    return 0


def _dry_run(settings: Settings, identifiers: list[str]) -> int:
    import duckdb

    from dagster_project.operations.run_lock import hold_warehouse
    from dagster_project.privacy import erasure
    from dagster_project.privacy.erasure_register import erasure_key

    key = erasure_key()
    with hold_warehouse(settings.warehouse_path, holder="crm-warehouse erase --dry-run", on_wait=print):
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
        try:
            plan = erasure.plan(con, identifiers, key)
        finally:
            con.close()
    print("dry run: nothing is removed. Would remove, per table:")
    for line in plan.summary():
        print(line)
    print("then rebuild every layer (--full-refresh), publish, scrub logs and compact the warehouse.")
    return 0


def run(args: argparse.Namespace) -> int:
    from dagster_project.operations.cli import _dagster_home, execute_job
    from dagster_project.privacy.erasure import ErasureError
    from dagster_project.privacy.keyed_hash import MissingSecretError

    settings = Settings.from_env()
    if args.log:
        return _print_log(settings)
    identifiers = _identifiers(args)
    if not identifiers:
        print("name at least one identifier (or --from-file)", file=sys.stderr)
        return 2
    if not settings.warehouse_path.is_file():
        print(f"no warehouse at {settings.warehouse_path}: nothing to erase", file=sys.stderr)
        return 2
    try:
        if args.dry_run:
            return _dry_run(settings, identifiers)
        from dagster_project.privacy.erasure_register import erasure_key

        erasure_key()  # fail before starting a run when the key is missing
    except (ErasureError, MissingSecretError) as error:
        print(f"erase: {error}", file=sys.stderr)
        return 2
    home = _dagster_home()
    from dagster_project.assets.erasure import ERASE_JOB, ERASURE_OP
    from dagster_project.dbt_project import prepare_dbt_project
    from dagster_project.definitions import build_definitions
    from dagster_project.operations.automation import DBT_LAYERS
    from dagster_project.privacy.compaction import scrub_sqlite, scrub_text_files

    prepare_dbt_project()
    run_config = {
        "ops": {
            ERASURE_OP: {"config": {"identifiers": identifiers, "dry_run": False}},
            **{layer: {"config": {"full_refresh": True}} for layer in DBT_LAYERS},
        }
    }
    result, progress, log_file = execute_job(build_definitions(settings), ERASE_JOB, settings, run_config=run_config)
    # Dagster stored the run's config (the identifiers) before the sweep ran and may write it again at the run's end
    scrub_sqlite(home, identifiers)
    scrub_text_files([settings.warehouse_path.parent / "logs", home], identifiers)
    if not result.success:
        print(
            "\nThe erase run did not finish: the people are in the erasure register (no load brings them back),"
            " but some layers may still hold them. Fix what failed and run the same `crm-warehouse erase` again.",
            file=sys.stderr,
        )
    print()
    for line in progress.summary_lines(result.run_id, result.success, str(log_file)):
        print(line)
    return 0 if result.success and not progress.error_checks else 1
