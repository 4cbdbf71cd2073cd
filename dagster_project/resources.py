"""Dagster resources: the DuckDB warehouse and the dbt CLI."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from dagster_project.settings import DBT_PROJECT_DIR, WAREHOUSE_PATH_ENV, Settings


class WarehouseResource(DuckDBResource):
    """The working DuckDB file. The Dagster run is its only writer.

    Same as ``dagster_duckdb.DuckDBResource`` except that the connection is closed
    even when the block raises, so that the file lock is released before the next
    step (for example the dbt subprocess) opens the file.

    A run holds the warehouse's run lock (``dagster_project/operations/run_lock.py``) from the moment it
    initializes this resource (once per run, in-process executor) to its end: a second run on
    the same file waits there instead of failing on DuckDB's lock.
    """

    @contextmanager
    def yield_for_execution(self, context: InitResourceContext) -> Iterator[WarehouseResource]:
        from dagster_project.operations.run_lock import hold_warehouse

        if self.database in ("", ":memory:"):  # nothing another process could write
            with super().yield_for_execution(context) as resource:
                yield resource
            return
        say = context.log.warning if context.log is not None else print
        with (
            hold_warehouse(self.database, holder=f"run {context.run_id or '(no run)'}", on_wait=say),
            super().yield_for_execution(context) as resource,
        ):
            yield resource

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with super().get_connection() as connection:
            try:
                yield connection
            finally:
                connection.close()


def warehouse_resource(settings: Settings) -> WarehouseResource:
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    return WarehouseResource(database=str(settings.warehouse_path))


def dbt_resource(settings: Settings) -> DbtCliResource:
    # dbt reads the warehouse path from this variable (dbt/profiles.yml).
    os.environ[WAREHOUSE_PATH_ENV] = str(settings.warehouse_path)
    return DbtCliResource(
        project_dir=str(DBT_PROJECT_DIR),
        profiles_dir=str(DBT_PROJECT_DIR),
        dbt_executable=str(Path(sys.executable).with_name("dbt")),
    )


class LandingFolder(ConfigurableResource):
    """The folder where channel extracts land, one sub-folder per raw table.

    ``extract.json`` in the folder (written by the seed generator, or by the team's
    export job) gives the period the extracts cover; timestamps outside it fail the
    raw quality gate. ``CRM_EXTRACT_START`` / ``CRM_EXTRACT_END`` override it.
    Without either, the window is 2000-01-01 .. tomorrow (nothing from the future).
    """

    path: str

    @property
    def root(self) -> Path:
        return Path(self.path)

    def extract_window(self) -> tuple[date, date]:
        """(first day, last day) inclusive, of the period the extracts cover."""
        declared: dict[str, str] = {}
        manifest = self.root / "extract.json"
        if manifest.is_file():
            declared = json.loads(manifest.read_text(encoding="utf-8"))
        start = os.environ.get("CRM_EXTRACT_START") or declared.get("start") or "2000-01-01"
        end = os.environ.get("CRM_EXTRACT_END") or declared.get("end") or (date.today() + timedelta(days=1)).isoformat()
        return date.fromisoformat(start), date.fromisoformat(end)


def landing_resource(settings: Settings) -> LandingFolder:
    return LandingFolder(path=str(settings.landing_dir))
