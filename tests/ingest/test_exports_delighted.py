"""Delighted NPS survey responses (API pages: bare JSON arrays, expand[]=person, last page []) and
the NPS generic CSV: loader, end to end (fixtures in tests/fixtures/exports/delighted and
generic/survey_nps_responses), and the generator's native files.

Figures: tests/fixtures/exports/delighted/EXPECTED.md. The generic fixture
(generic/survey_nps_responses/nps_responses.csv) holds three September 2026 answers: NPS900001
(10, email), NPS900002 (4, web), NPS900003 (8, email, no verbatim) -> NPS (1 - 1) / 3 = 0.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 10, 12, 0, 0)
TABLE = "delighted_survey_responses"
FIXTURES = EXPORT_FIXTURES_DIR / "delighted" / TABLE
PAGE1 = "survey_responses_20261110_page1.json"


def load(con, landing: Path):
    return load_table(con, raw_table(TABLE), landing, LOADED_AT)


def page(name: str = PAGE1) -> list:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def land(landing: Path, name: str, document: object, indent: int | None = None) -> Path:
    folder = landing / TABLE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- loader


def test_the_array_pages_load_and_the_empty_last_page_adds_nothing(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / TABLE)
    result = load(con, tmp_path)
    assert result.rows_added == 10 and len(result.files_loaded) == 3 and not result.warnings
    assert con.execute(f"select count(distinct id), min(pull_date), sum(score) from raw.{TABLE}").fetchone() == (
        10,
        "20261110",
        71,
    )
    sms = con.execute(f"""select person.email, person.phone_number, person_properties['Channel'], created_at, comment
                          from raw.{TABLE} where id = '48211005'""").fetchone()
    assert sms[:4] == (None, "+393331234567", "sms", 1793959200)
    assert con.execute(f"select comment from raw.{TABLE} where id = '48211007'").fetchone() == (None,)
    assert con.execute(f"select tags, len(notes), updated_at from raw.{TABLE} where id = '48211004'").fetchone()[0] == [
        "prodotto difettoso"
    ]


def test_compact_pages_and_an_added_field_load(con, tmp_path: Path) -> None:
    responses = page()
    for response in responses:
        response["channel"] = "email"  # a field Delighted may add: ignored
    land(tmp_path, PAGE1, responses)
    result = load(con, tmp_path)
    assert result.rows_added == 5
    assert "channel" not in [row[0] for row in con.execute(f"describe raw.{TABLE}").fetchall()]
    # (the loader samples undeclared keys only from objects, not from a bare array page: no warning here)


def test_a_page_fetched_without_expand_person_is_refused(con, tmp_path: Path) -> None:
    responses = page()
    responses[1]["person"] = "3100502"  # the person's id instead of the expanded object
    land(tmp_path, PAGE1, responses)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert error.value.file == f"{TABLE}/{PAGE1}"


def test_a_response_without_a_score_names_the_file_line_and_column(con, tmp_path: Path) -> None:
    responses = page()
    del responses[2]["score"]
    path = land(tmp_path, PAGE1, responses)
    path.write_text("\n".join(json.dumps(r) for r in responses) + "\n", encoding="utf-8")  # one response a line
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert (error.value.file, error.value.line, error.value.column) == (f"{TABLE}/{PAGE1}", 3, "score")


# --------------------------------------------------------------------------- end to end


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        rows = connection.execute(sql).fetchall()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]


def test_end_to_end_raw_staging_conformed_and_marts(exports_run) -> None:
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if "nps" in p or "survey" in p or "delighted" in p]
    assert not problems, problems
    assert query(workspace, f"select count(*) from raw.{TABLE}") == [(10,)]
    staged = query(
        workspace,
        "select survey_response_id, survey_wave, survey_channel, respondent_email, respondent_phone_e164,"
        " crm_contact_id, order_number, submitted_date_local, nps_category"
        " from staging.stg_delighted__survey_responses order by 1",
    )
    assert len(staged) == 10
    assert staged[4] == (
        "48211005",
        "relationship_q4",
        "sms",
        None,
        "+393331234567",
        "CRM-20455",
        None,
        date(2026, 11, 6),
        "passive",
    )
    assert staged[7][3] == "chiara.ricci@example.it" and staged[7][7] == date(
        2026, 11, 8
    )  # 23:30 UTC is the 8th in Rome
    assert staged[0][6] == "BA1042"
    conformed = query(
        workspace,
        """select count(*), avg(nps_score), count(respondent_email), count(verbatim),
                                        100.0 * (count(*) filter (where nps_category = 'promoter')
                                                 - count(*) filter (where nps_category = 'detractor')) / count(*)
                                    from intermediate.int_survey__nps_responses where source_system = 'delighted'""",
    )
    assert conformed == [(10, 7.1, 9, 9, 10.0)]
    waves = query(
        workspace,
        """select survey_id, 100.0 * (count(*) filter (where nps_score >= 9)
                                                   - count(*) filter (where nps_score <= 6)) / count(*)
                                from intermediate.int_survey__nps_responses where source_system = 'delighted'
                                    group by 1 order by 1""",
    )
    assert waves == [("post_purchase", 20.0), ("relationship_q4", 0.0)]
    # marts: November 2026 is the Delighted fixture only
    monthly = query(
        workspace,
        "select segment_type, segment_value, responses, promoters, passives, detractors, nps"
        " from marts.mart_nps_monthly where period_start_date = '2026-11-01'"
        " and segment_type in ('all', 'survey_channel') order by 1, 2",
    )
    assert monthly == [
        ("all", "all", 10, 4, 3, 3, 10.0),
        ("survey_channel", "email", 7, 4, 1, 2, 28.571429),
        ("survey_channel", "sms", 1, 0, 1, 0, 0.0),
        ("survey_channel", "web", 2, 0, 1, 1, -50.0),
    ]
    assert query(
        workspace,
        "select count(*) from marts.fct_text_sentiment where text_kind = 'nps_verbatim' and text_id like '482110%'",
    ) == [(9,)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        "select nps_response_id, nps_score, respondent_email, survey_channel"
        " from intermediate.int_survey__nps_responses where source_system = 'generic_csv' order by 1",
    ) == [
        ("NPS900001", 10, "paola.neri@example.it", "email"),
        ("NPS900002", 4, "dario.fabbri@example.it", "web"),
        ("NPS900003", 8, "luisa.gatti@example.it", "email"),
    ]
    assert query(
        workspace,
        "select responses, nps from marts.mart_nps_monthly where period_start_date = '2026-09-01'"
        " and segment_type = 'all'",
    ) == [(3, 0.0)]


# --------------------------------------------------------------------------- generator


GENERATE = ["--people", "1500", "--start", "2026-01-01", "--end", "2026-04-30"]
NAME = re.compile(r"^survey_responses_(\d{8})_page(\d+)\.json$")


def generate(out: Path, seed: str = "3") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("delighted_generated"))


def digests(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / TABLE).iterdir())}


def test_the_generator_writes_monthly_api_pulls_ending_with_an_empty_page(generated: Path) -> None:
    assert not (generated / "survey_nps_responses").exists()  # the generic CSV is no longer generated
    pulls: dict[str, list[int]] = {}
    for p in sorted((generated / TABLE).iterdir()):
        match = NAME.match(p.name)
        assert match, p.name
        pulls.setdefault(match.group(1), []).append(int(match.group(2)))
    assert set(pulls) == {"20260201", "20260301", "20260401", "20260501"}
    for day, pages in pulls.items():
        last = json.loads(
            (generated / TABLE / f"survey_responses_{day}_page{max(pages)}.json").read_text(encoding="utf-8")
        )
        assert sorted(pages) == list(range(1, len(pages) + 1)) and last == []
    first = json.loads((generated / TABLE / "survey_responses_20260501_page1.json").read_text(encoding="utf-8"))[0]
    assert list(first) == [
        "id",
        "person",
        "survey_type",
        "score",
        "comment",
        "permalink",
        "created_at",
        "updated_at",
        "person_properties",
        "notes",
        "tags",
        "additional_answers",
    ]
    assert isinstance(first["created_at"], int) and first["id"].isdigit() and isinstance(first["person"], dict)
    with duckdb.connect(":memory:") as connection:
        result = load_table(connection, raw_table(TABLE), generated, LOADED_AT)
        # every pull ends with the same empty page "[]": identical files, which the loader may point out
        assert result.rows_added > 0 and all("same content" in w for w in result.warnings)
        assert connection.execute(f"""select count(*) from raw.{TABLE} where make_timestamp(created_at * 1000000)
                                      not between timestamp '2026-01-01' and timestamp '2026-05-01'
                                      or score not between 0 and 10 or survey_type <> 'nps'
                                      or person_properties['Survey wave'] is null""").fetchone() == (0,)
        # SMS respondents have a phone, and no email when the CRM sent the survey; the others an email
        assert connection.execute(f"""select count(*) from raw.{TABLE}
                                      where (person_properties['Channel'] = 'sms') <> (person.phone_number is not null)
                                      or (person.email is null) <> (person_properties['Channel'] = 'sms'
                                                                    and person_properties['Customer ID'] is
                                                                        not null)""").fetchone() == (0,)
        assert connection.execute(
            f"select count(*) from raw.{TABLE} where person.email is null and person_properties['Customer ID'] is null"
        ).fetchone() == (0,)


def test_respondent_identifiers_are_in_the_ground_truth(generated: Path) -> None:
    truth = generated / "_ground_truth" / "identifiers.csv.gz"
    with duckdb.connect(":memory:") as connection:
        load_table(connection, raw_table(TABLE), generated, LOADED_AT)
        missing = connection.execute(f"""
            with written as (
                select 'email' as kind, person.email as value from raw.{TABLE} where person.email is not null
                union all select 'phone', person.phone_number from raw.{TABLE} where person.phone_number is not null
                union all select 'crm_contact_id', person_properties['Customer ID'] from raw.{TABLE}
                    where person_properties['Customer ID'] is not null
            )
            select count(*) from written
            where not exists (select 1 from read_csv('{truth}', header = true, all_varchar = true) as t
                              where t.identifier_type = written.kind
                                  and t.identifier_value = written.value)""").fetchone()[0]
        assert missing == 0


def test_the_generator_is_deterministic_for_the_delighted_files(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digests(again) == digests(generated)
    assert digests(generate(tmp_path / "other", seed="4")) != digests(generated)
