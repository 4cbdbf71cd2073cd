"""Publishing the marts to a separate read-only DuckDB file (and Parquet) by an atomic swap.

Small warehouses are built with duckdb directly (no dbt, no Dagster). Readers and the
killed publisher run in separate Python processes: DuckDB allows one read-write or
many read-only processes per file, and reuses an open database instance per path
within one process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.publish import publishing
from dagster_project.publish.publishing import PublishError, open_published, publish_warehouse
from dagster_project.settings import PROJECT_ROOT

CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])),
}


def load_build(con: duckdb.DuckDBPyConnection, build: str, rows: int) -> None:
    """(Re)build the working marts and dims; every table carries the build id."""
    con.execute(
        "create schema if not exists marts; create schema if not exists dims; create schema if not exists staging"
    )
    con.execute(
        "create or replace table marts.orders as "
        "select range as order_id, (range % 97) + 1 as amount, ? as build_id from range(?)",
        [build, rows],
    )
    con.execute(
        "create or replace table marts.summary as "
        "select any_value(build_id) as build_id, sum(amount) as total_amount, count(*) as n_rows from marts.orders"
    )
    con.execute("create or replace view marts.big_orders as select * from marts.orders where amount > 90")
    con.execute(
        "create or replace table dims.dim_customer as select range as customer_id, ? as build_id from range(?)",
        [build, rows // 10 + 1],
    )
    con.execute("create or replace table staging.not_published as select 1 as x")


def published_build(path: Path) -> str:
    with open_published(path) as reader:
        return reader.execute("select build_id from meta.publication").fetchone()[0]


def temp_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith((".tmp", ".tmp.wal")))


@pytest.fixture(autouse=True)
def _dbt_manifest() -> None:
    """These tests need no dbt: skip the session-wide ``dbt parse`` of conftest when run alone."""


@pytest.fixture
def working(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    yield con
    con.close()


def test_publish_copies_tables_and_replaces_previous(working, tmp_path):
    target = tmp_path / "published" / "warehouse.duckdb"
    load_build(working, "b1", 1000)
    result = publish_warehouse(working, target, schemas=("marts", "dims"), build_id="b1")

    assert result.published_path == target.resolve()
    assert result.build_id == "b1"
    assert result.tables == {"dims.dim_customer": 101, "marts.big_orders": 70, "marts.orders": 1000, "marts.summary": 1}
    assert result.bytes == target.stat().st_size > 0
    assert result.parquet_dir is None
    assert temp_files(target.parent) == []
    assert not Path(str(target) + ".wal").exists()
    # the caller's connection is left as it was: usable, nothing attached
    assert [
        r[0] for r in working.execute("select database_name from duckdb_databases() where not internal").fetchall()
    ] == ["warehouse"]

    old_reader = open_published(target)
    for table in ("marts.orders", "marts.summary", "marts.big_orders", "dims.dim_customer"):
        source = working.execute(f"select * from {table} order by all").fetchall()
        assert old_reader.execute(f"select * from {table} order by all").fetchall() == source
    assert old_reader.execute(
        "select table_schema, table_type from information_schema.tables where table_name = 'big_orders'"
    ).fetchall() == [("marts", "BASE TABLE")]  # the view is materialized
    assert (
        old_reader.execute("select count(*) from information_schema.tables where table_schema = 'staging'").fetchone()[
            0
        ]
        == 0
    )
    build, published_at, source_path, table_count, total = old_reader.execute(
        "select build_id, published_at, source_path, table_count, total_rows from meta.publication"
    ).fetchone()
    assert (build, source_path, table_count, total) == ("b1", str(tmp_path / "warehouse.duckdb"), 4, 1172)
    assert abs((published_at - datetime.now(UTC).replace(tzinfo=None)).total_seconds()) < 60
    assert {
        f"{s}.{t}": n for s, t, n in old_reader.execute("select * from meta.publication_tables").fetchall()
    } == result.tables
    with pytest.raises(duckdb.Error):  # read-only
        old_reader.execute("create table marts.x as select 1")

    load_build(working, "b2", 2000)
    publish_warehouse(working, target, schemas=("marts", "dims"), build_id="b2")
    # a reader opened before the swap keeps reading the old (complete) file ...
    assert old_reader.execute("select count(*), any_value(build_id) from marts.orders").fetchone() == (1000, "b1")
    old_reader.close()
    # ... and a new reader sees the new one
    with open_published(target) as reader:
        assert reader.execute("select count(*), any_value(build_id) from marts.orders").fetchone() == (2000, "b2")
        assert reader.execute("select build_id from meta.publication").fetchone() == ("b2",)
    assert temp_files(target.parent) == []


def test_stray_wal_next_to_published_file_is_removed(working, tmp_path):
    """A WAL left by someone opening the published file read-write would break every reader."""
    target = tmp_path / "warehouse_published.duckdb"
    load_build(working, "b1", 10)
    publish_warehouse(working, target, build_id="b1")
    Path(str(target) + ".wal").write_bytes(b"not a wal of this file" * 100)
    publish_warehouse(working, target, build_id="b2")
    assert not Path(str(target) + ".wal").exists()
    assert published_build(target) == "b2"


READER = r"""
import json, os, sys, time
import duckdb
path, stop, ready = sys.argv[1:4]
reads, errors, inconsistent, builds = 0, [], [], []
deadline = time.monotonic() + 45
while not os.path.exists(stop) and time.monotonic() < deadline:
    try:
        with duckdb.connect(path, read_only=True) as con:
            meta_build, meta_tables = con.execute("select build_id, table_count from meta.publication").fetchone()
            build, total, n = con.execute("select build_id, total_amount, n_rows from marts.summary").fetchone()
            amount, count, ids = con.execute(
                "select sum(amount), count(*), list(distinct build_id) from marts.orders"
            ).fetchone()
            meta_rows = con.execute(
                "select row_count from meta.publication_tables where schema_name = 'marts' and table_name = 'orders'"
            ).fetchone()[0]
            dim_ids = con.execute("select list(distinct build_id) from dims.dim_customer").fetchone()[0]
            tables = con.execute(
                "select count(*) from information_schema.tables where table_schema <> 'meta'"
            ).fetchone()[0]
        state = [meta_build, build, ids, dim_ids, amount, total, count, n, meta_rows, tables, meta_tables]
        if not (build == meta_build and ids == [build] and dim_ids == [build]
                and amount == total and count == n == meta_rows and tables == meta_tables):
            inconsistent.append(state)
        if not builds or builds[-1] != build:
            builds.append(build)
        reads += 1
        if reads == 1:
            open(ready, "w").close()
    except Exception as exc:
        errors.append(repr(exc))
