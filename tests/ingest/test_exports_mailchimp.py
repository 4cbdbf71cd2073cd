"""Mailchimp exports (audience export ZIP + Marketing API report pages) and the generic ESP CSV (SMS):
loader, end to end (fixtures in tests/fixtures/exports/mailchimp and generic/esp_*), and the
generator's native files.

Figures: tests/fixtures/exports/mailchimp/EXPECTED.md (the generic SMS CSV in its last section).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)
FIXTURES = EXPORT_FIXTURES_DIR / "mailchimp"
MEMBERS_ZIP = FIXTURES / "mailchimp_members" / "members_export_a1b2c3d4e5.zip"
NEWSLETTER, BLACK_FRIDAY, DRAFT, SMS = "3f9a1c2b7d", "8e2d4f6a10", "c47e90b5d2", "5d1e7a9c30"
LIST_ID = "a1b2c3d4e5"
TABLES = (
    "mailchimp_members",
    "mailchimp_campaigns",
    "mailchimp_email_activity",
    "mailchimp_sent_to",
    "mailchimp_unsubscribes",
)


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def members_csvs() -> dict[str, str]:
    with zipfile.ZipFile(MEMBERS_ZIP) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def write_zip(path: Path, members: dict[str, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def fixture_json(table: str, name: str) -> dict:
    return json.loads((FIXTURES / table / name).read_text(encoding="utf-8"))


def land_json(landing: Path, table: str, name: str, document: dict) -> Path:
    path = landing / table / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(document).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if name.endswith(".gz") else data)
    return path


# --------------------------------------------------------------------------- loader: audience export


def test_the_audience_export_zip_loads_member_by_member_with_the_status_from_the_file_name(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mailchimp_members", tmp_path / "mailchimp_members")
    result = load(con, tmp_path, "mailchimp_members")
    assert result.rows_added == 9 and not result.warnings
    assert con.execute(
        "select member_status, count(*) from raw.mailchimp_members group by all order by 1"
    ).fetchall() == [("cleaned", 1), ("subscribed", 6), ("unsubscribed", 2)]
    assert con.execute("select distinct export_id from raw.mailchimp_members").fetchall() == [(LIST_ID,)]
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "select email_address, optin_time, confirm_time, tags, customer_number, interests, unsub_reason_other,"
            " clean_campaign_id, longitude, gmtoff, _source_file from raw.mailchimp_members"
        ).fetchall()
    }
    assert "Paolo.DeLuca@Example.it" in rows  # case preserved in raw
    giulia = rows["giulia.bianchi@example.it"]
    assert giulia[:5] == (
        datetime(2023, 3, 18, 10, 22, 41),
        datetime(2023, 3, 18, 10, 24, 5),
        '"Checkout","Clienti"',
        "BA-10231",
        "Borse, Accessori",
    )
    assert rows["emma.clarke@example.co.uk"][0] is None and rows["emma.clarke@example.co.uk"][7] == -0.1278  # imported
    assert rows["sofia.ricci@example.it"][5] == "Troppe email promozionali"
    assert rows["luca.ferrari@example.it"][6] == NEWSLETTER
    assert giulia[9] == "mailchimp_members/members_export_a1b2c3d4e5.zip/subscribed_members_export_a1b2c3d4e5.csv"


def test_an_older_export_generation_with_quoted_headers_another_order_and_crlf_loads(con, tmp_path: Path) -> None:
    """2013-2016 exports: quoted headers and times, UNSUB_* right after the merge fields, EMAIL_TYPE, no TAGS."""
    text = (
        '"Email Address","First Name",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,'
        "UNSUB_REASON,UNSUB_REASON_OTHER,"
        "EMAIL_TYPE,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,"
        "TIMEZONE,CC,REGION,LEID,EUID,NOTES\r\n"
        'old@example.org,Anna,"2015-03-16 14:40:47",,,"N/A (Unsubscribed by admin)",,html,2,,,"2014-01-02 03:04:05",,'
        ",,,,,,,44877845,c2cb0681af,\r\n"
    )
    write_zip(
        tmp_path / "mailchimp_members" / "members_export_0123456789.zip",
        {"unsubscribed_members_export_0123456789.csv": text},
    )
    assert load(con, tmp_path, "mailchimp_members").rows_added == 1
    assert con.execute(
        "select member_status, email_type, unsub_time, confirm_time, tags, leid from raw.mailchimp_members"
    ).fetchone() == (
        "unsubscribed",
        "html",
        datetime(2015, 3, 16, 14, 40, 47),
        datetime(2014, 1, 2, 3, 4, 5),
        None,
        "44877845",
    )


def test_gdpr_permission_columns_load_and_unknown_merge_fields_are_ignored(con, tmp_path: Path) -> None:
    files = members_csvs()
    name = f"subscribed_members_export_{LIST_ID}.csv"
    lines = files[name].rstrip("\n").split("\n")
    lines[0] += ",Email,Direct Mail,Customized Online Advertising,Compleanno"
    lines[1:] = [line + ",Y,N,,03/18" for line in lines[1:]]
    write_zip(tmp_path / "mailchimp_members" / f"members_export_{LIST_ID}.zip", {name: "\n".join(lines) + "\n"})
    result = load(con, tmp_path, "mailchimp_members")
    assert result.rows_added == 6
    assert any("Compleanno" in w for w in result.warnings)
    assert con.execute(
        "select distinct marketing_permission_email, marketing_permission_direct_mail,"
        " marketing_permission_online_ads from raw.mailchimp_members"
    ).fetchall() == [("Y", "N", None)]


def test_a_member_file_without_leid_fails_naming_the_zip_member_line_and_column(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "mailchimp_members", tmp_path / "mailchimp_members")
    assert load(con, tmp_path, "mailchimp_members").rows_added == 9
    files = members_csvs()
    name = f"cleaned_members_export_{LIST_ID}.csv"
    files[name] = files[name].replace(",LEID,", ",LE_ID,", 1)
    write_zip(tmp_path / "mailchimp_members" / f"members_export_{LIST_ID} (1).zip", files)  # a re-export
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "mailchimp_members")
    assert error.value.file == f"mailchimp_members/members_export_{LIST_ID} (1).zip/{name}"
    assert (error.value.line, error.value.column) == (1, "leid")
    assert con.execute("select count(*) from raw.mailchimp_members").fetchone()[0] == 9  # all or nothing


def test_a_member_file_of_another_status_is_refused(con, tmp_path: Path) -> None:
    text = members_csvs()[f"cleaned_members_export_{LIST_ID}.csv"]
    write_zip(tmp_path / "mailchimp_members" / "lists.zip", {f"transactional_members_export_{LIST_ID}.csv": text})
    with pytest.raises(RawLoadError, match="file name does not match"):
        load(con, tmp_path, "mailchimp_members")


# --------------------------------------------------------------------------- loader: API responses


def test_api_pages_load_one_row_per_record_and_never_sum_total_items(con, tmp_path: Path) -> None:
    for table in TABLES[1:]:
        shutil.copytree(FIXTURES / table, tmp_path / table)
    counts = {table: load(con, tmp_path, table).rows_added for table in TABLES[1:]}
    assert counts == {
        "mailchimp_campaigns": 3,
        "mailchimp_email_activity": 14,
        "mailchimp_sent_to": 14,
        "mailchimp_unsubscribes": 1,
    }
    assert con.execute(
        f"select status, send_time, report_summary is null from raw.mailchimp_campaigns where id = '{DRAFT}'"
    ).fetchone() == ("save", None, True)
    assert con.execute(
        f"select settings.title, tracking.google_analytics, recipients.list_id, report_summary.open_rate"
        f" from raw.mailchimp_campaigns where id = '{NEWSLETTER}'"
    ).fetchone() == ("Newsletter Settembre 2024", "newsletter_2024_09", LIST_ID, pytest.approx(4 / 7))
    # two pages of BLACK_FRIDAY, each saying total_items 6: 6 recipients, not 12
    assert con.execute(
        f"select count(*), sum(len(activity)) from raw.mailchimp_email_activity where campaign_id = '{BLACK_FRIDAY}'"
    ).fetchone() == (6, 8)
    assert con.execute("select count(*) from raw.mailchimp_email_activity where len(activity) = 0").fetchone()[0] == 4
    assert con.execute(
        "select last_open, merge_fields['CUSTNUM'] from raw.mailchimp_sent_to"
        " where email_address = 'giulia.bianchi@example.it' and campaign_id = ?",
        [NEWSLETTER],
    ).fetchone() == ("2024-09-12T19:45:03+00:00", "BA-10231")


def test_gzip_pages_load_and_an_added_field_is_ignored_with_a_warning(con, tmp_path: Path) -> None:
    document = fixture_json("mailchimp_sent_to", f"sent-to_{NEWSLETTER}_0.json")
    for record in document["sent_to"]:
        record["new_field"] = 1
    land_json(tmp_path, "mailchimp_sent_to", f"sent-to_{NEWSLETTER}_0.json.gz", document)
    result = load(con, tmp_path, "mailchimp_sent_to")
    assert result.rows_added == 8 and any("new_field" in w for w in result.warnings)


def test_a_record_without_a_required_field_fails_naming_file_record_and_field(con, tmp_path: Path) -> None:
    document = fixture_json("mailchimp_sent_to", f"sent-to_{BLACK_FRIDAY}_0.json")
    del document["sent_to"][3]["status"]
    land_json(tmp_path, "mailchimp_sent_to", f"sent-to_{BLACK_FRIDAY}_0.json", document)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "mailchimp_sent_to")
    assert error.value.file == f"mailchimp_sent_to/sent-to_{BLACK_FRIDAY}_0.json"
    assert error.value.column == "status" and "record 4" in error.value.problem


def test_a_file_of_another_endpoint_is_not_read_as_activity(con, tmp_path: Path) -> None:
    land_json(tmp_path, "mailchimp_email_activity", "open-details_x_0.json", {"members": []})
    shutil.copy(
        FIXTURES / "mailchimp_email_activity" / f"email-activity_{NEWSLETTER}_0.json",
        tmp_path / "mailchimp_email_activity",
    )
    result = load(con, tmp_path, "mailchimp_email_activity")
    assert result.files_loaded == [f"mailchimp_email_activity/email-activity_{NEWSLETTER}_0.json"]


# --------------------------------------------------------------------------- end to end


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_end_to_end_raw_and_staging(exports_run) -> None:
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if "mailchimp" in p or "esp" in p or "email" in p]
    assert not problems, problems
    counts = {t: query(workspace, f"select count(*) from raw.{t}")[0][0] for t in TABLES}
    assert counts == {
        "mailchimp_members": 9,
        "mailchimp_campaigns": 3,
        "mailchimp_email_activity": 14,
        "mailchimp_sent_to": 14,
        "mailchimp_unsubscribes": 1,
    }
    assert query(workspace, "select count(*) from staging.stg_mailchimp__email_activity") == [(17,)]
    assert query(workspace, "select channel, count(*) from staging.stg_mailchimp__campaigns group by 1 order by 1") == [
        ("dem", 1),
        ("email", 2),
    ]
    members = {
        r[0]: r[1:]
        for r in query(
            workspace,
            "select subscriber_email, member_status, signup_source, subscribed_at_utc, phone_e164, unsubscribe_reason"
            " from staging.stg_mailchimp__members",
        )
    }
    assert len(members) == 9 and "paolo.deluca@example.it" in members
    assert members["emma.clarke@example.co.uk"][:3] == ("subscribed", "event", datetime(2024, 2, 14, 11, 5, 33))
    assert members["emma.clarke@example.co.uk"][3] == "+442079460958"
    assert members["sofia.ricci@example.it"][4] == "Troppe email promozionali"
    assert members["davide.moretti@example.it"][1:] == (
        None,
        datetime(2023, 7, 30, 16, 4, 10),
        "+393477654321",
        "N/A (Unsubscribed by admin)",
    )
    sources = query(
        workspace, "select signup_source, count(*) from staging.stg_mailchimp__members group by 1 order by 1"
    )
    assert sources == [("checkout", 2), ("event", 1), ("import", 2), ("web_form", 3), (None, 1)]


def test_end_to_end_conformed_models(exports_run) -> None:
    workspace, _ = exports_run
    campaigns = query(
        workspace,
        "select esp_campaign_id, channel, list_id, utm_campaign, sent_at_utc, sent_date_local"
        " from intermediate.int_email__campaigns where source_system = 'mailchimp' order by 1",
    )
    assert campaigns == [
        (NEWSLETTER, "email", LIST_ID, "newsletter_2024_09", datetime(2024, 9, 12, 7, 30), date(2024, 9, 12)),
        (BLACK_FRIDAY, "dem", LIST_ID, "black_friday_2024", datetime(2024, 11, 29, 8, 0), date(2024, 11, 29)),
    ]
    events = query(
        workspace,
        "select event_type, count(*) from intermediate.int_email__activity"
        " where source_system = 'mailchimp' group by 1 order by 1",
    )
    assert events == [("bounce", 2), ("click", 5), ("delivered", 12), ("open", 10), ("sent", 14), ("unsubscribe", 1)]
    assert query(
        workspace,
        "select recipient_email, bounce_type, event_at_utc from intermediate.int_email__activity"
        " where source_system = 'mailchimp' and event_type = 'bounce' order by 1",
    ) == [
        ("emma.clarke@example.co.uk", "soft", datetime(2024, 11, 29, 8, 0, 41)),
        ("luca.ferrari@example.it", "hard", datetime(2024, 9, 12, 7, 31, 2)),
    ]
    assert query(
        workspace,
        "select distinct link_utm_campaign, esp_campaign_id from intermediate.int_email__activity"
        " where source_system = 'mailchimp' and event_type = 'click' order by 2",
    ) == [("newsletter_2024_09", NEWSLETTER), ("black_friday_2024", BLACK_FRIDAY)]
    # the local day of marco's first open (06:15 UTC = 08:15 Rome)
    assert query(
        workspace,
        "select min(event_date_local) from intermediate.int_email__activity where event_type = 'open'"
        f" and recipient_email = 'marco.rossi@example.com' and esp_campaign_id = '{NEWSLETTER}'",
    ) == [(date(2024, 9, 13),)]
    membership = query(
        workspace,
        "select event_type, count(*) from intermediate.int_email__list_membership"
        " where source_system = 'mailchimp' group by 1 order by 1",
    )
    assert membership == [("cleaned", 1), ("subscribe", 9), ("unsubscribe", 2)]
    consent = query(
        workspace,
        "select event_type, member_status, optin_at_utc, confirmed_at_utc, esp_campaign_id,"
        " unsubscribe_reason from intermediate.int_email__list_membership"
        " where subscriber_email = 'sofia.ricci@example.it' order by event_at_utc",
    )
    assert consent == [
        ("subscribe", "unsubscribed", datetime(2024, 4, 11, 7, 55, 18), datetime(2024, 4, 11, 7, 57, 2), None, None),
        (
            "unsubscribe",
            "unsubscribed",
            datetime(2024, 4, 11, 7, 55, 18),
            datetime(2024, 4, 11, 7, 57, 2),
            BLACK_FRIDAY,
            "Troppe email promozionali",
        ),
    ]


def test_end_to_end_email_marts(exports_run) -> None:
    workspace, _ = exports_run
    kpis = query(
        workspace,
        "select esp_campaign_id, channel, sent, delivered, unique_opens, unique_clicks, bounces,"
        " hard_bounces, unsubscribes, total_opens, total_clicks, round(open_rate_delivered, 6),"
        " round(click_to_open_rate, 6), round(unsubscribe_rate, 6)"
        f" from marts.mart_email_campaign_kpis where esp_campaign_id in ('{NEWSLETTER}', '{BLACK_FRIDAY}')"
        " order by sent_date_local",
    )
    assert kpis == [
        (NEWSLETTER, "email", 8, 7, 4, 2, 1, 1, 0, 5, 3, round(4 / 7, 6), 0.5, 0.0),
        (BLACK_FRIDAY, "dem", 6, 5, 4, 2, 1, 0, 1, 5, 2, 0.8, 0.5, 0.2),
    ]
    growth = query(
        workspace,
        "select period_start_date, new_subscribers, unsubscribes, cleaned, list_size_end"
        f" from marts.mart_email_list_growth_monthly where list_id = '{LIST_ID}'"
        " and period_start_date in (date '2024-09-01', date '2024-10-01', date '2024-11-01',"
        " date '2024-12-01') order by 1",
    )
    assert growth == [
        (date(2024, 9, 1), 0, 0, 1, 7),
        (date(2024, 10, 1), 0, 1, 0, 6),
        (date(2024, 11, 1), 0, 1, 0, 5),
        (date(2024, 12, 1), 1, 0, 0, 6),
    ]


def test_end_to_end_the_generic_csv_carries_sms(exports_run) -> None:
    workspace, _ = exports_run
    assert query(workspace, "select count(*) from raw.esp_activity") == [(8,)]
    assert query(
        workspace,
        "select esp_campaign_id, channel, utm_campaign, source_system"
        " from intermediate.int_email__campaigns where source_system = 'generic_csv'",
    ) == [(SMS, "sms", "black_friday_2024", "generic_csv")]
    assert query(
        workspace,
        "select sent, delivered, unique_opens, unique_clicks, bounces, hard_bounces, unsubscribes"
        f" from marts.mart_email_campaign_kpis where esp_campaign_id = '{SMS}'",
    ) == [(3, 2, None, 1, 1, 0, 1)]
    assert query(
        workspace,
        "select event_type, count(*) from intermediate.int_email__list_membership"
        " where source_system = 'generic_csv' group by 1 order by 1",
    ) == [("subscribe", 3), ("unsubscribe", 1)]


# --------------------------------------------------------------------------- generator


GENERATE = ["--people", "150", "--start", "2026-01-01", "--end", "2026-02-28"]


def generate(out: Path, seed: str = "5") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("mailchimp_generated"))


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in (*TABLES, "esp_campaigns", "esp_activity", "esp_list_membership")
        for p in sorted((out / folder).rglob("*"))
        if p.is_file()
    }


def test_the_generator_writes_mailchimp_files_as_exported(generated: Path) -> None:
    zips = sorted(p.name for p in (generated / "mailchimp_members").iterdir())
    assert len(zips) == 3 and all(n.startswith("members_export_") and n.endswith(".zip") for n in zips)
    with zipfile.ZipFile(generated / "mailchimp_members" / zips[0]) as archive:
        suffix = zips[0].removeprefix("members_export_").removesuffix(".zip")
        assert sorted(archive.namelist()) == sorted(
            f"{s}_members_export_{suffix}.csv" for s in ("subscribed", "unsubscribed", "cleaned")
        )
        header = archive.read(f"unsubscribed_members_export_{suffix}.csv").decode("utf-8").split("\n")[0]
    assert header.startswith("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,")
    assert header.endswith(
        "UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER,LEID,EUID,NOTES,TAGS"
    )
    assert [p.name for p in (generated / "mailchimp_campaigns").iterdir()] == ["campaigns_0.json.gz"]
    campaigns = json.loads(gzip.decompress((generated / "mailchimp_campaigns" / "campaigns_0.json.gz").read_bytes()))
    assert set(campaigns) == {"campaigns", "total_items", "_links"}
    assert {c["status"] for c in campaigns["campaigns"]} == {"sent", "save"}
    sent = [c for c in campaigns["campaigns"] if c["status"] == "sent"]
    assert all(c["send_time"].endswith("+00:00") and c["tracking"]["google_analytics"] for c in sent)
    assert all(c["settings"]["title"].startswith(("Newsletter", "DEM")) for c in campaigns["campaigns"])
    for folder, stem, key in (
        ("mailchimp_sent_to", "sent-to", "sent_to"),
        ("mailchimp_email_activity", "email-activity", "emails"),
        ("mailchimp_unsubscribes", "unsubscribed", "unsubscribes"),
    ):
        names = sorted(p.name for p in (generated / folder).iterdir())
        assert {n.split("_")[1] for n in names} == {c["id"] for c in sent}, folder
        assert all(n.startswith(f"{stem}_") and n.endswith("_0.json.gz") for n in names)
        page = json.loads(gzip.decompress((generated / folder / names[0]).read_bytes()))
        assert set(page) == {key, "campaign_id", "total_items", "_links"}
    # SMS stays in the generic CSVs
    with gzip.open(generated / "esp_campaigns" / "campaigns.csv.gz", "rt", encoding="utf-8") as handle:
        rows = handle.read().strip().split("\n")
    assert rows[0] == "campaign_id,campaign_name,channel,list_id,subject,utm_campaign,sent_at"
    assert all(",sms," in row for row in rows[1:])


def test_the_generated_files_load_and_keep_the_send_utms_and_ledger(generated: Path) -> None:
    with duckdb.connect(":memory:") as connection:
        for table in TABLES:
            result = load_table(connection, raw_table(table), generated, LOADED_AT)
            assert result.rows_added > 0 and not result.warnings, (table, result.warnings)
        # every clicked link carries the campaign's tracking name as utm_campaign
        mismatched = connection.execute(
            """select count(*) from (select campaign_id, unnest(activity) as a from raw.mailchimp_email_activity) e
               join raw.mailchimp_campaigns c on c.id = e.campaign_id
               where a.action = 'click'
                 and regexp_extract(a.url, '[?&]utm_campaign=([^&#]*)', 1) <> c.tracking.google_analytics"""
        ).fetchone()[0]
        clicks = connection.execute(
            "select count(*) from (select unnest(activity) as a from raw.mailchimp_email_activity)"
            " where a.action = 'click'"
        ).fetchone()[0]
        assert clicks > 0 and mismatched == 0
        # one sent-to row per recipient; email-activity lists the recipients with an open, click or bounce
        # (the generator leaves out "activity": [] recipients): the opens are sent-to's open counts
        assert (
            connection.execute("select count(*) from raw.mailchimp_email_activity where len(activity) = 0").fetchone()[
                0
            ]
            == 0
        )
        assert (
            connection.execute(
                """select sum(open_count), count(*) filter (where status <> 'sent') from raw.mailchimp_sent_to"""
            ).fetchone()
            == connection.execute(
                """select count(*) filter (where a.action = 'open'), count(*) filter (where a.action = 'bounce')
                   from (select unnest(activity) as a from raw.mailchimp_email_activity)"""
            ).fetchone()
        )
        assert (
            connection.execute(
                "select count(*) from raw.mailchimp_sent_to where email_id <> md5(lower(email_address))"
            ).fetchone()[0]
            == 0
        )
        addresses = {
            r[0]
            for r in connection.execute(
                "select email_address from raw.mailchimp_members union select email_address from raw.mailchimp_sent_to"
            ).fetchall()
        }
        truth = connection.execute(
            f"select identifier_value from read_csv('{generated}/_ground_truth/identifiers.csv.gz', header = true,"
            " all_varchar = true) where identifier_type = 'email'"
        ).fetchall()
    assert addresses <= {r[0] for r in truth}  # every address registered in the ledger exactly as written


def test_the_generator_is_deterministic_for_the_email_files(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digests(again) == digests(generated)
    other = generate(tmp_path / "other", seed="6")
    assert digests(other) != digests(generated)
