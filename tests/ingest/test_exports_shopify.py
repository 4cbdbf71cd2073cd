"""Shopify: the admin CSV orders export and the Admin REST API orders pages (docs/sources/shopify.md).

(a) the loader on the hand-written fixtures (tests/fixtures/exports/shopify, EXPECTED.md there) and on
variants of them (a missing column, an added one, an older header, a bad value); (b) the whole graph on
every tool's fixtures (``exports_run``): raw rows, staging, the conformed commerce models (an order in
both exports counted once, from the API) and the commerce marts; (c) the generator writes the native
files and stays deterministic.
"""

from __future__ import annotations

import copy
import csv
import functools
import gzip
import hashlib
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2025, 5, 3, 6, 0, 0)
FIXTURES = EXPORT_FIXTURES_DIR / "shopify"
CSV_TABLE, API_TABLE = "shopify_orders", "shopify_api_orders"
EXPORT = "orders_export_1.csv"


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def land(landing: Path, table: str, name: str, content: str | bytes) -> Path:
    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def export_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO((FIXTURES / CSV_TABLE / EXPORT).read_text(encoding="utf-8"), newline="")))


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def api_page(name: str = "orders_page_1.json") -> dict:
    return json.loads((FIXTURES / API_TABLE / name).read_text(encoding="utf-8"))


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


# --------------------------------------------------------------------------- (a) loader


def test_the_csv_export_loads_one_row_per_line_item(con) -> None:
    result = load(con, FIXTURES, CSV_TABLE)
    assert result.rows_added == 14 and len(result.files_loaded) == 2, result
    assert con.execute("select count(*), count(id), count(*) - count(total) from raw.shopify_orders").fetchone() == (
        14,
        8,
        6,
    )
    # first row of #1001: offset timestamp to UTC, yes/no boolean, "" -> null, apostrophe zip kept raw
    assert con.execute(
        "select created_at = timestamptz '2025-03-04 08:12:33+00', accepts_marketing, discount_code,"
        " billing_zip, total,"
        " refunded_amount, _source_row from raw.shopify_orders where id = '6021458339981'"
    ).fetchone() == (True, True, None, "'20123", 86.9, 0.0, 10)
    # continuation rows repeat Name, Email, Created at and the Lineitem columns only
    assert con.execute(
        "select name, email, lineitem_sku, lineitem_compare_at_price, financial_status, currency, id, source"
        " from raw.shopify_orders where name = '#1005' and id is null order by _source_row"
    ).fetchall() == [
        ("#1005", "emma.walsh@example.ie", "BA-CER-001-VER", None, None, None, None, None),
        ("#1005", "emma.walsh@example.ie", "BA-CER-002-TER", None, None, None, None, None),
    ]
    # DST: +0200 after 30 March; a quoted field with commas stays one field
    assert con.execute(
        "select created_at = timestamptz '2025-04-03 10:30:00+00', cancelled_at = timestamptz '2025-04-03 13:02:10+00'"
        " from raw.shopify_orders where name = '#1004'"
    ).fetchone() == (True, True)
    assert con.execute(
        "select billing_street, notes from raw.shopify_orders where id = '6021489078413'"
    ).fetchone() == ("Borgo Pinti 27", "Se non ci sono, lasciare al portiere, grazie!")


def test_the_api_pages_load_one_row_per_order_with_nested_lists(con) -> None:
    result = load(con, FIXTURES, API_TABLE)
    assert result.rows_added == 8 and not result.warnings, result  # 3 + 3 + the earlier pull's 2
    assert con.execute(
        "select sum(len(line_items)), sum(len(refunds)) from raw.shopify_api_orders"
        " where _source_file like '%/orders_page_%'"
    ).fetchone() == (11, 4)
    # money as JSON strings -> double, nested transaction amounts, ids as bigint, offsets to UTC
    row = con.execute("""select total_price, refunds[1].transactions[1].amount, refunds[2].order_adjustments[1].amount,
                                customer.id, customer.email_marketing_consent.state, line_items[1].price,
                                created_at = timestamptz '2025-04-22 17:40:05+00'
                         from raw.shopify_api_orders where name = '#1006'""").fetchone()
    assert row == (90.9, 56.0, -6.9, 8034120195113, "subscribed", 28.0, True)
    assert con.execute(
        "select discount_codes[1].code, discount_applications[1].target_selection,"
        " line_items[1].discount_allocations[1].amount from raw.shopify_api_orders where name = '#1002'"
    ).fetchone() == ("BENVENUTO10", "all", 18.9)
    assert con.execute(
        "select fulfillment_status, referring_site from raw.shopify_api_orders where name = '#1004'"
    ).fetchone() == (None, "http://m.facebook.com/")


