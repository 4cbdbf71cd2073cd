"""The dashboards (dashboards/, Observable Framework) build against the bundled run's published
Parquet marts, and a page rendered in headless Chromium shows KPI values computed from those files.

Skipped only when node/npm or Chromium is missing. The npm packages install from the committed
package-lock.json (``npm ci``) when dashboards/node_modules is absent or older than the lock.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest
import yaml

from dagster_project.settings import DBT_PROJECT_DIR, PROJECT_ROOT

DASHBOARDS = PROJECT_ROOT / "dashboards"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BUILD_TIMEOUT_S = 600


def _chromium() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def _require_tools() -> tuple[str, str]:
    node, npm, chromium = shutil.which("node"), shutil.which("npm"), _chromium()
    if node is None or npm is None:
        pytest.skip("node and npm are needed to build the dashboards (install Node.js 18 or later)")
    if chromium is None:
        pytest.skip(
            f"a headless Chromium is needed to render the dashboards (none of {', '.join(CHROMIUM_NAMES)} on PATH)"
        )
    return npm, chromium


def install_packages(npm: str) -> None:
    """``npm ci`` from the committed lock, unless node_modules is already installed from it."""
    installed = DASHBOARDS / "node_modules" / ".package-lock.json"
    lock = DASHBOARDS / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=DASHBOARDS, check=True, timeout=BUILD_TIMEOUT_S)


def copy_project(target: Path) -> Path:
    """The project's sources in ``target`` (its node_modules linked), so a build leaves dashboards/ alone."""
    ignore = shutil.ignore_patterns("node_modules", "dist", ".observablehq")
    project = target / "dashboards"
    shutil.copytree(DASHBOARDS, project, ignore=ignore)
    (project / "node_modules").symlink_to(DASHBOARDS / "node_modules", target_is_directory=True)
    return project


def build(npm: str, project: Path, parquet_dir: Path) -> float:
    """``npm run build`` against ``parquet_dir``; returns the seconds it took."""
    env = {k: v for k, v in os.environ.items() if k != "CRM_DASHBOARDS_DUCKDB"}
    env["CRM_PUBLISHED_PARQUET_DIR"] = str(parquet_dir)
    started = time.monotonic()
    result = subprocess.run(
        [npm, "run", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S
    )
    assert result.returncode == 0, f"dashboards build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render(chromium: str, project: Path, page: str) -> str:
    """The DOM of ``page`` after its scripts ran, served by the project's own server on 127.0.0.1."""
    port = _free_port()
    server = subprocess.Popen(
        ["node", "scripts/serve.js"],
        cwd=project,
        env={**os.environ, "CRM_DASHBOARDS_PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/{page}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        with tempfile.TemporaryDirectory() as profile:
            result = subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    f"--user-data-dir={profile}",
                    "--virtual-time-budget=15000",
                    "--dump-dom",
                    url,
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)


def expected_funnel_labels(parquet_dir: Path) -> dict[str, str]:
    """Two counting / result KPIs of the funnel page, summed from the Parquet files themselves."""
    marts = parquet_dir / "marts"
    con = duckdb.connect()
    try:
        sessions = con.sql(
            f"select sum(sessions) from read_parquet('{marts / 'mart_web_kpis_monthly.parquet'}')"
        ).fetchall()[0][0]
        leads = con.sql(
            f"select sum(leads_generated) from read_parquet('{marts / 'mart_leads_monthly.parquet'}')"
        ).fetchall()[0][0]
    finally:
        con.close()
    return {"Web sessions": f"{int(sessions):,}", "Leads generated": f"{int(leads):,}"}


def check_funnel_page(parquet_dir: Path, tmp_path: Path) -> float:
    npm, chromium = _require_tools()
    install_packages(npm)
    project = copy_project(tmp_path)
    seconds = build(npm, project, parquet_dir)
    for page in (
        "index.html",
        "journey.html",
        "channels.html",
        "campaign-roi.html",
        "cac-clv.html",
        "nps-sentiment.html",
        "lead-priority.html",
    ):
        assert (project / "dist" / page).exists(), f"{page} was not built"
    expected = [f'data-kpi="{kpi}">{label}<' for kpi, label in expected_funnel_labels(parquet_dir).items()]
    # Chromium's virtual time budget can run out before the charts are drawn on a busy machine:
    # render again (up to three times) before judging.
    for _ in range(3):
        dom = render(chromium, project, "")
        if all(text in dom for text in expected) and "<svg" in dom:
            break
    for text in expected:
        assert text in dom, f"{text} not on the rendered KPI funnel page"
    assert "<svg" in dom, "the funnel page rendered no chart"
    return seconds


def test_dashboards_build_and_show_the_bundled_kpis(bundled_run, tmp_path):
    parquet_dir = bundled_run.workspace.settings.published_parquet
    assert parquet_dir is not None and (parquet_dir / "marts").is_dir()
    seconds = check_funnel_page(parquet_dir, tmp_path)
    print(f"dashboards built in {seconds:.1f} s")


def _page_marts(page: Path) -> set[str]:
    """The marts read by the SQL behind every data file the page loads."""
    queries = set(re.findall(r'FileAttachment\("data/([a-z0-9_]+)\.json"\)', page.read_text()))
    marts: set[str] = set()
    for query in queries:
        sql = DASHBOARDS / "sql" / f"{query}.sql"
        assert sql.exists(), f"{page.name} loads data/{query}.json but dashboards/sql/{query}.sql does not exist"
        marts |= set(re.findall(r"\b((?:mart|fct|dim)_[a-z0-9_]+)\b", sql.read_text()))
    return marts


def test_every_page_has_an_exposure_naming_the_marts_it_reads():
    """dbt/models/marts/_exposures.yml stays in step with the pages and their SQL (no node needed)."""
    exposures = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_exposures.yml").read_text())["exposures"]
    by_page = {("index" if e["url"] == "/" else e["url"].strip("/")): e for e in exposures}
    pages = {p.stem: p for p in (DASHBOARDS / "src").glob("*.md")}
    assert set(by_page) == set(pages)
    used_queries: set[str] = set()
    for name, page in pages.items():
        exposure = by_page[name]
        assert exposure["type"] == "dashboard" and exposure["owner"]
        depends = {re.fullmatch(r"ref\('([a-z0-9_]+)'\)", ref).group(1) for ref in exposure["depends_on"]}
        assert depends == _page_marts(page), (
            f"exposure {exposure['name']} depends_on differs from what {page.name} reads"
        )
        used_queries |= set(re.findall(r'FileAttachment\("data/([a-z0-9_]+)\.json"\)', page.read_text()))
    assert {p.stem for p in (DASHBOARDS / "sql").glob("*.sql")} == used_queries, "a dashboards/sql file no page loads"
