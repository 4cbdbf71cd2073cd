"""The Dagster instance's ``dagster.yaml``: runs on one warehouse queue, one at a time.

``crm-warehouse`` writes it into ``DAGSTER_HOME`` when the folder has none (an existing file
is the operator's and is never touched). Syntax of Dagster 1.13: the run queue is
``run_coordinator: QueuedRunCoordinator`` (``dagster dev`` runs the daemon that dequeues),
its limits live under ``concurrency: runs:`` (the older ``run_coordinator.config.
tag_concurrency_limits`` is refused together with that block). ``applyLimitPerUniqueValue``
makes the limit one in-progress run *per warehouse file* (tag ``crm/warehouse``, set on
every job by ``automation.build_jobs``).
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster_project.operations.run_lock import WAREHOUSE_TAG

DAGSTER_YAML = f"""\
# Written by crm-warehouse (dagster_project/operations/instance_config.py) because this folder had no
# dagster.yaml. Yours to edit: it is never overwritten.
#
# DuckDB allows one writer per file: runs tagged with the same warehouse wait in the queue
# (status QUEUED in the UI) until the run in progress has finished.
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    tag_concurrency_limits:
      - key: "{WAREHOUSE_TAG}"
        value:
          applyLimitPerUniqueValue: true
        limit: 1
"""


def ensure_dagster_yaml(home: Path) -> bool:
    """Write ``home/dagster.yaml`` unless it exists; returns whether it was written."""
    path = home / "dagster.yaml"
    if path.exists():
        return False
    home.mkdir(parents=True, exist_ok=True)
    staging = home / f".dagster.yaml.{os.getpid()}.tmp"
    staging.write_text(DAGSTER_YAML, encoding="utf-8")
    try:
        os.link(staging, path)  # never replaces a file another process wrote meanwhile
    except FileExistsError:
        return False
    finally:
        staging.unlink(missing_ok=True)
    return True
