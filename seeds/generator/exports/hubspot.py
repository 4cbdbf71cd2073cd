"""HubSpot CRM API v3 responses: contacts, companies, deals (with the dealstage history), pipelines.

What a team's pull script stores after the window (one response page per file, as returned):

* ``hubspot_contacts/contacts_<NNN>.json.gz`` -- ``GET /crm/v3/objects/contacts?limit=100
  &properties=...&associations=companies,deals`` (100 records a page, ordered by id);
* ``hubspot_companies/companies_<NNN>.json.gz`` -- ``GET /crm/v3/objects/companies?limit=100``;
* ``hubspot_deals/deals_<NNN>.json.gz`` -- ``GET /crm/v3/objects/deals?limit=50
  &propertiesWithHistory=dealstage&associations=contacts,companies`` (50 a page);
* ``hubspot_deal_pipelines/pipelines_deals.json`` -- ``GET /crm/v3/pipelines/deals``.

Format (docs/sources/hubspot.md; https://developers.hubspot.com/docs/api/crm/contacts,
https://developers.hubspot.com/docs/api/crm/deals, https://developers.hubspot.com/docs/api/crm/pipelines,
https://developers.hubspot.com/docs/faq/how-should-timestamps-be-formatted-for-hubspots-apis):
``{"results": [...], "paging": {"next": {"after", "link"}}}`` (no ``paging`` on the last page);
every property value a string or null; datetimes ISO 8601 UTC with ``Z``, milliseconds only when
non-zero; ``associations`` omitted when a record has none, a primary company listed once per
label (``contact_to_company`` + ``contact_to_company_unlabeled``); ``propertiesWithHistory.dealstage``
newest first, the oldest element being the stage at creation. The pages are compact JSON (as the
API sends them), gzip-compressed to keep the bundle small (the loader reads ``.json`` and ``.json.gz``).

The CRM is a snapshot at the end of the window: one record per contact in its current state (the
versions of the generic CSV are gone; ``lastmodifieddate`` is the last change). HubSpot keeps one
contact per email address, stored lower-cased: a later contact whose address is already taken
(a duplicate entered with a case variant, a second person on the shared role mailbox) has no
email. The legacy base migrated into the CRM on day one keeps its original create date (the
person's acquisition day, before the window). Lifecycle stages, consent (``hs_email_optout`` +
``hs_legal_basis``), the shop customer number and social handles are custom or default
properties as in the spec; SMS consent is not part of a HubSpot contact.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from seeds.generator import geo
from seeds.generator.clock import DAY, HOUR
from seeds.generator.gz import write_gzip
from seeds.generator.identity import normalize_email
from seeds.generator.rng import py_stream

FOLDERS = ("hubspot_contacts", "hubspot_companies", "hubspot_deals", "hubspot_deal_pipelines")

CONTACT_PAGE = 100
COMPANY_PAGE = 100
DEAL_PAGE = 50  # the page-size cap with propertiesWithHistory
API = "https://api.hubapi.com"

LIFECYCLE = {
    "subscriber": "subscriber",
    "lead": "lead",
    "mql": "marketingqualifiedlead",
    "sql": "salesqualifiedlead",
    "customer": "customer",
    "other": "other",
}
LIFECYCLE_DATE_KEYS = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
)
DEAL_STAGE = {
    "new": "appointmentscheduled",
    "mql": "qualifiedtobuy",
    "sql": "presentationscheduled",
    "opportunity": "decisionmakerboughtin",
    "won": "closedwon",
    "lost": "closedlost",
}
PIPELINE_STAGES = (  # id, label, probability, closed
    ("appointmentscheduled", "Appointment Scheduled", "0.2", "false"),
    ("qualifiedtobuy", "Qualified To Buy", "0.4", "false"),
    ("presentationscheduled", "Presentation Scheduled", "0.6", "false"),
    ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8", "false"),
    ("contractsent", "Contract Sent", "0.9", "false"),
    ("closedwon", "Closed Won", "1.0", "true"),
    ("closedlost", "Closed Lost", "0.0", "true"),
)
INDUSTRY = {  # project vocabulary -> HubSpot industry options (picked by company)
    "retail": ("RETAIL", "LUXURY_GOODS_JEWELRY", "APPAREL_FASHION"),
    "manufacturing": ("MACHINERY", "FURNITURE", "TEXTILES"),
    "software": ("COMPUTER_SOFTWARE", "INFORMATION_TECHNOLOGY_AND_SERVICES"),
    "hospitality": ("HOSPITALITY", "RESTAURANTS"),
    "healthcare": ("HOSPITAL_HEALTH_CARE",),
    "finance": ("FINANCIAL_SERVICES", "BANKING"),
    "education": ("EDUCATION_MANAGEMENT",),
    "public_sector": ("GOVERNMENT_ADMINISTRATION",),
    "other": ("DESIGN", "ARCHITECTURE_PLANNING", "MARKETING_AND_ADVERTISING"),
}
TOUCH_SOURCE = {
    "organic_search": "ORGANIC_SEARCH",
    "paid_search": "PAID_SEARCH",
    "paid_social": "PAID_SOCIAL",
    "display": "OTHER_CAMPAIGNS",
    "organic_social": "SOCIAL_MEDIA",
    "referral": "REFERRALS",
    "direct": "DIRECT_TRAFFIC",
    "email": "EMAIL_MARKETING",
    "dem": "EMAIL_MARKETING",
    "sms": "EMAIL_MARKETING",
}
PARTNER_SITES = (
    "studioarchitettiriuniti.example.it",
    "interiorpartners.example.com",
    "confcommercio-como.example.it",
    "designnetwork.example.eu",
)
OWNERS = (61234567, 61234590, 61234611, 61234648)
CURRENCY = {"GB": "GBP", "US": "USD", "CH": "CHF"}
LOST_REASONS = ("Budget insufficiente", "Scelto un concorrente", "Tempistiche non compatibili", "Nessuna risposta")
DEAL_WORDS_B2B = ("Fornitura", "Ordine", "Regali aziendali", "Allestimento", "Progetto")
LEGAL_BASIS_B2C = "Freely given consent from contact"
LEGAL_BASIS_B2B = "Legitimate interest – prospect/lead"
CONTACT_PROPERTIES = (
    "associatedcompanyid",
    "city",
    "company",
    "country",
    "createdate",
    "email",
    "firstname",
    "hs_analytics_source",
    "hs_analytics_source_data_1",
    "hs_analytics_source_data_2",
    "hs_email_optout",
    "hs_language",
    "hs_legal_basis",
    *(f"hs_lifecyclestage_{k}_date" for k in LIFECYCLE_DATE_KEYS),
    "hs_marketable_status",
    "hs_object_id",
    "instagram_handle",
    "jobtitle",
    "lastmodifieddate",
    "lastname",
    "lifecyclestage",
    "linkedin_handle",
    "mobilephone",
    "phone",
    "shop_customer_number",
)


# --------------------------------------------------------------------------- formatting


def _ms(r: random.Random) -> int:
    """Milliseconds of a system timestamp (a quarter fall on a whole second)."""
    return 0 if r.random() < 0.25 else r.randint(1, 999)


def _when(clock, ts: int, ms: int = 0) -> str:
    """``2024-10-15T15:30:05.870Z``; ``2024-09-16T09:12:00Z`` when the milliseconds are 0."""
    text = clock.utc(ts)
    return f"{text[:-1]}.{ms:03d}Z" if ms else text


def _amount(x: float) -> str:
    """An amount as typed in the deal: ``4800``, ``1250.50``."""
    return str(int(round(x))) if abs(x - round(x)) < 0.005 else f"{x:.2f}"


def _number(x: float) -> str:
    """A computed number as HubSpot prints it: ``2691``, ``1250.5``."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _write_page(path: Path, document: dict, gz: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    if not gz:
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    write_gzip(path, text.encode("utf-8"))


