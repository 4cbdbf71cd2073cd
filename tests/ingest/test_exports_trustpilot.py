"""Trustpilot product reviews (private Product Reviews API pages, records under productReviews) and
the reviews generic CSV: loader, end to end (fixtures in tests/fixtures/exports/trustpilot and
generic/reviews_product_reviews), and the generator's native files.

Figures: tests/fixtures/exports/trustpilot/EXPECTED.md. The generic fixture
(generic/reviews_product_reviews/product_reviews.csv) holds two September 2026 site reviews:
RV900001 (sku " ba-tote-001 " -> BA-TOTE-001, 4 stars, verified BA0990) and RV900002 (BA-WAL-014,
2 stars, not verified).
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

LOADED_AT = datetime(2026, 11, 17, 12, 0, 0)
TABLE = "trustpilot_product_reviews"
FIXTURES = EXPORT_FIXTURES_DIR / "trustpilot" / TABLE
PAGE1 = "product_reviews_20261110_page1.json"


def load(con, landing: Path):
    return load_table(con, raw_table(TABLE), landing, LOADED_AT)


def page(name: str = PAGE1) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def land(landing: Path, name: str, document: object) -> Path:
    folder = landing / TABLE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- loader


def test_the_api_pages_load_with_nested_product_and_consumer(con, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES, tmp_path / TABLE)
    result = load(con, tmp_path)
    assert result.rows_added == 9 and not result.warnings
    assert con.execute(
        f"select count(distinct id), count(*) filter (where pull_date = '20261117') from raw.{TABLE}"
    ).fetchone() == (8, 2)
    row = con.execute(f"""select product.sku, consumer.email, "referenceId", "createdAt" at time zone 'UTC', stars,
                                 language, locale
                          from raw.{TABLE} where id = '6543a1f0c2b7e90012ab3408'""").fetchone()
    assert row == (
        "BA-BELT-007",
        "Chiara.Ricci@Example.it",
        "BA1060",
        datetime(2026, 11, 11, 16, 48, 27),
        4,
        "en",
        "it-IT",
    )
    # the edited review: both versions in raw, the later one with updatedAt and other stars
    assert con.execute(f"""select stars, "updatedAt" is not null from raw.{TABLE} where id = '6543a1f0c2b7e90012ab3404'
                           order by _source_file""").fetchall() == [(2, False), (3, True)]
    assert (
        con.execute(f"select content from raw.{TABLE} where id = '6543a1f0c2b7e90012ab3407'").fetchone()[0].count("\n")
        == 1
    )
    assert con.execute(
        f"select len(attachments) from raw.{TABLE} where id = '6543a1f0c2b7e90012ab3403'"
    ).fetchone() == (1,)


def test_compact_pages_with_millisecond_times_and_an_added_field_load(con, tmp_path: Path) -> None:
    document = page()
    for review in document["productReviews"]:
        review["createdAt"] = review["createdAt"].replace("Z", ".000Z")
        review["isVerified"] = True  # a field Trustpilot may add: ignored
    land(tmp_path, PAGE1, document)
    land(tmp_path, "product_reviews_20261201_page1.json", {"productReviews": [], "links": []})  # an empty pull
    result = load(con, tmp_path)
    assert result.rows_added == 5
    assert any("isVerified" in w for w in result.warnings)
    assert con.execute(f"""select min("createdAt") at time zone 'UTC' from raw.{TABLE}""").fetchone() == (
        datetime(2026, 11, 3, 9, 15, 42),
    )


def test_a_review_without_stars_names_the_file_record_and_column(con, tmp_path: Path) -> None:
    document = page()
    document["productReviews"][2]["stars"] = None
    land(tmp_path, PAGE1, document)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path)
    assert error.value.file == f"{TABLE}/{PAGE1}" and error.value.column == "stars"
    assert "record 3" in str(error.value)


def test_a_page_saved_under_another_name_is_not_read(con, tmp_path: Path) -> None:
    land(tmp_path, "reviews.json", page())
    assert load(con, tmp_path).rows_added == 0


# --------------------------------------------------------------------------- end to end


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        rows = connection.execute(sql).fetchall()
    return [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]


def test_end_to_end_raw_staging_conformed_and_marts(exports_run) -> None:
    workspace, result = exports_run
    problems = [p for p in run_failures(result) if "review" in p or "trustpilot" in p]
    assert not problems, problems
    assert query(workspace, f"select count(*) from raw.{TABLE}") == [(9,)]
    staged = query(
        workspace,
        "select right(review_id, 4), sku, rating, declared_language, reviewer_email, order_number,"
        " is_verified_purchase, submitted_date_local from staging.stg_trustpilot__product_reviews"
        " order by review_id",
    )
    assert len(staged) == 8
    assert staged[3] == ("3404", "BA-WAL-014", 3, "it", "sofia.esposito@example.it", "BA1048", True, date(2026, 11, 5))
    assert staged[6][5:7] == (None, False)
    assert staged[7][3:5] == ("en", "chiara.ricci@example.it")
    conformed = query(
        workspace,
        "select count(*), avg(rating), sum(is_verified_purchase::int), count(review_title)"
        " from intermediate.int_reviews__product_reviews where source_system = 'trustpilot'",
    )
    assert conformed == [(8, 3.75, 7, 0)]
    by_sku = query(
        workspace,
        "select sku, count(*), avg(rating) from intermediate.int_reviews__product_reviews"
        " where source_system = 'trustpilot' group by 1 order by 1",
    )
    assert by_sku == [
        ("BA-BELT-007", 2, 3.5),
        ("BA-SCF-021", 1, 5.0),
        ("BA-TOTE-001", 3, 4.666667),
        ("BA-WAL-014", 2, 2.0),
    ]
    # marts: sentiment by product (every review text is scored) and the review touchpoints
    texts = query(
        workspace,
        "select sku, texts from marts.mart_sentiment_by_product_monthly"
        " where period_start_date = '2026-11-01' order by 1",
    )
    assert texts == [("BA-BELT-007", 2), ("BA-SCF-021", 1), ("BA-TOTE-001", 3), ("BA-WAL-014", 2)]
    touchpoints = query(
        workspace,
        "select count(*), sum(score) from marts.fct_customer_touchpoint"
        " where touchpoint_type = 'review' and source_record_id like '6543a1f0c2b7e90012ab34%'",
    )
    assert touchpoints == [(8, 30)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        "select review_id, sku, rating, reviewer_email, is_verified_purchase"
        " from intermediate.int_reviews__product_reviews where source_system = 'generic_csv'"
        " order by 1",
    ) == [
        ("RV900001", "BA-TOTE-001", 4, "paola.neri@example.it", True),
        ("RV900002", "BA-WAL-014", 2, "dario.fabbri@example.it", False),
    ]
    assert query(
        workspace,
        "select sku, texts from marts.mart_sentiment_by_product_monthly"
        " where period_start_date = '2026-09-01' order by 1",
    ) == [("BA-TOTE-001", 1), ("BA-WAL-014", 1)]


# --------------------------------------------------------------------------- generator


GENERATE = ["--people", "1500", "--start", "2026-01-01", "--end", "2026-04-30"]
NAME = re.compile(r"^product_reviews_(\d{8})_page(\d+)\.json$")


def generate(out: Path, seed: str = "3") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("trustpilot_generated"))


def digests(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / TABLE).iterdir())}


def test_the_generator_writes_monthly_api_pulls(generated: Path) -> None:
    # the site's own review widget stays in the generic CSV, Trustpilot reviews are native pages
    with duckdb.connect(":memory:") as connection:
        load_table(connection, raw_table("reviews_product_reviews"), generated, LOADED_AT)
        assert connection.execute(
            "select count(*), min(platform), max(platform) from raw.reviews_product_reviews"
        ).fetchone()[1:] == ("site", "site")
    names = sorted(p.name for p in (generated / TABLE).iterdir())
    assert {NAME.match(n).group(1) for n in names} == {"20260201", "20260301", "20260401", "20260501"}
    documents = [json.loads((generated / TABLE / n).read_text(encoding="utf-8")) for n in names]
    assert all(list(d) == ["productReviews", "links"] for d in documents)
    review = next(d["productReviews"][0] for d in documents if d["productReviews"])
    assert list(review)[:5] == ["id", "createdAt", "updatedAt", "businessUnitId", "stars"]
    assert re.fullmatch(r"[0-9a-f]{24}", review["id"]) and review["createdAt"].endswith("Z")
    assert set(review["product"]) == {"id", "productUrl", "productImages", "name", "sku", "gtin", "mpn", "brand"}
    assert set(review["consumer"]) == {"id", "email", "name"} and "title" not in review
    with duckdb.connect(":memory:") as connection:
        result = load_table(connection, raw_table(TABLE), generated, LOADED_AT)
        assert result.rows_added > 0 and all("same content" in w for w in result.warnings)  # empty pulls are alike
        assert connection.execute(f"""select count(*) from raw.{TABLE}
                                      where "createdAt" < timestamptz '2026-01-01 00:00:00+00'
                                      or "createdAt" >= timestamptz '2026-05-01 00:00:00+02' or product.sku is null
                                      or stars not between 1 and 5 or state <> 'published'""").fetchone() == (0,)
        verified, total = connection.execute(
            f'select count("referenceId"), count(distinct id) from raw.{TABLE}'
        ).fetchone()
        assert 0 < verified < total


def test_review_emails_and_order_numbers_are_in_the_ground_truth(generated: Path) -> None:
    with duckdb.connect(":memory:") as connection:
        load_table(connection, raw_table(TABLE), generated, LOADED_AT)
        truth = generated / "_ground_truth" / "identifiers.csv.gz"
        missing = connection.execute(f"""
            select count(*) from raw.{TABLE} as r
            where not exists (select 1 from read_csv('{truth}', header = true, all_varchar = true) as t
                              where t.identifier_type = 'email'
                                  and t.identifier_value = r.consumer.email)""").fetchone()[0]
        assert missing == 0
        # referenceId is the shop's order number (ER100001, ...)
        assert connection.execute(f"""select count(*) from raw.{TABLE}
                                      where not regexp_full_match("referenceId", 'ER[0-9]{{6}}')""").fetchone() == (0,)


def test_the_generator_is_deterministic_for_the_trustpilot_files(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digests(again) == digests(generated)
    assert digests(generate(tmp_path / "other", seed="4")) != digests(generated)
