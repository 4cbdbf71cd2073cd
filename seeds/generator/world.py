"""Shared state of one generation run (built once, then filled module by module)."""

from __future__ import annotations

from dataclasses import dataclass, field

from seeds.generator.campaigns import CampaignCalendar
from seeds.generator.clock import Clock
from seeds.generator.config import GeneratorConfig
from seeds.generator.fx import FxTable
from seeds.generator.identity import IdentityLedger
from seeds.generator.people import Population
from seeds.generator.rng import np_stream, streams
from seeds.generator.seasonality import Demand
from seeds.generator.sessions import VisitStore
from seeds.generator.traffic import TrafficModel


@dataclass
class World:
    cfg: GeneratorConfig
    clock: Clock
    demand: Demand
    calendar: CampaignCalendar
    traffic: TrafficModel
    pop: Population
    fx: FxTable
    ledger: IdentityLedger = field(default_factory=IdentityLedger)
    visits: VisitStore | None = None
    leads: list = field(default_factory=list)
    orders: list = field(default_factory=list)
    ticket_events: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    esp_sends: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    # aggregates filled while GA4 is written, used by ads / gsc / social
    ad_sessions: dict = field(default_factory=dict)  # (campaign_id, day) -> [sessions, orders, revenue_eur, leads]
    organic_sessions: dict = field(default_factory=dict)  # (pacific_day, path, alpha3, device, lang) -> sessions
    post_sessions: dict = field(default_factory=dict)  # post_id -> sessions
    click_visits: dict = field(default_factory=dict)  # person idx -> email/SMS click visits
    stats: dict = field(default_factory=dict)

    @classmethod
    def build(cls, cfg: GeneratorConfig) -> World:
        clock = Clock(cfg.start, cfg.end)
        demand = Demand(clock)
        calendar = CampaignCalendar(clock, np_stream(cfg.seed, "campaigns"))
        traffic = TrafficModel(calendar)
        pop = Population(cfg, clock, demand, traffic, *streams(cfg.seed, "people"))
        fx = FxTable(clock, np_stream(cfg.seed, "fx"))
        w = cls(cfg, clock, demand, calendar, traffic, pop, fx)
        w.visits = VisitStore(clock)
        return w

    @property
    def persons(self):
        return self.pop.persons
