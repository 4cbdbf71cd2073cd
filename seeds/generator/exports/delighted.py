"""Delighted NPS survey responses, as the REST API returns them (docs/sources/delighted.md).

``GET https://api.delighted.com/v1/survey_responses.json?expand[]=person&per_page=100&page=N``
(app.delighted.com/docs/api/listing-survey-responses), one saved page per file:

* ``delighted_survey_responses/survey_responses_<YYYYMMDD pull date>_page<N>.json``

Each page is a bare JSON array (no wrapper, no pagination metadata), compact UTF-8 as the API
sends it; the pull pages on until the API answers ``[]``, and that last empty page is saved too.
A pull on the first day of each month (Europe/Rome) asks for the responses created in the
previous month (``since`` / ``until``) plus those updated in it (``updated_since``): a response
whose notes or tags were added in a later month appears again with a later ``updated_at``.

Response fields as documented: ``id`` (digits, a string), ``person`` (expanded: id, email — null
for people surveyed by SMS from the CRM, who have a phone_number in E.164 — name, created_at, phone_number,
last_sent_at, last_responded_at, next_survey_scheduled_at), ``survey_type`` (nps), ``score``
(0-10), ``comment`` (null when none), ``permalink``, ``created_at`` / ``updated_at`` (Unix
seconds), ``person_properties`` (what the survey request sent; this brand's convention: "Survey
wave", "Channel", "Customer ID" when the CRM sent it, "Order number" for post-purchase surveys,
"Locale"), ``notes``, ``tags``, ``additional_answers``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from seeds.generator.clock import DAY, HOUR
from seeds.generator.identity import normalize_email
from seeds.generator.rng import streams
from seeds.generator.writers import write_json_document

FOLDERS = ("delighted_survey_responses",)
TABLE = "delighted_survey_responses"
PER_PAGE = 100
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
TAGS = {
    "late": ("consegna in ritardo", "late delivery"),
    "damaged": ("prodotto danneggiato", "damaged product"),
    "refund": ("reso", "refund"),
    "wrong_size": ("taglia sbagliata", "wrong size"),
    "not_as_described": ("non conforme", "not as described"),
}
NOTE = {"it": "Ricontattato dal servizio clienti.", "en": "Customer care followed up."}
QUESTION = {"it": "Cosa ti è piaciuto di più?", "en": "What did you like most?"}
CHOICES = {
    "it": ("Qualità dei materiali", "Comfort", "Spedizione", "Assistenza"),
    "en": ("Material quality", "Comfort", "Shipping", "Customer service"),
}


@dataclass
class Response:
    ts: int
    sent_ts: int
    person: object
    survey: str
    channel: str
    email: str
    contact_id: str | None
    order_number: str | None
    score: int
    comment: str | None
    issues: tuple[str, ...]


def _token(r, n: int) -> str:
    return "".join(r.choice(ALNUM) for _ in range(n))


def write(world, responses: list[Response]) -> dict[str, int]:
    out: Path = world.cfg.out
    clock = world.clock
    _, r = streams(world.cfg.seed, "delighted-export")
    person_ids: dict[int, str] = {}
    person_created: dict[int, int] = {}
    next_person = 3_100_000 + r.randint(100, 900)
    next_response = 48_200_000 + r.randint(1_000, 9_000)
    versions: list[tuple[int, dict[str, object]]] = []  # (version time, response as a pull returns it)
    for resp in responses:
        p = resp.person
        if p.idx not in person_ids:
            next_person += r.randint(1, 40)
            person_ids[p.idx] = str(next_person)
            person_created[p.idx] = resp.sent_ts
        next_response += r.randint(1, 25)  # other answers of the account (csat, other projects) in between
        sms = resp.channel == "sms"
        # an SMS survey sent from the CRM creates a phone-only person; one sent by the shop's
        # integration creates the person with the order's email and phone
        email = None if sms and resp.contact_id else resp.email
        phone = p.phone_e164 if sms else None
        ids = []
        if email is not None:
            ids.append(("email", email, normalize_email(email)))
        if phone is not None:
            ids.append(("phone", phone, phone))
        if resp.contact_id:
            ids.append(("crm_contact_id", resp.contact_id, resp.contact_id))
        world.ledger.row(p.idx, ids, joins=(("order", resp.order_number),) if resp.order_number else ())
        properties: dict[str, str] = {"Survey wave": resp.survey, "Channel": resp.channel}
        if resp.contact_id:
            properties["Customer ID"] = resp.contact_id
        if resp.order_number:
            properties["Order number"] = resp.order_number
        properties["Locale"] = p.lang
        answers = []
        if resp.score >= 9 and resp.survey == "post_purchase" and r.random() < 0.3:
            choice = r.choice(CHOICES[p.lang])
            answers.append(
                {
                    "id": str(9000 + r.randint(1, 999)),
                    "value": {
                        "free_response": None,
                        "scale": None,
                        "select_one": {"id": _token(r, 6), "text": choice},
                        "select_many": None,
                    },
                    "question": {"id": "enum_" + _token(r, 6), "type": "select_one", "text": QUESTION[p.lang]},
                }
            )
        record: dict[str, object] = {
            "id": str(next_response),
            "person": {
                "id": person_ids[p.idx],
                "email": email,
                "name": f"{p.first} {p.last}",
                "created_at": person_created[p.idx],
                "phone_number": phone,
                "last_sent_at": resp.sent_ts,
                "last_responded_at": resp.ts,
                "next_survey_scheduled_at": None,
            },
            "survey_type": "nps",
            "score": resp.score,
            "comment": resp.comment,
            "permalink": "https://app.delighted.com/r/" + _token(r, 32),
            "created_at": resp.ts,
            "updated_at": None,
            "person_properties": properties,
            "notes": [],
            "tags": [],
            "additional_answers": answers,
        }
        versions.append((resp.ts, record))
        # customer care tags and annotates some detractors a few days later
        if resp.score <= 6 and r.random() < 0.3:
            updated = resp.ts + r.randint(2 * HOUR, 6 * DAY)
            if updated < clock.t1:
                lang_i = 0 if p.lang == "it" else 1
                tags = [TAGS[i][lang_i] for i in resp.issues if i in TAGS][:2]
                note = {
                    "id": str(700_000 + r.randint(1, 99_999)),
                    "text": NOTE[p.lang],
                    "user_email": "assistenza@ergonova.it",
                    "created_at": updated,
                }
                versions.append((updated, dict(record, updated_at=updated, tags=tags, notes=[note])))
    return _write_pulls(out, clock, versions)


def _write_pulls(out: Path, clock, versions: list[tuple[int, dict[str, object]]]) -> dict[str, int]:
    """One pull per month (on the 1st of the next month), each response in its state at the pull."""
    by_month: dict[str, dict[str, tuple[int, dict[str, object]]]] = {m: {} for m in clock.months}
    for ts, record in versions:
        month = by_month[clock.month_key(ts)]
        kept = month.get(record["id"])
        if kept is None or ts >= kept[0]:
            month[record["id"]] = (ts, record)
    rows = 0
    for month in clock.months:
        # creation order, oldest first, as the API lists them
        records = sorted(
            (rec for _, rec in by_month[month].values()), key=lambda rec: (rec["created_at"], int(rec["id"]))
        )
        y, m = int(month[:4]), int(month[4:])
        pulled = f"{y + (m == 12):04d}{m % 12 + 1:02d}01"
        pages = [records[i : i + PER_PAGE] for i in range(0, len(records), PER_PAGE)] + [[]]
        for n, page in enumerate(pages, start=1):
            write_json_document(out / TABLE / f"survey_responses_{pulled}_page{n}.json", page)
            rows += len(page)
    return {TABLE: rows}
