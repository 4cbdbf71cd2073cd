"""Eventbrite Platform API v3 pages (events with expand=venue, attendees per event) and the ticketing
generic CSV: loader, end to end (fixtures in tests/fixtures/exports/eventbrite and generic/ticketing_*),
and the generator's native files.

Figures: tests/fixtures/exports/eventbrite/EXPECTED.md. Generic CSV fixture (generic/ticketing_*):
events EV9001 (webinar, online, 8 Oct 2026) and EV9002 (store event, Milano, 17 Oct 2026);
registrations GR-1 (EV9001, checked in), GR-2 (EV9001, no-show, phone 333 444 5566), GR-3 (EV9002,
checked in, paid); all standing (is_cancelled false).
"""

from __future__ import annotations

import copy
import functools
import gzip
import hashlib
import json
import re
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 22, 12, 0, 0)
FIXTURES = EXPORT_FIXTURES_DIR / "eventbrite"
TABLES = ("eventbrite_events", "eventbrite_attendees")
ATTENDEES_1 = "attendees_987654321001_20261122_page1.json"
ATTENDEES_2 = "attendees_987654321002_20261122_page1.json"


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def fixture_page(table: str, name: str) -> dict:
    return json.loads((FIXTURES / table / name).read_text(encoding="utf-8"))


def land(landing: Path, table: str, name: str, document: dict) -> Path:
    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- loader


def test_the_api_pages_load_one_row_per_event_and_per_ticket(con, tmp_path: Path) -> None:
    for table in TABLES:
        shutil.copytree(FIXTURES / table, tmp_path / table)
    results = {table: load(con, tmp_path, table) for table in TABLES}
    assert {t: r.rows_added for t, r in results.items()} == {"eventbrite_events": 2, "eventbrite_attendees": 8}
    # objects stay structs; start/end keep the UTC and the offset-less local time; pull date from the file name
    assert con.execute(
        'select id, name.text, start.utc, start.local, "end".utc, venue.address.city, pull_date'
        " from raw.eventbrite_events order by id"
    ).fetchall() == [
        (
            "987654321001",
            "Webinar | Come curare la pelle della tua borsa",
            datetime(2026, 11, 12, 17, 30),
            datetime(2026, 11, 12, 18, 30),
            datetime(2026, 11, 12, 18, 30),
            None,
            "20261122",
        ),
        (
            "987654321002",
            "Workshop di pelletteria – Firenze",
            datetime(2026, 11, 21, 9, 0),
            datetime(2026, 11, 21, 10, 0),
            datetime(2026, 11, 21, 12, 0),
            "Firenze",
            "20261122",
        ),
    ]
    # one row per ticket: order 7890002002 has two; cancelled and refunded tickets are listed
    assert con.execute(
        "select count(*), count(distinct order_id), count(*) filter (where cancelled),"
        " count(*) filter (where refunded) from raw.eventbrite_attendees"
    ).fetchone() == (8, 7, 1, 1)
    assert con.execute(
        "select costs.gross.value, barcodes[1].status, barcodes[1].changed, profile.email"
        " from raw.eventbrite_attendees where id = '14560000104'"
    ).fetchone() == (3500, "refunded", datetime(2026, 11, 15, 16, 20), "chiara.ricci@example.it ")


def test_a_missing_required_field_names_file_record_and_field(con, tmp_path: Path) -> None:
    page = fixture_page("eventbrite_attendees", ATTENDEES_2)
    del page["attendees"][2]["cancelled"]
    land(tmp_path, "eventbrite_attendees", ATTENDEES_2, page)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "eventbrite_attendees")
    assert (error.value.file, error.value.column) == (f"eventbrite_attendees/{ATTENDEES_2}", "cancelled")
    assert "record 3" in error.value.problem


