"""Domain and cardinality checks before identity (issue 14).

(a) Raw gate: a Shopify CSV export whose Refunded Amount exceeds the order's Total fails the generated
suite (``pair_at_least`` in the source YAML), and the hand-written fixture passes it. (b) Staging layer:
the dbt test ``sum_at_most_per_key`` on ``int_commerce__refunds`` fails on an order refunded above its
total (99,999 EUR on a 93.90 EUR order) and names the order. (c) Identity: an identifier on more source
records than ``identity_max_identifier_records`` is flagged, links nobody and is reported by a warning
test, while an ordinary shared address still links. (b) and (c) run dbt on a tiny DuckDB file holding
only the tables the selected nodes read, with the project parsed once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from dbt.cli.main import dbtRunner

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import load_table
from dagster_project.quality import gx_validation
from dagster_project.settings import DBT_PROJECT_DIR, WAREHOUSE_PATH_ENV
from tests.conftest import EXPORT_FIXTURES_DIR

PAIR = "expect_column_pair_values_a_to_be_greater_than_b"
SHOPIFY_EXPORT = EXPORT_FIXTURES_DIR / "shopify" / "shopify_orders" / "orders_export_1.csv"
IDENTITY_YAML = DBT_PROJECT_DIR / "models" / "intermediate" / "identity" / "_identity__models.yml"


# --------------------------------------------------------------------------- (a) raw gate


def _pair_outcomes(rows: list[list[str]], tmp_path: Path) -> list[gx_validation.ExpectationOutcome]:
    folder = tmp_path / "landing" / "shopify_orders"
    folder.mkdir(parents=True)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / "orders_export_1.csv").write_text(out.getvalue(), encoding="utf-8", newline="")
    with duckdb.connect(":memory:") as con:
        con.execute("set timezone = 'UTC'")
        load_table(con, raw_table("shopify_orders"), tmp_path / "landing", datetime(2025, 5, 3, 6))
        suite = gx_validation.load_suite("raw", "shopify_orders")
        pair_suite = {**suite, "expectations": [e for e in suite["expectations"] if e["type"] == PAIR]}
        frame = gx_validation.read_frame(con, "raw", "shopify_orders", gx_validation.suite_columns(pair_suite))
    assert pair_suite["expectations"], "the raw suite of shopify_orders has no refund <= total expectation"
    return gx_validation.validate_frame(frame, pair_suite, {})


def test_raw_gate_refuses_a_refund_above_the_order_total(tmp_path: Path) -> None:
    rows = list(csv.reader(io.StringIO(SHOPIFY_EXPORT.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    total, refunded = header.index("Total"), header.index("Refunded Amount")
    good = _pair_outcomes(rows, tmp_path / "good")
    assert [o.success for o in good] == [True]  # the fixture's refunds (28.00 of 86.90, 90.90 of 90.90) pass

    first_row = next(row for row in rows[1:] if row[total])  # order-level values are on the first row only
    first_row[refunded] = "99999.00"
    (bad,) = _pair_outcomes(rows, tmp_path / "bad")
    assert not bad.success and bad.unexpected_count == 1
    assert bad.column == "total,refunded_amount"
    assert bad.partial_unexpected == [[float(first_row[total]), 99999.0]]


# --------------------------------------------------------------------------- dbt on a tiny warehouse


@pytest.fixture(scope="module")
def dbt_project(tmp_path_factory) -> Iterator[tuple[dbtRunner, list[str], Path]]:
    """dbt parsed once; each test points it at its own tiny warehouse (the file name is the catalog)."""
    root = tmp_path_factory.mktemp("domain_dbt")
    warehouse = root / "warehouse.duckdb"
    args = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(root / "target"),
        "--quiet",
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(WAREHOUSE_PATH_ENV, str(warehouse))
        parsed = dbtRunner().invoke(["parse", *args])
        assert parsed.success, parsed.exception
        yield dbtRunner(manifest=parsed.result), args, warehouse


def _fresh(warehouse: Path, statements: list[str]) -> None:
    # read-write like dbt-duckdb's own connection, which stays open in this process
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop schema if exists intermediate cascade")
        con.execute("create schema intermediate")
        for statement in statements:
            con.execute(statement)


def _results(result: Any) -> dict[str, Any]:
    assert result.result is not None, result.exception
    return {r.node.name: r for r in result.result}


def test_staging_test_fails_an_order_refunded_above_its_total(dbt_project) -> None:
    dbt, args, warehouse = dbt_project
    _fresh(
        warehouse,
        [
            "create table intermediate.int_commerce__orders (order_id varchar, total_eur decimal(18, 2))",
            "insert into intermediate.int_commerce__orders values ('o-big', 93.90), ('o-part',"
            " 86.90), ('o-full', 90.90)",
            "create table intermediate.int_commerce__refunds (refund_id varchar, order_id varchar,"
            " amount_eur decimal(18, 2))",
            # 99,999 on 93.90; 28.00 of 86.90; 90.90 in two refunds of 45.45 (exactly the total); a refund of an
            # order not loaded yet (no limit to compare with)
            """insert into intermediate.int_commerce__refunds values
           ('r1', 'o-big', 99999.00), ('r2', 'o-part', 28.00), ('r3', 'o-full', 45.45), ('r4', 'o-full', 45.45),
           ('r5', 'o-late', 500.00)""",
        ],
    )
    result = dbt.invoke(["test", "--select", "test_name:sum_at_most_per_key,int_commerce__refunds", *args])
    results = _results(result)
    assert len(results) == 1, "no refund <= order total test on int_commerce__refunds"
    (test,) = results.values()
    assert str(test.status) == "fail" and test.failures == 1
    with duckdb.connect(str(warehouse)) as con:  # same configuration as dbt's open connection
        failing = con.execute(test.node.compiled_code).fetchall()
    assert [(row[0], float(row[1]), float(row[2])) for row in failing] == [("o-big", 99999.0, 93.9)]


def test_flooded_identifier_links_nobody_and_is_reported(dbt_project) -> None:
    """flood@x.it is on 1,001 CRM contacts (one more than the default cap of 1,000): it is flagged,
    forms no edge, and the warning test lists it; pair@x.it on two contacts and a registration still
    links those three records, and every flooded contact keeps the edge to its own phone."""
    dbt, args, warehouse = dbt_project
    observation = (
        "(record_source varchar, record_id varchar, identifier_type varchar, identifier_value varchar,"
        " observed_at_utc timestamp)"
    )
    _fresh(
        warehouse,
        [
            f"create table intermediate.int_identity__observations {observation}",
            """insert into intermediate.int_identity__observations
           select 'crm_contact', 'c' || i, kind, value, timestamp '2026-03-01 10:00:00'
           from range(1, 1002) as t(i),
           lateral (values ('crm_contact_id', 'c' || i), ('email', 'flood@x.it'),
                           ('phone', '+3933300' || lpad(i::varchar, 5, '0'))) as v(kind, value)""",
            """insert into intermediate.int_identity__observations values
           ('crm_contact', 'p1', 'crm_contact_id', 'p1', timestamp '2026-03-01 10:00:00'),
           ('crm_contact', 'p1', 'email', 'pair@x.it', timestamp '2026-03-01 10:00:00'),
           ('crm_contact', 'p2', 'crm_contact_id', 'p2', timestamp '2026-03-01 10:00:00'),
           ('crm_contact', 'p2', 'email', 'pair@x.it', timestamp '2026-03-01 10:00:00'),
           ('event_registration', 'e1', 'email', 'pair@x.it', timestamp '2026-03-02 10:00:00'),
           ('event_registration', 'e1', 'source_record', 'event_registration:e1', timestamp '2026-03-02 10:00:00')""",
            "create table intermediate.int_crm__contacts (email varchar, phone_e164 varchar,"
            " first_name varchar, last_name varchar)",
            "create table intermediate.int_events__registrations"
            " (email varchar, phone_e164 varchar, first_name varchar, last_name varchar)",
        ],
    )
    models = ["int_identity__nodes", "int_identity__edges", "int_identity__flooded_identifiers"]
    result = dbt.invoke(["build", "--select", *models, "--exclude", "test_type:unit", *args])
    results = _results(result)
    assert "int_identity__flooded_identifiers" in results, "no flood report model"
    warned = [name for name, r in results.items() if str(r.status) == "warn"]
    assert warned == ["has_no_rows_int_identity__flooded_identifiers_"], {n: str(r.status) for n, r in results.items()}
    with duckdb.connect(str(warehouse)) as con:  # same configuration as dbt's open connection

        def nodes(value: str) -> list[int]:
            return [
                n
                for (n,) in con.execute(
                    "select node_id from intermediate.int_identity__nodes where identifier_value = ?", [value]
                ).fetchall()
            ]

        assert con.execute(
            "select shared_reason, record_count from intermediate.int_identity__nodes"
            " where identifier_value = 'flood@x.it'"
        ).fetchone() == ("too_many_records", 1001)
        (flood,), (pair,) = nodes("flood@x.it"), nodes("pair@x.it")
        assert con.execute(
            "select count(*) from intermediate.int_identity__edges where ? in (src, dst)", [flood]
        ).fetchone() == (0,)
        assert con.execute(
            "select count(*) from intermediate.int_identity__edges where ? in (src, dst)", [pair]
        ).fetchone() == (3,)
        # each flooded contact still links its own id and phone (1,001 edges); p1, p2 and e1 link through pair@x.it
        assert con.execute("select count(*) from intermediate.int_identity__edges").fetchone() == (1001 + 3,)
        assert con.execute(
            "select identifier_type, identifier_value, record_count from intermediate.int_identity__flooded_identifiers"
        ).fetchall() == [("email", "flood@x.it", 1001)]


def test_flooded_crm_email_is_reported_before_identity(dbt_project) -> None:
    """The conformed CRM contacts (built with the staging layer, before identity) warn about an email
    on more contacts than the cap, naming the address, its count and a contact id."""
    dbt, args, warehouse = dbt_project
    _fresh(
        warehouse,
        [
            "create table intermediate.int_crm__contacts (crm_contact_id varchar, email varchar, phone_e164 varchar)",
            """insert into intermediate.int_crm__contacts
           select 'c' || lpad(i::varchar, 4, '0'), 'flood@x.it', '+3933300' || lpad(i::varchar, 5, '0')
               from range(1, 1002) as t(i)""",
        ],
    )
    result = dbt.invoke(["test", "--select", "test_name:value_on_at_most_rows,int_crm__contacts", *args])
    statuses = {name: str(r.status) for name, r in _results(result).items()}
    assert sorted(statuses.values()) == ["pass", "warn"], statuses
    (warned,) = [r for r in result.result if str(r.status) == "warn"]
    with duckdb.connect(str(warehouse)) as con:  # same configuration as dbt's open connection
        assert con.execute(warned.node.compiled_code).fetchall() == [("flood@x.it", 1001, "c0001")]


# --------------------------------------------------------------------------- declarations


def test_flood_cap_is_a_var_and_the_report_is_a_warning() -> None:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    cap = project["vars"]["identity_max_identifier_records"]
    assert isinstance(cap, int) and cap > 46 * 10  # 46 = the most records of one identifier on the bundled data
    sql = (DBT_PROJECT_DIR / "models" / "intermediate" / "identity" / "int_identity__nodes.sql").read_text(
        encoding="utf-8"
    )
    assert "var('identity_max_identifier_records')" in sql and str(cap) not in sql
    models = {m["name"]: m for m in yaml.safe_load(IDENTITY_YAML.read_text(encoding="utf-8"))["models"]}
    report = models["int_identity__flooded_identifiers"]
    (warning,) = [t["has_no_rows"] for t in report["data_tests"] if isinstance(t, dict) and "has_no_rows" in t]
    assert warning["config"]["severity"] == "warn"
    assert all(column.get("description") for column in report["columns"])
    unit_tests = yaml.safe_load(IDENTITY_YAML.read_text(encoding="utf-8"))["unit_tests"]
    assert any(t["overrides"]["vars"].get("identity_max_identifier_records") for t in unit_tests if "overrides" in t)
