"""Issue 15 (GDPR): the published warehouse is pseudonymized, the PII publication is opt-in, and
data quality samples of personal columns are keyed hashes.

Small fixture warehouses built with duckdb directly and a hand-made column policy (what the dbt
manifest's ``config.meta.pii`` gives the pipeline); no dbt, no pipeline run.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import duckdb
import pytest

from dagster_project.privacy.keyed_hash import PSEUDONYM_KEY_ENV, WITHHELD, hmac_hex
from dagster_project.publish.publishing import (
    PublishError,
    column_policy_from_manifest,
    open_published,
    publish_warehouse,
)

KEY_A = b"key-a-0123456789abcdef0123456789"
KEY_B = b"key-b-0123456789abcdef0123456789"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(\+\d{1,3}[ -]?)?\(?\d{2,5}\)?[ -]\d{3,}([ -]\d+)*")

POLICY = {
    ("marts", "dim_customer"): {
        "customer_id": "pseudonym",
        "email": "identifier",
        "phone": "identifier",
        "customer_number": "identifier",
        "first_name": "name",
        "last_name": "name",
        "company": "quasi",
        "country": "quasi",
        "has_marketing_consent": "none",
        "lifetime_revenue": "none",
    },
    ("marts", "fct_email_recipient"): {"customer_id": "pseudonym", "recipient": "identifier", "opens": "none"},
    ("marts", "fct_review"): {"customer_id": "pseudonym", "review_text": "free_text", "rating": "none"},
    ("marts", "mart_kpis"): {"month": "none", "revenue": "none", "customers": "none"},
    ("marts", "v_consenting"): {"customer_id": "pseudonym", "email": "identifier", "first_name": "name"},
}
IDENTIFIERS = {
    ("dim_customer", "email"),
    ("dim_customer", "phone"),
    ("dim_customer", "customer_number"),
    ("fct_email_recipient", "recipient"),
    ("v_consenting", "email"),
}
NAMES = {("dim_customer", "first_name"), ("dim_customer", "last_name"), ("v_consenting", "first_name")}


def build_marts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create schema if not exists marts; create schema if not exists staging")
    con.execute(
        """create or replace table marts.dim_customer as select * from (values
            ('c1', 'anna.schmidt@example.com', '+49 171 2345678', 1001, 'Anna', 'Schmidt', 'ACME GmbH',
                'DE', true, 120.5),
            ('c2', 'bob@example.org', '0171-9876543', 1002, 'Bob', 'Jones', null, 'GB', false, 80.0),
            ('c3', null, null, null, 'Cleo', null, 'Initech', 'FR', true, 0.0),
            ('c4', 'dora@example.net', '+33 6 12 34 56 78', 1004, 'Dora', 'Dupont', 'Globex', 'FR', null, 15.25)
        ) as t(customer_id, email, phone, customer_number, first_name, last_name, company, country,
               has_marketing_consent, lifetime_revenue)"""
    )
    con.execute(
        """create or replace table marts.fct_email_recipient as select * from (values
            ('c1', 'anna.schmidt@example.com', 3), ('c2', 'bob@example.org', 0), ('c4', 'dora@example.net', 1)
        ) as t(customer_id, recipient, opens)"""
    )
    con.execute(
        """create or replace table marts.fct_review as select * from (values
            ('c1', 'Great shoes, fast delivery', 5), ('c2', 'Too small', 2)) as t(customer_id, review_text, rating)"""
    )
    con.execute(
        """create or replace table marts.mart_kpis as select * from (values
            (date '2024-01-01', 200.5, 3), (date '2024-02-01', 15.25, 1)) as t(month, revenue, customers)"""
    )
    con.execute(
        "create or replace view marts.v_consenting as select customer_id, email, first_name from marts.dim_customer"
        " where has_marketing_consent"
    )
    con.execute("create or replace table staging.stg_contacts as select 'raw@example.com' as email")


@pytest.fixture(autouse=True)
def _dbt_manifest() -> None:
    """No dbt here: skip the session-wide ``dbt parse`` of conftest when run alone."""


@pytest.fixture
def working(tmp_path: Path):
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    build_marts(con)
    yield con
    con.close()


def publish(con, target: Path, key: bytes | None = KEY_A, **kwargs):
    return publish_warehouse(con, target, column_policy=POLICY, pseudonym_key=key, build_id="b1", **kwargs)


def rows(path: Path, sql: str) -> list[tuple]:
    with open_published(path) as reader:
        return reader.execute(sql).fetchall()


def columns_of(path: Path, table: str) -> list[str]:
    return [
        r[0]
        for r in rows(
            path,
            f"select column_name from information_schema.columns where table_schema = 'marts'"
            f" and table_name = '{table}' order by ordinal_position",
        )
    ]


def all_pseudonyms(path: Path) -> list[str]:
    values = []
    for table, column in sorted(IDENTIFIERS):
        values += [
            r[0]
            for r in rows(path, f"select {column} from marts.{table} where {column} is not null order by customer_id")
        ]
    return values


def test_missing_secret_fails_with_a_clear_message_and_keeps_the_previous_file(working, tmp_path, monkeypatch):
    target = tmp_path / "published" / "warehouse.duckdb"
    monkeypatch.setenv(PSEUDONYM_KEY_ENV, KEY_A.decode())
    publish(working, target, key=None)  # the key from the environment
    before = target.read_bytes()

    monkeypatch.delenv(PSEUDONYM_KEY_ENV, raising=False)
    monkeypatch.delenv(PSEUDONYM_KEY_ENV + "_FILE", raising=False)
    with pytest.raises(PublishError) as raised:
        publish(working, target, key=None)
    message = str(raised.value)
    assert "CRM_PSEUDONYM_KEY is not set: publishing the pseudonymized warehouse needs a secret key" in message
    assert "left untouched" in message
    assert target.read_bytes() == before
    assert not [p for p in target.parent.iterdir() if p.name.endswith((".tmp", ".wal"))]


def test_same_key_same_pseudonyms_changed_key_changes_every_pseudonym(working, tmp_path):
    first, again, other = tmp_path / "a.duckdb", tmp_path / "a2.duckdb", tmp_path / "b.duckdb"
    publish(working, first, key=KEY_A)
    publish(working, again, key=KEY_A)
    publish(working, other, key=KEY_B)
    a, a2, b = all_pseudonyms(first), all_pseudonyms(again), all_pseudonyms(other)
    assert len(a) == 13
    assert a == a2
    assert all(x != y for x, y in zip(a, b, strict=True))
    assert not set(a) & set(b)
    # joins between published tables still work: one email, one pseudonym in every table
    assert (
        rows(
            first, "select count(*) from marts.fct_email_recipient r join marts.dim_customer c on r.recipient = c.email"
        )[0][0]
        == 3
    )


def test_identifiers_hashed_names_dropped_others_unchanged_also_in_parquet(working, tmp_path):
    target, parquet = tmp_path / "pub.duckdb", tmp_path / "parquet"
    result = publish(working, target, parquet_dir=parquet)
    assert result.pseudonymized is True
    assert result.pii_path is None
    assert set(result.tables) == {f"marts.{t}" for _, t in POLICY}

    for table in ("dim_customer", "fct_email_recipient", "fct_review", "mart_kpis", "v_consenting"):
        source_columns = [
            c
            for c, _ in working.execute(
                f"select column_name, 1 from information_schema.columns where"
                f" table_schema = 'marts' and table_name = '{table}'"
                f" order by ordinal_position"
            ).fetchall()
        ]
        kept = [c for c in source_columns if (table, c) not in NAMES]
        assert columns_of(target, table) == kept
        source = working.execute(f"select {', '.join(kept)} from marts.{table} order by all").fetchall()
        expected = [
            tuple(
                (hmac_hex(KEY_A, str(v)) if v is not None else None) if (table, c) in IDENTIFIERS else v
                for c, v in zip(kept, row, strict=False)
            )
            for row in source
        ]
        published = rows(target, f"select {', '.join(kept)} from marts.{table}")
        assert sorted(published, key=repr) == sorted(expected, key=repr), table
        with duckdb.connect() as con:
            in_parquet = con.execute(f"select * from read_parquet('{parquet}/marts/{table}.parquet')").fetchall()
            parquet_columns = [
                d[0]
                for d in con.execute(
                    f"select * from read_parquet('{parquet}/marts/{table}.parquet') limit 0"
                ).description
            ]
        assert parquet_columns == kept
        assert sorted(in_parquet, key=repr) == sorted(expected, key=repr), table
    # identifiers become varchar (a bigint customer number too); null stays null
    assert rows(
        target,
        "select data_type from information_schema.columns where table_name = 'dim_customer'"
        " and column_name = 'customer_number'",
    ) == [("VARCHAR",)]
    assert rows(target, "select email, phone from marts.dim_customer where customer_id = 'c3'") == [(None, None)]

    assert rows(target, "select pseudonymized from meta.publication") == [(True,)]
    privacy = {(t, c): (pii, action) for _, t, c, pii, action in rows(target, "select * from meta.column_privacy")}
    assert privacy[("dim_customer", "email")] == ("identifier", "hash")
    assert privacy[("dim_customer", "first_name")] == ("name", "drop")
    assert privacy[("dim_customer", "company")] == ("quasi", "keep")
    assert privacy[("fct_review", "review_text")] == ("free_text", "keep")
    assert len(privacy) == sum(len(columns) for columns in POLICY.values())


def test_unclassified_column_fails_the_publish_naming_it(working, tmp_path):
    target = tmp_path / "pub.duckdb"
    publish(working, target)
    before = target.read_bytes()
    working.execute("alter table marts.dim_customer add column nickname varchar default 'Annie'")
    working.execute("create table marts.new_table as select 1 as x")
    with pytest.raises(PublishError) as raised:
        publish(working, target)
    message = str(raised.value)
    assert "marts.dim_customer.nickname" in message
    assert "marts.new_table.x" in message
    assert "model's YAML" in message and "meta" in message and "pii" in message
    assert target.read_bytes() == before

    policy = {
        **POLICY,
        ("marts", "dim_customer"): {**POLICY[("marts", "dim_customer")], "nickname": "secret-ish"},
        ("marts", "new_table"): {"x": "none"},
    }
    with pytest.raises(PublishError, match=r"marts\.dim_customer\.nickname \(meta\.pii 'secret-ish'\)"):
        publish_warehouse(working, target, column_policy=policy, pseudonym_key=KEY_A)


def test_no_email_or_phone_in_any_published_varchar(working, tmp_path):
    target, parquet = tmp_path / "pub.duckdb", tmp_path / "parquet"
    # the fixture's plaintext does match the patterns (the scan would see them)
    plain = working.execute("select email, phone from marts.dim_customer where customer_id = 'c1'").fetchone()
    assert EMAIL.search(plain[0]) and PHONE.search(plain[1])
    publish(working, target, parquet_dir=parquet)
    with open_published(target) as reader:
        varchar_columns = reader.execute(
            "select table_schema, table_name, column_name from information_schema.columns where data_type = 'VARCHAR'"
        ).fetchall()
        assert len(varchar_columns) > 10
        for schema, table, column in varchar_columns:
            for (value,) in reader.execute(
                f'select distinct "{column}" from {schema}.{table} where "{column}" is not null'
            ).fetchall():
                assert not EMAIL.search(value), (schema, table, column, value)
                assert not PHONE.search(value), (schema, table, column, value)
                assert "Schmidt" not in value and "Anna" not in value
    for file in parquet.glob("*/*.parquet"):
        text = file.read_bytes()
        assert b"@example" not in text and b"Schmidt" not in text and b"2345678" not in text, file


def test_pii_publication_off_by_default(monkeypatch, tmp_path):
    from dagster_project.settings import Settings, pii_publication_path

    monkeypatch.delenv("CRM_PUBLISH_PII", raising=False)
    monkeypatch.delenv("CRM_PUBLISHED_PII_PATH", raising=False)
    monkeypatch.setenv("CRM_WAREHOUSE_PATH", str(tmp_path / "w" / "warehouse.duckdb"))
    settings = Settings.from_env()
    assert settings.publish_pii is False and settings.published_pii_file is None
    assert pii_publication_path(settings.published_file) is None

    monkeypatch.setenv("CRM_PUBLISH_PII", "1")
    settings = Settings.from_env()
    assert settings.published_pii_file == tmp_path / "w" / "published" / "pii" / "warehouse_pii.duckdb"
    assert pii_publication_path(settings.published_file) == settings.published_pii_file
    monkeypatch.setenv("CRM_PUBLISHED_PII_PATH", str(tmp_path / "elsewhere.duckdb"))
    assert Settings.from_env().published_pii_file == tmp_path / "elsewhere.duckdb"
    monkeypatch.setenv("CRM_PUBLISH_PII", "maybe")
    with pytest.raises(ValueError, match="CRM_PUBLISH_PII"):
        Settings.from_env()


def test_publish_asset_writes_the_pii_file_only_with_the_env_var(working, tmp_path, monkeypatch):
    """The Dagster asset: pseudonymized file always, PII file with CRM_PUBLISH_PII=1 (consenting rows)."""
    from dagster import materialize

    from dagster_project.assets import publish as publish_assets
    from dagster_project.resources import WarehouseResource

    working.execute(
        "create schema raw; create table raw._load_manifest (table_name varchar, row_count bigint, loaded_at timestamp)"
    )
    working.close()
    monkeypatch.setattr(publish_assets, "manifest_column_policy", lambda: POLICY)
    monkeypatch.delenv("CRM_PUBLISHED_PII_PATH", raising=False)
    target = tmp_path / "published" / "warehouse.duckdb"
    pii = tmp_path / "published" / "pii" / "warehouse_pii.duckdb"
    asset = publish_assets.build_publish_asset([])
    resources = {
        "warehouse": WarehouseResource(database=str(tmp_path / "warehouse.duckdb")),
        "publish_target": publish_assets.PublishTarget(path=str(target)),
    }

    monkeypatch.delenv("CRM_PUBLISH_PII", raising=False)
    assert materialize([asset], resources=resources, raise_on_error=False).success
    assert target.is_file() and not pii.exists()
    assert rows(target, "select pseudonymized from meta.publication") == [(True,)]

    monkeypatch.setenv("CRM_PUBLISH_PII", "1")
    assert materialize([asset], resources=resources, raise_on_error=False).success
    assert pii.is_file()
    tables = {
        f"{s}.{t}"
        for s, t in rows(
            pii, "select table_schema, table_name from information_schema.tables where table_schema = 'marts'"
        )
    }
    assert tables == {"marts.dim_customer", "marts.fct_email_recipient", "marts.fct_review", "marts.v_consenting"}
    # consent filter: only c1 and c3 consented (c4's consent is unknown, c2 said no)
    assert rows(pii, "select customer_id, email, first_name, last_name from marts.dim_customer order by 1") == [
        ("c1", "anna.schmidt@example.com", "Anna", "Schmidt"),
        ("c3", None, "Cleo", None),
    ]
    # a table without the consent column: every row, in plaintext
    assert rows(pii, "select recipient from marts.fct_email_recipient order by 1") == [
        ("anna.schmidt@example.com",),
        ("bob@example.org",),
        ("dora@example.net",),
    ]
    assert rows(pii, "select pseudonymized from meta.publication") == [(False,)]
    assert columns_of(pii, "dim_customer")[:5] == ["customer_id", "email", "phone", "customer_number", "first_name"]
    # the pseudonymized file is still pseudonymized
    assert rows(target, "select count(*) from marts.dim_customer where email like '%@%'") == [(0,)]
    assert not (tmp_path / "published" / "pii" / "parquet").exists()


def test_pii_publication_refuses_a_non_boolean_consent_column(working, tmp_path):
    target, pii = tmp_path / "pub.duckdb", tmp_path / "pii" / "pub_pii.duckdb"
    publish(working, target, pii_path=pii)
    before = pii.read_bytes()
    working.execute("alter table marts.dim_customer alter has_marketing_consent type varchar")
    with pytest.raises(PublishError, match="has_marketing_consent is VARCHAR, not BOOLEAN") as raised:
        publish(working, target, pii_path=pii)
    assert "previous PII publication was left untouched" in str(raised.value)
    assert pii.read_bytes() == before


def test_column_policy_from_a_manifest():
    manifest = {
        "nodes": {
            "model.p.dim_customer": {
                "resource_type": "model",
                "name": "dim_customer",
                "schema": "marts",
                "columns": {
                    "email": {"name": "email", "config": {"meta": {"pii": "identifier", "identifier_type": "email"}}},
                    "first_name": {"name": "first_name", "meta": {"pii": "name"}},
                    "unclassified": {"name": "unclassified"},
                },
            },
            "test.p.x": {"resource_type": "test", "name": "x", "schema": "marts", "columns": {}},
        }
    }
    assert column_policy_from_manifest(manifest) == {
        ("marts", "dim_customer"): {"email": "identifier", "first_name": "name", "unclassified": None}
    }


# --- data quality samples ----------------------------------------------------------


SUITE = {
    "name": "raw.contacts",
    "expectations": [
        {
            "type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "email", "regex": r"^[^@]+@[^@]+\.[a-z]+$"},
        },
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "phone"}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "country", "value_set": ["DE", "FR"]}},
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "contact_id"}},
    ],
}


@pytest.fixture
def audited(tmp_path):
    (tmp_path / "expectations" / "raw").mkdir(parents=True)
    (tmp_path / "expectations" / "raw" / "contacts.json").write_text(json.dumps(SUITE))
    con = duckdb.connect(str(tmp_path / "quality.duckdb"))
    con.execute("create schema raw")
    con.execute(
        """create table raw.contacts as select * from (values
            ('f1.csv', 1, 'k1', 'anna.schmidt@example', '+49 171 2345678', 'DE'),
            ('f1.csv', 2, 'k2', 'bob@example.org', null, 'GB'),
            ('f2.csv', 1, 'k2', 'cleo@example.com', '+33 6 12 34 56 78', 'XX')
        ) as t(_source_file, _source_row, contact_id, email, phone, country)"""
    )
    yield con, tmp_path / "expectations"
    con.close()


def _validate(con, expectations, key):
    from dagster_project.quality.gx_validation import validate_table

    return validate_table(
        con,
        "raw",
        "raw",
        "contacts",
        {},
        expectations_dir=expectations,
        index_columns=("_source_file", "_source_row", "contact_id"),
        personal_columns={"email", "phone", "contact_id"},
        sample_key=key,
    )


def test_audit_samples_of_personal_columns_are_keyed_hashes(audited):
    from dagster_project.operations.run_progress import describe_check_failure
    from dagster_project.quality.gates import check_metadata, failure_message
    from dagster_project.quality.gx_validation import record_results

    con, expectations = audited
    result = _validate(con, expectations, KEY_A)
    failed = {o.column: o for o in result.failures}
    assert set(failed) == {"email", "phone", "country", "contact_id"}
    token = "hmac:" + hmac_hex(KEY_A, "anna.schmidt@example")[:16]
    assert failed["email"].partial_unexpected == [token]
    assert failed["contact_id"].partial_unexpected == ["hmac:" + hmac_hex(KEY_A, "k2")[:16]] * 2
    assert failed["country"].partial_unexpected == ["GB", "XX"]  # not personal: shown as it is
    # the row indexes quarantine uses are kept: file and record, the key as its pseudonym
    (row,) = failed["email"].unexpected_rows
    assert (row["_source_file"], row["_source_row"], row["email"]) == ("f1.csv", 1, token)
    assert row["contact_id"] == "hmac:" + hmac_hex(KEY_A, "k1")[:16]
    assert [(r["_source_file"], r["_source_row"]) for r in failed["country"].unexpected_rows] == [
        ("f1.csv", 2),
        ("f2.csv", 1),
    ]
    assert failed["country"].unexpected_rows[0]["country"] == "GB"

    record_results(con, result, "run-1")
    stored = json.dumps(con.execute("select * from audit.data_quality_results").fetchall(), default=str)
    key = ("contact_id",)
    shown = json.dumps({k: getattr(v, "value", v) for k, v in check_metadata(result, key).items()}, default=str)
    messages = " ".join(failure_message(o, key) for o in result.failures)
    progress = "\n".join(describe_check_failure("great_expectations_raw", check_metadata(result, key), True))
    for text in (stored, shown, messages, progress):
        assert token in text
        for plain in ("anna.schmidt", "2345678", "k1", "'k2'", '"k2"'):
            assert plain not in text, (plain, text[:400])
        assert "GB" in text


def test_audit_samples_withheld_without_a_key(audited, monkeypatch):
    from dagster_project.quality.gates import failure_message, sample_key

    monkeypatch.delenv(PSEUDONYM_KEY_ENV, raising=False)
    monkeypatch.delenv(PSEUDONYM_KEY_ENV + "_FILE", raising=False)
    assert sample_key() is None  # the gate does not fail for the missing key
    con, expectations = audited
    result = _validate(con, expectations, sample_key())
    failed = {o.column: o for o in result.failures}
    assert failed["email"].partial_unexpected == [WITHHELD]
    assert failed["email"].unexpected_rows[0]["_source_file"] == "f1.csv"
    assert "anna" not in failure_message(failed["email"], ("contact_id",))
    assert WITHHELD in failure_message(failed["email"], ("contact_id",))


def test_personal_columns_of_raw_and_model_tables(tmp_path, monkeypatch):
    from dagster_project.ingest.raw_contract import RawColumn, RawTable
    from dagster_project.privacy.classification import classify
    from dagster_project.quality import gates

    contract = RawTable(
        source="crm",
        table="contacts",
        name="crm_contacts",
        description="",
        columns=tuple(
            RawColumn(name=name, data_type="varchar", description="", privacy=tuple(classify(name, {"pii": pii})))
            for name, pii in (
                ("email", "identifier"),
                ("note", "free_text"),
                ("country", "quasi"),
                ("full_name", "name"),
            )
        ),
    )
    monkeypatch.setattr(gates, "raw_table", lambda name: contract)
    assert gates.personal_columns("raw", "raw", "crm_contacts") == {"email", "note", "full_name"}

    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "nodes": {
                    "model.p.dim_customer": {
                        "resource_type": "model",
                        "name": "dim_customer",
                        "schema": "marts",
                        "columns": {"Email": {"meta": {"pii": "identifier"}}, "country": {"meta": {"pii": "quasi"}}},
                    }
                },
                "sources": {
                    "source.p.ml.scores": {
                        "resource_type": "source",
                        "name": "scores",
                        "schema": "ml",
                        "columns": {"email": {"config": {"meta": {"pii": "identifier"}}}},
                    }
                },
            }
        )
    )
    assert gates.personal_columns("marts", "marts", "dim_customer", manifest) == {"email"}
    assert gates.personal_columns("ml", "ml", "scores", manifest) == {"email"}


def test_init_secrets_creates_private_random_keys_once(tmp_path, capsys):
    from dagster_project.operations.cli import main

    directory = tmp_path / "secrets"
    assert main(["init-secrets", "--dir", str(directory)]) == 0
    pseudonym, erasure = directory / "pseudonym.key", directory / "erasure.key"
    for path in (pseudonym, erasure):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_text().strip()) == 64
    assert pseudonym.read_text() != erasure.read_text()
    out = capsys.readouterr().out
    assert f"CRM_PSEUDONYM_KEY_FILE={pseudonym}" in out and f"CRM_ERASURE_KEY_FILE={erasure}" in out
    before = pseudonym.read_text()
    assert main(["init-secrets", "--dir", str(directory)]) == 0
    assert pseudonym.read_text() == before  # never overwritten
    assert "exists, kept" in capsys.readouterr().out


def test_quarantine_still_names_the_file_when_the_key_and_value_are_personal(tmp_path, monkeypatch):
    """The raw gate with its row key and the failing column classified personal: the file is still
    quarantined by its unexpected rows' ``_source_file``, and what is stored names file and record only."""
    from dagster_project.quality import gates
    from tests.quality.test_quarantine import TABLE, Gate, response, write_page

    monkeypatch.setenv(PSEUDONYM_KEY_ENV, KEY_A.decode())
    monkeypatch.setattr(
        gates, "personal_columns", lambda layer, schema, table, manifest_path=None: frozenset({"id", "score"})
    )
    gate = Gate(tmp_path)
    write_page(gate.landing, "survey_responses_20261110_page1.json", [response("900000", 8)])
    assert gate.run().passed
    write_page(gate.landing, "survey_responses_20261111_page1.json", [response("900001", 11), response("900002", -1)])
    evaluation = gate.run()
    assert not evaluation.passed and evaluation.severity.value == "WARN"
    (entry,) = gate.sql("select file_name, row_count, failures from quarantine.files where resolved_at is null")
    assert entry[:2] == (f"{TABLE}/survey_responses_20261111_page1.json", 2)
    failures = " ".join(json.loads(entry[2]))
    token = "hmac:" + hmac_hex(KEY_A, "900001")[:16]
    assert f"survey_responses_20261111_page1.json record 1 (id={token}): score='hmac:" in failures
    assert "900001" not in failures and "score=11" not in failures
    stored = json.dumps(
        gate.sql("select partial_unexpected, unexpected_rows from audit.data_quality_results where not success"),
        default=str,
    )
    assert "hmac:" in stored and "900001" not in stored and "survey_responses_20261111_page1.json" in stored