def test_added_fields_load_and_optional_profile_fields_may_be_absent(con, tmp_path: Path) -> None:
    page = fixture_page("eventbrite_attendees", ATTENDEES_1)
    for attendee in page["attendees"]:
        attendee["survey_responses"] = {"q1": "a"}  # a key the contract does not know
        attendee.pop("affiliate")  # optional
    land(tmp_path, "eventbrite_attendees", ATTENDEES_1, page)
    result = load(con, tmp_path, "eventbrite_attendees")
    assert result.rows_added == 4
    assert any("survey_responses" in warning for warning in result.warnings)
    assert con.execute(
        "select count(affiliate), count(profile.cell_phone), count(profile.email) from raw.eventbrite_attendees"
    ).fetchone() == (0, 0, 4)


def test_a_file_not_named_as_the_pull_script_names_it_is_refused(con, tmp_path: Path) -> None:
    land(tmp_path, "eventbrite_attendees", "attendees_latest.json", fixture_page("eventbrite_attendees", ATTENDEES_1))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "eventbrite_attendees")
    assert "file name does not match" in error.value.problem


def test_a_repull_keeps_the_latest_change_of_each_ticket(con, tmp_path: Path) -> None:
    """Raw keeps both pulls; staging (greatest `changed`) keeps the check-in of the second."""
    first = fixture_page("eventbrite_attendees", ATTENDEES_1)
    second = copy.deepcopy(first)
    second["attendees"][1].update(changed="2026-11-12T17:31:00Z", checked_in=True, status="Checked In")
    second["attendees"][1]["barcodes"][0].update(status="used", changed="2026-11-12T17:31:00Z")
    land(tmp_path, "eventbrite_attendees", ATTENDEES_1, first)
    land(tmp_path, "eventbrite_attendees", ATTENDEES_1.replace("20261122", "20261123"), second)
    assert load(con, tmp_path, "eventbrite_attendees").rows_added == 8
    assert con.execute("select max(changed) from raw.eventbrite_attendees where id = '14560000002'").fetchone()[
        0
    ] == datetime(2026, 11, 12, 17, 31)


# --------------------------------------------------------------------------- end to end (all tools' fixtures)


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_end_to_end_raw_and_staging(exports_run) -> None:
    workspace, result = exports_run
    failures = [f for f in run_failures(result) if any(k in f for k in ("eventbrite", "ticketing", "int_events"))]
    assert not failures, failures
    assert query(
        workspace,
        "select (select count(*) from raw.eventbrite_events), (select count(*) from raw.eventbrite_attendees)",
    ) == [(2, 8)]
    assert query(
        workspace,
        "select marketing_event_id, event_type, event_format, starts_at_utc, ends_at_utc, event_date_local,"
        " city, country_code, capacity, event_status from staging.stg_eventbrite__events order by 1",
    ) == [
        (
            "987654321001",
            "webinar",
            "online",
            datetime(2026, 11, 12, 17, 30),
            datetime(2026, 11, 12, 18, 30),
            date(2026, 11, 12),
            None,
            None,
            200,
            "completed",
        ),
        (
            "987654321002",
            "workshop",
            "offline",
            datetime(2026, 11, 21, 9, 0),
            datetime(2026, 11, 21, 12, 0),
            date(2026, 11, 21),
            "Firenze",
            "IT",
            12,
            "ended",
        ),
    ]
    rows = {
        r[0]: r[1:]
        for r in query(
            workspace,
            "select registration_id, email, phone_e164, company_name, checked_in_at_utc, is_cancelled, is_refunded,"
            " ticket_type, gross_amount, affiliate_code from staging.stg_eventbrite__attendees",
        )
    }
    assert rows["14560000101"] == (
        "sofia.esposito@example.it",
        "+393337654321",
        "Studio Esposito",
        datetime(2026, 11, 21, 8, 52, 10),
        False,
        False,
        "paid",
        Decimal("35"),
        "dem_nov_2026",
    )
    assert rows["14560000102"][1] == rows["14560000103"][1] == "+393471234567"
    assert rows["14560000102"][3] == datetime(2026, 11, 21, 8, 58, 41) and rows["14560000103"][3] is None
    assert rows["14560000104"][:1] + rows["14560000104"][3:6] == ("chiara.ricci@example.it", None, False, True)
    assert rows["14560000004"][4] is True  # cancelled
    assert sum(1 for r in rows.values() if r[6] == "free") == 4 and sum(1 for r in rows.values() if r[6] == "paid") == 4
    assert sorted(r[8] for r in rows.values() if r[8]) == ["dem_nov_2026"] * 3 + ["ig_story_nov"] * 2


