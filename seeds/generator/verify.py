"""Check a generated bundle against the dbt source contract with DuckDB (development tool).

    python -m seeds.generator.verify seeds/bundled

Loads every landing file exactly as the warehouse does (``read_csv`` with the
YAML column types and ``store_rejects``; ``read_json`` for GA4), fails on any
rejected row, on a header that differs from the contract, or on a timestamp
outside the window, and prints row counts. Needs duckdb and PyYAML (project
dependencies), which the generator itself does not use.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def load_contract(repo: Path = REPO) -> dict[str, list[tuple[str, str]]]:
    import yaml

    out: dict[str, list[tuple[str, str]]] = {}
    for f in sorted(glob.glob(str(repo / "dbt/models/staging/*/_*__sources.yml"))):
        doc = yaml.safe_load(Path(f).read_text(encoding="utf-8"))
        for src in doc.get("sources", []):
            for t in src.get("tables", []):
                out[t.get("identifier", t["name"])] = [(c["name"], c["data_type"]) for c in t["columns"]]
    return out


# Allowed values as documented in the source YAML descriptions.
DOMAINS: dict[str, dict[str, tuple[str, ...]]] = {
    "ga4_events": {"event_name": ("session_start", "page_view", "user_engagement", "scroll", "view_item", "add_to_cart",
                                  "begin_checkout", "purchase", "generate_lead", "sign_up", "login", "form_submit"),
                   "platform": ("WEB",)},
    "crm_contacts": {"language": ("it", "en"), "lifecycle_stage": ("subscriber", "lead", "mql", "sql", "customer", "other")},
    "crm_companies": {"industry": ("retail", "manufacturing", "software", "hospitality", "healthcare", "finance",
                                   "education", "public_sector", "other")},
    "crm_leads": {"source_channel": ("web_form", "email", "social", "ads", "event", "referral", "sales_outbound"),
                  "stage": ("new", "mql", "sql", "opportunity", "won", "lost")},
    "crm_lead_stage_history": {"stage": ("new", "mql", "sql", "opportunity", "won", "lost")},
    "esp_campaigns": {"channel": ("email", "dem", "sms")},
    "esp_activity": {"event_type": ("sent", "delivered", "open", "click", "bounce", "unsubscribe"),
                     "bounce_type": ("hard", "soft")},
    "esp_list_membership": {"event_type": ("subscribe", "unsubscribe", "cleaned"),
                            "signup_source": ("web_form", "checkout", "event", "import")},
    "shop_orders": {"currency": ("EUR", "GBP", "USD", "CHF"), "status": ("paid", "cancelled")},
    "shop_refunds": {"currency": ("EUR", "GBP", "USD", "CHF"),
                     "reason": ("damaged", "wrong_size", "not_as_described", "changed_mind", "late_delivery")},
    "social_page_insights": {"platform": ("facebook", "instagram", "linkedin")},
    "social_posts": {"platform": ("facebook", "instagram", "linkedin"),
                     "post_type": ("image", "video", "carousel", "link", "text")},
    "social_comments": {"platform": ("facebook", "instagram", "linkedin")},
    "social_mentions": {"platform": ("facebook", "instagram", "linkedin", "x", "web")},
    "ads_campaign_daily": {"platform": ("google_ads", "meta_ads", "dv360"),
                           "network": ("search", "display", "social", "video"), "currency": ("EUR",)},
    "gsc_search_performance": {"device": ("DESKTOP", "MOBILE", "TABLET")},
    "finance_marketing_spend": {"channel": ("sem", "display", "social_ads", "email", "sms", "seo", "events", "affiliate"),
                                "cost_type": ("media", "fee", "production"), "currency": ("EUR", "GBP", "USD", "CHF")},
    "finance_fx_rates": {"currency": ("EUR", "GBP", "USD", "CHF")},
    "reviews_product_reviews": {"platform": ("site", "trustpilot"), "language": ("it", "en")},
    "survey_nps_responses": {"channel": ("email", "web", "sms")},
    "ticketing_events": {"event_type": ("webinar", "workshop", "trade_fair", "store_event"),
                         "format": ("online", "offline")},
    "ticketing_registrations": {"ticket_type": ("free", "paid")},
}
RANGES: dict[str, tuple[str, ...]] = {  # SQL predicates that must hold on every row
    "survey_nps_responses": ("score between 0 and 10",),
    "reviews_product_reviews": ("rating between 1 and 5", "verified_purchase = (order_number is not null)"),
    "shop_orders": ("subtotal >= 0", "discount_total >= 0", "shipping >= 0", "tax >= 0", "total >= 0",
                    "abs(subtotal - discount_total + shipping - total) < 0.011"),
    "shop_order_lines": ("quantity >= 1", "unit_price > 0", "line_discount >= 0"),
    "shop_refunds": ("amount > 0",),
    "ads_campaign_daily": ("clicks <= impressions", "cost >= 0", "conversions >= 0"),
    "gsc_search_performance": ("clicks <= impressions", "is_anonymized_query = (query is null)",
                               "country ~ '^[a-z]{3}$'"),
    "social_page_insights": ("followers >= 0", "impressions >= reach"),
    "finance_marketing_spend": ("amount > 0",),
    "finance_fx_rates": ("eur_per_unit > 0",),
    "crm_contacts": ("updated_at >= created_at", "country ~ '^[A-Z]{2}$'"),
    "crm_companies": ("employee_count > 0", "country ~ '^[A-Z]{2}$'"),
    "ticketing_events": ("ends_at > starts_at",),
    "ticketing_registrations": ("checked_in_at is null or checked_in_at >= registered_at",),
    "crm_leads": ("closed_at is null or closed_at >= created_at", "amount_eur > 0"),
    "ga4_events": ("event_date = strftime(timezone('Europe/Rome', make_timestamptz(event_timestamp)), '%Y%m%d')",),
}


def _cols_sql(cols: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"'{n}': '{t}'" for n, t in cols) + "}"


def verify(bundle: Path) -> int:
    import duckdb

    contract = load_contract()
    manifest = json.loads((bundle / "extract.json").read_text())
    con = duckdb.connect()
    errors = 0
    total = 0
    lo = f"TIMESTAMP '{manifest['start']} 00:00:00'"
    hi_local = f"(TIMESTAMP '{manifest['end']} 00:00:00' + INTERVAL 1 DAY)"
    for table in sorted(contract):
        cols = contract[table]
        files = sorted((bundle / table).glob("*.gz"))
        if not files:
            print(f"MISSING  {table}")
            errors += 1
            continue
        n = 0
        for f in files:
            if f.name.endswith(".csv.gz"):
                with gzip.open(f, "rt", encoding="utf-8", newline="") as fh:
                    header = fh.readline().rstrip("\n").split(",")
                if header != [c for c, _ in cols]:
                    print(f"HEADER   {f}: {header}")
                    errors += 1
                con.execute(f"""create or replace table t as select * from read_csv('{f}', header=true,
                                columns={_cols_sql(cols)}, store_rejects=true)""")
                rej = con.execute("select count(*) from reject_errors").fetchone()[0]
                if rej:
                    print(f"REJECTS  {f}: {rej}")
                    print(con.execute("select line, column_name, error_message from reject_errors limit 5").fetchall())
                    errors += 1
            else:
                con.execute(f"""create or replace table t as select * from read_json('{f}',
                                format='newline_delimited', columns={_cols_sql(cols)})""")
            n += con.execute("select count(*) from t").fetchone()[0]
            # timestamps inside [start, end + 1 day)
            for c, typ in cols:
                if typ in ("timestamp", "timestamptz"):
                    expr = f"{c}::timestamp" if typ == "timestamp" else f"timezone('UTC', {c})"
                    bad = con.execute(f"select count(*) from t where {expr} < {lo} or {expr} >= {hi_local}").fetchone()[0]
                    if bad:
                        print(f"WINDOW   {f}: {bad} values of {c} outside the window")
                        errors += 1
                if typ == "date":
                    bad = con.execute(f"""select count(*) from t where {c} < DATE '{manifest['start']}'
                                          or {c} > DATE '{manifest['end']}'""").fetchone()[0]
                    if bad:
                        print(f"WINDOW   {f}: {bad} values of {c} outside the window")
                        errors += 1
            for col, allowed in DOMAINS.get(table, {}).items():
                vals = ", ".join("'" + v + "'" for v in allowed)
                bad = con.execute(f"select count(*) from t where {col} is not null and {col} not in ({vals})").fetchone()[0]
                if bad:
                    print(f"DOMAIN   {f}: {bad} values of {col} outside {allowed}")
                    errors += 1
            for pred in RANGES.get(table, ()):
                bad = con.execute(f"select count(*) from t where not ({pred})").fetchone()[0]
                if bad:
                    print(f"RULE     {f}: {bad} rows violate {pred}")
                    errors += 1
            if table == "ga4_events":
                bad = con.execute(f"""select count(*) from t where make_timestamp(event_timestamp) < {lo}
                                      or make_timestamp(event_timestamp) >= {hi_local}""").fetchone()[0]
                if bad:
                    print(f"WINDOW   {f}: {bad} events outside the window")
                    errors += 1
            con.execute("drop table if exists reject_errors")
            con.execute("drop table if exists reject_scans")
        total += n
        print(f"ok       {table:28s} {len(files):3d} file(s) {n:>9,d} rows")
    print(f"{'errors' if errors else 'all tables load cleanly'}: {errors}; {total:,d} rows")
    return 1 if errors else 0


REPORT_SQL = """
create view ga as select * from read_json('{b}/ga4_events/*.ndjson.gz', format='newline_delimited', columns={ga});
create table ev as select distinct * from ga;
create table ses as select user_pseudo_id,
    list_filter(event_params, lambda x: x.key = 'ga_session_id')[1].value.int_value sid,
    count(*) filter (where event_name = 'page_view') pv, min(event_date) d0, max(event_date) d1
  from ev group by all;
