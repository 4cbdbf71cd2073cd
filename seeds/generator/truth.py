"""Ground truth (never loaded as a source): who is who, and which identifiers belong to whom."""

from __future__ import annotations

import csv
from pathlib import Path

from seeds.generator.writers import _GzText, cell

PEOPLE_DOC: tuple[tuple[str, str], ...] = (
    ("person_id", "Real person (P000001...). Never appears in an extract."),
    ("first_name", "First name as the person spells it (extracts may show other casing)."),
    ("last_name", "Last name."),
    ("language", "Preferred language: it or en."),
    ("country", "Country of residence, ISO 3166-1 alpha-2."),
    ("is_identified", "true if the person ever gave an identifier other than a cookie (email, phone, account...)."),
    ("persona", "b2c (shopper) or b2b (contact of a company)."),
    ("company_id", "Employer (crm_companies.company_id) for b2b persons."),
    (
        "acquisition_date",
        "First contact with the brand, Europe/Rome date; before the window for the legacy base imported on day one.",
    ),
    (
        "acquisition_channel",
        "organic_search, paid_search, paid_social, display, organic_social, referral, direct, "
        "event, sales_outbound, partner_referral or legacy_import.",
    ),
    ("is_lead", "true if the person has a CRM lead in the window."),
    ("lead_converted", "true if that lead was won or the person ordered after the lead was created."),
    ("is_customer", "true if the person placed at least one order in the window that was not cancelled."),
    (
        "churned_at",
        "BG/NBD dropout time (UTC) after the person's last purchase in the window; empty if still active "
        "or never a customer.",
    ),
)
IDENTIFIER_DOC: tuple[tuple[str, str], ...] = (
    (
        "identifier_type",
        "email, phone, user_pseudo_id, user_id (shop customer number), crm_contact_id, "
        "instagram_handle, linkedin_handle or facebook_id.",
    ),
    ("identifier_value", "The exact raw string as it appears in the extracts (one row per spelling and person)."),
    ("normalized_value", "Email lower-cased and trimmed, phone in E.164 (+393331234567), others unchanged."),
    ("person_id", "The person who used it on that row (a shared identifier has one row per person)."),
    (
        "is_shared",
        "true if the normalized identifier is used by more than one person (role mailboxes, test and "
        "placeholder addresses, shared household devices).",
    ),
    (
        "linkable",
        "true if the identifier is connected to another identifier of the same person through extract "
        "rows: on the same row, or through an order number shared by a shop order, its GA4 purchase "
        "event and its review.",
    ),
)
CUSTOMERS_DOC: tuple[tuple[str, str], ...] = (
    ("person_id", "Real person with at least one order in the window that was not cancelled."),
    (
        "has_relationship_before_window",
        "true for the legacy base (acquisition_channel legacy_import): the person was "
        "known to the brand before the window (CRM contact, list member, earlier "
        "customer); a returning legacy customer, not a newly acquired one.",
    ),
    ("ordered_before_window", "true if the person had bought before the window (a legacy customer in the old shop)."),
    ("first_order_number", "Order name (ER100001...) of the person's first order in the window not cancelled."),
    ("first_order_at", "Its creation time, UTC."),
    ("first_order_date", "Its Europe/Rome date: the acquisition month of a new customer."),
    (
        "is_new_customer",
        "true if the person's first order in the window makes them a newly acquired customer "
        "(no relationship before the window).",
    ),
)
PEOPLE_COLUMNS = tuple(c for c, _ in PEOPLE_DOC)
CUSTOMERS_COLUMNS = tuple(c for c, _ in CUSTOMERS_DOC)
IDENTIFIER_COLUMNS = tuple(c for c, _ in IDENTIFIER_DOC)


def _writer(path: Path):
    f = _GzText(path)
    return f, csv.writer(f.text, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def write_truth(world) -> dict[str, int]:
    out = world.cfg.out / "_ground_truth"
    clock = world.clock
    f, wr = _writer(out / "people.csv.gz")
    wr.writerow(PEOPLE_COLUMNS)
    n_people = 0
    # identified = seen with an identifier other than a cookie / social account in some extract
    identified = world.ledger.persons_with(("email", "phone", "user_id", "crm_contact_id"))
    for p in world.persons:
        paid = [o for o in p.orders if o.cancel_ts is None]
        lead = p.lead
        converted = False
        if lead is not None:
            converted = lead.won or any(o.ts >= lead.created_ts for o in paid)
        churned = clock.utc(p.churned_ts) if (p.churned_ts is not None and paid) else None
        wr.writerow(
            [
                cell(x)
                for x in (
                    p.pid,
                    p.first,
                    p.last,
                    p.lang,
                    p.country,
                    p.idx in identified,
                    p.persona,
                    p.company.company_id if p.company else None,
                    p.acq_date.isoformat(),
                    p.acq_channel,
                    lead is not None,
                    converted,
                    bool(paid),
                    churned,
                )
            ]
        )
        n_people += 1
    f.close()
    f, wr = _writer(out / "identifiers.csv.gz")
    wr.writerow(IDENTIFIER_COLUMNS)
    n_ids = 0
    persons = world.persons
    for typ, raw, norm, pidx, shared, linkable in world.ledger.rows():
        wr.writerow([typ, raw, norm, persons[pidx].pid, cell(shared), cell(linkable)])
        n_ids += 1
    f.close()
    n_customers = write_customers_truth(world, out)
    return {
        "_ground_truth/people": n_people,
        "_ground_truth/identifiers": n_ids,
        "_ground_truth/customers": n_customers,
    }


def write_customers_truth(world, out: Path) -> int:
    """New vs returning legacy customers: one row per person with a paid order in the window (draws no
    random numbers, so no stream shifts)."""
    clock = world.clock
    f, wr = _writer(out / "customers.csv.gz")
    wr.writerow(CUSTOMERS_COLUMNS)
    n = 0
    for p in world.persons:
        paid = sorted((o for o in p.orders if o.cancel_ts is None), key=lambda o: (o.ts, o.order_number))
        if not paid:
            continue
        first = paid[0]
        legacy = p.route == "legacy"
        wr.writerow(
            [
                cell(x)
                for x in (
                    p.pid,
                    legacy,
                    p.legacy_customer,
                    first.order_number,
                    clock.utc(first.ts),
                    clock.local_date(first.ts).isoformat(),
                    not legacy,
                )
            ]
        )
        n += 1
    f.close()
    return n