print(json.dumps({
    "reads": reads, "errors": errors[:5], "n_errors": len(errors), "inconsistent": inconsistent[:5], "builds": builds,
}))
"""


def test_concurrent_reader_never_sees_partial_or_inconsistent_state(working, tmp_path):
    target = tmp_path / "warehouse_published.duckdb"
    load_build(working, "b00", 30_000)
    publish_warehouse(working, target, schemas=("marts", "dims"), build_id="b00")
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target), str(stop), str(ready)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=CHILD_ENV,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert reader.poll() is None, reader.communicate()
            assert time.monotonic() < deadline, "the reader did not start"
            time.sleep(0.02)
        for build in range(1, 11):
            load_build(working, f"b{build:02d}", 30_000 + 1_000 * build)
            publish_warehouse(working, target, schemas=("marts", "dims"), build_id=f"b{build:02d}")
            time.sleep(0.05)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    report = json.loads(out)
    assert report["n_errors"] == 0, report["errors"]
    assert report["inconsistent"] == []
    assert report["reads"] >= 5, report
    assert len(report["builds"]) >= 2, report  # it did read across swaps
    assert report["builds"] == sorted(report["builds"])  # never went back to an older build
    assert published_build(target) == "b10"
    assert temp_files(tmp_path) == []


PUBLISHER = r"""
import sys
import duckdb
from dagster_project.publish.publishing import publish_warehouse
working, target = sys.argv[1:3]
con = duckdb.connect(working)
con.execute("set threads = 1")  # slower copy: a wider window for the kill
publish_warehouse(con, target, schemas=("marts",), build_id="killed")
print("finished")
"""


def test_sigkill_mid_publish_leaves_previous_file_intact(tmp_path):
    working_path, target = tmp_path / "warehouse.duckdb", tmp_path / "warehouse_published.duckdb"
    with duckdb.connect(str(working_path)) as con:
        load_build(con, "old", 500)
        publish_warehouse(con, target, build_id="old")
        con.execute(
            "create table marts.big as select range as id, md5(range::varchar) as s, random() as r "
            "from range(3_000_000)"
        )
    before = target.read_bytes()

    child = subprocess.Popen(
        [sys.executable, "-c", PUBLISHER, str(working_path), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=CHILD_ENV,
    )
    deadline = time.monotonic() + 30
    try:
        while True:  # kill once the temp file is being written
            temps = [p for p in tmp_path.glob(f".{target.name}.*.tmp") if p.stat().st_size > 1 << 20]
            if temps:
                break
            assert child.poll() is None, f"publisher ended before it was killed: {child.communicate()}"
            assert time.monotonic() < deadline, "the publisher never wrote its temp file"
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        out, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert "finished" not in out

    assert temp_files(tmp_path), "the kill did not happen mid-publish"  # the stale temp file is left
    assert target.read_bytes() == before
    with open_published(target) as reader:
        assert reader.execute("select build_id from meta.publication").fetchone() == ("old",)
        assert reader.execute("select count(*) from marts.orders").fetchone() == (500,)
        assert reader.execute("select count(*) from information_schema.tables where table_name = 'big'").fetchone() == (
            0,
        )

    with duckdb.connect(str(working_path)) as con:
        result = publish_warehouse(con, target, build_id="after")
    assert temp_files(tmp_path) == []  # stale temp file cleaned
    assert result.tables["marts.big"] == 3_000_000
    assert published_build(target) == "after"


def _fail_mid_publish(*args, **kwargs):
    temps = list(Path(_fail_mid_publish.directory).glob(".*.tmp"))
    assert temps and temps[0].stat().st_size > 0, "expected the temp file to be written already"
    raise RuntimeError("boom while writing the metadata")


@pytest.mark.parametrize("failure", ["missing_schema", "mid_copy"])
def test_failed_publish_leaves_previous_file_unchanged(working, tmp_path, monkeypatch, failure):
    target, parquet = tmp_path / "warehouse_published.duckdb", tmp_path / "parquet"
    load_build(working, "good", 100)
    publish_warehouse(working, target, schemas=("marts", "dims"), parquet_dir=parquet, build_id="good")
    stat_before, bytes_before = target.stat(), target.read_bytes()
    parquet_before = os.readlink(parquet)
    versions_before = sorted(p.name for p in (tmp_path / ".parquet.versions").iterdir())

    load_build(working, "bad", 200)
    if failure == "missing_schema":
        schemas = ("marts", "no_such_schema")
    else:
        schemas = ("marts", "dims")
        _fail_mid_publish.directory = tmp_path
        monkeypatch.setattr(publishing, "_write_meta", _fail_mid_publish)
    with pytest.raises(PublishError, match="left untouched") as raised:
        publish_warehouse(working, target, schemas=schemas, parquet_dir=parquet, build_id="bad")
    assert raised.value.__cause__ is not None

    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        stat_before.st_ino,
        stat_before.st_mtime_ns,
        stat_before.st_size,
    )
    assert target.read_bytes() == bytes_before
    assert temp_files(tmp_path) == []
    assert os.readlink(parquet) == parquet_before
    assert sorted(p.name for p in (tmp_path / ".parquet.versions").iterdir()) == versions_before
    assert published_build(target) == "good"
    # the working connection is still usable, with nothing left attached or in a transaction
    assert [
        r[0] for r in working.execute("select database_name from duckdb_databases() where not internal").fetchall()
    ] == ["warehouse"]
    working.execute("create or replace table marts.after_failure as select 1 as x")


def test_parquet_files_per_table_and_swapped(working, tmp_path):
    target, parquet = tmp_path / "warehouse_published.duckdb", tmp_path / "exports" / "parquet"
    versions = parquet.parent / ".parquet.versions"

    def read_back() -> dict[str, int]:
        files = sorted(parquet.glob("*/*.parquet"))
        with duckdb.connect() as con:
            return {
                f"{f.parent.name}.{f.stem}": con.execute("select count(*) from read_parquet(?)", [str(f)]).fetchone()[0]
                for f in files
            }

    load_build(working, "p1", 1000)
    first = publish_warehouse(working, target, schemas=("marts", "dims"), parquet_dir=parquet, build_id="p1")
    assert first.parquet_dir == parquet
    assert parquet.is_symlink()
    assert read_back() == first.tables
    assert json.loads((parquet / "_publication.json").read_text()) == {"build_id": "p1", "tables": first.tables}
    with duckdb.connect() as con:
        assert con.execute(
            "select distinct build_id from read_parquet(?)", [str(parquet / "marts" / "orders.parquet")]
        ).fetchall() == [("p1",)]
    first_version = (parquet.parent / os.readlink(parquet)).resolve()

    load_build(working, "p2", 3000)
    second = publish_warehouse(working, target, schemas=("marts", "dims"), parquet_dir=parquet, build_id="p2")
    assert read_back() == second.tables != first.tables
    assert json.loads((parquet / "_publication.json").read_text())["build_id"] == "p2"
    assert first_version.is_dir()  # kept for readers still reading the previous build

    load_build(working, "p3", 10)
    third = publish_warehouse(working, target, schemas=("marts",), parquet_dir=parquet, build_id="p3")
    assert read_back() == third.tables
    assert not (parquet / "dims").exists()
    assert not first_version.exists()  # older than the previous one: pruned
    assert len(list(versions.iterdir())) == 2
    assert not [p for p in parquet.parent.iterdir() if p.name.endswith((".tmp", ".lnk"))]


def test_parquet_replaces_a_plain_directory(working, tmp_path):
    parquet = tmp_path / "parquet"
    (parquet / "marts").mkdir(parents=True)
    (parquet / "marts" / "stale.parquet").write_bytes(b"x")
    load_build(working, "p1", 10)
    result = publish_warehouse(working, tmp_path / "pub.duckdb", parquet_dir=parquet, build_id="p1")
    assert parquet.is_symlink()
    assert sorted(p.name for p in (parquet / "marts").iterdir()) == sorted(
        f"{name.split('.', 1)[1]}.parquet" for name in result.tables
    )


def test_refuses_to_publish_onto_the_working_file(working, tmp_path):
    load_build(working, "b1", 10)
    with pytest.raises(PublishError, match="cannot be the working warehouse"):
        publish_warehouse(working, tmp_path / "warehouse.duckdb")
    with pytest.raises(PublishError, match="reserved"):
        publish_warehouse(working, tmp_path / "pub.duckdb", schemas=("marts", "meta"))
    with pytest.raises(FileNotFoundError):
        open_published(tmp_path / "missing.duckdb")


def test_no_wal_left_even_when_the_connection_skips_checkpoints(working, tmp_path):
    """Without the explicit CHECKPOINT, DETACH under these settings leaves ``<temp>.wal``
    behind, and the renamed file would lose its data."""
    working.execute("pragma disable_checkpoint_on_shutdown; set checkpoint_threshold = '1TB'")
    load_build(working, "b1", 5000)
    target = tmp_path / "pub.duckdb"
    result = publish_warehouse(working, target, build_id="b1")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".pub", "pub")) and p.name.endswith(".wal")] == []
    with open_published(target) as reader:
        assert (
            reader.execute("select count(*) from marts.orders").fetchone()
            == (result.tables["marts.orders"],)
            == (5000,)
        )


def test_leftover_wal_is_checkpointed_into_the_file(tmp_path):
    path = tmp_path / "x.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("pragma disable_checkpoint_on_shutdown; set checkpoint_threshold = '1TB'")
        con.execute("create table t as select range as i from range(10)")
    assert Path(str(path) + ".wal").exists()
    publishing._ensure_no_wal(path)
    assert not Path(str(path) + ".wal").exists()
    path.rename(tmp_path / "renamed.duckdb")  # all the data is in the file itself
    with duckdb.connect(str(tmp_path / "renamed.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from t").fetchone() == (10,)
