"""One run at a time per warehouse: an inter-process lock file next to the DuckDB file.

DuckDB allows one writer per file. Dagster's run queue (``dagster.yaml``: a limit of one
in-progress run per ``crm/warehouse`` tag) serializes the runs Dagster launches (schedule,
sensor, UI); ``crm-warehouse run`` executes in its own process and does not pass through
that queue, and a run the queue has started can still meet a CLI run. So every run also
holds ``<warehouse>.run.lock`` for its whole duration: taken by ``WarehouseResource`` when a
run initializes its resources (once per run with the in-process executor) and by the CLI
before it starts the run. A second run waits, saying for which run, instead of failing on
DuckDB's file lock. The lock is a kernel ``flock``: a killed run releases it.

The lock is reentrant within a process (one shared ``FileLock`` per path, not per thread),
so the CLI holding it does not block the resource of the run it starts.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

WAREHOUSE_TAG = "crm/warehouse"


def lock_path(warehouse: Path | str) -> Path:
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + ".run.lock")


def _holder_path(warehouse: Path | str) -> Path:
    return lock_path(warehouse).with_suffix(".holder")


def current_holder(warehouse: Path | str) -> str | None:
    """Who said they hold the lock (run id, pid, since): informative only, may be stale."""
    try:
        info = json.loads(_holder_path(warehouse).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return (
        f"{info.get('holder', '?')} (pid {info.get('pid', '?')} on {info.get('host', '?')},"
        f" since {info.get('since', '?')})"
    )


@contextmanager
def hold_warehouse(
    warehouse: Path | str,
    holder: str,
    on_wait: Callable[[str], None] = print,
    timeout_s: float = -1,
) -> Iterator[None]:
    """Hold the warehouse's run lock; if another run holds it, say so once and wait (``-1``: forever)."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path, is_singleton=True, thread_local=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        other = current_holder(warehouse) or "another run"
        on_wait(f"waiting for run {other} to finish (lock {path})")
        started = time.monotonic()
        lock.acquire(timeout=timeout_s)
        on_wait(f"lock {path} acquired after {time.monotonic() - started:.0f} s")
    outermost = lock.lock_counter == 1
    try:
        if outermost:
            _holder_path(warehouse).write_text(
                json.dumps(
                    {
                        "holder": holder,
                        "pid": os.getpid(),
                        "host": socket.gethostname(),
                        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
                    }
                ),
                encoding="utf-8",
            )
        yield
    finally:
        if outermost:
            _holder_path(warehouse).unlink(missing_ok=True)
        lock.release()
