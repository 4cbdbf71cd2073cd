"""The dbt project as dagster-dbt sees it, and how its manifest is (re)built.

Kept apart from the asset definitions: ``@dbt_assets`` reads the manifest when its
module is imported, so the manifest must be prepared before that import.
"""

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DagsterDbtProjectPreparer

from dagster_project.settings import DBT_PROJECT_DIR

# dbt is installed beside this interpreter; dagster-dbt's project preparer looks it up on
# PATH, which does not include the virtualenv unless it is activated.
_interpreter_bin = str(Path(sys.executable).parent)
if _interpreter_bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _interpreter_bin + os.pathsep + os.environ.get("PATH", "")

# DBT_TARGET_PATH (dbt's own variable, also read by dagster-dbt): dbt's target folder (manifest,
# partial parse, run artifacts), default dbt/target. Processes that share one project folder
# (parallel test runs) each set their own, absolute.
dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target_path=Path(os.environ.get("DBT_TARGET_PATH", "").strip() or "target"),
)


def prepare_dbt_project() -> None:
    """Write dbt's manifest (``dbt parse``); `dagster dev` does it on every code load."""
    DagsterDbtProjectPreparer().prepare(dbt_project)


def ensure_dbt_manifest() -> None:
    dbt_project.prepare_if_dev()
    if not dbt_project.manifest_path.exists():
        prepare_dbt_project()