def test_a_missing_required_csv_column_names_file_line_and_column(con, tmp_path: Path) -> None:
    rows = export_rows()
    drop = rows[0].index("Total")
    land(tmp_path, CSV_TABLE, "2025-05-01_orders_export_1.csv", to_csv([r[:drop] + r[drop + 1 :] for r in rows]))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, CSV_TABLE)
    assert (error.value.file, error.value.line, error.value.column) == (
        f"{CSV_TABLE}/2025-05-01_orders_export_1.csv",
        1,
        "total",
    )


def test_a_bad_timestamp_names_its_line_and_header(con, tmp_path: Path) -> None:
    rows = export_rows()
    rows[3][rows[0].index("Created at")] = "15/04/2025 08:55"
    land(tmp_path, CSV_TABLE, "orders_export_1.csv", to_csv(rows))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, CSV_TABLE)
    assert (error.value.line, error.value.column) == (4, "Created at")


def test_an_added_column_loads_and_an_older_header_too(con, tmp_path: Path) -> None:
    rows = export_rows()
    # a newer export with one more trailing column, and a multi-line note
    newer = [r + [v] for r, v in zip(rows, ["Customer Segment"] + ["vip"] * (len(rows) - 1), strict=False)]
    newer[1][rows[0].index("Notes")] = "Citofono rotto:\nchiamare al 347 123 4567"
    land(tmp_path, CSV_TABLE, "2025-05-01_orders_export_1.csv", to_csv(newer))
    # an older export: no trailing Payment References, `Fulfillment Date` instead of `Fulfilled at`
    cut = rows[0].index("Payment References")
    older = [r[:cut] for r in rows]
    older[0][older[0].index("Fulfilled at")] = "Fulfillment Date"
    land(tmp_path, CSV_TABLE, "2022-12-31_orders_export_1.csv", to_csv(older))
    result = load(con, tmp_path, CSV_TABLE)
    assert result.rows_added == 22
    assert any("Customer Segment" in w for w in result.warnings), result.warnings
    assert con.execute(
        "select count(fulfilled_at), count(payment_references) from raw.shopify_orders"
        " where _source_file like '%2022-12-31%'"
    ).fetchone() == (4, 0)
    assert con.execute(
        "select notes, _source_row from raw.shopify_orders where _source_file like '%2025-05-01%' and name = '#1006'"
    ).fetchone() == ("Citofono rotto:\nchiamare al 347 123 4567", 1)


def test_an_api_order_without_its_id_is_refused_and_added_keys_are_ignored(con, tmp_path: Path) -> None:
    page = api_page()
    page["orders"][0]["client_details"] = {"browser_ip": "203.0.113.7"}  # a key the contract does not declare
    land(tmp_path, API_TABLE, "orders_page_1.json", json.dumps(page))
    result = load(con, tmp_path, API_TABLE)
    assert result.rows_added == 3 and any("client_details" in w for w in result.warnings), result.warnings
    broken = copy.deepcopy(page)
    del broken["orders"][1]["id"]
    land(tmp_path, API_TABLE, "orders_page_2.json", json.dumps(broken))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, API_TABLE)
    assert error.value.column == "id" and "record 2" in error.value.problem
    assert con.execute("select count(*) from raw.shopify_api_orders").fetchone() == (3,)  # nothing of the bad file