def _write_pages(out: Path, folder: str, stem: str, records: list[dict], size: int, query: str) -> int:
    pages = [records[i : i + size] for i in range(0, len(records), size)] or [[]]
    for n, page in enumerate(pages, start=1):
        document: dict = {"results": page}
        if n < len(pages):
            after = str(int(pages[n][0]["id"]))
            document["paging"] = {"next": {"after": after, "link": f"{API}{query}&limit={size}&after={after}"}}
        _write_page(out / folder / f"{stem}_{n:03d}.json.gz", document)
    return len(records)


# --------------------------------------------------------------------------- sources


def _touch_source(touch) -> tuple[str, str | None, str | None]:
    """(hs_analytics_source, drill-down 1, drill-down 2) of a web session's source."""
    source = TOUCH_SOURCE.get(touch.channel, "DIRECT_TRAFFIC")
    if source == "DIRECT_TRAFFIC":
        return source, None, None
    if source in ("SOCIAL_MEDIA", "PAID_SOCIAL"):
        return source, touch.source.capitalize() if touch.source != "linkedin" else "LinkedIn", touch.campaign
    return source, touch.source, touch.campaign


def _contact_source(p, r: random.Random) -> tuple[str, str | None, str | None]:
    channel = p.acq_channel
    if p.acq_touch is not None and channel in TOUCH_SOURCE:
        return _touch_source(p.acq_touch)
    if channel == "event":
        return "OFFLINE", "IMPORT", None
    if channel == "legacy_import":
        return "OFFLINE", "IMPORT", "Migrazione CRM"
    if channel == "partner_referral":
        return "REFERRALS", r.choice(PARTNER_SITES), None
    if channel == "sales_outbound":
        return "OFFLINE", "CRM_UI", None
    return TOUCH_SOURCE.get(channel, "DIRECT_TRAFFIC"), None, None


