"""Mailchimp exports of the email / DEM sends (the SMS sends stay in the generic ``esp_*`` CSVs).

What a team takes from Mailchimp (docs/sources/mailchimp.md, spec /work/specs/mailchimp.md):

* ``mailchimp_members/members_export_<list id>.zip``: the audience export (*Audience > All contacts >
  Export Audience*), one ZIP per audience holding ``subscribed_`` / ``unsubscribed_`` /
  ``cleaned_members_export_<list id>.csv``: merge-field labels, then the UPPER_SNAKE system columns
  (``MEMBER_RATING, OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, LATITUDE, ... REGION``), each
  file's own status columns (``LAST_CHANGED`` / ``UNSUB_*`` / ``CLEAN_*``), ``LEID, EUID, NOTES, TAGS``.
  Times ``YYYY-MM-DD HH:MM:SS`` without zone (UTC), email case preserved, TAGS a list of quoted names;
  imported contacts have no OPTIN_TIME. The export is a snapshot at the end of the window: one row
  per member with the last unsubscribe / cleaning.
  (TryGhost/migrate ``mg-mailchimp-members`` test fixtures; https://mailchimp.com/help/gdpr-faq/)
* Marketing API v3 responses, one response body per file, compact JSON as the API returns it,
  times ISO 8601 ``+00:00``, pages of ``count=1000`` named ``<endpoint>_<campaign id>_<offset>.json``
  and stored gzip-compressed (``.json.gz``, the body as the API sends it with ``Accept-Encoding:
  gzip``; the bundled set must stay small):
  ``mailchimp_campaigns/campaigns_0.json.gz`` (``GET /3.0/campaigns``, drafts included),
  ``mailchimp_sent_to/sent-to_<id>_<offset>.json.gz`` (``GET /3.0/reports/{id}/sent-to``: every
  recipient with status sent / hard / soft), ``mailchimp_email_activity/email-activity_<id>_<offset>.json.gz``
  (``GET /3.0/reports/{id}/email-activity``: opens, clicks and bounces of the recipients who have
  any; see ``LIST_RECIPIENTS_WITHOUT_ACTIVITY``) and ``mailchimp_unsubscribes/unsubscribed_<id>_<offset>.json.gz``
  (``GET /3.0/reports/{id}/unsubscribed``, ``[]`` when nobody unsubscribed). Requested with
  ``exclude_fields=<records>._links`` (as singer-io/tap-mailchimp does), so items carry no ``_links``;
  sent-to also with ``sent_to.merge_fields`` excluded (the names are in the audience export).
  (singer-io/tap-mailchimp ``schemas/*.json``; docs.rs ``mailchimp_api::types::SentTo``)

The utm_campaign of a send is the campaign's ``tracking.google_analytics`` (the custom name
Mailchimp tags links with), and the clicked URLs carry the same ``utm_campaign`` the simulated
visits used. Everything Mailchimp adds that the world does not decide (web ids, LEID / EUID, IPs,
unsubscribe reasons, creation times) comes from the ``mailchimp`` random stream, so the simulated
world (who receives, opens, clicks) is the one of the generic CSVs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from seeds.generator import catalog
from seeds.generator.gz import write_gzip
from seeds.generator.rng import py_stream

FOLDERS = (
    "mailchimp_members",
    "mailchimp_campaigns",
    "mailchimp_email_activity",
    "mailchimp_sent_to",
    "mailchimp_unsubscribes",
)
PAGE_SIZE = 1000
# Whether the email-activity report lists recipients with nothing to report ("activity": []) is
# unconfirmed (the spec reads it so; the fixtures have both). The generator leaves them out, which halves
# the report files of the bundled set (sent / delivered come from sent-to either way); True lists them.
LIST_RECIPIENTS_WITHOUT_ACTIVITY = False
API = "https://us21.api.mailchimp.com/3.0"
HEX = "0123456789abcdef"
COMMON_HEAD = (
    "Email Address",
    "First Name",
    "Last Name",
    "MEMBER_RATING",
    "OPTIN_TIME",
    "OPTIN_IP",
    "CONFIRM_TIME",
    "CONFIRM_IP",
    "LATITUDE",
    "LONGITUDE",
    "GMTOFF",
    "DSTOFF",
    "TIMEZONE",
    "CC",
    "REGION",
)
STATUS_COLUMNS = {
    "subscribed": ("LAST_CHANGED",),
    "unsubscribed": ("UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID", "UNSUB_REASON", "UNSUB_REASON_OTHER"),
    "cleaned": ("CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"),
}
TAIL = ("LEID", "EUID", "NOTES", "TAGS")
# signup source -> the tag the team puts on the contact (the warehouse maps tags back with the
# dbt var mailchimp_signup_source_tags, whose defaults know these names)
SOURCE_TAGS = {"checkout": "Checkout", "web_form": "Popup sito", "import": "Import CRM", "event": "Evento"}
UNSUB_REASONS = (
    ("I no longer want to receive these emails", 0.55),
    ("I never signed up for this mailing list", 0.08),
    ("The emails are inappropriate", 0.04),
    ("The emails are spam and should be reported", 0.05),
    ("Other (fill in reason below)", 0.28),
)
UNSUB_OTHER = (
    "Troppe email",
    "Ricevo troppe email promozionali",
    "Non mi interessa più",
    "Too many emails",
    "Not relevant to me",
    "Ho già acquistato",
)
# (time zone, GMTOFF, DSTOFF) of a member's country
ZONES = {
    "IT": ("Europe/Rome", 1, 2),
    "GB": ("Europe/London", 0, 1),
    "US": ("America/New_York", -5, -4),
    "DE": ("Europe/Berlin", 1, 2),
    "FR": ("Europe/Paris", 1, 2),
    "ES": ("Europe/Madrid", 1, 2),
    "CH": ("Europe/Zurich", 1, 2),
    "AT": ("Europe/Vienna", 1, 2),
    "NL": ("Europe/Amsterdam", 1, 2),
    "BE": ("Europe/Brussels", 1, 2),
    "PT": ("Europe/Lisbon", 0, 1),
    "IE": ("Europe/Dublin", 0, 1),
}
LIST_NAMES = {"news_it": "Ergonova Newsletter IT", "news_en": "Ergonova Newsletter EN", "b2b": "Ergonova Business"}


def email_id(address: str) -> str:
    """Mailchimp's member hash: MD5 of the lower-cased address."""
    return hashlib.md5(address.lower().encode("utf-8")).hexdigest()