def test_gzip_pages_and_files_not_named_as_pages_or_exports(con, tmp_path: Path) -> None:
    body = (FIXTURES / API_TABLE / "orders_page_2.json").read_bytes()
    land(tmp_path, API_TABLE, "orders_page1_202504.json.gz", gzip.compress(body, mtime=0))
    land(tmp_path, API_TABLE, "customers.json", body)  # not an orders page: not read
    land(tmp_path, CSV_TABLE, "transactions_export_1.csv", "Order,Name\n")  # the other admin export: not read
    assert load(con, tmp_path, API_TABLE).rows_added == 3
    assert load(con, tmp_path, CSV_TABLE).rows_added == 0


# --------------------------------------------------------------------------- (b) end to end


def test_end_to_end_raw_and_staging(exports_run) -> None:
    workspace, result = exports_run
    failures = [f for f in run_failures(result) if "shop" in f or "commerce" in f]
    assert not failures, failures
    assert query(
        workspace, "select (select count(*) from raw.shopify_orders), (select count(*) from raw.shopify_api_orders)"
    ) == [(14, 8)]
    # the API copy with the latest updated_at wins (#1003 refunded on 2 April); the test order is flagged
    assert query(
        workspace,
        "select order_number, financial_status, is_test, customer_number from staging.stg_shopify__api_orders"
        " where order_number in ('#1001', '#1003', '#1008') order by 1",
    ) == [
        ("#1001", "paid", False, "8034120195113"),
        ("#1003", "partially_refunded", False, None),
        ("#1008", "paid", True, None),
    ]
    # UTMs from the landing site; without them, the referring site (none here: direct)
    assert query(
        workspace,
        "select order_number, utm_source, utm_medium, utm_campaign from staging.stg_shopify__api_orders"
        " where order_number in ('#1002', '#1006') order by 1",
    ) == [("#1002", "google", "cpc", "brand_it"), ("#1006", "(direct)", "(none)", None)]
    # discounts: the code of #1002 is order-level (target_selection all), not a line discount
    assert query(
        workspace,
        "select subtotal, discount_total, total, coupon_code from staging.stg_shopify__api_orders"
        " where order_number = '#1002'",
    ) == [(Decimal("248"), Decimal("24.8"), Decimal("223.2"), "BENVENUTO10")]
    assert query(
        workspace,
        "select sum(line_discount), sum(allocated_discount) from staging.stg_shopify__api_order_lines"
        " where order_id = '6021467254925'",
    ) == [(Decimal("0"), Decimal("24.8"))]
    # money refunded = successful refund transactions; the void of #1004 returns nothing
    assert query(
        workspace,
        "select refund_id, refund_date_local, amount, is_money_refund from staging.stg_shopify__api_refunds order by 1",
    ) == [
        ("921305710749", date(2025, 4, 2), Decimal("28"), True),
        ("921677328525", date(2025, 4, 3), Decimal("0"), False),
        ("925004316813", date(2025, 4, 25), Decimal("56"), True),
        ("925871882381", date(2025, 4, 29), Decimal("34.9"), True),
    ]
    # the CSV export: first rows only, Subtotal + Discount Amount, normalized contact fields
    assert query(
        workspace,
        "select order_number, email, phone_e164, subtotal, discount_total, total, coupon_code, billing_zip,"
        " refunded_amount, accepts_marketing, order_status from staging.stg_shopify__export_orders"
        " where order_number = '#1007'",
    ) == [
        (
            "#1007",
            "chiara.conti@example.it",
            "+393395550199",
            Decimal("113"),
            Decimal("11.3"),
            Decimal("108.6"),
            "PRIMAVERA10",
            "40121",
            Decimal("21.6"),
            False,
            "partially_refunded",
        )
    ]
    assert query(workspace, "select count(*) from staging.stg_shopify__export_orders") == [(7,)]
    assert query(
        workspace,
        "select order_id, line_number, sku, quantity from staging.stg_shopify__export_order_lines"
        " where order_id in ('6021601234957', '6021533380749') order by 1, 2",
    ) == [
        ("6021533380749", 1, "BA-TES-020-150", 1),
        ("6021533380749", 2, "BA-CER-001-VER", 1),
        ("6021533380749", 3, "BA-CER-002-TER", 1),
        ("6021601234957", 1, "BA-CER-001-BLU", 2),
        ("6021601234957", 2, "BA-CER-005-GRA", 1),
    ]


