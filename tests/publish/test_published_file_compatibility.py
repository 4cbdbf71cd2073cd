"""The published DuckDB file opens in older DuckDB releases and in the DuckDB CLI from PyPI.

BI tools bundle older DuckDB engines, and DuckDB 2.0 writes a storage format they refuse unless
the file is attached with a storage compatibility version (``publishing.PUBLISHED_STORAGE_VERSION``).
These tests publish a small warehouse and read it back, read-only, in a subprocess of a separate
virtualenv with ``duckdb==OLDER_DUCKDB_VERSION`` and the ``duckdb-cli`` package from PyPI
(created once per checkout under ``data/.older_duckdb/``, git-ignored; ~15 s the first time).
They skip only when the package index cannot be reached; any other failure to install fails.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

from dagster_project.publish.publishing import PUBLISHED_STORAGE_VERSION, publish_warehouse
from dagster_project.settings import PROJECT_ROOT

OLDER_DUCKDB_VERSION = "1.1.3"
"""The oldest DuckDB the published file must open in (issue 16: DuckDB 1.1 and later)."""
DUCKDB_CLI_VERSION = "1.5.6"
"""The ``duckdb-cli`` package of PyPI (the CLI a new user installs with pip)."""
OLDER_DUCKDB_HOME = PROJECT_ROOT / "data" / ".older_duckdb"
VENV = OLDER_DUCKDB_HOME / f"duckdb-{OLDER_DUCKDB_VERSION}-cli-{DUCKDB_CLI_VERSION}"
READY = VENV / ".ready"

# Read back in the old engine: every table, its columns' types and all rows, as JSON.
READER = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute(
    "select schema_name, table_name from duckdb_tables() order by 1, 2").fetchall()
out = {"version": duckdb.__version__, "tables": {}}
for schema, table in tables:
    types = con.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ?"
        " order by column_index", [schema, table]).fetchall()
    rows = con.execute(f'select * from "{schema}"."{table}" order by all').fetchall()
    out["tables"][f"{schema}.{table}"] = {"types": dict(types), "rows": [[str(v) for v in r] for r in rows]}
print(json.dumps(out))
"""


@pytest.fixture(autouse=True)
def _dbt_manifest() -> None:
    """These tests need no dbt: skip the session-wide ``dbt parse`` of conftest."""


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args], capture_output=True, text=True, timeout=600
    )


def _index_unreachable() -> str | None:
    """Why the package index cannot be reached (None when it can): asked through pip, so the
    machine's pip configuration (index URL, proxy) applies."""
    probe = _pip(Path(sys.executable), "index", "versions", "duckdb")
    if probe.returncode == 0 and OLDER_DUCKDB_VERSION in probe.stdout:
        return None
    return (probe.stderr or probe.stdout).strip()[-400:] or "no answer"


@pytest.fixture(scope="session")
def older_duckdb() -> Path:
    """The virtualenv with the older DuckDB and the CLI (made once; a lock serializes xdist workers)."""
    OLDER_DUCKDB_HOME.mkdir(parents=True, exist_ok=True)
    with FileLock(str(OLDER_DUCKDB_HOME / ".create.lock"), timeout=900):
        if READY.exists():
            return VENV
        # A venv records its own path in its scripts: build it where it lives; READY marks it complete.
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, capture_output=True, timeout=300)
        install = _pip(
            VENV / "bin" / "python",
            "install",
            "--quiet",
            f"duckdb=={OLDER_DUCKDB_VERSION}",
            f"duckdb-cli=={DUCKDB_CLI_VERSION}",
        )
        if install.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            reason = _index_unreachable()
            if reason is not None:
                pytest.skip(f"PyPI is unreachable, cannot install duckdb=={OLDER_DUCKDB_VERSION}: {reason}")
            pytest.fail(
                f"installing duckdb=={OLDER_DUCKDB_VERSION} and duckdb-cli=={DUCKDB_CLI_VERSION} "
                f"failed although the index answers:\n{install.stdout}\n{install.stderr}"
            )
        READY.write_text(f"duckdb=={OLDER_DUCKDB_VERSION}\nduckdb-cli=={DUCKDB_CLI_VERSION}\n")
    return VENV