create view ord_raw as select * from read_csv('{b}/shop_orders/*.csv.gz', header=true, columns={orders});
create table ord as select order_id, any_value(email) email, bool_or(status = 'cancelled') cancelled
  from (select distinct * from ord_raw) group by 1;
create view rf as select * from read_csv('{b}/shop_refunds/*.csv.gz', header=true, columns={refunds});
create table act as select distinct * from read_csv('{b}/esp_activity/*.csv.gz', header=true, columns={activity});
create view gti as select * from read_csv('{b}/_ground_truth/identifiers.csv.gz', header=true, all_varchar=true);
create view gtp as select * from read_csv('{b}/_ground_truth/people.csv.gz', header=true, all_varchar=true);
create table ordp as select distinct o.order_id, g.person_id from ord o join gti g
  on g.identifier_type = 'email' and g.identifier_value = o.email and g.is_shared = 'false' where not o.cancelled;
create view nps as select * from read_csv('{b}/survey_nps_responses/*.csv.gz', header=true, columns={nps});
"""
REPORT_FIGURES = (
    ("GA4 events (incl. duplicates)", "select count(*) from ga"),
    ("GA4 sessions", "select count(*) from ses"),
    ("share of events with user_id (logged in) %", "select round(100.0 * count(user_id) / count(*), 1) from ev"),
    ("single-page sessions %", "select round(100.0 * count(*) filter (where pv = 1) / count(*), 1) from ses"),
    ("sessions crossing midnight (Europe/Rome)", "select count(*) filter (where d0 <> d1) from ses"),
    ("orders (distinct)", "select count(*) from ord"),
    ("cancelled orders %", "select round(100.0 * avg(cancelled::int), 2) from ord"),
    ("refunded paid orders %", "select round(100.0 * count(*) filter (where order_id in (select order_id from rf)) "
                               "/ count(*), 2) from ord where not cancelled"),
    ("repeat-customer share % (persons with 2+ paid orders)",
     "select round(100.0 * count(*) filter (where n > 1) / count(*), 1) from "
     "(select person_id, count(*) n from ordp group by 1)"),
    ("email bounce % of sent", "select round(100.0 * count(*) filter (where event_type = 'bounce') / "
                               "count(*) filter (where event_type = 'sent'), 2) from act where recipient_email is not null"),
    ("email unique open rate % of delivered",
     "select round(100.0 * count(distinct (campaign_id, recipient_email)) filter (where event_type = 'open') / "
     "count(*) filter (where event_type = 'delivered'), 1) from act where recipient_email is not null"),
    ("email unique click rate % of sent",
     "select round(100.0 * count(distinct (campaign_id, recipient_email)) filter (where event_type = 'click') / "
     "count(*) filter (where event_type = 'sent'), 2) from act where recipient_email is not null"),
    ("email unsubscribe % of delivered", "select round(100.0 * count(*) filter (where event_type = 'unsubscribe') / "
     "count(*) filter (where event_type = 'delivered'), 2) from act where recipient_email is not null"),
    ("NPS promoters % / detractors %", "select round(100.0 * avg((score >= 9)::int), 1) || ' / ' || "
                                       "round(100.0 * avg((score <= 6)::int), 1) from nps"),
    ("identified persons %", "select round(100.0 * avg((is_identified = 'true')::int), 1) from gtp"),
    ("unlinkable identifiers of identified persons %",
     "select round(100.0 * count(*) filter (where linkable = 'false') / count(*), 2) from "
     "(select distinct identifier_type, normalized_value, person_id, linkable from gti) x "
     "join gtp using (person_id) where is_identified = 'true'"),
)


def report(bundle: Path) -> None:
    """Print a few realism figures of a bundle (uses the ground truth to map orders to persons)."""
    import duckdb

    contract = load_contract()
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    cols = {k: _cols_sql(contract[t]) for k, t in (("ga", "ga4_events"), ("orders", "shop_orders"),
                                                   ("refunds", "shop_refunds"), ("activity", "esp_activity"),
                                                   ("nps", "survey_nps_responses"))}
    for stmt in REPORT_SQL.format(b=bundle, **cols).split(";"):
        if stmt.strip():
            con.execute(stmt)
    for label, sql in REPORT_FIGURES:
        print(f"{label:55s} {con.execute(sql).fetchone()[0]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m seeds.generator.verify")
    ap.add_argument("bundle", type=Path, nargs="?", default=Path("seeds/bundled"))
    ap.add_argument("--report", action="store_true", help="also print realism figures")
    args = ap.parse_args(argv)
    rc = verify(args.bundle)
    if args.report:
        report(args.bundle)
    return rc


if __name__ == "__main__":
    sys.exit(main())