def test_end_to_end_conformed_counts_each_order_once(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        """select source_table, count(*), count(*) filter (where is_cancelled),
                                      sum(total_eur) filter (where not is_cancelled)
                               from intermediate.int_commerce__orders where source_system = 'shopify'
                                   group by 1 order by 1""",
    ) == [("shopify_api_orders", 6, 1, Decimal("705.90")), ("shopify_orders", 1, 0, Decimal("108.60"))]
    assert query(
        workspace,
        "select order_number, utm_source, landing_page, customer_number, financial_status, accepts_marketing,"
        " email_marketing_consent_state from intermediate.int_commerce__orders where order_number in ('#1005', '#1007')"
        " order by 1",
    ) == [
        (
            "#1005",
            "instagram",
            "/products/tovaglia-in-lino-amalfi?utm_source=instagram&utm_medium=social&utm_campaign=journal_apr",
            None,
            "paid",
            True,
            "subscribed",
        ),
        ("#1007", None, None, None, "partially_refunded", False, None),
    ]
    assert query(
        workspace,
        "select source_table, count(*) from intermediate.int_commerce__order_lines"
        " where source_system = 'shopify' group by 1 order by 1",
    ) == [("shopify_api_orders", 11), ("shopify_orders", 2)]
    assert query(
        workspace,
        "select source_table, count(*), sum(amount_eur), bool_and(is_refund_date_known)"
        " from intermediate.int_commerce__refunds where source_system = 'shopify' group by 1 order by 1",
    ) == [("shopify_api_orders", 3, Decimal("118.90"), True), ("shopify_orders", 1, Decimal("21.60"), False)]


def test_end_to_end_marts(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        "select sum(gross_revenue_eur) filter (where not is_cancelled), sum(refunded_eur) filter"
        " (where not is_cancelled), sum(net_revenue_eur) from marts.fct_order where order_number like '#100%'",
    ) == [(Decimal("814.50"), Decimal("140.50"), Decimal("674.00"))]
    assert query(
        workspace,
        "select order_number, channel_group from marts.fct_order where order_number in"
        " ('#1001', '#1002', '#1003', '#1004', '#1005', '#1006', '#1007') order by 1",
    ) == [
        ("#1001", "email"),
        ("#1002", "paid_search"),
        ("#1003", "referral"),
        ("#1004", "paid_social"),
        ("#1005", "organic_social"),
        ("#1006", "direct"),
        ("#1007", "other"),
    ]
    assert query(
        workspace,
        """select period_start_date, orders, cancelled_orders, gross_revenue_eur, refunds_eur, net_revenue_eur
                               from marts.mart_commerce_kpis_monthly where period_start_date between date '2025-03-01'
                                   and date '2025-05-01'
                               order by 1""",
    ) == [
        (date(2025, 3, 1), 3, 0, Decimal("455.10"), Decimal("28.00"), Decimal("427.10")),
        (date(2025, 4, 1), 2, 1, Decimal("250.80"), Decimal("90.90"), Decimal("159.90")),
        (date(2025, 5, 1), 1, 0, Decimal("108.60"), Decimal("21.60"), Decimal("87.00")),
    ]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        "select order_number, email, phone_e164, total_eur, utm_source, utm_medium, utm_campaign, is_cancelled"
        " from intermediate.int_commerce__orders where source_system = 'generic_csv' order by 1",
    ) == [
        ("BA0990", "paola.neri@example.it", "+393470001111", Decimal("95.90"), "google", "organic", None, False),
        ("G-2001", "luca.verdi@example.it", None, Decimal("59.00"), "newsletter", "email", "autunno", False),
        (
            "G-2002",
            "anna.gialli@example.it",
            "+393401234567",
            Decimal("114.90"),
            "facebook",
            "paid_social",
            "pelle_autunno",
            True,
        ),
    ]
    assert query(
        workspace,
        "select count(*), sum(line_amount) from intermediate.int_commerce__order_lines"
        " where source_system = 'generic_csv'",
    ) == [(4, Decimal("268"))]
    assert query(
        workspace,
        "select refund_id, amount_eur, reason, refund_date_local from intermediate.int_commerce__refunds"
        " where source_system = 'generic_csv'",
    ) == [("RF900001", Decimal("19.00"), "changed_mind", date(2026, 10, 31))]