def api_time(utc_z: str) -> str:
    """``2026-03-05T10:00:00Z`` (clock.utc) -> ``2026-03-05T10:00:00+00:00`` (the API's form)."""
    return utc_z[:-1] + "+00:00" if utc_z.endswith("Z") else utc_z


def export_time(utc_z: str) -> str:
    """``2026-03-05T10:00:00Z`` -> ``2026-03-05 10:00:00`` (the audience export's form, no zone)."""
    return utc_z.replace("T", " ").rstrip("Z")


def _dump(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def _write(path: Path, document: object) -> None:
    """One response body, gzip-compressed as the API sends it with ``Accept-Encoding: gzip``
    (deterministic bytes: no file name, mtime 0)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_gzip(path, _dump(document).encode("utf-8"))


@dataclass
class Member:
    """A person's membership of one audience, as the export at the end of the window shows it."""

    person: object
    address: str  # as Mailchimp stores it (trimmed, case preserved)
    subscribed_ts: int
    source: str | None
    status: str = "subscribed"
    changed_ts: int | None = None
    campaign_id: str | None = None
    campaign_title: str | None = None
    unsub_reason: tuple[str, str | None] | None = None


@dataclass
class CampaignReport:
    send: object
    list_key: str
    recipients: int = 0
    delivered: int = 0
    opens: int = 0
    openers: int = 0
    clicks: int = 0
    clickers: int = 0


@dataclass
class MailchimpExport:
    """Writes the Mailchimp files of one generation run (call ``campaign`` per send, then ``finish``)."""

    out: Path
    seed: int
    clock: object
    list_ids: dict[str, str]
    r: object = field(init=False)
    reports: list[CampaignReport] = field(default_factory=list)
    files: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.r = py_stream(self.seed, "mailchimp")
        self._ips: dict[int, str] = {}
        self._account = "".join(self.r.choice(HEX) for _ in range(25))
        self._web_id = 1_100_000 + self.r.randint(0, 90_000)
        self._leid = 110_000_000 + self.r.randint(0, 9_000_000)
        self.unsubscribe_reasons: dict[tuple[str, int], tuple[str, str | None]] = {}
        for folder in FOLDERS:
            self.counts[folder] = 0

    # ------------------------------------------------------------------ helpers
    def ip(self, p) -> str:
        ip = self._ips.get(p.idx)
        if ip is None:
            r = self.r
            first = r.choice(
                (2, 5, 79, 82, 87, 93, 95, 151, 176, 188) if p.country == "IT" else (31, 46, 62, 81, 86, 92)
            )
            ip = f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
            self._ips[p.idx] = ip
        return ip

    def _links(self, path: str, schema: str) -> list[dict]:
        return [
            {
                "rel": "self",
                "href": f"{API}{path}",
                "method": "GET",
                "targetSchema": f"https://us21.api.mailchimp.com/schema/3.0/Definitions/{schema}/CollectionResponse.json",
            }
        ]

    def _pages(
        self, folder: str, stem: str, records_key: str, campaign_id: str, items: list[dict], path: str, schema: str
    ) -> None:
        offsets = range(0, max(len(items), 1), PAGE_SIZE)
        for offset in offsets:
            page = items[offset : offset + PAGE_SIZE]
            _write(
                self.out / folder / f"{stem}_{campaign_id}_{offset}.json.gz",
                {
                    records_key: page,
                    "campaign_id": campaign_id,
                    "total_items": len(items),
                    "_links": self._links(path, schema),
                },
            )
            self.files += 1
            self.counts[folder] += len(page)

    def reason(self, list_key: str, person_idx: int) -> tuple[str, str | None]:
        """(UNSUB_REASON, UNSUB_REASON_OTHER) of an unsubscribe through a campaign."""
        key = (list_key, person_idx)
        if key not in self.unsubscribe_reasons:
            r = self.r
            x, acc = r.random(), 0.0
            choice = UNSUB_REASONS[-1][0]
            for text, weight in UNSUB_REASONS:
                acc += weight
                if x < acc:
                    choice = text
                    break
            other = r.choice(UNSUB_OTHER) if choice.startswith("Other") else None
            self.unsubscribe_reasons[key] = (choice, other)
        return self.unsubscribe_reasons[key]

    # ------------------------------------------------------------------ one campaign's reports
    def campaign(self, send, list_key: str, recipients: list[tuple[object, str, list]]) -> None:
        """The sent-to, email-activity and unsubscribed reports of one send.

        ``recipients``: (person, stored address, rows) with the generic activity rows of the
        recipient: (ts, (activity_id, campaign_id, email, phone, kind, utc, link, bounce_type)).
        """
        cid, lid = send.campaign_id, self.list_ids[list_key]
        rep = CampaignReport(send, list_key, recipients=len(recipients))
        sent_to, emails, unsubs = [], [], []
        for p, address, rows in recipients:
            eid = email_id(address)
            activity, opens, last_open, status = [], 0, "", "sent"
            clicked = False
            for _, row in rows:
                kind, at, link, bounce = row[4], api_time(row[5]), row[6], row[7]
                if kind == "open":
                    activity.append({"action": "open", "timestamp": at, "ip": self.ip(p)})
                    opens += 1
                    last_open = at
                elif kind == "click":
                    activity.append({"action": "click", "timestamp": at, "url": link, "ip": self.ip(p)})
                    rep.clicks += 1
                    clicked = True
                elif kind == "bounce":
                    activity.append({"action": "bounce", "type": bounce, "timestamp": at})
                    status = bounce
                elif kind == "unsubscribe":
                    choice, other = self.reason(list_key, p.idx)
                    unsubs.append(
                        {
                            "email_id": eid,
                            "email_address": address,
                            "merge_fields": {"FNAME": p.first, "LNAME": p.last},
                            "vip": False,
                            "timestamp": at,
                            "reason": other or choice,
                            "campaign_id": cid,
                            "list_id": lid,
                            "list_is_active": True,
                        }
                    )
            if status == "sent":
                rep.delivered += 1
            rep.opens += opens
            rep.openers += opens > 0
            rep.clickers += clicked
            zone = ZONES.get(p.country)
            sent_to.append(
                {
                    "email_id": eid,
                    "email_address": address,
                    "vip": False,
                    "status": status,
                    "open_count": opens,
                    "last_open": last_open,
                    "absplit_group": "",
                    "gmt_offset": zone[1] if zone else 0,
                    "campaign_id": cid,
                    "list_id": lid,
                    "list_is_active": True,
                }
            )
            if activity or LIST_RECIPIENTS_WITHOUT_ACTIVITY:
                emails.append(
                    {
                        "campaign_id": cid,
                        "list_id": lid,
                        "list_is_active": True,
                        "email_id": eid,
                        "email_address": address,
                        "activity": activity,
                    }
                )
        reports = f"/reports/{cid}"
        self._pages("mailchimp_sent_to", "sent-to", "sent_to", cid, sent_to, f"{reports}/sent-to", "Reports/SentTo")
        self._pages(
            "mailchimp_email_activity",
            "email-activity",
            "emails",
            cid,
            emails,
            f"{reports}/email-activity",
            "Reports/EmailActivity",
        )
        self._pages(
            "mailchimp_unsubscribes",
            "unsubscribed",
            "unsubscribes",
            cid,
            unsubs,
            f"{reports}/unsubscribed",
            "Reports/Unsubs",
        )
        self.reports.append(rep)

    # ------------------------------------------------------------------ the campaign list and the audiences
    def _campaign_record(self, rep: CampaignReport | None, send, list_key: str, draft: bool = False) -> dict:
        r = self.r
        self._web_id += r.randint(40, 4000)
        cid = send.campaign_id
        created = send.ts - r.randint(3 * 3600, 5 * 86400)
        record = {
            "id": cid,
            "web_id": self._web_id,
            "type": "regular",
            "create_time": api_time(self.clock.utc(created)),
            "archive_url": "http://eepurl.com/"
            + "".join(r.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)),
            "long_archive_url": f"https://us21.campaign-archive.com/?u={self._account}&id={cid}",
            "status": "save" if draft else "sent",
            "emails_sent": 0 if draft else rep.recipients,
            "send_time": None if draft else api_time(self.clock.utc(send.ts)),
            "content_type": "template",
            "needs_block_refresh": False,
            "resendable": not draft,
            "recipients": {
                "list_id": self.list_ids[list_key],
                "list_is_active": True,
                "list_name": LIST_NAMES[list_key],
                "segment_text": "",
                "recipient_count": rep.recipients if rep else 0,
            },
            "settings": {
                "subject_line": send.subject,
                "preview_text": "",
                "title": title_of(send),
                "from_name": "Ergonova",
                "reply_to": f"newsletter@{catalog.BRAND_DOMAIN}",
                "use_conversation": False,
                "to_name": "*|FNAME|*",
                "folder_id": "",
                "authenticate": True,
                "auto_footer": False,
                "inline_css": False,
                "auto_tweet": False,
                "fb_comments": False,
                "timewarp": False,
                "template_id": 10042 if send.channel == "email" else 10057,
                "drag_and_drop": True,
            },
            "tracking": {
                "opens": True,
                "html_clicks": True,
                "text_clicks": False,
                "goal_tracking": False,
                "ecomm360": False,
                "google_analytics": send.utm,
                "clicktale": "",
            },
        }
        if not draft:
            d = rep.delivered
            record["report_summary"] = {
                "opens": rep.opens,
                "unique_opens": rep.openers,
                "open_rate": rep.openers / d if d else 0,
                "clicks": rep.clicks,
                "subscriber_clicks": rep.clickers,
                "click_rate": rep.clickers / d if d else 0,
                "ecommerce": {"total_orders": 0, "total_spent": 0, "total_revenue": 0},
            }
        record["delivery_status"] = {"enabled": False}
        return record

    def finish(self, members: dict[str, list[Member]], draft=None) -> None:
        """``campaigns_0.json`` (sent campaigns by send time, then a draft) and one ZIP per audience."""
        records = [self._campaign_record(rep, rep.send, rep.list_key) for rep in self.reports]
        if draft is not None:
            records.append(self._campaign_record(None, draft, draft.list_key, draft=True))
        for offset in range(0, max(len(records), 1), PAGE_SIZE):
            _write(
                self.out / "mailchimp_campaigns" / f"campaigns_{offset}.json.gz",
                {
                    "campaigns": records[offset : offset + PAGE_SIZE],
                    "total_items": len(records),
                    "_links": self._links("/campaigns", "Campaigns"),
                },
            )
            self.files += 1
        self.counts["mailchimp_campaigns"] = len(records)
        for list_key in sorted(members, key=lambda k: self.list_ids[k]):
            self._audience(list_key, members[list_key])

    def _zip_time(self) -> tuple[int, int, int, int, int, int]:
        """The members' files are dated at the export: the morning after the window (UTC)."""
        day = self.clock.utc(self.clock.t1 + 6 * 3600)
        return (int(day[0:4]), int(day[5:7]), int(day[8:10]), int(day[11:13]), int(day[14:16]), int(day[17:19]))

    def _audience(self, list_key: str, members: list[Member]) -> None:
        lid, r = self.list_ids[list_key], self.r
        files: dict[str, io.StringIO] = {}
        writers = {}
        for status, columns in STATUS_COLUMNS.items():
            files[status] = io.StringIO(newline="")
            writers[status] = csv.writer(files[status], lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writers[status].writerow(COMMON_HEAD + columns + TAIL)
        fmt = lambda ts: export_time(self.clock.utc(ts)) if ts is not None else ""  # noqa: E731
        for m in members:
            p = m.person
            self._leid += r.randint(1, 40)
            euid = "".join(r.choice(HEX) for _ in range(10))
            imported = m.source == "import"
            optin = None if imported else m.subscribed_ts - r.randint(20, 900)
            ip = "" if imported else self.ip(p)
            zone = ZONES.get(p.country)
            rating = min(5, max(1, 2 + round(p.z)))
            head = (
                m.address,
                p.first,
                p.last,
                rating,
                fmt(optin),
                ip,
                fmt(m.subscribed_ts),
                ip,
                "",
                "",
                zone[1] if zone else "",
                zone[2] if zone else "",
                zone[0] if zone else "",
                p.country,
                "",
            )
            if m.status == "unsubscribed":
                choice, other = m.unsub_reason or ("N/A (Unsubscribed by admin)", None)
                status_cells = (fmt(m.changed_ts), m.campaign_title or "", m.campaign_id or "", choice, other or "")
            elif m.status == "cleaned":
                status_cells = (fmt(m.changed_ts), m.campaign_title or "", m.campaign_id or "")
            else:
                status_cells = (fmt(m.subscribed_ts),)
            tag = SOURCE_TAGS.get(m.source or "")
            tags = f'"{tag}"' if tag else ""
            writers[m.status].writerow([str(v) for v in head + status_cells + (self._leid, euid, "", tags)])
            self.counts["mailchimp_members"] += 1
        path = self.out / "mailchimp_members" / f"members_export_{lid}.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for status in ("subscribed", "unsubscribed", "cleaned"):
                info = zipfile.ZipInfo(f"{status}_members_export_{lid}.csv", date_time=self._zip_time())
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, files[status].getvalue().encode("utf-8"), compresslevel=9)
        self.files += 1


def title_of(send) -> str:
    """The campaign title the team gives in Mailchimp: DEMs start with "DEM" (the warehouse's
    convention to tell DEMs from newsletters, var mailchimp_dem_title_prefixes)."""
    if send.channel == "dem" and not send.name.startswith("DEM"):
        return f"DEM {send.name}"
    return send.name