def test_end_to_end_conformed_and_marts(exports_run) -> None:
    workspace, _ = exports_run
    # tickets, orders, cancellations, check-ins and revenue of active tickets (EXPECTED.md, per event)
    assert query(
        workspace,
        """
        select marketing_event_id, count(*), count(distinct order_id), count(*) filter (where is_cancelled),
               count(*) filter (where has_checked_in), count(distinct email) filter (where not is_cancelled),
               sum(gross_amount) filter (where not is_cancelled)
        from intermediate.int_events__registrations where source_system = 'eventbrite' group by 1 order by 1""",
    ) == [
        ("987654321001", 4, 4, 1, 0, 3, Decimal("0")),
        ("987654321002", 4, 3, 1, 2, 2, Decimal("105")),
    ]
    assert query(
        workspace,
        "select count(*) from intermediate.int_events__events where source_system = 'eventbrite'"
        " and utm_campaign is null",
    ) == [(2,)]
    # November 2026 has only the Eventbrite events: 8 tickets of which 2 cancelled (a cancelled
    # registration is no exposure), 2 check-ins
    assert query(
        workspace,
        "select exposures, interactions from marts.mart_interaction_by_channel_monthly"
        " where channel = 'events' and period_start_date = date '2026-11-01'",
    ) == [(6, 2)]
    # check-in touchpoints: only the two scanned tickets are live
    assert query(
        workspace,
        "select count(*) from intermediate.int_touchpoints__unioned where touchpoint_type = 'event_check_in'"
        " and not is_void and source_record_id like '1456%'",
    ) == [(2,)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        "select marketing_event_id, event_type, city, country_code, utm_campaign from"
        " intermediate.int_events__events where source_system = 'generic_csv' order by 1",
    ) == [("EV9001", "webinar", None, None, "webinar_autunno_2026"), ("EV9002", "store_event", "Milano", "IT", None)]
    assert query(
        workspace,
        "select registration_id, email, phone_e164, has_checked_in, is_cancelled from"
        " intermediate.int_events__registrations where source_system = 'generic_csv' order by 1",
    ) == [
        ("GR-1", "paolo.verdi@example.it", None, True, False),
        ("GR-2", "anna.neri@example.it", "+393334445566", False, False),
        ("GR-3", "paolo.verdi@example.it", None, True, False),
    ]


# --------------------------------------------------------------------------- generator

GENERATED_FOLDERS = ("eventbrite_events", "eventbrite_attendees", "wordpress_posts", "wordpress_comments")


@functools.cache
def generate_bundle(root: str, seed: int = 7) -> Path:
    """A small generated set (300 persons, Jan-Mar 2026), the blog included: until the lead adds
    ``counts.update(Blog(world).write())`` to seeds/generator/pipeline.py, the blog writer runs
    just before the ground truth is written (where that line goes)."""
    import seeds.generator.pipeline as pipeline
    from seeds.generator.blog import Blog
    from seeds.generator.config import GeneratorConfig

    out = Path(root) / f"bundle_{seed}"
    original = pipeline.write_truth
    patched = "Blog" not in vars(pipeline)

    def truth_with_blog(world):
        return {**Blog(world).write(), **original(world)}

    if patched:
        pipeline.write_truth = truth_with_blog
    try:
        pipeline.generate(
            GeneratorConfig(people=300, start=date(2026, 1, 1), end=date(2026, 3, 31), seed=seed, out=out),
            log=lambda message: None,
        )
    finally:
        pipeline.write_truth = original
    return out