# --------------------------------------------------------------------------- (c) generator

FOLDERS = (API_TABLE, CSV_TABLE)


@functools.cache
def generate_bundle(root: str, seed: int = 7) -> Path:
    from seeds.generator.config import GeneratorConfig
    from seeds.generator.pipeline import generate

    out = Path(root) / f"shopify_bundle_{seed}"
    generate(
        GeneratorConfig(people=300, start=date(2026, 1, 1), end=date(2026, 2, 28), seed=seed, out=out),
        log=lambda message: None,
    )
    return out


def digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in FOLDERS
        for p in sorted((root / folder).iterdir())
    }


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    return generate_bundle(str(tmp_path_factory.getbasetemp()))


def test_the_generator_writes_the_api_pages_and_the_csv_export(generated: Path) -> None:
    pages = sorted(p.name for p in (generated / API_TABLE).iterdir())
    assert pages == ["orders_page1_202601.json.gz", "orders_page1_202602.json.gz"], pages
    assert not (generated / "shop_orders").exists()  # the generic CSV is no longer generated
    document = json.loads(gzip.decompress((generated / API_TABLE / pages[0]).read_bytes()))
    assert list(document) == ["orders"] and document["orders"]
    order = document["orders"][0]
    assert isinstance(order["id"], int) and isinstance(order["total_price"], str) and order["name"].startswith("ER")
    assert order["created_at"][10] == "T" and order["created_at"][-6] in "+-"  # ISO 8601 with the shop's offset
    assert [o["created_at"] for o in document["orders"]] == sorted(
        (o["created_at"] for o in document["orders"]), reverse=True
    )
    export = generated / CSV_TABLE / "orders_export_1_202602.csv"
    raw = export.read_bytes()
    assert raw[:4] == b"Name" and b"\r\n" not in raw and raw.endswith(b"\n")  # no BOM, LF
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert len(rows[0]) == 79 and rows[0][-1] == "Payment References" and rows[0][55] == "Id"
    firsts = [r for r in rows[1:] if r[55]]
    continuations = [r for r in rows[1:] if not r[55]]
    assert firsts and all(not r[2] and not r[11] and r[0] and r[15] for r in continuations)
    assert all(r[15][-5] in "+-" and r[15][10] == " " for r in rows[1:])  # 2026-02-01 10:00:00 +0100
    assert b',"",' in raw  # the export's quoted empty strings


def test_the_generated_files_load_and_the_ledger_knows_their_identifiers(generated: Path, con) -> None:
    assert load(con, generated, API_TABLE).rows_added > 0
    assert load(con, generated, CSV_TABLE).rows_added > 0
    truth = {
        row[0]
        for row in con.execute(
            f"select identifier_value from read_csv('{generated}/_ground_truth/identifiers.csv.gz', all_varchar=true)"
            " where identifier_type in ('email', 'user_id')"
        ).fetchall()
    }
    emails = {
        row[0]
        for row in con.execute("select distinct email from raw.shopify_api_orders where email is not null").fetchall()
    }
    accounts = {
        row[0]
        for row in con.execute(
            "select distinct customer.multipass_identifier from raw.shopify_api_orders where customer.state = 'enabled'"
        ).fetchall()
    }
    assert emails <= truth and accounts and accounts <= truth
    # every CSV order is also in the API pulls (the warehouse keeps the API copy)
    assert con.execute(
        "select count(*) from raw.shopify_orders where id is not null and cast(id as bigint) not in"
        " (select id from raw.shopify_api_orders)"
    ).fetchone() == (0,)


def test_the_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    assert digest(generated) == digest(generate_bundle(str(tmp_path), seed=7))
    assert digest(generate_bundle(str(tmp_path), seed=8)) != digest(generated)
