"""The published warehouse of the bundled run holds no plaintext direct identifier: no value of any
column of any table (DuckDB file and Parquet copy) looks like an email or a phone number, names are
not there, and the identifiers are keyed hashes that still join between tables."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BundledRun

EMAIL = r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}"
PHONES = (
    r"\+[0-9][0-9 ().-]{6,}[0-9]",  # international, as typed or E.164
    r"\(?[0-9]{3}\)?[ .-][0-9]{3}[ .-][0-9]{4}",  # North American
    r"3[0-9]{2}[ .-]?[0-9]{3}[ .-]?[0-9]{3,4}",  # Italian mobile, national
    r"0[0-9]{1,4}[ .-][0-9]{5,8}",  # national with trunk prefix
)


def _text_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe select * from {relation}").fetchall() if r[1] == "VARCHAR"]


def _looks_personal(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for column in _text_columns(con, relation):
        quoted = '"' + column.replace('"', '""') + '"'
        tests = [f"regexp_matches(lower({quoted}), '{EMAIL}')"]
        tests += [f"regexp_full_match(trim({quoted}), '{pattern}')" for pattern in PHONES]
        samples = con.execute(f"select distinct {quoted} from {relation} where {' or '.join(tests)} limit 3").fetchall()
        if samples:
            found[column] = [s[0] for s in samples]
    return found


def _published_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        f'"{s}"."{t}"'
        for s, t in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
            " and schema_name <> 'meta' order by 1, 2"
        ).fetchall()
    ]


def test_published_file_holds_no_email_or_phone(bundled_run: BundledRun) -> None:
    path = bundled_run.workspace.settings.published_file
    with duckdb.connect(str(path), read_only=True) as con:
        tables = _published_tables(con)
        assert len(tables) > 50
        offenders = {t: f for t in tables if (f := _looks_personal(con, t))}
    assert offenders == {}


def test_parquet_copy_holds_no_email_or_phone(bundled_run: BundledRun) -> None:
    folder = bundled_run.workspace.settings.published_parquet
    assert folder is not None
    files = sorted(Path(folder).rglob("*.parquet"))
    assert len(files) > 50
    con = duckdb.connect()
    offenders = {f.name: found for f in files if (found := _looks_personal(con, f"read_parquet('{f}')"))}
    assert offenders == {}


def test_identifiers_are_keyed_hashes_that_still_join(bundled_run: BundledRun) -> None:
    path = bundled_run.workspace.settings.published_file
    with duckdb.connect(str(path), read_only=True) as con:
        columns = {r[0] for r in con.execute("describe marts.dim_customer").fetchall()}
        assert {"first_name", "last_name", "company_name"}.isdisjoint(columns)
        emails = [r[0] for r in con.execute("select email from marts.dim_customer where email is not null").fetchall()]
        assert emails and all(re.fullmatch(r"[0-9a-f]{64}", e) for e in emails)
        # the pseudonymized email of a customer is its pseudonymized identifier in the bridge, held by
        # the same customer unless the address is shared (a role address such as info@ of a company:
        # the bridge keeps one holder, and the CRM contact that states it may be another customer)
        joined = dict(
            con.execute(
                """select b.is_shared or b.customer_id = c.customer_id, count(*)
                   from marts.dim_customer c join marts.bridge_customer_identifier b
                   on b.identifier_type = 'email' and b.identifier_value = c.email group by all"""
            ).fetchall()
        )
        assert joined == {True: len(emails)}
        privacy = dict(
            con.execute(
                "select column_name, action from meta.column_privacy where table_name = 'dim_customer'"
            ).fetchall()
        )
        assert privacy["email"] == "hash" and privacy["first_name"] == "drop" and privacy["country_code"] == "keep"


@pytest.mark.parametrize("table", ["marts.dim_customer", "marts.fct_email_recipient", "marts.mart_lead_scores"])
def test_working_warehouse_keeps_plaintext_for_activation(bundled_run: BundledRun, table: str) -> None:
    """The pseudonymization happens on publishing: the working file (never read by BI) is unchanged."""
    with duckdb.connect(str(bundled_run.workspace.warehouse), read_only=True) as con:
        assert _looks_personal(con, table)


def test_python_reads_the_published_file_and_parquet_as_the_readme_says(bundled_run: BundledRun) -> None:
    """README, Connect a BI tool: the Python lines work on a real publication."""
    settings = bundled_run.workspace.settings
    with duckdb.connect(str(settings.published_file), read_only=True) as con:
        frame = con.sql("select * from marts.mart_web_kpis_monthly order by period_start_date").df()
    assert len(frame) >= 12 and "sessions" in frame.columns
    parquet = Path(settings.published_parquet) / "marts" / "mart_web_kpis_monthly.parquet"
    from_parquet = duckdb.read_parquet(str(parquet)).order("period_start_date").df()
    assert from_parquet.equals(frame)
