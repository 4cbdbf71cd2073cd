"""The dbt project as dagster-dbt sees it, and when its manifest is (re)built.

Kept apart from the asset definitions: ``@dbt_assets`` reads the manifest when its
module is imported, so the manifest must be prepared before that import.

The manifest is prepared once (``make setup``, ``crm-warehouse prepare-dbt``) and again only
when the project changes: a fingerprint of everything ``dbt parse`` reads (dbt_project.yml,
profiles.yml, every file under models/, macros/, seeds/, tests/, snapshots/, and the dbt
versions) is stored beside the manifest. A process whose fingerprint matches never parses
(loading the code location, a CLI run, a test worker). A process that must parse does it
under an inter-process lock in the target folder; one that waited for the lock checks the
fingerprint again, so N processes starting together parse once.
"""

import hashlib
import os
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DagsterDbtProjectPreparer
from filelock import FileLock

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

FINGERPRINT_FILE = "manifest.fingerprint"
LOCK_FILE = "manifest.prepare.lock"
# Folders whose files dbt parses (SQL, YAML, CSV seeds, generic tests), and the top-level files.
PARSED_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")
PARSED_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml", "selectors.yml")
VERSIONED_PACKAGES = ("dbt-core", "dbt-duckdb", "dagster-dbt")
# A parse takes 10-30 s; on busy shared cores several minutes are possible.
PREPARE_LOCK_TIMEOUT_S = 900.0


def project_fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """sha256 of every file ``dbt parse`` reads (path and content) and of the dbt versions."""
    digest = hashlib.sha256()
    for package in VERSIONED_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{package}=={version}\n".encode())
    paths = [project_dir / name for name in PARSED_FILES if (project_dir / name).is_file()]
    for folder in PARSED_FOLDERS:
        if (project_dir / folder).is_dir():
            paths.extend(
                p
                for p in (project_dir / folder).rglob("*")
                if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.parts)
            )
    for path in sorted(paths, key=lambda p: p.relative_to(project_dir).as_posix()):
        content = path.read_bytes()
        digest.update(f"{path.relative_to(project_dir).as_posix()}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()


def _target_dir(project: DbtProject) -> Path:
    return Path(project.manifest_path).parent


def stored_fingerprint(project: DbtProject = dbt_project) -> str | None:
    """The fingerprint the current manifest was parsed from (None: no manifest, or unknown)."""
    path = _target_dir(project) / FINGERPRINT_FILE
    if not Path(project.manifest_path).is_file() or not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def manifest_is_current(project: DbtProject = dbt_project, fingerprint: str | None = None) -> bool:
    return stored_fingerprint(project) == (fingerprint or project_fingerprint(Path(project.project_dir)))


def _dbt_parse(project: DbtProject) -> None:
    DagsterDbtProjectPreparer().prepare(project)


def prepare_dbt_project(
    project: DbtProject = dbt_project,
    *,
    force: bool = False,
    preparer: Callable[[DbtProject], None] | None = None,
    timeout_s: float = PREPARE_LOCK_TIMEOUT_S,
) -> bool:
    """Make dbt's manifest match the project; returns whether this process parsed it.

    Parses only when the stored fingerprint differs (or ``force``), under the folder's lock;
    after waiting for the lock, checks again (another process may just have parsed).
    """
    project_dir = Path(project.project_dir)
    if not force and manifest_is_current(project):
        return False
    target = _target_dir(project)
    target.mkdir(parents=True, exist_ok=True)
    with FileLock(target / LOCK_FILE, timeout=timeout_s):
        fingerprint = project_fingerprint(project_dir)
        if not force and manifest_is_current(project, fingerprint):
            return False
        (target / FINGERPRINT_FILE).unlink(missing_ok=True)  # a failed parse leaves no stale claim
        (preparer or _dbt_parse)(project)
        if not Path(project.manifest_path).is_file():
            raise FileNotFoundError(f"dbt parse wrote no manifest at {project.manifest_path}")
        staging = target / f".{FINGERPRINT_FILE}.{os.getpid()}.tmp"
        staging.write_text(fingerprint + "\n", encoding="utf-8")
        os.replace(staging, target / FINGERPRINT_FILE)
    return True


def ensure_dbt_manifest() -> None:
    """Called when the dbt assets are defined: parses only if the project changed since the last parse."""
    prepare_dbt_project()
