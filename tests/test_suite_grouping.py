"""The test suite's own contract: `make test` (`-n 2 --dist loadgroup`) makes each shared pipeline run once.

tests/conftest.py puts every test using a run fixture (RUN_FIXTURE_GROUPS) into that fixture's
xdist group, so one worker runs all of them and the fixture is built once. pytest 9.2 silently
broke this (pytest-xdist issue #1386): every worker built every run fixture. This runs a tiny
suite with the same hook under xdist and counts the workers that built the grouped fixture.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CONFTEST = """
import os
from pathlib import Path

import pytest

from tests.conftest import pytest_collection_modifyitems  # noqa: F401  (the hook under test)

@pytest.fixture(scope="session")
def bundled_run():
    Path(os.environ["BUILT_DIR"], os.environ.get("PYTEST_XDIST_WORKER", "main")).touch()
"""

SHARED = [f"def test_shared_{i}(bundled_run):\n    pass\n" for i in range(6)]
TESTS = "\n".join(SHARED + [f"def test_alone_{i}():\n    pass\n" for i in range(6)])


def test_a_grouped_run_fixture_is_built_on_one_worker(tmp_path: Path) -> None:
    project, built = tmp_path / "project", tmp_path / "built"
    project.mkdir()
    built.mkdir()
    (project / "conftest.py").write_text(CONFTEST)
    (project / "test_a.py").write_text(TESTS)
    (project / "test_b.py").write_text(TESTS)
    env = {**os.environ, "PYTHONPATH": str(REPO), "BUILT_DIR": str(built)}
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", "-q"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "24 passed" in result.stdout
    assert len(list(built.iterdir())) == 1, (
        f"the grouped fixture was built by {sorted(p.name for p in built.iterdir())}"
    )
