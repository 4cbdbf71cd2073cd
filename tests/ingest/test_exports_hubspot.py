"""HubSpot CRM API v3 responses (contacts, companies, deals with the dealstage history, pipelines)
and the CRM generic CSV: loader, end to end (fixtures in tests/fixtures/exports/hubspot and
generic/crm_*), and the generator's native files.

Figures: tests/fixtures/exports/hubspot/EXPECTED.md. Generic CSV fixture (generic/crm_*): 2 companies,
3 contacts (G-1001 twice: its latest version is a customer), 2 leads (GL-5001 won 3200 EUR, GL-5002
sql 9800 EUR), 5 stage changes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)
FIXTURES = EXPORT_FIXTURES_DIR / "hubspot"
TABLES = ("hubspot_contacts", "hubspot_companies", "hubspot_deals", "hubspot_deal_pipelines")
UI_EXPORT = FIXTURES / "hubspot_contacts_export" / "hubspot-crm-exports-all-contacts-2024-12-16.csv"
DEALS = ("20511430001", "20511430002", "20511430003", "20511430004")


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def fixture_page(table: str, name: str) -> dict:
    return json.loads((FIXTURES / table / name).read_text(encoding="utf-8"))


def land(landing: Path, table: str, name: str, document: dict | str, *, gz: bool = False) -> Path:
    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    text = document if isinstance(document, str) else json.dumps(document)
    path = folder / name
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0) if gz else text.encode("utf-8"))
    return path


# --------------------------------------------------------------------------- loader


def test_the_api_pages_load_as_records_with_nested_properties(con, tmp_path: Path) -> None:
    for table in TABLES:
        shutil.copytree(FIXTURES / table, tmp_path / table)
    counts = {table: load(con, tmp_path, table) for table in TABLES}
    assert {t: r.rows_added for t, r in counts.items()} == {
        "hubspot_contacts": 9,
        "hubspot_companies": 4,
        "hubspot_deals": 4,
        "hubspot_deal_pipelines": 1,
    }
    assert not any(r.warnings for r in counts.values())
    # associations are absent on 4 contacts; a primary company is listed once per label
    assert con.execute("select count(*) from raw.hubspot_contacts where associations is null").fetchone()[0] == 4
    assert con.execute("select sum(len(associations.companies.results)) from raw.hubspot_contacts").fetchone()[0] == 8
    # ISO timestamps with and without milliseconds; property values stay strings
    assert con.execute(
        "select createdAt, properties.createdate, properties.lastmodifieddate from raw.hubspot_contacts"
        " where id = '75104'"
    ).fetchone() == (datetime(2024, 2, 14, 11, 20), "2024-02-14T11:20:00Z", "2024-12-06T15:00:02.118Z")
    # the history arrays arrive newest first; an automation has no user id
    first = con.execute(
        "select propertiesWithHistory.dealstage[1] from raw.hubspot_deals where id = '20511430001'"
    ).fetchone()[0]
    assert (first["value"], first["timestamp"], first["updatedByUserId"]) == (
        "closedwon",
        datetime(2024, 10, 15, 15, 30),
        61234567,
    )
    assert (
        con.execute(
            "select propertiesWithHistory.dealstage[1].updatedByUserId from raw.hubspot_deals where id = '20511430004'"
        ).fetchone()[0]
        is None
    )
    assert con.execute(
        "select len(stages), stages[6].metadata.probability from raw.hubspot_deal_pipelines"
    ).fetchone() == (7, "1.0")


def test_gzip_pages_and_a_zip_of_pages_load_the_same(con, tmp_path: Path) -> None:
    import zipfile

    for name in ("contacts_001.json", "contacts_002.json"):
        land(tmp_path, "hubspot_contacts", name + ".gz", fixture_page("hubspot_contacts", name), gz=True)
    assert load(con, tmp_path, "hubspot_contacts").rows_added == 9
    folder = tmp_path / "zipped" / "hubspot_deals"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "hubspot-deals-pull.zip", "w") as archive:
        archive.write(FIXTURES / "hubspot_deals" / "deals_001.json", "deals_001.json")
    assert load(con, tmp_path / "zipped", "hubspot_deals").rows_added == 4


def test_a_missing_required_field_names_file_record_and_field(con, tmp_path: Path) -> None:
    page = fixture_page("hubspot_deals", "deals_001.json")
    del page["results"][1]["propertiesWithHistory"]  # a deals read without propertiesWithHistory=dealstage
    land(tmp_path, "hubspot_deals", "deals_001.json", page)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "hubspot_deals")
    assert (error.value.file, error.value.column) == ("hubspot_deals/deals_001.json", "propertiesWithHistory")
    assert "record 2" in error.value.problem


def test_added_fields_and_custom_properties_load(con, tmp_path: Path) -> None:
    """A new top-level key is reported and ignored; properties the contract does not know (another
    account's custom properties) are ignored, and the ones a page lacks load as null."""
    page = fixture_page("hubspot_contacts", "contacts_001.json")
    for record in page["results"]:
        record["url"] = f"https://app.hubspot.com/contacts/123/record/0-1/{record['id']}"
        record["properties"]["hs_persona"] = "persona_1"
        del record["properties"]["shop_customer_number"]
    land(tmp_path, "hubspot_contacts", "contacts_001.json", page)
    result = load(con, tmp_path, "hubspot_contacts")
    assert result.rows_added == 5
    assert any("url" in warning for warning in result.warnings)
    assert con.execute(
        "select count(properties.shop_customer_number), count(properties.email) from raw.hubspot_contacts"
    ).fetchone() == (0, 5)


def test_files_of_other_objects_are_not_read(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "hubspot_contacts", tmp_path / "hubspot_contacts")
    land(tmp_path, "hubspot_contacts", "hubspot-crm-exports-all-contacts-2024-12-16.csv", "Record ID,Email\n1,a@b.it\n")
    result = load(con, tmp_path, "hubspot_contacts")
    assert result.rows_added == 9
    assert result.files_not_read == ["hubspot_contacts/hubspot-crm-exports-all-contacts-2024-12-16.csv"]


def test_the_ui_export_csv_loads_by_label_headers(con, tmp_path: Path) -> None:
    shutil.copytree(UI_EXPORT.parent, tmp_path / "hubspot_contacts_export")
    result = load(con, tmp_path, "hubspot_contacts_export")
    assert result.rows_added == 2
    assert any("Contact owner" in warning for warning in result.warnings)  # an undeclared column is reported
    assert UI_EXPORT.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert con.execute(
        "select record_id, create_date, last_modified_date, lifecycle_stage, associated_company_id"
        " from raw.hubspot_contacts_export order by record_id"
    ).fetchall() == [
        ("75104", datetime(2024, 2, 14, 12, 20), datetime(2024, 12, 6, 16, 0), "Sales Qualified Lead", "18220311003"),
        ("75108", datetime(2022, 12, 1, 13, 10), datetime(2024, 12, 15, 10, 30), "Subscriber", None),
    ]


def test_a_ui_export_with_internal_names_loads_and_one_without_record_id_is_refused(con, tmp_path: Path) -> None:
    land(
        tmp_path,
        "hubspot_contacts_export",
        "contacts-internal.csv",
        "hs_object_id,email,lifecyclestage,createdate\n75120,a.b@example.it,marketingqualifiedlead,2024-12-01 10:00\n",
    )
    assert load(con, tmp_path, "hubspot_contacts_export").rows_added == 1
    assert con.execute("select record_id, lifecycle_stage from raw.hubspot_contacts_export").fetchall() == [
        ("75120", "marketingqualifiedlead")
    ]
    bad = tmp_path / "bad"
    land(
        bad,
        "hubspot_contacts_export",
        "export.csv",
        "\ufeffFirst Name,Email,Create Date\nAnna,anna@example.it,2024-12-01 10:00\n",
    )
    with pytest.raises(RawLoadError) as error:
        load(con, bad, "hubspot_contacts_export")
    assert (error.value.file, error.value.line, error.value.column) == (
        "hubspot_contacts_export/export.csv",
        1,
        "record_id",
    )


# --------------------------------------------------------------------------- end to end (all tools' fixtures)


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_end_to_end_raw_and_staging(exports_run) -> None:
    workspace, result = exports_run
    problems = [
        p
        for p in run_failures(result)
        if re.search(r"hubspot|int_crm__|stg_crm__|crm_(contacts|companies|leads|lead_stage)", p)
    ]
    assert not problems, problems
    assert query(
        workspace,
        "select (select count(*) from raw.hubspot_contacts), (select count(*) from raw.hubspot_companies),"
        " (select count(*) from raw.hubspot_deals), (select count(*) from raw.hubspot_deal_pipelines),"
        " (select count(*) from raw.hubspot_contacts_export)",
    ) == [(9, 4, 4, 1, 2)]

    contacts = {
        r[0]: r[1:]
        for r in query(
            workspace,
            """
        select crm_contact_id, email, phone_e164, crm_company_id, country_code, language, lifecycle_stage,
               has_email_consent, customer_number, instagram_handle, linkedin_handle, became_customer_at_utc
        from staging.stg_hubspot__contacts""",
        )
    }
    assert len(contacts) == 9 and sum(1 for c in contacts.values() if c[0]) == 8
    assert sorted(c[5] for c in contacts.values()) == sorted(
        ["customer"] * 3 + ["subscriber"] * 2 + ["lead"] * 2 + ["mql", "sql"]
    )
    assert {k: c[2] for k, c in contacts.items() if c[2]} == {
        "75102": "18220311002",
        "75104": "18220311003",
        "75105": "18220311001",
        "75107": "18220311002",
    }
    assert sorted(k for k, c in contacts.items() if c[6]) == ["75101", "75102", "75104", "75105", "75106", "75108"]
    assert {k: c[7] for k, c in contacts.items() if c[7]} == {
        "75101": "BA-10231",
        "75102": "BA-10562",
        "75103": "BA-10877",
    }
    assert [c[3] for c in contacts.values()].count("IT") == 8 and contacts["75104"][3] == "GB"
    assert (
        [c[4] for c in contacts.values()].count("it") == 7
        and contacts["75104"][4] == "en"
        and contacts["75109"][4] is None
    )
    assert {k: c[1] for k, c in contacts.items() if c[1]} == {
        "75101": "+393331234567",
        "75102": "+393381234567",
        "75104": "+442079460958",
        "75105": "+390815550199",
        "75106": "+393492221133",
        "75107": "+390315552020",
        "75109": "+393381234567",
    }
    assert sum(1 for c in contacts.values() if c[8]) == 3 and sum(1 for c in contacts.values() if c[9]) == 3
    assert contacts["75101"][8] == "giulia.bianchi"  # '@giulia.bianchi' as a join key
    assert contacts["75107"][10] == datetime(2024, 10, 15, 15, 30, 5, 870000)
    # the UI export's newer version of 75108 wins (local times to UTC); the API's 75104 is newer than the export's
    versions = query(
        workspace,
        "select crm_contact_id, export_format, city, updated_at_utc, created_at_utc"
        " from staging.stg_hubspot__contacts where crm_contact_id in ('75104', '75108') order by 1",
    )
    assert versions == [
        ("75104", "api", "London", datetime(2024, 12, 6, 15, 0, 2, 118000), datetime(2024, 2, 14, 11, 20)),
        ("75108", "ui_export", "Bergamo", datetime(2024, 12, 15, 9, 30), datetime(2022, 12, 1, 12, 10)),
    ]

    companies = query(
        workspace,
        "select crm_company_id, industry, employee_count, country_code from staging.stg_hubspot__companies order by 1",
    )
    assert [c[1] for c in companies] == ["hospitality", "hospitality", "other", "retail"]
    assert sum(c[2] or 0 for c in companies) == 65 and companies[3][2] is None
    assert [c[3] for c in companies].count("IT") == 3

    deals = query(
        workspace,
        """
        select lead_id, stage, amount_eur, created_at_utc, closed_at_utc, crm_contact_id, source_channel, utm_campaign,
               contact_count, close_date_utc
        from staging.stg_hubspot__deals order by lead_id""",
    )
    assert [(d[0], d[1], d[5], d[6], d[7]) for d in deals] == [
        ("20511430001", "won", "75102", "email", "newsletter_2024_09"),
        ("20511430002", "lost", "75105", "sales_outbound", None),
        ("20511430003", "mql", "75104", "sales_outbound", None),
        ("20511430004", "new", "75106", "email", "black_friday_2024"),
    ]
    assert [d[2] for d in deals] == [Decimal("4800"), Decimal("1250.5"), Decimal("2691"), None]  # 2300 GBP -> EUR
    assert [d[4] for d in deals] == [datetime(2024, 10, 15, 15, 30), datetime(2024, 11, 5, 16, 45), None, None]
    assert deals[2][9] == datetime(2025, 1, 31, 17, 0)  # the expected close date of an open deal is not closed_at
    assert deals[0][8] == 2

    history = query(
        workspace,
        "select lead_id, hubspot_deal_stage, stage, changed_at_utc"
        " from staging.stg_hubspot__deal_stage_history order by lead_id, changed_at_utc",
    )
    assert len(history) == 12
    assert [h[1] for h in history if h[0] == "20511430003"] == [
        "appointmentscheduled",
        "qualifiedtobuy",
        "appointmentscheduled",
        "qualifiedtobuy",
    ]  # back and forth, all kept
    by_stage: dict[str, int] = {}
    for h in history:
        by_stage[h[1]] = by_stage.get(h[1], 0) + 1
    assert by_stage == {
        "appointmentscheduled": 5,
        "qualifiedtobuy": 3,
        "presentationscheduled": 1,
        "contractsent": 1,
        "closedwon": 1,
        "closedlost": 1,
    }
    assert [h[2] for h in history if h[0] == "20511430001"] == ["new", "mql", "opportunity", "won"]


def test_end_to_end_conformed_and_marts(exports_run) -> None:
    workspace, _ = exports_run
    counts = query(
        workspace,
        """
        select 'contacts', count(*) from intermediate.int_crm__contacts where source_system = 'hubspot'
        union all select 'companies', count(*) from intermediate.int_crm__companies where source_system = 'hubspot'
        union all select 'leads', count(*) from intermediate.int_crm__leads where source_system = 'hubspot'
        union all select 'history', count(*) from intermediate.int_crm__lead_stage_history
            where source_system = 'hubspot'""",
    )
    assert dict(counts) == {"contacts": 9, "companies": 4, "leads": 4, "history": 12}
    assert query(
        workspace,
        "select native_stage, stage, amount_eur from intermediate.int_crm__leads where lead_id = '20511430003'",
    ) == [("qualifiedtobuy", "mql", Decimal("2691"))]
    # two customers became customers in October 2024 (legacy 75101 became one in 2023)
    assert query(
        workspace,
        "select count(*) from intermediate.int_crm__contacts where source_system = 'hubspot'"
        " and became_customer_at_utc >= '2024-10-01' and became_customer_at_utc < '2024-11-01'",
    ) == [(2,)]

    leads = query(
        workspace,
        f"""
        select lead_id, stage, amount_eur, created_date_local,
               date_diff('second', created_at_utc, closed_at_utc) / 86400.0 as days_to_close, customer_id is not null
        from marts.fct_lead where lead_id in {DEALS} order by lead_id""",
    )
    assert [lead[1] for lead in leads] == ["won", "lost", "mql", "new"]
    assert sum(lead[2] or 0 for lead in leads) == Decimal("8741.5")
    assert leads[0][3] == date(2024, 9, 16) and leads[3][3] == date(2024, 12, 10)
    assert leads[0][4] == pytest.approx(29.2625) and all(lead[5] for lead in leads)
    won = [lead for lead in leads if lead[1] == "won"]
    closed = [lead for lead in leads if lead[1] in ("won", "lost")]
    assert len(won) / len(closed) == 0.5
    monthly = query(
        workspace,
        "select period_start_date, source_channel, utm_campaign, leads_generated"
        " from marts.mart_leads_monthly where period_start_date between '2024-09-01' and '2024-12-01'"
        " order by 1, 2, 3",
    )
    assert monthly == [
        (date(2024, 9, 1), "email", "newsletter_2024_09", 1),
        (date(2024, 10, 1), "sales_outbound", "(none)", 1),
        (date(2024, 11, 1), "sales_outbound", "(none)", 1),
        (date(2024, 12, 1), "email", "black_friday_2024", 1),
    ]
    customer = query(
        workspace,
        "select company_name, company_industry, company_employee_count, crm_lifecycle_stage,"
        " country_code from marts.dim_customer where primary_crm_contact_id = '75104'",
    )
    assert customer == [("Studio Clarke Interiors", "other", 8, "sql", "GB")]
    # the duplicate record 75109 (no email, same phone) is the same customer as 75102
    same = query(
        workspace,
        "select count(distinct customer_id) from marts.bridge_customer_identifier"
        " where identifier_type = 'crm_contact_id' and identifier_value in ('75102', '75109')",
    )
    assert same == [(1,)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    """The CRM generic CSV (staging/crm) beside HubSpot in the conformed models."""
    workspace, _ = exports_run
    assert query(
        workspace,
        "select crm_contact_id, email, lifecycle_stage, has_email_consent from intermediate.int_crm__contacts"
        " where source_system = 'generic_csv' order by 1",
    ) == [
        ("G-1001", "piero.neri@falegnamerianeri.example.org", "customer", True),
        ("G-1002", "jonas.weber@kessler-software.example.org", "sql", False),
        ("G-1003", "chiara.galli@example.org", "subscriber", True),
    ]
    assert query(
        workspace,
        "select count(*), sum(amount_eur) from intermediate.int_crm__leads where source_system = 'generic_csv'",
    ) == [(2, Decimal("13000"))]
    assert query(
        workspace, "select count(*) from intermediate.int_crm__lead_stage_history where source_system = 'generic_csv'"
    ) == [(5,)]
    assert query(
        workspace,
        "select company_name, industry from intermediate.int_crm__companies"
        " where source_system = 'generic_csv' order by 1",
    ) == [("Falegnameria Neri", "manufacturing"), ("Kessler Software GmbH", "software")]


# --------------------------------------------------------------------------- generator

GENERATE = ["--people", "150", "--start", "2026-02-20", "--end", "2026-04-05"]


def generate(out: Path, seed: str = "3") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


def pages(folder: Path) -> list[dict]:
    return [json.loads(gzip.decompress(p.read_bytes())) for p in sorted(folder.glob("*.json.gz"))]


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in TABLES
        for p in sorted((root / folder).iterdir())
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("hubspot_gen"))


def test_the_generator_writes_the_api_pages(generated: Path) -> None:
    out = generated
    assert not any((out / t).exists() for t in ("crm_contacts", "crm_companies", "crm_leads", "crm_lead_stage_history"))
    assert [p.name for p in (out / "hubspot_deal_pipelines").iterdir()] == ["pipelines_deals.json"]
    contact_pages = pages(out / "hubspot_contacts")
    names = sorted(p.name for p in (out / "hubspot_contacts").iterdir())
    assert names == [f"contacts_{i:03d}.json.gz" for i in range(1, len(names) + 1)]
    assert all("paging" in page for page in contact_pages[:-1]) and "paging" not in contact_pages[-1]
    contacts = [r for page in contact_pages for r in page["results"]]
    assert all(len(page["results"]) == 100 for page in contact_pages[:-1])
    if len(contact_pages) > 1:  # the cursor of a page is the first id of the next one
        assert contact_pages[0]["paging"]["next"]["after"] == contacts[100]["id"]
    assert set(contacts[0]) >= {"id", "properties", "createdAt", "updatedAt", "archived"}
    assert all(isinstance(v, str) or v is None for r in contacts for v in r["properties"].values())
    assert all(r["id"].isdigit() for r in contacts)
    emails = [r["properties"]["email"] for r in contacts if r["properties"]["email"]]
    assert len(emails) == len(set(emails)) and all(e == e.strip().lower() for e in emails)  # one contact per email
    assert any(r["properties"]["createdate"] < "2026-02-20" for r in contacts)  # legacy base, created before the window
    deals = [r for page in pages(out / "hubspot_deals") for r in page["results"]]
    assert deals and all(len(page["results"]) <= 50 for page in pages(out / "hubspot_deals"))
    for deal in deals:
        history = deal["propertiesWithHistory"]["dealstage"]
        assert [h["timestamp"] for h in history] == sorted((h["timestamp"] for h in history), reverse=True)
        assert history[-1]["timestamp"] == deal["properties"]["createdate"]
        assert history[0]["value"] == deal["properties"]["dealstage"]
        assert deal["associations"]["contacts"]["results"]
    contact_ids = {r["id"] for r in contacts}
    assert {a["id"] for d in deals for a in d["associations"]["contacts"]["results"]} <= contact_ids
    companies = [r for page in pages(out / "hubspot_companies") for r in page["results"]]
    company_ids = {r["id"] for r in companies}
    assert {r["properties"]["associatedcompanyid"] for r in contacts} - {None} <= company_ids


def test_the_ground_truth_uses_the_ids_the_files_contain(generated: Path) -> None:
    out = generated
    with duckdb.connect() as connection:
        truth = connection.execute(
            "select identifier_type, identifier_value"
            f" from read_csv('{out}/_ground_truth/identifiers.csv.gz', all_varchar=true)"
            " where identifier_type in ('crm_contact_id', 'email')"
        ).fetchall()
        employers = {
            r[0]
            for r in connection.execute(
                f"select distinct company_id from read_csv('{out}/_ground_truth/people.csv.gz', all_varchar=true)"
                " where company_id is not null"
            ).fetchall()
        }
    contacts = [r for page in pages(out / "hubspot_contacts") for r in page["results"]]
    known = set(truth)
    assert all(("crm_contact_id", r["id"]) in known for r in contacts)
    assert all(("email", r["properties"]["email"]) in known for r in contacts if r["properties"]["email"])
    company_ids = {r["id"] for page in pages(out / "hubspot_companies") for r in page["results"]}
    assert employers and employers <= company_ids


def test_the_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digest(generated) == digest(again)


def test_pages_carry_the_cursor_of_the_next_page_and_the_last_has_none(tmp_path: Path) -> None:
    from seeds.generator.exports.hubspot import _write_pages

    records = [{"id": str(1000 + 3 * i), "properties": {}} for i in range(250)]
    assert (
        _write_pages(tmp_path, "hubspot_contacts", "contacts", records, 100, "/crm/v3/objects/contacts?archived=false")
        == 250
    )
    written = pages(tmp_path / "hubspot_contacts")
    assert sorted(p.name for p in (tmp_path / "hubspot_contacts").iterdir()) == [
        "contacts_001.json.gz",
        "contacts_002.json.gz",
        "contacts_003.json.gz",
    ]
    assert [len(p["results"]) for p in written] == [100, 100, 50]
    assert [p.get("paging", {}).get("next", {}).get("after") for p in written] == ["1300", "1600", None]
    assert written[0]["paging"]["next"]["link"].endswith("&limit=100&after=1300")
    assert gzip.decompress((tmp_path / "hubspot_contacts" / "contacts_001.json.gz").read_bytes()).startswith(
        b'{"results":['
    )