def _deal_source(lead, r: random.Random) -> tuple[str, str | None]:
    if lead.touch is not None:
        source, drill, _ = _touch_source(lead.touch)
        return source, drill
    if lead.source == "email":
        return "EMAIL_MARKETING", None
    if lead.source == "event":
        return "OFFLINE", "IMPORT"
    if lead.source == "referral":
        return "REFERRALS", r.choice(PARTNER_SITES)
    if lead.source == "sales_outbound":
        return "OFFLINE", "CRM_UI"
    return {"ads": "PAID_SEARCH", "social": "SOCIAL_MEDIA"}.get(lead.source, "DIRECT_TRAFFIC"), None


# --------------------------------------------------------------------------- writer


class HubSpotExport:
    def __init__(self, world, crm) -> None:
        self.w, self.crm, self.clock = world, crm, world.clock
        self.r = py_stream(world.cfg.seed, "hubspot-export")
        self.out = world.cfg.out

    def write(self) -> dict[str, int]:
        contacts = sorted(self.crm.contacts, key=lambda c: int(c.contact_id))
        deal_contacts = self._deal_contacts(contacts)
        contact_deals: dict[str, list[str]] = {}
        for lead in sorted(self.w.leads, key=lambda x: int(x.lead_id)):
            for cid in deal_contacts[lead.lead_id]:
                contact_deals.setdefault(cid, []).append(lead.lead_id)
        contact_records, created = self._contacts(contacts, contact_deals)
        counts = {
            "hubspot_contacts": _write_pages(
                self.out,
                "hubspot_contacts",
                "contacts",
                contact_records,
                CONTACT_PAGE,
                "/crm/v3/objects/contacts?associations=companies%2Cdeals&archived=false",
            ),
            "hubspot_companies": _write_pages(
                self.out,
                "hubspot_companies",
                "companies",
                self._companies(contacts, created),
                COMPANY_PAGE,
                "/crm/v3/objects/companies?archived=false",
            ),
            "hubspot_deals": _write_pages(
                self.out,
                "hubspot_deals",
                "deals",
                self._deals(deal_contacts),
                DEAL_PAGE,
                "/crm/v3/objects/deals?propertiesWithHistory=dealstage&associations=contacts%2Ccompanies&archived=false",
            ),
            "hubspot_deal_pipelines": self._pipelines(),
        }
        return counts

    # ------------------------------------------------------------------ contacts
    def _deal_contacts(self, contacts) -> dict[str, list[str]]:
        """The contacts of each deal: the lead's contact, and sometimes a colleague with a later id."""
        r, t1 = self.r, self.clock.t1
        by_company: dict[int, list] = {}
        for c in contacts:
            if not c.duplicate and c.person.company is not None:
                by_company.setdefault(id(c.person.company), []).append(c)
        out: dict[str, list[str]] = {}
        for lead in sorted(self.w.leads, key=lambda x: int(x.lead_id)):
            ids = [lead.contact_id] if lead.contact_id else []
            p = lead.person
            if ids and p.persona == "b2b" and p.company is not None and r.random() < 0.25:
                until = lead.closed_ts or t1
                mates = [
                    c
                    for c in by_company.get(id(p.company), ())
                    if c.person is not p and int(c.contact_id) > int(lead.contact_id) and c.created_ts < until
                ]
                if mates:
                    ids.append(r.choice(mates).contact_id)
            out[lead.lead_id] = ids
        return out

    def _contacts(self, contacts, contact_deals) -> tuple[list[dict], dict[str, int]]:
        r, clock, ledger = self.r, self.clock, self.w.ledger
        taken: set[str] = set()
        records: list[dict] = []
        created_of: dict[str, int] = {}
        for c in contacts:
            p = c.person
            last_ts, st = c.versions[-1]
            created = c.created_ts
            if p.route == "legacy" and not c.duplicate:  # migrated with the original create date
                created = clock.local_midnight((p.acq_date - clock.start).days) + r.randint(9 * HOUR, 18 * HOUR)
            created_of[c.contact_id] = created
            created_text = _when(clock, created, _ms(r))
            # one text per version time (a stage date and the last modification at one instant agree)
            texts = {t: _when(clock, t, _ms(r)) for t, _ in c.versions}
            if created == c.created_ts:
                texts[c.created_ts] = created_text
            # changed since creation, or migrated on day one (the import is its last modification)
            updated_text = texts[last_ts]
            # lifecycle stage dates: the first version in each stage (the create date for the first)
            stage_dates: dict[str, str] = {}
            for t, version in c.versions:
                key = LIFECYCLE[version["stage"]]
                if key not in stage_dates:
                    stage_dates[key] = created_text if t == c.created_ts else texts[t]
            email = normalize_email(c.email) if c.email else None
            if email in taken:
                email = None
            elif email:
                taken.add(email)
            phone = mobile = None
            if c.phone:
                if r.random() < (0.3 if p.persona == "b2b" else 0.5):
                    mobile = c.phone
                else:
                    phone = c.phone
            company = p.company if st["company"] else None
            consent = bool(st["consent_email"])
            unsubscribed = p.unsub_ts is not None and p.unsub_ts <= last_ts
            basis = LEGAL_BASIS_B2B if p.persona == "b2b" else LEGAL_BASIS_B2C
            if consent:
                optout, legal = "false", basis
            elif unsubscribed:
                optout, legal = "true", basis
            else:
                optout, legal = (None if r.random() < 0.6 else "false"), None
            country = geo.COUNTRY_BY_CODE[p.country].name_en
            if p.country == "IT" and r.random() < 0.08:
                country = "Italia"
            source, drill1, drill2 = _contact_source(p, r)
            cn = p.customer_number if st["cn"] else None
            props = {
                "associatedcompanyid": company.company_id if company else None,
                "city": p.city.name_local,
                "company": company.name if company else None,
                "country": country,
                "createdate": created_text,
                "email": email,
                "firstname": c.first,
                "hs_analytics_source": source,
                "hs_analytics_source_data_1": drill1,
                "hs_analytics_source_data_2": drill2,
                "hs_email_optout": optout,
                "hs_language": st["lang"],
                "hs_legal_basis": legal,
                **{f"hs_lifecyclestage_{k}_date": stage_dates.get(k) for k in LIFECYCLE_DATE_KEYS},
                "hs_marketable_status": "true" if consent and email else "false",
                "hs_object_id": c.contact_id,
                "instagram_handle": st["ig"],
                "jobtitle": st["job"],
                "lastmodifieddate": updated_text,
                "lastname": c.last,
                "lifecyclestage": LIFECYCLE[st["stage"]],
                "linkedin_handle": st["li"],
                "mobilephone": mobile,
                "phone": phone,
                "shop_customer_number": cn,
            }
            record: dict = {
                "id": c.contact_id,
                "properties": {k: props[k] for k in CONTACT_PROPERTIES},
                "createdAt": created_text,
                "updatedAt": updated_text,
                "archived": False,
            }
            associations: dict = {}
            if company:
                associations["companies"] = {
                    "results": [
                        {"id": company.company_id, "type": "contact_to_company"},
                        {"id": company.company_id, "type": "contact_to_company_unlabeled"},
                    ]
                }
            if c.contact_id in contact_deals:
                associations["deals"] = {
                    "results": [{"id": d, "type": "contact_to_deal"} for d in contact_deals[c.contact_id]]
                }
            if associations:
                record["associations"] = associations
            records.append(record)
            ids = [("crm_contact_id", c.contact_id, c.contact_id)]
            if email:
                ids.append(("email", email, normalize_email(email)))
            if c.phone:
                ids.append(("phone", c.phone, p.phone_e164))
            if cn:
                ids.append(("user_id", cn, cn))
            if st["ig"]:
                ids.append(("instagram_handle", st["ig"], st["ig"]))
            if st["li"]:
                ids.append(("linkedin_handle", st["li"], st["li"]))
            ledger.row(p.idx, ids)
        return records, created_of

    # ------------------------------------------------------------------ companies
    def _companies(self, contacts, created_of: dict[str, int]) -> list[dict]:
        r, clock = self.r, self.clock
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for c in contacts:
            co = c.person.company
            if co is None or not c.versions[-1][1]["company"]:
                continue
            t = created_of[c.contact_id]
            first[id(co)] = min(first.get(id(co), t), t)
            last[id(co)] = max(last.get(id(co), c.created_ts), c.created_ts)
        records = []
        for co in sorted(self.w.pop.companies, key=lambda x: int(x.company_id)):
            created = min(first.get(id(co), co.created_ts), co.created_ts)
            created_text = _when(clock, created, _ms(r))
            touched = last.get(id(co))
            if touched is not None and touched > created:
                modified_text = _when(clock, min(touched + r.randint(1, 120), clock.t1 - 1), _ms(r))
            else:
                modified_text = created_text
            options = INDUSTRY.get(co.industry, INDUSTRY["other"])
            props = {
                "city": co.city.name_local,
                "country": geo.COUNTRY_BY_CODE[co.country].name_en,
                "createdate": created_text,
                "domain": co.domain,
                "hs_lastmodifieddate": modified_text,
                "hs_object_id": co.company_id,
                "industry": options[co.idx % len(options)],
                "name": co.name,
                "numberofemployees": str(co.employee_count) if co.employee_count else None,
            }
            records.append(
                {
                    "id": co.company_id,
                    "properties": props,
                    "createdAt": created_text,
                    "updatedAt": modified_text,
                    "archived": False,
                }
            )
        return records

    # ------------------------------------------------------------------ deals
    def _deals(self, deal_contacts: dict[str, list[str]]) -> list[dict]:
        r, clock, w = self.r, self.clock, self.w
        persons_by_contact = {c.contact_id: c.person for c in self.crm.contacts}
        records = []
        for lead in sorted(w.leads, key=lambda x: int(x.lead_id)):
            p = lead.person
            owner = r.choice(OWNERS)
            inbound = lead.touch is not None or lead.source == "email"
            history = []
            texts = []
            for i, (stage, t) in enumerate(lead.history):
                text = _when(clock, t, _ms(r))
                texts.append(text)
                if i == 0 and inbound:
                    entry = {
                        "value": DEAL_STAGE[stage],
                        "timestamp": text,
                        "sourceType": "AUTOMATION_PLATFORM",
                        "sourceId": f"enrollmentId:{r.randint(148_000_000, 149_999_999)}",
                    }
                elif i == 0 and lead.source == "event":
                    entry = {
                        "value": DEAL_STAGE[stage],
                        "timestamp": text,
                        "sourceType": "IMPORT",
                        "sourceId": f"importId:{r.randint(41_000_000, 41_999_999)}",
                    }
                else:
                    entry = {
                        "value": DEAL_STAGE[stage],
                        "timestamp": text,
                        "sourceType": "CRM_UI",
                        "sourceId": f"userId:{owner}",
                        "updatedByUserId": owner,
                    }
                history.append(entry)
            history.reverse()  # newest first, as the API returns it
            created_text = texts[0]
            last_change = lead.history[-1][1]
            modified = min(last_change + r.randint(1, 90), clock.t1 - 1)
            modified_text = _when(clock, modified, _ms(r))
            closed = lead.stage in ("won", "lost")
            if closed:
                closedate = texts[-1]
            elif r.random() < 0.75:
                closedate = _when(clock, (lead.created_ts + r.randint(20, 90) * DAY) // DAY * DAY + 17 * HOUR)
            else:
                closedate = None
            currency, amount, home = "EUR", _amount(lead.amount), _number(lead.amount)
            if p.persona == "b2b" and p.country in CURRENCY and r.random() < 0.8:
                currency = CURRENCY[p.country]
                rate = w.fx.eur_per_unit(currency, clock.day_index(lead.created_ts))
                amount = _amount(lead.amount / rate)
            source, drill = _deal_source(lead, r)
            if p.persona == "b2b" and p.company is not None:
                name = f"{r.choice(DEAL_WORDS_B2B)} {p.company.name}"
            else:
                name = f"Ordine su misura {p.first} {p.last}"
            props = {
                "amount": amount,
                "amount_in_home_currency": home,
                "closed_lost_reason": r.choice(LOST_REASONS) if lead.stage == "lost" and r.random() < 0.6 else None,
                "closedate": closedate,
                "createdate": created_text,
                "deal_currency_code": currency,
                "dealname": name,
                "dealstage": DEAL_STAGE[lead.stage],
                "hs_analytics_source": source,
                "hs_analytics_source_data_1": drill,
                "hs_is_closed": "true" if closed else "false",
                "hs_is_closed_won": "true" if lead.stage == "won" else "false",
                "hs_lastmodifieddate": modified_text,
                "hs_object_id": lead.lead_id,
                "pipeline": "default",
                "utm_campaign": lead.utm,
            }
            record: dict = {
                "id": lead.lead_id,
                "properties": props,
                "propertiesWithHistory": {"dealstage": history},
                "createdAt": created_text,
                "updatedAt": modified_text,
                "archived": False,
            }
            associations: dict = {}
            if p.persona == "b2b" and p.company is not None:
                associations["companies"] = {
                    "results": [
                        {"id": p.company.company_id, "type": "deal_to_company"},
                        {"id": p.company.company_id, "type": "deal_to_company_unlabeled"},
                    ]
                }
            contacts = deal_contacts[lead.lead_id]
            if contacts:
                associations["contacts"] = {"results": [{"id": cid, "type": "deal_to_contact"} for cid in contacts]}
                for cid in contacts:
                    w.ledger.row(persons_by_contact[cid].idx, [("crm_contact_id", cid, cid)])
            if associations:
                record["associations"] = associations
            records.append(record)
        return records

    # ------------------------------------------------------------------ pipelines
    def _pipelines(self) -> int:
        clock = self.clock
        setup = _when(clock, clock.t0 - 400 * DAY + 9 * HOUR)
        stages = [
            {
                "label": label,
                "displayOrder": i,
                "metadata": {"isClosed": closed, "probability": prob},
                "id": sid,
                "createdAt": setup,
                "updatedAt": setup,
                "archived": False,
            }
            for i, (sid, label, prob, closed) in enumerate(PIPELINE_STAGES)
        ]
        document = {
            "results": [
                {
                    "label": "Sales Pipeline",
                    "displayOrder": 0,
                    "id": "default",
                    "stages": stages,
                    "createdAt": setup,
                    "updatedAt": setup,
                    "archived": False,
                }
            ]
        }
        _write_page(self.out / "hubspot_deal_pipelines" / "pipelines_deals.json", document, gz=False)
        return 1


def write(world, crm) -> dict[str, int]:
    """Write the HubSpot export files of the world's CRM; returns rows per landing folder."""
    return HubSpotExport(world, crm).write()
