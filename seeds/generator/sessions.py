"""Planned web sessions ("visits") that the GA4 writer expands into events.

Modules that cause a visit (an email click, an order, a lead form, a social post
click, a login on a new device...) add a ``Visit``; background browsing is added
month by month by ``web.py``. Visits are kept per Europe/Rome month so the GA4
writer can stream one month at a time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from seeds.generator.clock import Clock
from seeds.generator.traffic import Touch

if TYPE_CHECKING:  # pragma: no cover
    from seeds.generator.people import Device, Person
    from seeds.generator.shop import Order


class Visit:
    """One planned session of one person on one device."""

    __slots__ = (
        "ts",
        "person",
        "device",
        "touch",
        "landing",
        "intent",
        "order",
        "login",
        "signup",
        "form_id",
        "lead",
        "anchor_ts",
        "seq",
        "bounce_ok",
        "pricing",
        "gclid",
        "logged",
    )

    def __init__(
        self,
        ts: int,
        person: Person,
        device: Device,
        touch: Touch,
        landing: str,
        intent: str = "browse",
        *,
        order: Order | None = None,
        login: bool = False,
        signup: bool = False,
        form_id: str | None = None,
        lead: bool = False,
        anchor_ts: int | None = None,
        bounce_ok: bool = True,
        pricing: bool = False,
    ) -> None:
        self.ts = ts
        self.person = person
        self.device = device
        self.touch = touch
        self.landing = landing
        self.intent = intent
        self.order = order
        self.login = login
        self.signup = signup
        self.form_id = form_id
        self.lead = lead
        self.anchor_ts = anchor_ts
        self.bounce_ok = bounce_ok
        self.pricing = pricing
        self.seq = 0
        self.gclid: str | None = None
        self.logged = False  # set by the GA4 writer: the session carried a user_id


class VisitStore:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.by_month: dict[str, list[Visit]] = {m: [] for m in clock.months}
        self._seq = 0

    def add(self, v: Visit) -> Visit | None:
        if not self.clock.in_window(v.ts):
            return None
        v.seq = self._seq
        self._seq += 1
        self.by_month[self.clock.month_key(v.ts)].append(v)
        return v

    def take_month(self, month: str) -> list[Visit]:
        """Remove and return a month's visits in time order."""
        vs = self.by_month.pop(month, [])
        vs.sort(key=lambda v: (v.ts, v.seq))
        return vs

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_month.values())


def pick_device(r, person: Person, ts: int, prefer: str | None = None) -> Device:
    """A device of ``person`` already in use at ``ts`` (preferring a category)."""
    active = [d for d in person.devices if d.active_from <= ts]
    if not active:
        active = [min(person.devices, key=lambda d: d.active_from)]
    if prefer is not None and r.random() < 0.75:
        pref = [d for d in active if d.category == prefer]
        if pref:
            return r.choice(pref)
    return r.choice(active)


def channel_to_lead_source(channel: str) -> str:
    if channel in ("paid_search", "paid_social", "display"):
        return "ads"
    if channel == "organic_social":
        return "social"
    if channel in ("email", "dem", "sms"):
        return "email"
    return "web_form"