def _working_warehouse(path: Path) -> None:
    """A small warehouse with the column types the marts publish."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            """create table marts.mart_kpis as select
                   date '2026-10-01' + cast(range as integer) as period_start_date,
                   'channel_' || (range % 3) as channel,
                   cast(range * 7 as bigint) as orders,
                   cast(range * 12.35 as decimal(18, 2)) as net_revenue_eur,
                   range / 7 as conversion_rate,
                   range % 2 = 0 as is_complete,
                   timestamp '2026-10-01 12:00:00' + to_hours(range) as loaded_at
               from range(5)"""
        )
        con.execute(
            "create view marts.mart_kpis_view as select channel, sum(orders) as orders from marts.mart_kpis"
            " group by channel"
        )


def _published(tmp_path: Path) -> Path:
    working = tmp_path / "warehouse.duckdb"
    _working_warehouse(working)
    target = tmp_path / "published" / "warehouse.duckdb"
    with duckdb.connect(str(working)) as con:
        publish_warehouse(con, target, schemas=("marts",), build_id="compat-build")
    return target


def _read_with_older_duckdb(venv: Path, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c", READER, str(path)], capture_output=True, text=True, timeout=120
    )


def test_published_file_opens_in_older_duckdb(older_duckdb: Path, tmp_path: Path) -> None:
    target = _published(tmp_path)
    read = _read_with_older_duckdb(older_duckdb, target)
    assert read.returncode == 0, read.stderr
    seen = json.loads(read.stdout)
    assert seen["version"] == OLDER_DUCKDB_VERSION
    assert set(seen["tables"]) == {
        "marts.mart_kpis",
        "marts.mart_kpis_view",
        "meta.publication",
        "meta.publication_tables",
        "meta.column_privacy",
        "meta.source_status",
    }
    kpis = seen["tables"]["marts.mart_kpis"]
    assert kpis["types"] == {
        "period_start_date": "DATE",
        "channel": "VARCHAR",
        "orders": "BIGINT",
        "net_revenue_eur": "DECIMAL(18,2)",
        "conversion_rate": "DOUBLE",
        "is_complete": "BOOLEAN",
        "loaded_at": "TIMESTAMP",
    }
    with duckdb.connect(str(target), read_only=True) as con:  # the same rows the writer sees
        expected = [
            [str(v) for v in row] for row in con.execute("select * from marts.mart_kpis order by all").fetchall()
        ]
    assert kpis["rows"] == expected and len(expected) == 5
    assert expected[1][:4] == [str(date(2026, 10, 2)), "channel_1", "7", str(Decimal("12.35"))]
    assert expected[1][6] == str(datetime(2026, 10, 1, 13))
    assert seen["tables"]["meta.publication"]["rows"][0][0] == "compat-build"
    assert seen["tables"]["meta.publication_tables"]["rows"] == [
        ["marts", "mart_kpis", "5"],
        ["marts", "mart_kpis_view", "3"],
    ]


def test_published_file_opens_in_duckdb_cli_from_pypi(older_duckdb: Path, tmp_path: Path) -> None:
    """What the README tells a user: ``duckdb -readonly data/published/warehouse.duckdb``."""
    target = _published(tmp_path)
    cli = older_duckdb / "bin" / "duckdb"
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith(f"v{DUCKDB_CLI_VERSION}"), version
    query = subprocess.run(
        [
            str(cli),
            "-readonly",
            str(target),
            "-json",
            "-c",
            "select table_schema, table_name from information_schema.tables order by all",
            "-c",
            "select channel, orders, net_revenue_eur from marts.mart_kpis order by period_start_date",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert query.returncode == 0, query.stderr
    assert "Error" not in query.stderr, query.stderr
    tables, rows = (json.loads(part) for part in query.stdout.replace("]\n[", "]\x00[").split("\x00"))
    assert {(t["table_schema"], t["table_name"]) for t in tables} >= {("marts", "mart_kpis"), ("meta", "publication")}
    assert [(r["channel"], r["orders"]) for r in rows] == [(f"channel_{i % 3}", i * 7) for i in range(5)]
    assert [str(r["net_revenue_eur"]) for r in rows][:2] == ["0.00", "12.35"]


def test_without_the_storage_option_older_duckdb_refuses_the_file(older_duckdb: Path, tmp_path: Path) -> None:
    """The control: what the compatibility option prevents (so the tests above cannot pass by accident)."""
    assert PUBLISHED_STORAGE_VERSION == "v1.1.0"
    newest = tmp_path / "newest.duckdb"
    with duckdb.connect(str(newest)) as con:
        con.execute("create table t as select 1 as x")
    read = _read_with_older_duckdb(older_duckdb, newest)
    if duckdb.__version__.startswith("1.1."):  # pragma: no cover - the writer is as old as the reader
        pytest.skip(f"the writing DuckDB {duckdb.__version__} already writes the old format")
    assert read.returncode != 0 and "version number" in read.stderr, read.stderr
