"""The raw gate judges every file it has not judged yet and quarantines the files that fail on their own.

Hand-written Delighted responses (the API's ``GET /v1/survey_responses.json`` page: a JSON array of
response objects, https://app.delighted.com/docs/api/listing-survey-responses); only the raw asset and
its gate run (no dbt), so each step takes seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey, DagsterInstance, materialize

from dagster_project.assets.raw import build_raw_asset
from dagster_project.ingest.raw_contract import raw_table
from dagster_project.quality import quarantine
from dagster_project.quality.raw_gate import raw_checks
from dagster_project.resources import LandingFolder, WarehouseResource

TABLE = "delighted_survey_responses"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "exports" / "delighted" / TABLE
CHECK = f"raw/{TABLE}:great_expectations_raw"


def response(response_id: str, score: int, created_at: int = 1793781000) -> dict:
    return {
        "id": response_id,
        "person": {
            "id": f"p{response_id}",
            "email": f"r{response_id}@example.com",
            "name": None,
            "created_at": created_at,
        },
        "survey_type": "nps",
        "score": score,
        "comment": None,
        "permalink": None,
        "created_at": created_at,
        "updated_at": None,
        "person_properties": {},
        "notes": [],
        "tags": [],
        "additional_answers": [],
    }


def write_page(landing: Path, name: str, responses: list[dict]) -> Path:
    path = landing / TABLE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(responses), encoding="utf-8")
    old = time.time() - 3600  # a finished delivery (not still being written)
    os.utime(path, (old, old))
    return path


class Gate:
    """The raw asset and gate of one table over a scratch warehouse and landing folder."""

    def __init__(self, root: Path):
        self.landing = root / "landing"
        self.warehouse = root / "warehouse.duckdb"
        self.landing.mkdir(parents=True)
        self.asset = build_raw_asset(raw_table(TABLE))
        self.check = next(c for c in raw_checks() if AssetKey(["raw", TABLE]) in {k.asset_key for k in c.check_keys})

    def run(self, with_gate: bool = True):
        resources = {
            "warehouse": WarehouseResource(database=str(self.warehouse)),
            "landing": LandingFolder(path=str(self.landing)),
        }
        with DagsterInstance.ephemeral() as instance:
            result = materialize(
                [self.asset, self.check] if with_gate else [self.asset],
                resources=resources,
                instance=instance,
                raise_on_error=False,
            )
        evaluations = {
            e.event_specific_data.asset_check_key.to_user_string(): e.event_specific_data
            for e in result.all_events
            if e.event_type_value == "ASSET_CHECK_EVALUATION"
        }
        return evaluations.get(CHECK)

    def sql(self, query: str) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(query).fetchall()

    def scores(self) -> list[int]:
        return sorted(r[0] for r in self.sql(f"select score from raw.{TABLE}"))


@pytest.fixture()
def gate(tmp_path: Path) -> Gate:
    gate = Gate(tmp_path)
    (gate.landing / TABLE).mkdir(parents=True)
    for page in sorted(FIXTURES.glob("*.json")):
        shutil.copy2(page, gate.landing / TABLE / page.name)
    evaluation = gate.run()
    assert evaluation.passed, "the hand-written Delighted pages pass the gate"
    return gate


def test_a_failing_file_is_quarantined_and_later_files_flow(gate: Gate) -> None:
    before = gate.scores()
    write_page(
        gate.landing,
        "survey_responses_20261111_page1.json",
        [response("900001", 11), response("900002", -1), response("900003", 7)],
    )
    evaluation = gate.run()
    assert not evaluation.passed and evaluation.severity.value == "WARN", "a quarantine does not block the other files"
    assert gate.scores() == before, "none of the bad file's rows stay in raw (not even its valid score 7)"
    held = gate.sql(f"select score from quarantine.{TABLE} order by _source_row")
    assert [r[0] for r in held] == [11, -1, 7]
    (entry,) = gate.sql("select file_name, row_count, failures from quarantine.files where resolved_at is null")
    assert entry[0] == f"{TABLE}/survey_responses_20261111_page1.json" and entry[1] == 3
    failures = " ".join(json.loads(entry[2]))
    assert "expect_column_values_to_be_between(score)" in failures
    assert "survey_responses_20261111_page1.json record 1 (id=900001): score=11" in failures
    assert "record 2 (id=900002): score=-1" in failures

    # a later good file of the same table flows on; the quarantine keeps the check yellow
    write_page(gate.landing, "survey_responses_20261112_page1.json", [response("900010", 9)])
    evaluation = gate.run()
    assert not evaluation.passed and evaluation.severity.value == "WARN"
    assert gate.scores() == sorted(before + [9])

    # deleting the bad file from the landing folder resolves the quarantine
    (gate.landing / TABLE / "survey_responses_20261111_page1.json").unlink()
    assert gate.run().passed
    assert gate.sql(f"select count(*) from quarantine.{TABLE}") == [(0,)]
    assert gate.sql("select resolution from quarantine.files")[0][0].startswith("removed")


def test_rows_a_run_never_judged_are_judged_by_the_next_gate(gate: Gate) -> None:
    """The bypass: bad rows loaded by a run whose gate did not pass must not ride in behind a good file."""
    before = gate.scores()
    write_page(gate.landing, "survey_responses_20261111_page1.json", [response("900001", 11), response("900002", -1)])
    assert gate.run(with_gate=False) is None  # loaded, never judged (a failed or killed run)
    write_page(gate.landing, "survey_responses_20261112_page1.json", [response("900010", 9)])
    evaluation = gate.run()
    assert not evaluation.passed
    assert gate.scores() == sorted(before + [9]), "score 11 and -1 never reach what staging reads"
    assert [r[0] for r in gate.sql("select file_name from quarantine.files")] == [
        f"{TABLE}/survey_responses_20261111_page1.json"
    ]


def test_fixing_the_file_in_place_resolves_its_quarantine(gate: Gate) -> None:
    before = gate.scores()
    write_page(gate.landing, "survey_responses_20261111_page1.json", [response("900001", 11)])
    gate.run()
    write_page(gate.landing, "survey_responses_20261111_page1.json", [response("900001", 10)])
    assert gate.run().passed
    assert gate.scores() == sorted(before + [10])
    assert gate.sql("select resolution from quarantine.files")[0][0].startswith("replaced")


def test_release_and_drop(gate: Gate) -> None:
    before = gate.scores()
    write_page(gate.landing, "survey_responses_20261113_page1.json", [response("900001", 11)])
    write_page(gate.landing, "survey_responses_20261114_page1.json", [response("900002", 12)])
    evaluation = gate.run()
    assert not evaluation.passed
    with duckdb.connect(str(gate.warehouse)) as con:
        assert {q.file_name for q in quarantine.quarantined(con)} == {
            f"{TABLE}/survey_responses_20261113_page1.json",
            f"{TABLE}/survey_responses_20261114_page1.json",
        }
        assert quarantine.release(con, TABLE, f"{TABLE}/survey_responses_20261113_page1.json") == 1
        assert quarantine.drop(con, TABLE, f"{TABLE}/survey_responses_20261114_page1.json") == 1
        with pytest.raises(LookupError, match="no file"):
            quarantine.drop(con, TABLE, f"{TABLE}/survey_responses_20261114_page1.json")
    assert gate.run().passed, "released and dropped files are not judged again; nothing is reloaded"
    assert gate.scores() == sorted(before + [11]), "the released file's rows are back in raw, the dropped one's gone"
    loaded_at = gate.sql(f"select max(_loaded_at) > min(_loaded_at) from raw.{TABLE} where id = '900001'")
    assert loaded_at == [(None,)] or loaded_at == [(False,)]  # one row: stamped at release
    assert gate.sql(
        f"select count(*) from raw._load_manifest where file_name = '{TABLE}/survey_responses_20261114_page1.json'"
    ) == [(1,)]


def test_the_cli_lists_shows_and_resolves(gate: Gate, capsys, monkeypatch) -> None:
    from dagster_project.operations.cli import main
    from dagster_project.settings import WAREHOUSE_PATH_ENV

    monkeypatch.setenv(WAREHOUSE_PATH_ENV, str(gate.warehouse))
    name = f"{TABLE}/survey_responses_20261111_page1.json"
    write_page(gate.landing, "survey_responses_20261111_page1.json", [response("900001", 11), response("900002", 4)])
    gate.run()
    assert main(["quarantine", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"{TABLE}  {name}  2 rows" in listed and "record 1 (id=900001): score=11" in listed
    assert main(["quarantine", "show", TABLE, name]) == 0
    shown = capsys.readouterr().out
    assert "900002" in shown and f"select * from quarantine.{TABLE}" in shown
    assert main(["quarantine", "drop", TABLE, "nope.json"]) == 2
    assert "no file 'nope.json'" in capsys.readouterr().out
    assert main(["quarantine", "release", TABLE, name]) == 0
    assert "2 rows back" in capsys.readouterr().out
    assert main(["quarantine", "list"]) == 0
    assert capsys.readouterr().out.strip() == "no file is in quarantine"


def test_the_ui_job_resolves_a_quarantine(gate: Gate) -> None:
    from dagster_project.assets.quarantine import quarantine_files

    write_page(gate.landing, "survey_responses_20261111_page1.json", [response("900001", 11)])
    gate.run()
    name = f"{TABLE}/survey_responses_20261111_page1.json"
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            [quarantine_files],
            instance=instance,
            resources={"warehouse": WarehouseResource(database=str(gate.warehouse))},
            run_config={"ops": {"quarantine__files": {"config": {"action": "drop", "table": TABLE, "file": name}}}},
        )
    assert result.success
    assert gate.sql("select resolution from quarantine.files")[0][0].startswith("dropped by Dagster run")