def read_page(path: Path):
    """A saved API page (gzipped by the pull script)."""
    return json.loads(gzip.decompress(path.read_bytes()))


def digest(root: Path, folders=GENERATED_FOLDERS) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted((root / folder).iterdir())
    }


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    return generate_bundle(str(tmp_path_factory.getbasetemp()))


def test_the_generator_writes_the_api_pages(generated: Path) -> None:
    out = generated
    assert not (out / "ticketing_events").exists() and not (out / "ticketing_registrations").exists()
    events_files = sorted(p.name for p in (out / "eventbrite_events").iterdir())
    assert events_files == ["events_2874561093_20260401_page1.json.gz"]
    events_page = read_page(out / "eventbrite_events" / events_files[0])
    assert set(events_page) == {"pagination", "events"}
    events = events_page["events"]
    assert events and events_page["pagination"]["object_count"] == len(events)
    first = events[0]
    assert set(first) >= {
        "id",
        "name",
        "start",
        "end",
        "changed",
        "status",
        "online_event",
        "capacity",
        "venue",
        "format_id",
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["start"]["utc"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", first["start"]["local"])
    assert all((e["venue"] is None) == e["online_event"] for e in events)
    names = sorted(p.name for p in (out / "eventbrite_attendees").iterdir())
    assert all(re.fullmatch(r"attendees_\d+_20260401_page\d+\.json\.gz", n) for n in names)
    assert {n.split("_")[1] for n in names} == {e["id"] for e in events}
    attendees = [a for n in names for a in read_page(out / "eventbrite_attendees" / n)["attendees"]]
    assert attendees and all(a["id"].isdigit() and a["quantity"] == 1 for a in attendees)
    assert all(a["checked_in"] == (a["barcodes"][0]["status"] == "used") for a in attendees)
    assert all(not (a["checked_in"] and (a["cancelled"] or a["refunded"])) for a in attendees)
    assert all(a["costs"]["gross"]["value"] > 0 for a in attendees if a["refunded"])  # free tickets are cancelled


def test_the_ground_truth_knows_every_attendee_email(generated: Path) -> None:
    with duckdb.connect() as connection:
        known = {
            r[0]
            for r in connection.execute(
                "select identifier_value"
                f" from read_csv('{generated}/_ground_truth/identifiers.csv.gz', all_varchar=true)"
                " where identifier_type = 'email'"
            ).fetchall()
        }
    emails = {
        a["profile"]["email"]
        for p in sorted((generated / "eventbrite_attendees").iterdir())
        for a in read_page(p)["attendees"]
    }
    assert emails and emails <= known


def test_the_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    again = generate_bundle(str(tmp_path), seed=7)
    assert digest(generated) == digest(again)
    assert digest(generate_bundle(str(tmp_path), seed=8)) != digest(generated)


def test_attendee_pages_hold_50_records_and_a_continuation(tmp_path: Path) -> None:
    from seeds.generator.exports import eventbrite as api

    events = [{"id": "1"}]
    records = [{"id": str(i)} for i in range(120)]
    counts = api.write(tmp_path, "9", "20260101", events, {"1": records})
    assert counts == {"eventbrite_events": 1, "eventbrite_attendees": 120}
    pages = [read_page(tmp_path / "eventbrite_attendees" / f"attendees_1_20260101_page{n}.json.gz") for n in (1, 2, 3)]
    assert [len(p["attendees"]) for p in pages] == [50, 50, 20]
    assert [p["pagination"]["has_more_items"] for p in pages] == [True, True, False]
    assert "continuation" in pages[0]["pagination"] and "continuation" not in pages[2]["pagination"]
